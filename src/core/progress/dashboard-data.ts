/**
 * The numbers behind the progress dashboard, derived from progress.json (and labs.json for the lab table). Pure:
 * "now" and the time zone are passed in, so tests fix both.
 *
 * Time zones: a review's `at` and a card's `due` are UTC instants. Each is placed on the calendar day it falls on
 * in the given IANA time zone (the extension passes the machine's own, `Intl.DateTimeFormat().resolvedOptions()`),
 * so a review at 23:30 local time counts for that local day whatever its UTC date. Days are then handled as
 * `YYYY-MM-DD` keys with plain calendar arithmetic, so a daylight-saving change never skips or repeats a day.
 * Weeks start on Monday.
 */
import { SECTIONS, type SectionSlug } from '../catalog/sections';
import type { InterviewListing } from '../practice/interviews-store';
import { progressState, type ProgressData, type ProgressState } from './progress';

export const DUE_DAYS = 14;
export const RECALL_WEEKS = 12;
export const CALENDAR_WEEKS = 18;

export interface DueDay {
  /** `YYYY-MM-DD` in the dashboard's time zone. */
  day: string;
  /** Reviews falling due that day; the first day also counts everything already overdue. */
  count: number;
}

export interface RecallWeek {
  /** The Monday the week starts on, `YYYY-MM-DD`. */
  week: string;
  reviews: number;
  /** Reviews rated Hard, Good or Easy: the answer was recalled. */
  recalled: number;
  /** recalled / reviews, from 0 to 1; null in a week without reviews. */
  rate: number | null;
}

export interface SectionStates {
  section: SectionSlug;
  title: string;
  new: number;
  learning: number;
  mastered: number;
}

export interface PracticeDay {
  day: string;
  reviews: number;
}

export interface PracticeCalendar {
  /** Every day of the last CALENDAR_WEEKS weeks (whole weeks, Monday first) up to today, oldest first. */
  days: PracticeDay[];
  /** Days in a row with at least one review, ending today, or yesterday while today has none yet. */
  streak: number;
  /** Days with at least one review, ever. */
  practisedDays: number;
}

/** The calendar day of an instant in a time zone, as `YYYY-MM-DD`. */
export function dayKey(at: Date, timeZone: string): string {
  // en-CA formats dates as YYYY-MM-DD.
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(at);
}

/** The day `n` calendar days after `day` (n may be negative). */
export function addDays(day: string, n: number): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + n)).toISOString().slice(0, 10);
}

/** The Monday on or before `day`. */
export function weekStart(day: string): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  const weekday = (new Date(Date.UTC(y, m - 1, d)).getUTCDay() + 6) % 7;
  return addDays(day, -weekday);
}

/** Reviews due on each of the next `days` days, today first; overdue reviews count for today. */
export function dueByDay(progress: ProgressData, now: Date, timeZone: string, days = DUE_DAYS): DueDay[] {
  const today = dayKey(now, timeZone);
  const result = Array.from({ length: days }, (_, i) => ({ day: addDays(today, i), count: 0 }));
  const index = new Map(result.map((d, i) => [d.day, i]));
  for (const p of Object.values(progress.questions)) {
    if (!p.card || p.ratings.length === 0) continue;
    const due = new Date(p.card.due);
    const i = due.getTime() <= now.getTime() ? 0 : index.get(dayKey(due, timeZone));
    const slot = i === undefined ? undefined : result[i];
    if (slot) slot.count++;
  }
  return result;
}

/** The share of reviews recalled (rated Hard, Good or Easy) in each of the last `weeks` weeks, oldest first. */
export function recallByWeek(progress: ProgressData, now: Date, timeZone: string, weeks = RECALL_WEEKS): RecallWeek[] {
  const thisWeek = weekStart(dayKey(now, timeZone));
  const result: RecallWeek[] = Array.from({ length: weeks }, (_, i) => ({ week: addDays(thisWeek, 7 * (i - weeks + 1)), reviews: 0, recalled: 0, rate: null }));
  const index = new Map(result.map((w, i) => [w.week, i]));
  for (const p of Object.values(progress.questions)) {
    for (const r of p.ratings) {
      const i = index.get(weekStart(dayKey(new Date(r.at), timeZone)));
      const week = i === undefined ? undefined : result[i];
      if (!week) continue;
      week.reviews++;
      if (r.rating !== 'again') week.recalled++;
    }
  }
  for (const w of result) w.rate = w.reviews ? w.recalled / w.reviews : null;
  return result;
}

