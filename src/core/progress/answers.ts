/**
 * The candidate's own answers (docs/formats.md §4): per question, the draft being written and each attempt
 * revealed, by date. Kept in `answers.json` in the extension's global storage and never sent anywhere. Like
 * progress, every change is one operation applied to the file as it stands, under its lock, written atomically.
 */
import { rename } from 'node:fs/promises';
import type { AtomicFs } from '../io/atomic-file';
import { systemClock, type Clock } from '../io/clock';
import { VersionedJsonFile, type LoadNotice } from '../io/json-file';
import { validator } from '../io/schema';
import { SharedBook } from '../io/shared-book';
import { MAX_ANSWER_LENGTH } from './progress';

export const ANSWERS_SCHEMA_VERSION = 1;

export { MAX_ANSWER_LENGTH };

export interface WrittenAnswer {
  at: string;
  text: string;
}

export interface QuestionAnswers {
  /** What is being written now, saved as it is typed; it becomes an attempt on reveal. */
  draft?: WrittenAnswer;
  /** Earlier answers, oldest first as written; `attempts()` lists them newest first. */
  attempts: WrittenAnswer[];
}

export interface AnswersData {
  schemaVersion: typeof ANSWERS_SCHEMA_VERSION;
  questions: Record<string, QuestionAnswers>;
}

export function emptyAnswers(): AnswersData {
  return { schemaVersion: ANSWERS_SCHEMA_VERSION, questions: {} };
}

const validateAnswers = validator<AnswersData>('answers', 'answers');

/** The answers file. */
export class AnswersStore extends VersionedJsonFile<AnswersData> {
  constructor(file: string, clock: Clock = systemClock, fs: AtomicFs = { rename }) {
    super({ file, version: ANSWERS_SCHEMA_VERSION, empty: emptyAnswers, validate: validateAnswers, clock, fs });
  }
}

const clip = (text: string) => text.slice(0, MAX_ANSWER_LENGTH);

/** The answers as this window last saw them; changes from several windows at once all land. */
export class AnswerBook extends SharedBook<AnswersData> {
  private constructor(
    store: AnswersStore,
    private readonly clock: Clock,
  ) {
    super(store, emptyAnswers());
  }

  static async open(store: AnswersStore, clock: Clock = systemClock): Promise<{ book: AnswerBook; notice?: LoadNotice }> {
    const book = new AnswerBook(store, clock);
    const loaded = await store.load();
    book.data = loaded.data;
    return loaded.notice ? { book, notice: loaded.notice } : { book };
  }

  protected records(data: AnswersData): Record<string, unknown> {
    return data.questions;
  }

  /** The draft being written for a question, or the empty string. */
  draft(questionId: string): string {
    return this.data.questions[questionId]?.draft?.text ?? '';
  }

  /** A question's earlier answers, newest first. */
  attempts(questionId: string): WrittenAnswer[] {
    const attempts = this.data.questions[questionId]?.attempts ?? [];
    return [...attempts].sort((a, b) => Date.parse(b.at) - Date.parse(a.at));
  }

  /** The answers as this window last saw them (for Export Progress). */
  snapshot(): AnswersData {
    return structuredClone(this.data);
  }

  /** Applies `merge` to the answers as they stand in the file, in one locked change (Import Progress). */
  async merge(merge: (current: AnswersData) => AnswersData): Promise<void> {
    await this.change(merge);
  }

  /** Saves what is being written; an empty draft is removed. */
  async saveDraft(questionId: string, text: string): Promise<void> {
    const at = this.clock.now().toISOString();
    await this.change((data) => {
      const attempts = data.questions[questionId]?.attempts ?? [];
      if (text.trim()) data.questions[questionId] = { attempts, draft: { at, text: clip(text) } };
      else if (attempts.length > 0) data.questions[questionId] = { attempts };
      else delete data.questions[questionId];
    });
  }

  /** The answer was revealed: `text` (what the page held) becomes an attempt dated now and the draft is cleared. */
  async recordAttempt(questionId: string, text: string): Promise<void> {
    const at = this.clock.now().toISOString();
    await this.change((data) => {
      const current = data.questions[questionId] ?? { attempts: [] };
      const attempts = text.trim() ? [...current.attempts, { at, text: clip(text) }] : current.attempts;
      if (attempts.length === 0) delete data.questions[questionId];
      else data.questions[questionId] = { attempts };
    });
  }
}
