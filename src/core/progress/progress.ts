/** The progress file's data model (docs/formats.md §4) and the state derived from it. */

/** 2: a rating may record the key points ticked with it (`keyPoints`); a version-1 file is the same without them. */
export const PROGRESS_SCHEMA_VERSION = 2;

export const SELF_RATINGS = ['again', 'hard', 'good', 'easy'] as const;
export type SelfRating = (typeof SELF_RATINGS)[number];

export type ProgressState = 'new' | 'learning' | 'mastered';

/** The longest answer the candidate's own answers keep (answers.json); the panel's text area stops there too. */
export const MAX_ANSWER_LENGTH = 100_000;

/** The most key points a question's check list may have ticks for (the format asks for 3 to 7). */
export const MAX_KEY_POINTS = 64;

/** A question counts as mastered once its FSRS stability reaches this many days. */
export const MASTERED_STABILITY_DAYS = 21;

/** A ts-fsrs card as stored in JSON: dates as ISO strings. */
export interface StoredCard {
  due: string;
  stability: number;
  difficulty: number;
  elapsed_days: number;
  scheduled_days: number;
  learning_steps: number;
  reps: number;
  lapses: number;
  state: number;
  last_review?: string;
}

/** The key points ticked before a rating: their indices in the question's list, and how many it had then. */
export interface KeyPointTicks {
  ticked: number[];
  total: number;
}

export interface RatingRecord {
  at: string;
  rating: SelfRating;
  keyPoints?: KeyPointTicks;
}

export interface QuestionProgress {
  card?: StoredCard;
  ratings: RatingRecord[];
  revealedAt?: string;
}

export interface ProgressData {
  schemaVersion: typeof PROGRESS_SCHEMA_VERSION;
  questions: Record<string, QuestionProgress>;
}

export function emptyProgress(): ProgressData {
  return { schemaVersion: PROGRESS_SCHEMA_VERSION, questions: {} };
}

export function progressState(progress: QuestionProgress | undefined): ProgressState {
  if (!progress?.card || progress.ratings.length === 0) return 'new';
  return progress.card.stability >= MASTERED_STABILITY_DAYS ? 'mastered' : 'learning';
}

export function isSelfRating(value: unknown): value is SelfRating {
  return typeof value === 'string' && (SELF_RATINGS as readonly string[]).includes(value);
}
