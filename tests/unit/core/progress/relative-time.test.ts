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

  it('says "now" for a review long past due: an overdue question is simply due', () => {
    expect(describeDue(later(-1), now)).toBe('now');
    expect(describeDue(later(-40 * 86_400_000), now)).toBe('now');
  });

  it('says "in 1 minute" up to a minute and a half, then counts minutes', () => {
    expect(describeDue(later(60_000), now)).toBe('in 1 minute');
    expect(describeDue(later(89_000), now)).toBe('in 1 minute');
    expect(describeDue(later(90_000), now)).toBe('in 2 minutes');
    expect(describeDue(later(59 * 60_000), now)).toBe('in 59 minutes');
  });

  it('moves to the next unit when the rounded count reaches it: never "in 60 minutes" or "in 24 hours"', () => {
    expect(describeDue(later(59 * 60_000 + 31_000), now)).toBe('in 1 hour');
    expect(describeDue(later(3_600_000), now)).toBe('in 1 hour');
    expect(describeDue(later(23 * 3_600_000 + 20 * 60_000), now)).toBe('in 23 hours');
    expect(describeDue(later(23 * 3_600_000 + 40 * 60_000), now)).toBe('tomorrow');
  });

  it('says "tomorrow" up to a day and a half, then counts days', () => {
    expect(describeDue(later(86_400_000 + 11 * 3_600_000), now)).toBe('tomorrow');
    expect(describeDue(later(86_400_000 + 12 * 3_600_000), now)).toBe('in 2 days');
    expect(describeDue(later(2 * 86_400_000), now)).toBe('in 2 days');
  });

  it('counts days across a month and beyond, never months', () => {
    expect(describeDue(new Date('2027-01-03T09:00:00.000Z'), now)).toBe('in 27 days');
    expect(describeDue(later(45 * 86_400_000), now)).toBe('in 45 days');
    expect(describeDue(later(400 * 86_400_000), now)).toBe('in 400 days');
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
