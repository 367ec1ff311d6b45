/**
 * Choosing a mock interview's questions (issue 18). Pure: the catalog's questions, what progress says of each,
 * and an injected random source go in; an ordered list of questions with suggested minutes comes out.
 *
 * The rule, as docs/formats.md §4, mock interviews states it:
 * - Only questions of the chosen level and sections take part.
 * - Each gets a weight: due for review 6, weak (last rated Again or Hard, or fewer than half its key points
 *   ticked) +3, never seen 4, learning and not due 1. Mastered questions that are not due take no part in the
 *   draw: they only fill places left when every other question is taken, so a due question is always picked
 *   before a mastered one.
 * - The draw is weighted sampling without replacement (each question's key is u^(1/weight), highest first).
 * - Questions are taken in drawn order while their suggested minutes fit the length (less any minutes kept for a
 *   lab at the end); a fixed `count` takes that many instead, whatever their minutes.
 */
import type { Difficulty, SectionSlug } from '../catalog/sections';
import type { KeyPointTicks, ProgressState, SelfRating } from '../progress/progress';

/** The lengths offered, in minutes. */
export const INTERVIEW_LENGTHS = [30, 45, 60] as const;

/** Minutes suggested for one question by its level: a short answer, a design discussion, a deep trade-off. */
export const MINUTES_BY_LEVEL: Readonly<Record<Difficulty, number>> = { junior: 5, mid: 8, senior: 12 };

/** Minutes kept at the end of an interview that ends with a lab task. */
export const LAB_MINUTES = 15;

export const WEIGHTS = { due: 6, weak: 3, unseen: 4, learning: 1 } as const;

/** A question as the plan sees it. */
export interface PlanCandidate {
  id: string;
  section: SectionSlug;
  difficulty: Difficulty;
}

/** What progress says of a question. */
export interface PlanHistory {
  state: ProgressState;
  due: boolean;
  lastRating?: SelfRating;
  lastTicks?: KeyPointTicks;
}

export interface PlanOptions {
  lengthMinutes: number;
  level: Difficulty;
  sections: readonly SectionSlug[];
  /** Uniform in [0, 1). */
  random: () => number;
  /** Keep LAB_MINUTES at the end for a lab task. */
  withLab?: boolean;
  /** Take exactly this many questions (when there are enough), ignoring their minutes. */
  count?: number;
}

export type PickReason = 'due' | 'weak' | 'new' | 'learning' | 'mastered';

export interface PlannedQuestion {
  id: string;
  section: SectionSlug;
  level: Difficulty;
  minutes: number;
  reason: PickReason;
}

/** Whether the last review was weak: rated Again or Hard, or under half of the key points ticked. */
export function isWeak(history: PlanHistory): boolean {
  if (history.lastRating === 'again' || history.lastRating === 'hard') return true;
  const ticks = history.lastTicks;
  return ticks !== undefined && ticks.total > 0 && ticks.ticked.length * 2 < ticks.total;
}

/** A question's weight in the draw; 0 for a mastered question that is not due. */
export function questionWeight(history: PlanHistory): number {
  if (history.state === 'new') return WEIGHTS.unseen;
  const weak = isWeak(history) ? WEIGHTS.weak : 0;
  if (history.due) return WEIGHTS.due + weak;
  if (history.state === 'mastered') return weak;
  return WEIGHTS.learning + weak;
}

function reasonOf(history: PlanHistory): PickReason {
  if (history.state === 'new') return 'new';
  if (history.due) return 'due';
  if (isWeak(history)) return 'weak';
  return history.state === 'mastered' ? 'mastered' : 'learning';
}

/** Draws every candidate in a weighted random order; weight-0 candidates follow in a uniform random order. */
function weightedOrder<T>(items: readonly { item: T; weight: number }[], random: () => number): T[] {
  const keyed = items.map(({ item, weight }) => {
    const u = Math.min(Math.max(random(), Number.EPSILON), 1 - Number.EPSILON);
    return { item, weighted: weight > 0, key: weight > 0 ? Math.log(u) / weight : u };
  });
  keyed.sort((a, b) => (a.weighted !== b.weighted ? (a.weighted ? -1 : 1) : b.key - a.key));
  return keyed.map((k) => k.item);
}

/** The interview's questions, in the order they are asked. */
export function planInterview(candidates: readonly PlanCandidate[], historyOf: (id: string) => PlanHistory, options: PlanOptions): PlannedQuestion[] {
  const sections = new Set(options.sections);
  const pool = candidates
    .filter((c) => c.difficulty === options.level && sections.has(c.section))
    .map((c) => {
      const history = historyOf(c.id);
      return { item: { c, history }, weight: questionWeight(history) };
    });
  const order = weightedOrder(pool, options.random);
  const minutes = MINUTES_BY_LEVEL[options.level];
  const plan: PlannedQuestion[] = [];
  const budget = options.lengthMinutes - (options.withLab ? LAB_MINUTES : 0);
  let used = 0;
  for (const { c, history } of order) {
    if (options.count !== undefined ? plan.length >= options.count : used + minutes > budget) break;
    used += minutes;
    plan.push({ id: c.id, section: c.section, level: c.difficulty, minutes, reason: reasonOf(history) });
  }
  return plan;
}

/** A small seeded random source (mulberry32): the same seed gives the same draw. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
