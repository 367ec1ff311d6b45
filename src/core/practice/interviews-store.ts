/**
 * Mock interviews kept in `interviews.json` in the extension's global storage (docs/formats.md §4, mock interviews): finished,
 * abandoned, and at most one under way. Like progress and answers, every change is one operation applied to the
 * file as it stands, under its lock, written atomically; a corrupt file is set aside and reported by the caller.
 */
import { rename } from 'node:fs/promises';
import type { AtomicFs } from '../io/atomic-file';
import { systemClock, type Clock } from '../io/clock';
import { VersionedJsonFile, type LoadNotice } from '../io/json-file';
import { validator } from '../io/schema';
import { SharedBook } from '../io/shared-book';
import type { Difficulty, SectionSlug } from '../catalog/sections';
import { summariseInterview, type InterviewRecord } from './interview';

export const INTERVIEWS_SCHEMA_VERSION = 1;

/** The most interviews kept: the oldest finished or abandoned ones go first. */
export const MAX_INTERVIEWS = 200;

export interface InterviewsData {
  schemaVersion: typeof INTERVIEWS_SCHEMA_VERSION;
  interviews: InterviewRecord[];
}

export function emptyInterviews(): InterviewsData {
  return { schemaVersion: INTERVIEWS_SCHEMA_VERSION, interviews: [] };
}

const validateInterviews = validator<InterviewsData>('interviews', 'interviews');

export class InterviewsStore extends VersionedJsonFile<InterviewsData> {
  constructor(file: string, clock: Clock = systemClock, fs: AtomicFs = { rename }) {
    super({ file, version: INTERVIEWS_SCHEMA_VERSION, empty: emptyInterviews, validate: validateInterviews, clock, fs });
  }
}

/** One past interview as the progress dashboard shows it. */
export interface InterviewListing {
  id: string;
  startedAt: string;
  status: 'finished' | 'abandoned';
  lengthMinutes: number;
  level: Difficulty;
  questions: number;
  /** Time on the questions, in milliseconds. */
  totalMs: number;
  /** Key points covered of those asked, per section. */
  sections: { section: SectionSlug; covered: number; total: number }[];
}

/** Past interviews (finished or abandoned), newest first: a read-only view for the dashboard. */
export function listInterviews(data: InterviewsData): InterviewListing[] {
  return data.interviews
    .filter((r): r is InterviewRecord & { status: 'finished' | 'abandoned' } => r.status !== 'active')
    .map((record) => {
      const summary = summariseInterview(record, new Date(record.endedAt ?? record.touchedAt));
      return {
        id: record.id,
        startedAt: record.startedAt,
        status: record.status,
        lengthMinutes: record.lengthMinutes,
        level: record.level,
        questions: record.questions.length,
        totalMs: summary.totalMs,
        sections: summary.sections.map(({ section, covered, total }) => ({ section, covered, total })),
      };
    })
    .sort((a, b) => Date.parse(b.startedAt) - Date.parse(a.startedAt));
}

/** The interviews as this window last saw them; changes from several windows at once all land. */
export class InterviewBook extends SharedBook<InterviewsData> {
  private constructor(store: InterviewsStore) {
    super(store, emptyInterviews());
  }

  static async open(store: InterviewsStore): Promise<{ book: InterviewBook; notice?: LoadNotice }> {
    const book = new InterviewBook(store);
    const loaded = await store.load();
    book.data = loaded.data;
    return loaded.notice ? { book, notice: loaded.notice } : { book };
  }

  protected records(data: InterviewsData): Record<string, unknown> {
    return Object.fromEntries(data.interviews.map((r) => [r.id, r]));
  }

  get(id: string): InterviewRecord | undefined {
    return this.data.interviews.find((r) => r.id === id);
  }

  /** Interviews under way (normally one): started and neither finished nor abandoned. */
  active(): InterviewRecord[] {
    return this.data.interviews.filter((r) => r.status === 'active');
  }

  list(): InterviewListing[] {
    return listInterviews(this.data);
  }

  /** Adds a new interview; the oldest ended ones go when there are more than MAX_INTERVIEWS. */
  async add(record: InterviewRecord): Promise<void> {
    await this.change((data) => {
      data.interviews = [...data.interviews.filter((r) => r.id !== record.id), record];
      while (data.interviews.length > MAX_INTERVIEWS) {
        const oldest = data.interviews.findIndex((r) => r.status !== 'active');
        if (oldest < 0) break;
        data.interviews.splice(oldest, 1);
      }
    });
  }

  /** Applies `step` to the interview `id` as the file holds it; resolves with it as saved (undefined if gone). */
  async apply(id: string, step: (record: InterviewRecord) => InterviewRecord): Promise<InterviewRecord | undefined> {
    const saved = await this.change((data) => {
      data.interviews = data.interviews.map((r) => (r.id === id ? step(r) : r));
    });
    return saved.interviews.find((r) => r.id === id);
  }
}
