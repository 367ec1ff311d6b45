import { lstat, readdir, readFile } from 'node:fs/promises';
import * as path from 'node:path';

/** Limits on a folder of candidate files: enough for any lab, too little to hurt the extension or grader. */
export const FILE_LIMITS = { files: 200, bytes: 5 * 1024 * 1024 };

export class FolderLimitError extends Error {}

/**
 * Reads the regular files under `dir` (relative path → content), skipping links, dot-folders and
 * node_modules, and refusing more than the limits allow. A missing folder reads as empty.
 */
export async function readFolder(dir: string, limits = FILE_LIMITS, label = path.basename(dir)): Promise<Map<string, Buffer>> {
  const files = new Map<string, Buffer>();
  let bytes = 0;
  const walk = async (relative: string): Promise<void> => {
    let entries;
    try {
      entries = await readdir(path.join(dir, relative), { withFileTypes: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT' && relative === '') return;
      throw error;
    }
    for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
      const rel = relative ? `${relative}/${entry.name}` : entry.name;
      if (entry.isSymbolicLink()) continue;
      if (entry.isDirectory()) {
        if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
        await walk(rel);
      } else if (entry.isFile()) {
        const full = path.join(dir, rel);
        bytes += (await lstat(full)).size;
        if (files.size + 1 > limits.files) throw new FolderLimitError(`${label} holds more than ${limits.files} files`);
        if (bytes > limits.bytes) throw new FolderLimitError(`${label} holds more than ${limits.bytes / 1024 / 1024} MB`);
        files.set(rel, await readFile(full));
      }
    }
  };
  await walk('');
  return files;
}
