/**
 * Notices when another window (or the CLI) rewrites a shared file in the storage folder. Writes are atomic
 * renames, so the folder is watched rather than the file (a file watch would follow the replaced inode).
 * Bursts of events are debounced into one call per file name.
 */
import { watch, type FSWatcher } from 'node:fs';
import { mkdirSync } from 'node:fs';

export interface StorageWatch {
  dispose(): void;
}

export function watchStorage(dir: string, names: readonly string[], onChange: (name: string) => void, debounceMs = 150): StorageWatch {
  const timers = new Map<string, NodeJS.Timeout>();
  let watcher: FSWatcher | undefined;
  try {
    mkdirSync(dir, { recursive: true });
    watcher = watch(dir, { persistent: false }, (_event, filename) => {
      const name = filename?.toString();
      // Without a name (some platforms), any of the files may have changed.
      for (const target of name ? names.filter((n) => n === name) : names) {
        clearTimeout(timers.get(target));
        timers.set(
          target,
          setTimeout(() => {
            timers.delete(target);
            onChange(target);
          }, debounceMs),
        );
      }
    });
    watcher.on('error', () => watcher?.close());
  } catch {
    // A folder that cannot be made or watched: each window still reads the file before every change.
    watcher = undefined;
  }
  return {
    dispose: () => {
      watcher?.close();
      for (const timer of timers.values()) clearTimeout(timer);
      timers.clear();
    },
  };
}
