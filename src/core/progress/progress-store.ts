import { rename } from 'node:fs/promises';
import type { AtomicFs } from '../io/atomic-file';
import { systemClock, type Clock } from '../io/clock';
import { CORE_PACK_ID, qualify } from '../catalog/ids';
import { VersionedJsonFile } from '../io/json-file';
import { emptyProgress, PROGRESS_SCHEMA_VERSION, type ProgressData } from './progress';
import { validator } from '../io/schema';

const validateProgress = validator<ProgressData>('progress', 'progress');

export type { LoadNotice, LoadResult } from '../io/json-file';

/** The progress file in global storage (docs/formats.md §4). */
export class ProgressStore extends VersionedJsonFile<ProgressData> {
  constructor(file: string, clock: Clock = systemClock, fs: AtomicFs = { rename }) {
    super({
      file,
      version: PROGRESS_SCHEMA_VERSION,
      empty: emptyProgress,
      validate: validateProgress,
      clock,
      fs,
      migrations: {
        // Version 0: written before ids were namespaced by pack; its keys are bare local ids of the core pack.
        0: (old) => {
          const questions = (old['questions'] ?? {}) as Record<string, unknown>;
          const qualified = Object.fromEntries(Object.entries(questions).map(([id, value]) => [id.includes('/') ? id : qualify(CORE_PACK_ID, id), value]));
          return { schemaVersion: 1, questions: qualified };
        },
        // Version 1: ratings without key point ticks, which version 2 adds as an optional field.
        1: (old) => ({ ...old, schemaVersion: 2 }),
      },
    });
  }
}
