/**
 * Export Progress… / Import Progress…: one JSON file (schemas/progress-export.schema.json) holding the progress,
 * the answers and the lab records, so a candidate can move machines. Import merges by id and never drops a
 * review: each question's or lab's review history is the union of both sides by time, and its card is the one
 * of the side whose latest review is newer. Pure: the books apply `merge*` inside their own locked changes.
 */
import { validator } from '../io/schema';
import { mergeTimer } from '../take-home/take-home-timer';
import { LAB_STATE_VERSION, validateLabState, type IntegrityRecord, type LabRecord, type LabStateData } from '../labs/lab-state';
import type { LabReview } from '../labs/lab-review';
import { ANSWERS_SCHEMA_VERSION, type AnswersData, type QuestionAnswers, type WrittenAnswer } from './answers';
import { PROGRESS_SCHEMA_VERSION, type ProgressData, type QuestionProgress, type RatingRecord, type StoredCard } from './progress';

export const EXPORT_FORMAT = 'mlops-interview-labs-progress';
export const EXPORT_SCHEMA_VERSION = 1;

export interface ProgressExport {
  format: typeof EXPORT_FORMAT;
  schemaVersion: typeof EXPORT_SCHEMA_VERSION;
  exportedAt: string;
  extensionVersion?: string;
  progress: ProgressData;
  answers: AnswersData;
  labs: LabStateData;
}

/** The three stored files an export carries. */
export interface ProgressParts {
  progress: ProgressData;
  answers: AnswersData;
  labs: LabStateData;
}

/** What an export holds, for the messages that say what was exported or imported. */
export interface ExportCounts {
  questions: number;
  reviews: number;
  answers: number;
  labs: number;
  labReviews: number;
}

const validateEnvelope = validator<ProgressExport>('progressExport', 'export');
const validateProgress = validator<ProgressData>('progress', 'progress');
const validateAnswers = validator<AnswersData>('answers', 'answers');

/** The export of the three parts at `now`; lab workspace folders stay behind (they are paths on this machine). */
export function buildExport(parts: ProgressParts, now: Date, extensionVersion?: string): ProgressExport {
  const labs = structuredClone(parts.labs.labs);
  for (const record of Object.values(labs)) delete record.workspace;
  return {
    format: EXPORT_FORMAT,
    schemaVersion: EXPORT_SCHEMA_VERSION,
    exportedAt: now.toISOString(),
    ...(extensionVersion ? { extensionVersion } : {}),
    progress: structuredClone(parts.progress),
    answers: structuredClone(parts.answers),
    labs: { schemaVersion: parts.labs.schemaVersion, labs },
  };
}

export function countsOf(parts: ProgressParts): ExportCounts {
  const questions = Object.values(parts.progress.questions);
  const labs = Object.values(parts.labs.labs);
  return {
    questions: questions.filter((q) => q.ratings.length > 0).length,
    reviews: questions.reduce((n, q) => n + q.ratings.length, 0),
    answers: Object.values(parts.answers.questions).reduce((n, a) => n + a.attempts.length, 0),
    labs: labs.length,
    labReviews: labs.reduce((n, l) => n + (l.review?.ratings.length ?? 0), 0),
  };
}

export type ReadResult = { ok: true; value: ProgressExport } | { ok: false; error: string };

/**
 * Reads an export file's text: the whole file is checked (envelope, then each part against its own schema)
 * before anything is merged, so a malformed file changes nothing. Errors name the file and the reason.
 */
