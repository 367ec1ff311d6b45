/**
 * What the extension remembers about each lab (labs.json in global storage): where its workspace is, hints
 * taken, attempts and scores. The Labs tree's status derives from it.
 */
import { systemClock, type Clock } from '../io/clock';
import type { Locker } from '../io/file-lock';
import { VersionedJsonFile, type LoadNotice } from '../io/json-file';
import { validator } from '../io/schema';
import { SharedBook } from '../io/shared-book';
import { mergeTimer, startTimer, type TimeLimit, type TimerRecord } from '../take-home/take-home-timer';
import { isLabDue, isLabPass, reviewAfterGrade, type LabReview } from './lab-review';

export const validateLabState = validator<LabStateData>('labState', 'lab state');

/** 2: a passed lab may carry its redo's review card (`review`); a version-1 file is the same without it. */
export const LAB_STATE_VERSION = 2;

export interface Score {
  points: number;
  maxPoints: number;
  status: 'pass' | 'fail' | 'error';
  at: string;
}

export interface LabRecord {
  workspace?: string;
  startedAt?: string;
  hintsTaken: number;
  attempts: number;
  passed: boolean;
  best?: Score;
  last?: Score;
  /** Take-home labs only: the clock, from the first Start. */
  timer?: TimerRecord;
  integrity?: IntegrityRecord;
  /** Take-home labs: when a submission holding this lab was last exported. */
  exportedAt?: string;
  /** Passed labs only: the review card of a redo from scratch (lab-review.ts). */
  review?: LabReview;
}

/**
 * Signals for a take-home reviewer that respect privacy: counts and sizes, never content.
 * Large insertions are single edits of many characters (a paste, or a completion accepted at once).
 */
export interface IntegrityRecord {
  largeInsertions: { count: number; characters: number };
  /** How long the lab's workspace was open, in milliseconds. */
  openMs: number;
  /** Edit sessions in src/ after the submission was frozen (edits separated by a pause; keystrokes in labs.json files written before this change). */
  lateEdits: number;
}

export const LARGE_INSERTION_CHARS = 200;

export interface LabStateData {
  schemaVersion: typeof LAB_STATE_VERSION;
  labs: Record<string, LabRecord>;
}

export type LabStatus = 'not-started' | 'in-progress' | 'passed';

export function labStatus(record: LabRecord | undefined): LabStatus {
  if (!record || (!record.workspace && record.attempts === 0)) return 'not-started';
  return record.passed ? 'passed' : 'in-progress';
}

/**
 * A take-home lab whose work has not left the machine: its clock started and no export holds it yet, or it was
 * exported before time ran out and the frozen files were never exported.
 */
export function hasUnexportedWork(record: LabRecord | undefined): boolean {
  if (!record?.timer) return false;
  if (!record.exportedAt) return true;
  return record.timer.frozenAt !== undefined && Date.parse(record.exportedAt) < Date.parse(record.timer.frozenAt);
}

const blank = (): LabRecord => ({ hintsTaken: 0, attempts: 0, passed: false });

const packTimerIn = (data: LabStateData, packId: string): TimerRecord | undefined =>
  Object.entries(data.labs).find(([id, r]) => id.startsWith(`${packId}/`) && r.timer)?.[1].timer;

/**
 * Lab records as this window last saw them. Every change is an operation on the file as it stands (another
 * window may have graded a lab a moment ago), and `refresh()` takes in what other windows wrote.
 */
export class LabState extends SharedBook<LabStateData> {
  private constructor(
    file: VersionedJsonFile<LabStateData>,
    private readonly clock: Clock,
  ) {
    super(file, { schemaVersion: LAB_STATE_VERSION, labs: {} });
  }

  static async open(path: string, clock: Clock = systemClock, locker?: Locker): Promise<{ state: LabState; notice?: LoadNotice }> {
    const file = new VersionedJsonFile<LabStateData>({
      file: path,
      version: LAB_STATE_VERSION,
      empty: () => ({ schemaVersion: LAB_STATE_VERSION, labs: {} }),
      validate: validateLabState,
      clock,
      ...(locker ? { locker } : {}),
      // Version 1: records without a review card, which version 2 adds as an optional field.
      migrations: { 1: (old) => ({ ...old, schemaVersion: 2 }) },
    });
    const state = new LabState(file, clock);
    const loaded = await file.load();
    state.data = loaded.data;
    return loaded.notice ? { state, notice: loaded.notice } : { state };
  }

  protected records(data: LabStateData): Record<string, unknown> {
    return data.labs;
  }

