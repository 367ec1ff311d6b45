/**
 * A mock interview as stored in interviews.json (docs/formats.md §4, mock interviews), and its state machine. Pure: every step
 * takes the time from its caller (an injected clock) and returns a new record; nothing here reads the clock.
 *
 * Time is kept per question: `spentMs` holds what earlier visits took, and while a question is on screen
 * `since` says when its current visit began. Leaving it (next, previous, finish, pause) adds the visit to
 * `spentMs`. A window closed without a pause leaves `since` and `touchedAt` behind: resuming counts the visit up
 * to `touchedAt`, the last moment the interview was known to be open, never the hours the window was closed.
 */
import type { Difficulty, SectionSlug } from '../catalog/sections';
import type { PlannedQuestion, PickReason } from './interview-plan';

export type InterviewStatus = 'active' | 'finished' | 'abandoned';

export interface InterviewQuestion {
  id: string;
  section: SectionSlug;
  level: Difficulty;
  minutes: number;
  reason: PickReason;
  /** Time on this question in earlier visits, in milliseconds. */
  spentMs: number;
  /** Key points ticked (indices), of `keyPointTotal`. */
  ticked: number[];
  keyPointTotal: number;
  /** The key points were shown (the candidate checked the answer). */
  checked: boolean;
}

export interface InterviewLab {
  labId: string;
  startedAt: string;
  minutes: number;
}

export interface InterviewRecord {
  id: string;
  startedAt: string;
  lengthMinutes: number;
  level: Difficulty;
  sections: SectionSlug[];
  status: InterviewStatus;
  /** The question on screen (or last on screen). */
  current: number;
  /** When the current visit began; absent while paused or ended. */
  since?: string;
  /** The last time the interview changed or was seen open. */
  touchedAt: string;
  endedAt?: string;
  withLab: boolean;
  lab?: InterviewLab;
  questions: InterviewQuestion[];
}

const ms = (iso: string) => Date.parse(iso);

/** A new interview on its first question, its clock running from `now`. */
export function startInterview(
  id: string,
  plan: readonly PlannedQuestion[],
  options: { lengthMinutes: number; level: Difficulty; sections: readonly SectionSlug[]; withLab: boolean; keyPointTotal: (id: string) => number },
  now: Date,
): InterviewRecord {
  const at = now.toISOString();
  return {
    id,
    startedAt: at,
    lengthMinutes: options.lengthMinutes,
    level: options.level,
    sections: [...options.sections],
    status: 'active',
    current: 0,
    since: at,
    touchedAt: at,
    withLab: options.withLab,
    questions: plan.map((p) => ({ ...p, spentMs: 0, ticked: [], keyPointTotal: options.keyPointTotal(p.id), checked: false })),
  };
}

/** Ends the current visit at `now` (or at `until` when earlier), adding it to the question's time. */
function closeVisit(record: InterviewRecord, now: Date, until?: string): InterviewRecord {
  if (record.since === undefined) return record;
  const end = Math.min(now.getTime(), until ? ms(until) : Infinity);
  const visit = Math.max(0, end - ms(record.since));
  const questions = record.questions.map((q, i) => (i === record.current ? { ...q, spentMs: q.spentMs + visit } : q));
  const closed: InterviewRecord = { ...record, questions };
  delete closed.since;
  return closed;
}

/** Time on question `index` so far, the running visit included. */
export function timeOn(record: InterviewRecord, index: number, now: Date): number {
  const q = record.questions[index];
  if (!q) return 0;
  const running = index === record.current && record.since !== undefined ? Math.max(0, now.getTime() - ms(record.since)) : 0;
  return q.spentMs + running;
}

/** Time on the whole interview so far. */
export function totalTime(record: InterviewRecord, now: Date): number {
  return record.questions.reduce((sum, _q, i) => sum + timeOn(record, i, now), 0);
}

/** Moves to question `index` (next or previous); outside the list or once ended, nothing changes. */
export function goTo(record: InterviewRecord, index: number, now: Date): InterviewRecord {
  if (record.status !== 'active' || index < 0 || index >= record.questions.length || index === record.current) return record;
  const closed = closeVisit(record, now);
  return { ...closed, current: index, since: now.toISOString(), touchedAt: now.toISOString() };
}

/** Marks the current question checked (its key points shown). */
export function markChecked(record: InterviewRecord, now: Date): InterviewRecord {
  return updateQuestion(record, record.current, (q) => ({ ...q, checked: true }), now);
}

/** Sets the key points ticked on the current question (indices below its total, distinct, in order). */
/**
 * Ticks key points of question `index` (the one the candidate saw when ticking: another window may have moved the
 * interview on since, and the ticks must not land on the next question).
 */
export function setTicks(record: InterviewRecord, index: number, ticked: readonly number[], now: Date): InterviewRecord {
  return updateQuestion(
    record,
    index,
    (q) => ({ ...q, ticked: [...new Set(ticked.filter((i) => Number.isInteger(i) && i >= 0 && i < q.keyPointTotal))].sort((a, b) => a - b) }),
    now,
  );
}

