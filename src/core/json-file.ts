import { readFile, rename } from 'node:fs/promises';
import * as path from 'node:path';
import { removeStaleTempFiles, writeFileAtomic, type AtomicFs } from './atomic-file';
import { systemClock, type Clock } from './clock';
import type { SchemaResult } from './schemas';

/** What loading found, beyond the data itself, so the caller can tell the user once. */
export type LoadNotice = { kind: 'recovered'; backupFile: string; reason: string } | { kind: 'read-only'; reason: string };

export interface LoadResult<T> {
  data: T;
  notice?: LoadNotice;
}

export interface JsonFileOptions<T> {
  file: string;
  version: number;
  empty: () => T;
  validate: (value: unknown) => SchemaResult<T>;
  /** Upgrades from each older version to the next; version 0 is a file without `schemaVersion`. */
  migrations?: Record<number, (old: Record<string, unknown>) => Record<string, unknown>>;
  clock?: Clock;
  fs?: AtomicFs;
}

/**
 * A schema-versioned JSON file in the extension's storage: written atomically, saves queued so none
 * interleave, a corrupt file moved aside as a backup, and a file from a newer version never overwritten.
 */
export class VersionedJsonFile<T> {
  private readOnly = false;
  private queue: Promise<void> = Promise.resolve();
  private readonly clock: Clock;

  constructor(private readonly options: JsonFileOptions<T>) {
    this.clock = options.clock ?? systemClock;
  }

  get file(): string {
    return this.options.file;
  }

  get isReadOnly(): boolean {
    return this.readOnly;
  }

  async load(): Promise<LoadResult<T>> {
    const { file, version } = this.options;
    await removeStaleTempFiles(file);
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { data: this.options.empty() };
      throw error;
    }
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch {
      return this.recover('the file is not valid JSON');
    }
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return this.recover('the file does not hold a JSON object');
    const found = (raw as { schemaVersion?: unknown }).schemaVersion ?? 0;
    if (typeof found !== 'number' || !Number.isInteger(found) || found < 0) return this.recover('its schemaVersion is not a version number');
    if (found > version) {
      this.readOnly = true;
      return {
        data: this.options.empty(),
        notice: { kind: 'read-only', reason: `it was written by a newer version of the extension (schema ${found}); it is left untouched and changes are not saved` },
      };
    }
    let migrated = raw as Record<string, unknown>;
    for (let v = found; v < version; v++) {
      const step = this.options.migrations?.[v];
      if (!step) return this.recover(`no migration from schema ${v}`);
      migrated = step(migrated);
    }
    const checked = this.options.validate(migrated);
    if (!checked.ok) return this.recover(checked.errors.slice(0, 3).join('; '));
    return { data: checked.value };
  }

  /** Saves atomically; saves are queued so two never interleave, and the last one wins. */
  save(data: T): Promise<void> {
    if (this.readOnly) return Promise.resolve();
    const text = `${JSON.stringify(data, null, 2)}\n`;
    const write = this.queue.then(() => writeFileAtomic(this.options.file, text, this.options.fs));
    this.queue = write.catch(() => undefined);
    return write;
  }

  private async recover(reason: string): Promise<LoadResult<T>> {
    const stamp = this.clock.now().toISOString().replace(/[:.]/g, '-');
    const parsed = path.parse(this.options.file);
    const backupFile = path.join(parsed.dir, `${parsed.name}.corrupt-${stamp}${parsed.ext}`);
    await rename(this.options.file, backupFile);
    return { data: this.options.empty(), notice: { kind: 'recovered', backupFile, reason } };
  }
}
