import { describe, expect, it } from 'vitest';
import { nextDue } from '../../../../src/core/progress/review-queue';

const at = (day: number) => new Date(Date.UTC(2026, 11, day, 9));

describe('Review Next Due: a due lab or a due question', () => {
  it('offers nothing when nothing is due', () => {
    expect(nextDue([], [])).toBeUndefined();
  });

  it('offers the lab when it fell due before every question', () => {
    const next = nextDue([{ id: 'core/q1', due: at(5) }], [{ id: 'core/lab', due: at(3) }]);
    expect(next).toEqual({ item: { kind: 'lab', id: 'core/lab', due: at(3) }, more: 1 });
  });

  it('offers the question when it fell due first', () => {
    const next = nextDue(
      [
        { id: 'core/q1', due: at(6) },
        { id: 'core/q2', due: at(2) },
      ],
      [{ id: 'core/lab', due: at(3) }],
    );
    expect(next?.item).toEqual({ kind: 'question', id: 'core/q2', due: at(2) });
    expect(next?.more).toBe(2);
  });

  it('offers a question before a lab due at the same moment', () => {
    expect(nextDue([{ id: 'core/q1', due: at(3) }], [{ id: 'core/lab', due: at(3) }])?.item.kind).toBe('question');
  });

  it('offers a due lab when no question is due', () => {
    expect(nextDue([], [{ id: 'core/lab', due: at(1) }])?.item).toMatchObject({ kind: 'lab', id: 'core/lab' });
  });
});
