import { mkdir, readFile, rename } from 'node:fs/promises';
import * as path from 'node:path';
import { removeStaleTempFiles, writeFileAtomic, type AtomicFs } from './atomic-file';
import { systemClock, type Clock } from './clock';
import { fileLocker, type Locker } from './file-lock';
import type { SchemaResult } from './schema';

/** What loading or saving found, beyond the data itself, so the caller can tell the user once. */
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
  /** The inter-process lock; tests swap in a failing one to simulate a folder that cannot be written. */
  locker?: Locker;
}

/** Errors that mean the storage cannot be written here: the file turns read-only instead of failing each change. */
const UNWRITABLE = new Set(['EACCES', 'EPERM', 'EROFS', 'ENOTDIR', 'EISDIR', 'EEXIST', 'ENOSPC', 'EDQUOT']);

/** What a locked change came to: the data as saved, or only a notice when nothing could be written. */
type Outcome<T> = { data: T; notice: LoadNotice | undefined } | { notice: LoadNotice | undefined };

const codeOf = (error: unknown): string | undefined => (error as NodeJS.ErrnoException | undefined)?.code;

/**
 * A schema-versioned JSON file in the extension's storage, shared by every window and the CLI. Each change is
 * one read-modify-write under an inter-process lock (take the lock, re-read the file, apply the change, write
 * atomically, release), so a change made elsewhere is never overwritten by a stale copy. A corrupt file is
 * moved aside as a backup; a file from a newer version, a folder where the file should be, or storage that
 * cannot be written turns the file read-only: changes still apply in memory but nothing is written.
 */
