import { describe, expect, it } from 'vitest';
import { MASTERED_STABILITY_DAYS, progressState, type QuestionProgress } from '../../../../src/core/progress/progress';
import { applyRating } from '../../../../src/core/progress/scheduler';

const DAY = 86_400_000;
const start = new Date('2026-11-27T09:00:00.000Z');

/** Rates "good" each time the card falls due, moving the clock to the due date. */
function reviewWhenDue(progress: QuestionProgress, times: number): QuestionProgress {
  let p = progress;
  for (let i = 0; i < times; i++) p = applyRating(p, 'good', new Date(p.card?.due ?? start));
  return p;
}

describe('review scheduling and progress state', () => {
  it('is new until rated', () => {
    expect(progressState(undefined)).toBe('new');
    expect(progressState({ ratings: [], revealedAt: start.toISOString() })).toBe('new');
  });

  it('moves to learning after the first rating and schedules a later review', () => {
    const p = applyRating(undefined, 'good', start);
    expect(progressState(p)).toBe('learning');
    expect(p.ratings).toEqual([{ at: start.toISOString(), rating: 'good' }]);
    expect(new Date(p.card?.due ?? 0).getTime()).toBeGreaterThan(start.getTime());
  });

  it('schedules "easy" further out than "hard", and "again" soonest', () => {
    const due = (rating: 'again' | 'hard' | 'good' | 'easy') => new Date(applyRating(undefined, rating, start).card?.due ?? 0).getTime();
    expect(due('again')).toBeLessThan(due('hard'));
    expect(due('hard')).toBeLessThanOrEqual(due('good'));
    expect(due('good')).toBeLessThan(due('easy'));
  });

  it('reaches mastered only after reviews spread over more than a week, as the clock moves', () => {
    let p = applyRating(undefined, 'good', start);
    p = reviewWhenDue(p, 1);
    expect(progressState(p)).toBe('learning');
    let reviews = 2;
    while (progressState(p) !== 'mastered' && reviews < 12) {
      p = reviewWhenDue(p, 1);
      reviews++;
    }
    expect(progressState(p)).toBe('mastered');
    expect(p.card?.stability).toBeGreaterThanOrEqual(MASTERED_STABILITY_DAYS);
    const lastReview = new Date(p.ratings.at(-1)?.at ?? 0).getTime();
    expect(lastReview - start.getTime()).toBeGreaterThan(7 * DAY);
  });

  it('drops back to learning when a mastered question is forgotten', () => {
    let p = applyRating(undefined, 'easy', start);
    for (let reviews = 1; progressState(p) !== 'mastered'; reviews++) {
      if (reviews > 12) throw new Error('an "easy" question rated "good" at each review was still not mastered after 12 reviews');
      p = reviewWhenDue(p, 1);
    }
    const forgotten = applyRating(p, 'again', new Date(p.card?.due ?? start));
    expect(progressState(forgotten)).toBe('learning');
    expect(forgotten.card?.lapses).toBe(1);
  });

  it('does not change the progress it is given', () => {
    const first = applyRating(undefined, 'good', start);
    const snapshot = structuredClone(first);
    applyRating(first, 'again', new Date(start.getTime() + DAY));
    expect(first).toEqual(snapshot);
  });

  it('gives the same schedule for the same ratings at the same times', () => {
    const run = () => reviewWhenDue(applyRating(undefined, 'hard', start), 4);
    expect(run()).toEqual(run());
  });
});