/** New, learning and mastered questions per section, in section order; sections without questions are left out. */
export function sectionStates(questions: readonly { qualifiedId: string; section: SectionSlug }[], progress: ProgressData): SectionStates[] {
  const rows = SECTIONS.map((s) => ({ section: s.slug, title: s.title, new: 0, learning: 0, mastered: 0 }) as SectionStates);
  const bySlug = new Map(rows.map((r) => [r.section, r]));
  for (const q of questions) {
    const row = bySlug.get(q.section);
    if (!row) continue;
    const state: ProgressState = progressState(progress.questions[q.qualifiedId]);
    row[state]++;
  }
  return rows.filter((r) => r.new + r.learning + r.mastered > 0);
}

/** Reviews per day over the last weeks, and the current streak of days practised. */
export function practiceCalendar(progress: ProgressData, now: Date, timeZone: string, weeks = CALENDAR_WEEKS): PracticeCalendar {
  const counts = new Map<string, number>();
  for (const p of Object.values(progress.questions)) {
    for (const r of p.ratings) {
      const day = dayKey(new Date(r.at), timeZone);
      counts.set(day, (counts.get(day) ?? 0) + 1);
    }
  }
  const today = dayKey(now, timeZone);
  const first = addDays(weekStart(today), -7 * (weeks - 1));
  const days: PracticeDay[] = [];
  for (let day = first; day <= today; day = addDays(day, 1)) days.push({ day, reviews: counts.get(day) ?? 0 });
  let streak = 0;
  let day = counts.has(today) ? today : addDays(today, -1);
  while (counts.has(day)) {
    streak++;
    day = addDays(day, -1);
  }
  return { days, streak, practisedDays: counts.size };
}

export interface LabRow {
  labId: string;
  title: string;
  status: 'not-started' | 'in-progress' | 'passed';
  attempts: number;
  /** The best graded score, when there is one. */
  best?: { points: number; maxPoints: number };
}

/** One row per lab in catalog order, with its status and best score from labs.json. */
export function labRows(
  labs: readonly { qualifiedId: string; title: string }[],
  record: (labId: string) => { status: LabRow['status']; attempts: number; best?: { points: number; maxPoints: number } } | undefined,
): LabRow[] {
  return labs.map((lab) => {
    const r = record(lab.qualifiedId);
    const row: LabRow = { labId: lab.qualifiedId, title: lab.title, status: r?.status ?? 'not-started', attempts: r?.attempts ?? 0 };
    return r?.best ? { ...row, best: { points: r.best.points, maxPoints: r.best.maxPoints } } : row;
  });
}

/**
 * A past mock interview as the dashboard lists it. The mock interview's history store maps its records to these
 * rows; until it exists the dashboard is given none.
 */
export interface MockInterviewRow {
  /** When it started, ISO 8601. */
  startedAt: string;
  /** How long it ran, in whole minutes. */
  minutes: number;
  questions: number;
  /** Key points ticked across its questions, out of `keyPointsTotal`. */
  keyPointsCovered: number;
  keyPointsTotal: number;
  status: 'completed' | 'abandoned' | 'in-progress';
}

export interface DashboardData {
  /** When the data was computed, ISO 8601, and the time zone its days are in. */
  generatedAt: string;
  timeZone: string;
  due: DueDay[];
  recall: RecallWeek[];
  sections: SectionStates[];
  calendar: PracticeCalendar;
  labs: LabRow[];
  interviews: MockInterviewRow[];
}

export interface DashboardSources {
  progress: ProgressData;
  questions: readonly { qualifiedId: string; section: SectionSlug }[];
  labs: LabRow[];
  interviews?: readonly MockInterviewRow[];
  now: Date;
  timeZone: string;
}

export function buildDashboardData(s: DashboardSources): DashboardData {
  return {
    generatedAt: s.now.toISOString(),
    timeZone: s.timeZone,
    due: dueByDay(s.progress, s.now, s.timeZone),
    recall: recallByWeek(s.progress, s.now, s.timeZone),
    sections: sectionStates(s.questions, s.progress),
    calendar: practiceCalendar(s.progress, s.now, s.timeZone),
    labs: s.labs,
    interviews: [...(s.interviews ?? [])],
  };
}

/** The dashboard's rows for past mock interviews (listed newest first by the interviews store). */
export function interviewRows(listings: readonly InterviewListing[]): MockInterviewRow[] {
  return listings.map((listing) => ({
    startedAt: listing.startedAt,
    minutes: Math.round(listing.totalMs / 60_000),
    questions: listing.questions,
    keyPointsCovered: listing.sections.reduce((sum, s) => sum + s.covered, 0),
    keyPointsTotal: listing.sections.reduce((sum, s) => sum + s.total, 0),
    status: listing.status === 'finished' ? 'completed' : 'abandoned',
  }));
}