function updateQuestion(record: InterviewRecord, index: number, change: (q: InterviewQuestion) => InterviewQuestion, now: Date): InterviewRecord {
  if (record.status !== 'active') return record;
  return { ...record, touchedAt: now.toISOString(), questions: record.questions.map((q, i) => (i === index ? change(q) : q)) };
}

/** The window is closing: the clock stops and the interview waits to be resumed. */
export function pauseInterview(record: InterviewRecord, now: Date): InterviewRecord {
  if (record.status !== 'active') return record;
  return { ...closeVisit(record, now), touchedAt: now.toISOString() };
}

/** Records that the interview is still open at `now` (a heartbeat), so a crash loses at most the time since. */
export function touchInterview(record: InterviewRecord, now: Date): InterviewRecord {
  return record.status === 'active' ? { ...record, touchedAt: now.toISOString() } : record;
}

/** Takes up an interrupted interview where it stopped; a visit left running by a crash counts up to `touchedAt`. */
export function resumeInterview(record: InterviewRecord, now: Date): InterviewRecord {
  if (record.status !== 'active') return record;
  const closed = closeVisit(record, now, record.touchedAt);
  return { ...closed, since: now.toISOString(), touchedAt: now.toISOString() };
}

export function finishInterview(record: InterviewRecord, now: Date): InterviewRecord {
  if (record.status !== 'active') return record;
  const closed = closeVisit(record, now);
  return { ...closed, status: 'finished', endedAt: now.toISOString(), touchedAt: now.toISOString() };
}

export function abandonInterview(record: InterviewRecord, now: Date): InterviewRecord {
  if (record.status !== 'active') return record;
  const closed = closeVisit(record, now, record.touchedAt);
  return { ...closed, status: 'abandoned', endedAt: now.toISOString(), touchedAt: now.toISOString() };
}

/** Minutes of the length left after the questions' time (for a lab at the end), never below 0. */
export function minutesLeft(record: InterviewRecord, now: Date): number {
  return Math.max(0, Math.floor(record.lengthMinutes - totalTime(record, now) / 60_000));
}

export function recordLab(record: InterviewRecord, labId: string, minutes: number, now: Date): InterviewRecord {
  return { ...record, lab: { labId, startedAt: now.toISOString(), minutes }, touchedAt: now.toISOString() };
}

export interface Coverage {
  covered: number;
  total: number;
}

export interface QuestionSummary {
  id: string;
  section: SectionSlug;
  minutes: number;
  spentMs: number;
  keyPoints: Coverage;
  checked: boolean;
}

export interface SectionSummary extends Coverage {
  section: SectionSlug;
  spentMs: number;
}

export interface InterviewSummary {
  id: string;
  startedAt: string;
  endedAt?: string;
  status: InterviewStatus;
  lengthMinutes: number;
  level: Difficulty;
  totalMs: number;
  questions: QuestionSummary[];
  sections: SectionSummary[];
  /** Sections with the lowest share of key points covered (below all of them), weakest first; at most three. */
  weakestSections: SectionSlug[];
  /** Questions to review next: never checked, or under half their key points covered; least covered first. */
  reviewNext: string[];
  lab?: InterviewLab;
}

const share = (c: Coverage) => (c.total === 0 ? 1 : c.covered / c.total);

/** What an interview came to: per question and per section, the weakest sections and what to review next. */
export function summariseInterview(record: InterviewRecord, now: Date): InterviewSummary {
  const questions: QuestionSummary[] = record.questions.map((q, i) => ({
    id: q.id,
    section: q.section,
    minutes: q.minutes,
    spentMs: timeOn(record, i, now),
    keyPoints: { covered: q.ticked.length, total: q.keyPointTotal },
    checked: q.checked,
  }));
  const bySection = new Map<SectionSlug, SectionSummary>();
  for (const q of questions) {
    const s = bySection.get(q.section) ?? { section: q.section, covered: 0, total: 0, spentMs: 0 };
    s.covered += q.checked ? q.keyPoints.covered : 0;
    s.total += q.keyPoints.total;
    s.spentMs += q.spentMs;
    bySection.set(q.section, s);
  }
  const sections = [...bySection.values()];
  const weakestSections = sections
    .filter((s) => s.total > 0 && s.covered < s.total)
    .sort((a, b) => share(a) - share(b))
    .slice(0, 3)
    .map((s) => s.section);
  const reviewNext = questions
    .filter((q) => !q.checked || (q.keyPoints.total > 0 && q.keyPoints.covered * 2 < q.keyPoints.total))
    .sort((a, b) => (a.checked ? share(a.keyPoints) : -1) - (b.checked ? share(b.keyPoints) : -1))
    .map((q) => q.id);
  return {
    id: record.id,
    startedAt: record.startedAt,
    ...(record.endedAt ? { endedAt: record.endedAt } : {}),
    status: record.status,
    lengthMinutes: record.lengthMinutes,
    level: record.level,
    totalMs: questions.reduce((sum, q) => sum + q.spentMs, 0),
    questions,
    sections,
    weakestSections,
    reviewNext,
    ...(record.lab ? { lab: record.lab } : {}),
  };
}

/** "4:05" for a duration in milliseconds (minutes may pass 59). */
export function formatDuration(msValue: number): string {
  const seconds = Math.max(0, Math.floor(msValue / 1000));
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;
}