  get(labId: string): LabRecord | undefined {
    return this.data.labs[labId];
  }

  /** Every lab with a record, loaded pack or not. */
  ids(): string[] {
    return Object.keys(this.data.labs);
  }

  status(labId: string): LabStatus {
    return labStatus(this.data.labs[labId]);
  }

  async started(labId: string, workspace: string): Promise<void> {
    const at = this.clock.now().toISOString();
    await this.update(labId, (r) => ({ ...r, workspace, startedAt: at }));
  }

  /** A clock already running for another lab of the pack (a pack-wide limit shares it). */
  packTimer(packId: string): TimerRecord | undefined {
    return packTimerIn(this.data, packId);
  }

  /**
   * Starts the take-home clock on the first Start only: starting again, in a new folder or in another window
   * never resets it. A pack-wide limit joins the clock another lab of the pack started, wherever it was started.
   */
  async startTimer(labId: string, limit: TimeLimit): Promise<TimerRecord> {
    const now = this.clock.now();
    const data = await this.change((d) => {
      const record = d.labs[labId] ?? blank();
      if (record.timer) return;
      const shared = limit.scope === 'pack' ? packTimerIn(d, labId.slice(0, labId.indexOf('/'))) : undefined;
      d.labs[labId] = { ...record, timer: startTimer(limit, now, shared) };
    });
    return data.labs[labId]?.timer as TimerRecord;
  }

  /** Saves this window's reading of the clock, merged with what other windows recorded (a freeze, warnings). */
  async saveTimer(labId: string, timer: TimerRecord): Promise<TimerRecord> {
    const record = await this.update(labId, (r) => ({ ...r, timer: mergeTimer(r.timer, timer) }));
    return record.timer as TimerRecord;
  }

  async recordIntegrity(labId: string, change: (current: IntegrityRecord) => IntegrityRecord): Promise<void> {
    await this.update(labId, (r) => ({ ...r, integrity: change(r.integrity ?? { largeInsertions: { count: 0, characters: 0 }, openMs: 0, lateEdits: 0 }) }));
  }

  /** A submission sent in a student pack (no hidden tests to grade): `attempts` counts submissions there. */
  async submitted(labId: string): Promise<LabRecord> {
    return this.update(labId, (r) => ({ ...r, attempts: r.attempts + 1 }));
  }

  /** An export now holds this lab's work. */
  async exported(labId: string): Promise<void> {
    const at = this.clock.now().toISOString();
    await this.update(labId, (r) => ({ ...r, exportedAt: at }));
  }

  async hintTaken(labId: string): Promise<number> {
    const record = await this.update(labId, (r) => ({ ...r, hintsTaken: r.hintsTaken + 1 }));
    return record.hintsTaken;
  }

  /**
   * Records a graded attempt: the last score, the best score, whether the lab is passed, and on a pass that
   * counts, the redo's review card (in the same change, so no window sees a pass without its schedule).
   */
  async graded(labId: string, result: { points: number; maxPoints: number; status: Score['status'] }): Promise<LabRecord> {
    const now = this.clock.now();
    const score: Score = { ...result, at: now.toISOString() };
    return this.update(labId, (r) => {
      const review = reviewAfterGrade(r.review, isLabPass(result), r.hintsTaken, now);
      return {
        ...r,
        attempts: r.attempts + 1,
        passed: r.passed || result.status === 'pass',
        last: score,
        best: !r.best || score.points > r.best.points ? score : r.best,
        ...(review ? { review } : {}),
      };
    });
  }

  /** Ids of labs whose redo is due now, with when each fell due. */
  dueLabs(): { id: string; due: Date }[] {
    const now = this.clock.now();
    return Object.entries(this.data.labs)
      .filter(([, r]) => isLabDue(r.review, now))
      .map(([id, r]) => ({ id, due: new Date((r.review as LabReview).card.due) }));
  }

  isDue(labId: string): boolean {
    return isLabDue(this.data.labs[labId]?.review, this.clock.now());
  }

  /** All lab records as this window last saw them (for Export Progress). */
  snapshot(): LabStateData {
    return structuredClone(this.data);
  }

  /** Applies `merge` to the records as they stand in the file, in one locked change (Import Progress). */
  async merge(merge: (current: LabStateData) => LabStateData): Promise<void> {
    await this.change(merge);
  }

  private async update(labId: string, change: (record: LabRecord) => LabRecord): Promise<LabRecord> {
    const data = await this.change((d) => {
      d.labs[labId] = change(d.labs[labId] ?? blank());
    });
    return data.labs[labId] as LabRecord;
  }
}
