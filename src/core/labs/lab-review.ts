/**
 * Labs in the review schedule: passing a lab schedules a redo from scratch on the lab's own ts-fsrs card.
 * The rule (README, docs/formats.md §4): the first pass rates the card Good; a later pass, made once the redo
 * is due and without taking a hint since the previous pass, rates it Easy, and with a hint Good. A pass
 * before the redo falls due (submitting the same work again) changes nothing.
 */
import type { RatingRecord, StoredCard } from '../progress/progress';
import { applyRating } from '../progress/scheduler';

/** A lab's review card and the passes that rated it; `hintsAtPass` is the hints taken in total when it last passed. */
export interface LabReview {
  card: StoredCard;
  ratings: RatingRecord[];
  hintsAtPass: number;
}

/** The lab's pass rule: the grader says `pass` only when every hidden test passed (a grade of 100%). */
export function isLabPass(result: { status: string }): boolean {
  return result.status === 'pass';
}

export function isLabDue(review: LabReview | undefined, now: Date): boolean {
  return review !== undefined && Date.parse(review.card.due) <= now.getTime();
}

/**
 * The review after a graded attempt at `now`, with `hintsTaken` hints taken in total: a new or moved card on a
 * pass that counts, else the review unchanged (undefined when there is none).
 */
export function reviewAfterGrade(review: LabReview | undefined, passed: boolean, hintsTaken: number, now: Date): LabReview | undefined {
  if (!passed) return review;
  if (review && !isLabDue(review, now)) return review;
  const rating = review && hintsTaken === review.hintsAtPass ? 'easy' : 'good';
  const next = applyRating(review, rating, now);
  return { card: next.card as StoredCard, ratings: next.ratings, hintsAtPass: hintsTaken };
}
