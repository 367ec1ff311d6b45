/**
 * What the extension remembers about each lab (labs.json in global storage): where its workspace is, hints
 * taken, attempts and scores. The Labs tree's status derives from it.
 */
import { systemClock, type Clock } from './clock';
import { VersionedJsonFile, type LoadNotice } from './json-file';
import { validateLabState } from './schemas';
import { startTimer, type TimeLimit, type TimerRecord } from './take-home-timer';

export const LAB_STATE_VERSION = 1;

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
}

/**
 * Signals for a take-home reviewer that respect privacy: counts and sizes, never content.
 * Large insertions are single edits of many characters (a paste, or a completion accepted at once).
 */
export interface IntegrityRecord {
  largeInsertions: { count: number; characters: number };
  /** How long the lab's workspace was open, in milliseconds. */
  openMs: number;
  /** Edits to src/ after the submission was frozen. */
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

const blank = (): LabRecord => ({ hintsTaken: 0, attempts: 0, passed: false });

export class LabState {
  private data: LabStateData = { schemaVersion: LAB_STATE_VERSION, labs: {} };
  private readonly listeners = new Set<(labId: string) => void>();

  private constructor(
    private readonly file: VersionedJsonFile<LabStateData>,
    private readonly clock: Clock,
  ) {}

  static async open(path: string, clock: Clock = systemClock): Promise<{ state: LabState; notice?: LoadNotice }> {
    const file = new VersionedJsonFile<LabStateData>({
      file: path,
      version: LAB_STATE_VERSION,
      empty: () => ({ schemaVersion: LAB_STATE_VERSION, labs: {} }),
      validate: validateLabState,
      clock,
    });
    const state = new LabState(file, clock);
    const loaded = await file.load();
    state.data = loaded.data;
    return loaded.notice ? { state, notice: loaded.notice } : { state };
  }

  get(labId: string): LabRecord | undefined {
    return this.data.labs[labId];
  }

  status(labId: string): LabStatus {
    return labStatus(this.data.labs[labId]);
  }

  async started(labId: string, workspace: string): Promise<void> {
    await this.update(labId, (r) => ({ ...r, workspace, startedAt: this.clock.now().toISOString() }));
  }

  /** A clock already running for another lab of the pack (a pack-wide limit shares it). */
  packTimer(packId: string): TimerRecord | undefined {
    return Object.entries(this.data.labs).find(([id, r]) => id.startsWith(`${packId}/`) && r.timer)?.[1].timer;
  }

  /** Starts the take-home clock on the first Start only: starting again, or in a new folder, never resets it. */
  async startTimer(labId: string, limit: TimeLimit, shared?: TimerRecord): Promise<TimerRecord> {
    const existing = this.data.labs[labId]?.timer;
    if (existing) return existing;
    const record = await this.update(labId, (r) => ({ ...r, timer: startTimer(limit, this.clock.now(), shared) }));
    return record.timer as TimerRecord;
  }

  async saveTimer(labId: string, timer: TimerRecord): Promise<void> {
    await this.update(labId, (r) => ({ ...r, timer }));
  }

  async recordIntegrity(labId: string, change: (current: IntegrityRecord) => IntegrityRecord): Promise<void> {
    await this.update(labId, (r) => ({ ...r, integrity: change(r.integrity ?? { largeInsertions: { count: 0, characters: 0 }, openMs: 0, lateEdits: 0 }) }));
  }

  async hintTaken(labId: string): Promise<number> {
    const record = await this.update(labId, (r) => ({ ...r, hintsTaken: r.hintsTaken + 1 }));
    return record.hintsTaken;
  }

  /** Records a graded attempt: the last score, the best score, and whether the lab is passed. */
  async graded(labId: string, result: { points: number; maxPoints: number; status: Score['status'] }): Promise<LabRecord> {
    const score: Score = { ...result, at: this.clock.now().toISOString() };
    return this.update(labId, (r) => ({
      ...r,
      attempts: r.attempts + 1,
      passed: r.passed || result.status === 'pass',
      last: score,
      best: !r.best || score.points > r.best.points ? score : r.best,
    }));
  }

  onDidChange(listener: (labId: string) => void): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  private async update(labId: string, change: (record: LabRecord) => LabRecord): Promise<LabRecord> {
    const record = change(this.data.labs[labId] ?? blank());
    this.data.labs[labId] = record;
    for (const listener of this.listeners) listener(labId);
    await this.file.save(this.data);
    return record;
  }
}