export function readExport(text: string, fileName: string): ReadResult {
  const fail = (reason: string): ReadResult => ({ ok: false, error: `${fileName} cannot be imported: ${reason}.` });
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    return fail(`it is not valid JSON (${(error as Error).message})`);
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return fail('it does not hold a JSON object');
  const record = raw as Record<string, unknown>;
  if (record['format'] !== EXPORT_FORMAT) return fail(`it is not a progress export (its "format" is not "${EXPORT_FORMAT}")`);
  const version = record['schemaVersion'];
  if (typeof version === 'number' && version > EXPORT_SCHEMA_VERSION)
    return fail(`it was exported by a newer version of the extension (export schema ${version}); update the extension first`);
  const envelope = validateEnvelope(raw);
  if (!envelope.ok) return fail(envelope.errors.slice(0, 3).join('; '));
  const value = envelope.value;
  const newer = (
    [
      ['progress', value.progress.schemaVersion, PROGRESS_SCHEMA_VERSION],
      ['answers', value.answers.schemaVersion, ANSWERS_SCHEMA_VERSION],
      ['labs', value.labs.schemaVersion, LAB_STATE_VERSION],
    ] as const
  ).find(([, found, known]) => found > known);
  if (newer) return fail(`its ${newer[0]} were written by a newer version of the extension (schema ${newer[1]}); update the extension first`);
  // Older parts differ from the current ones only by fields the current ones add as optional.
  const progress = validateProgress({ ...value.progress, schemaVersion: PROGRESS_SCHEMA_VERSION });
  if (!progress.ok) return fail(progress.errors.slice(0, 3).join('; '));
  const answers = validateAnswers(value.answers);
  if (!answers.ok) return fail(answers.errors.slice(0, 3).join('; '));
  const labs = validateLabState({ ...value.labs, schemaVersion: LAB_STATE_VERSION });
  if (!labs.ok) return fail(labs.errors.slice(0, 3).join('; '));
  return { ok: true, value: { ...value, progress: progress.value, answers: answers.value, labs: labs.value } };
}

const time = (at: string | undefined): number => (at ? Date.parse(at) : Number.NEGATIVE_INFINITY);
const latest = (ratings: readonly RatingRecord[]): number => Math.max(Number.NEGATIVE_INFINITY, ...ratings.map((r) => time(r.at)));

/** Both histories, each review once (same time and rating), oldest first; a review's key-point ticks are kept. */
function unionRatings(mine: readonly RatingRecord[], theirs: readonly RatingRecord[]): RatingRecord[] {
  const byKey = new Map<string, RatingRecord>();
  for (const r of [...mine, ...theirs]) {
    const key = `${time(r.at)}|${r.rating}`;
    const seen = byKey.get(key);
    if (!seen || (!seen.keyPoints && r.keyPoints)) byKey.set(key, r);
  }
  return [...byKey.values()].sort((a, b) => time(a.at) - time(b.at));
}

/** The card of the side whose latest review is newer (this machine's on a tie). */
function newerCard<T extends { card?: StoredCard; ratings: RatingRecord[] }>(mine: T, theirs: T): T {
  if (!mine.card) return theirs.card ? theirs : mine;
  if (!theirs.card) return mine;
  return latest(theirs.ratings) > latest(mine.ratings) ? theirs : mine;
}

export function mergeQuestion(mine: QuestionProgress | undefined, theirs: QuestionProgress | undefined): QuestionProgress {
  if (!mine) return structuredClone(theirs ?? { ratings: [] });
  if (!theirs) return mine;
  const card = newerCard(mine, theirs).card;
  const revealed = [mine.revealedAt, theirs.revealedAt].filter((a): a is string => !!a).sort((a, b) => time(a) - time(b))[0];
  return { ...(card ? { card } : {}), ratings: unionRatings(mine.ratings, theirs.ratings), ...(revealed ? { revealedAt: revealed } : {}) };
}

export function mergeProgress(mine: ProgressData, theirs: ProgressData): ProgressData {
  const ids = new Set([...Object.keys(mine.questions), ...Object.keys(theirs.questions)]);
  return { ...mine, questions: Object.fromEntries([...ids].map((id) => [id, mergeQuestion(mine.questions[id], theirs.questions[id])])) };
}

