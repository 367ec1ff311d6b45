import { describe, expect, it } from 'vitest';
import { describeDue } from '../../../../src/core/progress/relative-time';
import { applyRating, nextReview } from '../../../../src/core/progress/scheduler';

const now = new Date('2026-12-07T09:00:00.000Z');
const later = (ms: number) => new Date(now.getTime() + ms);

describe('when a review falls due, in words', () => {
  it('says "now" only once the review is due, as Review Next Due decides', () => {
    expect(describeDue(now, now)).toBe('now');
    expect(describeDue(later(-5_000), now)).toBe('now');
    expect(describeDue(later(1), now)).toBe('in 1 minute');
    expect(describeDue(later(59_000), now)).toBe('in 1 minute');
  });

  it('rounds to the largest whole unit', () => {
    expect(describeDue(later(10 * 60_000), now)).toBe('in 10 minutes');
    expect(describeDue(later(3 * 3_600_000), now)).toBe('in 3 hours');
    expect(describeDue(later(86_400_000), now)).toBe('tomorrow');
    expect(describeDue(later(4 * 86_400_000), now)).toBe('in 4 days');
  });

  it('a question rated Again is promised in a minute or more, never "now"', () => {
    const due = nextReview(applyRating(undefined, 'again', now));
    expect(due && due.getTime() > now.getTime()).toBe(true);
    expect(describeDue(due as Date, now)).toMatch(/^in \d+ minutes?$/);
  });
});
