import { readFile, rename } from 'node:fs/promises';
import * as path from 'node:path';
import { removeStaleTempFiles, writeFileAtomic, type AtomicFs } from './atomic-file';
import { systemClock, type Clock } from './clock';
import { CORE_PACK_ID, qualify } from './ids';
import { emptyProgress, PROGRESS_SCHEMA_VERSION, type ProgressData } from './progress';
import { validateProgress } from './schemas';

/** What loading found, beyond the data itself, so the caller can tell the user once. */
export type LoadNotice =
  | { kind: 'recovered'; backupFile: string; reason: string }
  | { kind: 'read-only'; reason: string };

export interface LoadResult {
  data: ProgressData;
  notice?: LoadNotice;
}

type Migration = (old: Record<string, unknown>) => Record<string, unknown>;

/**
 * Upgrades from each older schema version to the next. Version 0 is a file without `schemaVersion`,
 * written before ids were namespaced by pack: its keys are bare local ids of the core pack.
 */
const MIGRATIONS: Record<number, Migration> = {
  0: (old) => {
    const questions = (old['questions'] ?? {}) as Record<string, unknown>;
    const qualified = Object.fromEntries(
      Object.entries(questions).map(([id, value]) => [id.includes('/') ? id : qualify(CORE_PACK_ID, id), value]),
    );
    return { schemaVersion: 1, questions: qualified };
  },
};

/** The progress file in global storage: versioned JSON, written atomically, recovered when corrupt. */
export class ProgressStore {
  private readOnly = false;
  private queue: Promise<void> = Promise.resolve();

  constructor(
    readonly file: string,
    private readonly clock: Clock = systemClock,
    private readonly fs: AtomicFs = { rename },
  ) {}

  async load(): Promise<LoadResult> {
    await removeStaleTempFiles(this.file);
    let text: string;
    try {
      text = await readFile(this.file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { data: emptyProgress() };
      throw error;
    }

    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch {
      return this.recover('the file is not valid JSON');
    }
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return this.recover('the file does not hold a JSON object');

    const version = (raw as { schemaVersion?: unknown }).schemaVersion ?? 0;
    if (typeof version !== 'number' || !Number.isInteger(version) || version < 0) return this.recover('its schemaVersion is not a version number');
    if (version > PROGRESS_SCHEMA_VERSION) {
      this.readOnly = true;
      return {
        data: emptyProgress(),
        notice: { kind: 'read-only', reason: `it was written by a newer version of the extension (schema ${version}); it is left untouched and progress is not saved` },
      };
    }

    let migrated = raw as Record<string, unknown>;
    for (let v = version; v < PROGRESS_SCHEMA_VERSION; v++) {
      const step = MIGRATIONS[v];
      if (!step) return this.recover(`no migration from schema ${v}`);
      migrated = step(migrated);
    }
    const checked = validateProgress(migrated);
    if (!checked.ok) return this.recover(checked.errors.slice(0, 3).join('; '));
    return { data: checked.value };
  }

  /** Saves atomically; saves are queued so two never interleave. */
  save(data: ProgressData): Promise<void> {
    if (this.readOnly) return Promise.resolve();
    const text = `${JSON.stringify(data, null, 2)}\n`;
    const write = this.queue.then(() => writeFileAtomic(this.file, text, this.fs));
    this.queue = write.catch(() => undefined);
    return write;
  }

  get isReadOnly(): boolean {
    return this.readOnly;
  }

  private async recover(reason: string): Promise<LoadResult> {
    const stamp = this.clock.now().toISOString().replace(/[:.]/g, '-');
    const parsed = path.parse(this.file);
    const backupFile = path.join(parsed.dir, `${parsed.name}.corrupt-${stamp}${parsed.ext}`);
    await rename(this.file, backupFile);
    return { data: emptyProgress(), notice: { kind: 'recovered', backupFile, reason } };
  }
}