function mergeAnswer(mine: QuestionAnswers | undefined, theirs: QuestionAnswers | undefined): QuestionAnswers {
  if (!mine) return structuredClone(theirs ?? { attempts: [] });
  if (!theirs) return mine;
  const byKey = new Map<string, WrittenAnswer>();
  for (const a of [...mine.attempts, ...theirs.attempts]) byKey.set(`${time(a.at)}|${a.text}`, a);
  const attempts = [...byKey.values()].sort((a, b) => time(a.at) - time(b.at));
  const draft = !theirs.draft || (mine.draft && time(mine.draft.at) >= time(theirs.draft.at)) ? mine.draft : theirs.draft;
  return { ...(draft ? { draft } : {}), attempts };
}

export function mergeAnswers(mine: AnswersData, theirs: AnswersData): AnswersData {
  const ids = new Set([...Object.keys(mine.questions), ...Object.keys(theirs.questions)]);
  return { ...mine, questions: Object.fromEntries([...ids].map((id) => [id, mergeAnswer(mine.questions[id], theirs.questions[id])])) };
}

function mergeReview(mine: LabReview | undefined, theirs: LabReview | undefined): LabReview | undefined {
  if (!mine || !theirs) return mine ?? theirs;
  const newer = newerCard(mine, theirs);
  return { card: newer.card, ratings: unionRatings(mine.ratings, theirs.ratings), hintsAtPass: newer.hintsAtPass };
}

function mergeIntegrity(mine: IntegrityRecord | undefined, theirs: IntegrityRecord | undefined): IntegrityRecord | undefined {
  if (!mine || !theirs) return mine ?? theirs;
  return {
    largeInsertions: {
      count: Math.max(mine.largeInsertions.count, theirs.largeInsertions.count),
      characters: Math.max(mine.largeInsertions.characters, theirs.largeInsertions.characters),
    },
    openMs: Math.max(mine.openMs, theirs.openMs),
    lateEdits: Math.max(mine.lateEdits, theirs.lateEdits),
  };
}

/**
 * One lab's records merged: counts only grow, a pass stays a pass, the best score is the higher, the last the
 * newer; this machine's workspace folder and take-home clock (start and deadline) are kept.
 */
export function mergeLab(mine: LabRecord | undefined, theirs: LabRecord | undefined): LabRecord {
  if (!mine) return structuredClone(theirs ?? { hintsTaken: 0, attempts: 0, passed: false });
  if (!theirs) return mine;
  const best = !mine.best || (theirs.best && theirs.best.points > mine.best.points) ? theirs.best : mine.best;
  const last = !mine.last || (theirs.last && time(theirs.last.at) > time(mine.last.at)) ? theirs.last : mine.last;
  const startedAt = [mine.startedAt, theirs.startedAt].filter((a): a is string => !!a).sort((a, b) => time(a) - time(b))[0];
  const timer = theirs.timer ? mergeTimer(mine.timer, theirs.timer) : mine.timer;
  const integrity = mergeIntegrity(mine.integrity, theirs.integrity);
  const review = mergeReview(mine.review, theirs.review);
  return {
    ...(mine.workspace ? { workspace: mine.workspace } : {}),
    ...(startedAt ? { startedAt } : {}),
    hintsTaken: Math.max(mine.hintsTaken, theirs.hintsTaken),
    attempts: Math.max(mine.attempts, theirs.attempts),
    passed: mine.passed || theirs.passed,
    ...(best ? { best } : {}),
    ...(last ? { last } : {}),
    ...(timer ? { timer } : {}),
    ...(integrity ? { integrity } : {}),
    ...(review ? { review } : {}),
  };
}

export function mergeLabs(mine: LabStateData, theirs: LabStateData): LabStateData {
  const ids = new Set([...Object.keys(mine.labs), ...Object.keys(theirs.labs)]);
  return { ...mine, labs: Object.fromEntries([...ids].map((id) => [id, mergeLab(mine.labs[id], theirs.labs[id])])) };
}
