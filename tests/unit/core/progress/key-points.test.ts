import { describe, expect, it } from 'vitest';
import { normaliseTicks, suggestRating, SUGGESTION_RULE } from '../../../../src/core/progress/key-points';

describe('rating suggested by ticked key points', () => {
  it.each([
    [4, 4, 'good'],
    [1, 1, 'good'],
    [3, 4, 'hard'],
    [2, 4, 'hard'],
    [3, 5, 'hard'],
    [2, 5, 'again'],
    [1, 4, 'again'],
    [0, 3, 'again'],
    [0, 1, 'again'],
  ] as const)('%i of %i ticked suggests %s', (ticked, total, expected) => {
    expect(suggestRating(ticked, total)).toBe(expected);
  });

  it('suggests nothing for a question without key points', () => {
    expect(suggestRating(0, 0)).toBeUndefined();
  });

  it('clamps counts outside 0..total', () => {
    expect(suggestRating(9, 4)).toBe('good');
    expect(suggestRating(-1, 4)).toBe('again');
  });

  it('never suggests Easy, and the rule the panel states names every threshold', () => {
    for (let total = 1; total <= 7; total++) for (let t = 0; t <= total; t++) expect(suggestRating(t, total)).not.toBe('easy');
    expect(SUGGESTION_RULE).toMatch(/All.*Good.*half.*Hard.*fewer.*Again/);
  });

  it('keeps ticks as distinct, sorted indices within the list', () => {
    expect(normaliseTicks([3, 1, 1, 7, -1, 2.5, 0], 4)).toEqual([0, 1, 3]);
  });
});
