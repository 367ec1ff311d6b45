/** Checking an answer against a question's key points (docs/formats.md §3), and the rating that suggests. */
import type { SelfRating } from './progress';

/** The rule as the question panel states it. */
export const SUGGESTION_RULE = 'All key points ticked suggests Good, at least half suggests Hard, fewer suggests Again. You can pick any rating.';

/**
 * The rating ticking `ticked` of `total` key points suggests: all → Good, at least half → Hard, fewer → Again.
 * Undefined for a question without key points, where nothing is suggested. Easy is never suggested: covering
 * every point says what was known, not how easily.
 */
export function suggestRating(ticked: number, total: number): SelfRating | undefined {
  if (!Number.isInteger(total) || total <= 0) return undefined;
  const count = Math.min(Math.max(0, Math.floor(ticked)), total);
  if (count === total) return 'good';
  if (count * 2 >= total) return 'hard';
  return 'again';
}

/** The ticks as stored with a review: distinct indices below `total`, in order. */
export function normaliseTicks(ticked: readonly number[], total: number): number[] {
  return [...new Set(ticked.filter((i) => Number.isInteger(i) && i >= 0 && i < total))].sort((a, b) => a - b);
}
