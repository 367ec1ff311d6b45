import { describe, expect, it } from 'vitest';
import { attemptLabel } from '../../../../src/core/take-home/attempt-label';
import { startTimer } from '../../../../src/core/take-home/take-home-timer';

const START = new Date('2026-11-27T09:00:00.000Z');
const timer = startTimer({ scope: 'lab', minutes: 60 }, START);

describe('attemptLabel', () => {
  it('labels the snapshot frozen when time ran out "Frozen at time-up", never "before reset"', () => {
    const frozen = { ...timer, frozenAt: '2026-11-27T10:00:01.000Z', frozenAttempt: 'a2' };
    expect(attemptLabel({ kind: 'frozen', id: 'a2' }, frozen)).toBe('Frozen at time-up');
    expect(attemptLabel({ kind: 'frozen', id: 'a2' }, undefined)).toBe('Frozen at time-up');
  });

  it('labels a snapshot frozen by an early Submit as such', () => {
    const submitted = { ...timer, frozenAt: '2026-11-27T09:40:00.000Z', frozenAttempt: 'a3' };
    expect(attemptLabel({ kind: 'frozen', id: 'a3' }, submitted)).toBe('Frozen at submit');
  });

  it('labels graded attempts by score and reset copies as before reset', () => {
    expect(attemptLabel({ kind: 'graded', id: 'a1', points: 7, maxPoints: 10, status: 'fail' }, undefined)).toBe('7/10 points, not passed');
    expect(attemptLabel({ kind: 'reset', id: 'a4' }, timer)).toBe('Files before reset');
  });
});