export class VersionedJsonFile<T> {
  private readOnly: string | undefined;
  private readonly clock: Clock;
  private readonly locker: Locker;
  /** What was last read or written, so a read-only file still answers with the changes of this session. */
  private current: T;
  /** Changes from this process run one after another (the lock is per process, not per call). */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly options: JsonFileOptions<T>) {
    this.clock = options.clock ?? systemClock;
    this.locker = options.locker ?? fileLocker();
    this.current = options.empty();
  }

  get file(): string {
    return this.options.file;
  }

  get isReadOnly(): boolean {
    return this.readOnly !== undefined;
  }

  /** Reads the file as it is now; a corrupt one is moved aside by the lock's holder only. */
  load(): Promise<LoadResult<T>> {
    return this.serial(async () => {
      const locked = await this.withLock(async () => {
        await removeStaleTempFiles(this.options.file);
        const { data, notice } = await this.read(true);
        return notice ? { data, notice } : { data };
      });
      const result = locked.ran ? locked.result : { data: (await this.read(false)).data, notice: locked.notice };
      this.current = result.data;
      return result;
    });
  }

  /** Applies one change to the file as it stands, under the lock; resolves with the data as saved. */
  update(change: (data: T) => T): Promise<LoadResult<T>> {
    return this.serial(async () => {
      let outcome: Outcome<T> = { notice: undefined };
      if (!this.readOnly) {
        const locked = await this.withLock(() => this.applyLocked(change));
        outcome = locked.ran ? locked.result : { notice: locked.notice };
      }
      // Read-only (now or since before): the change holds in this window's memory only.
      const data = 'data' in outcome ? outcome.data : change(this.current);
      this.current = data;
      return outcome.notice ? { data, notice: outcome.notice } : { data };
    });
  }

  /** The read-modify-write itself, run holding the lock. */
  private async applyLocked(change: (data: T) => T): Promise<Outcome<T>> {
    const before = await this.read(true);
    // Turned read-only on this read (a newer version wrote the file, or it became a folder).
    if (this.readOnly) return { notice: before.notice };
    const data = change(before.data);
    const text = `${JSON.stringify(data, null, 2)}\n`;
    // Unchanged files are not rewritten (other windows' watchers stay quiet); migrated or recovered ones are.
    if (text !== before.text) {
      try {
        await writeFileAtomic(this.options.file, text, { fs: this.options.fs });
      } catch (error) {
        if (!UNWRITABLE.has(codeOf(error) ?? '')) throw error;
        return { notice: this.turnReadOnly(`cannot be written (${codeOf(error)})`) };
      }
    }
    return { data, notice: before.notice };
  }

  /** Saves `data` whole. Only for a file that one process owns: shared files change through `update`. */
  save(data: T): Promise<void> {
    return this.update(() => data).then(() => undefined);
  }

  private serial<R>(run: () => Promise<R>): Promise<R> {
    const next = this.queue.then(run);
    this.queue = next.catch(() => undefined);
    return next;
  }

  /** Runs `body` holding the lock; where the lock cannot be taken because storage is unwritable, turns read-only instead. */
  private async withLock<R>(body: () => Promise<R>): Promise<{ ran: true; result: R } | { ran: false; notice: LoadNotice }> {
    let release: () => Promise<void>;
    try {
      await mkdir(path.dirname(this.options.file), { recursive: true });
      release = await this.locker(this.options.file);
    } catch (error) {
      if (!UNWRITABLE.has(codeOf(error) ?? '')) throw error;
      return { ran: false, notice: this.turnReadOnly(`cannot be saved: its folder ${path.dirname(this.options.file)} cannot be written (${codeOf(error)})`) };
    }
    try {
      return { ran: true, result: await body() };
    } finally {
      await release().catch(() => undefined);
    }
  }

  private turnReadOnly(reason: string): LoadNotice {
    this.readOnly ??= reason;
    return { kind: 'read-only', reason };
  }

  /** Parses, migrates and validates the file; `mayRecover` (holding the lock) lets a corrupt file be moved aside. */
  private async read(mayRecover: boolean): Promise<LoadResult<T> & { text?: string }> {
    const { file, version } = this.options;
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      const code = codeOf(error);
      if (code === 'ENOENT') return { data: this.options.empty() };
      if (code === 'EISDIR')
        return { data: this.options.empty(), notice: this.turnReadOnly(`${file} is a folder, not a file: nothing is saved until it is moved away`) };
      if (UNWRITABLE.has(code ?? ''))
        return { data: this.options.empty(), notice: this.turnReadOnly(`${file} cannot be read (${code}); changes are not saved`) };
      throw error;
    }
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch {
      return this.recover('the file is not valid JSON', mayRecover);
    }
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return this.recover('the file does not hold a JSON object', mayRecover);
    const found = (raw as { schemaVersion?: unknown }).schemaVersion ?? 0;
    if (typeof found !== 'number' || !Number.isInteger(found) || found < 0) return this.recover('its schemaVersion is not a version number', mayRecover);
    if (found > version) {
      return {
        data: this.options.empty(),
        notice: this.turnReadOnly(`was written by a newer version of the extension (schema ${found}); it is left untouched and changes are not saved`),
      };
    }
    let migrated = raw as Record<string, unknown>;
    for (let v = found; v < version; v++) {
      const step = this.options.migrations?.[v];
      if (!step) return this.recover(`no migration from schema ${v}`, mayRecover);
      migrated = step(migrated);
    }
    const checked = this.options.validate(migrated);
    if (!checked.ok) return this.recover(checked.errors.slice(0, 3).join('; '), mayRecover);
    return { data: checked.value, text };
  }

  private async recover(reason: string, mayRecover: boolean): Promise<LoadResult<T>> {
    if (!mayRecover)
      return { data: this.options.empty(), notice: this.turnReadOnly(`is unreadable (${reason}) and its folder cannot be written to keep it aside`) };
    const stamp = this.clock.now().toISOString().replace(/[:.]/g, '-');
    const parsed = path.parse(this.options.file);
    const backupFile = path.join(parsed.dir, `${parsed.name}.corrupt-${stamp}${parsed.ext}`);
    await rename(this.options.file, backupFile);
    return { data: this.options.empty(), notice: { kind: 'recovered', backupFile, reason } };
  }
}
