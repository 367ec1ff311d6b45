import { describe, expect, it } from 'vitest';
import {
  abandonInterview,
  finishInterview,
  formatDuration,
  goTo,
  markChecked,
  minutesLeft,
  pauseInterview,
  resumeInterview,
  setTicks,
  startInterview,
  summariseInterview,
  timeOn,
  touchInterview,
  type InterviewRecord,
} from '../../../../src/core/practice/interview';
import type { PlannedQuestion } from '../../../../src/core/practice/interview-plan';

const START = Date.parse('2026-12-01T10:00:00.000Z');
/** A clock the test moves by hand. */
const at = (minutes: number, seconds = 0) => new Date(START + minutes * 60_000 + seconds * 1000);

const plan: PlannedQuestion[] = [
  { id: 'core/a', section: 'serving', level: 'mid', minutes: 8, reason: 'due' },
  { id: 'core/b', section: 'monitoring', level: 'mid', minutes: 8, reason: 'new' },
  { id: 'core/c', section: 'serving', level: 'mid', minutes: 8, reason: 'weak' },
];
const totals: Record<string, number> = { 'core/a': 4, 'core/b': 5, 'core/c': 0 };

function begin(): InterviewRecord {
  return startInterview(
    'iv-1',
    plan,
    { lengthMinutes: 30, level: 'mid', sections: ['serving', 'monitoring'], withLab: false, keyPointTotal: (id) => totals[id] ?? 0 },
    at(0),
  );
}

describe('interview state machine', () => {
  it('counts time per question from the injected clock across next and previous', () => {
    let r = begin();
    expect(r.current).toBe(0);
    expect(timeOn(r, 0, at(2))).toBe(2 * 60_000);
    r = goTo(r, 1, at(3)); // 3 min on a
    r = goTo(r, 0, at(4, 30)); // 1:30 on b
    r = goTo(r, 1, at(5)); // +0:30 on a
    r = goTo(r, 2, at(9)); // +4 on b
    expect(timeOn(r, 0, at(10))).toBe(3.5 * 60_000);
    expect(timeOn(r, 1, at(10))).toBe(5.5 * 60_000);
    expect(timeOn(r, 2, at(10))).toBe(60_000);
    // Beyond either end nothing moves.
    expect(goTo(r, 3, at(10))).toBe(r);
    expect(goTo(r, -1, at(10))).toBe(r);
    r = finishInterview(r, at(11));
    expect(r.status).toBe('finished');
    expect(r.since).toBeUndefined();
    expect(r.questions.map((q) => q.spentMs)).toEqual([3.5 * 60_000, 5.5 * 60_000, 2 * 60_000]);
    // Finished: steps change nothing.
    expect(goTo(r, 0, at(12))).toBe(r);
    expect(minutesLeft(r, at(12))).toBe(30 - 11);
  });

  it('keeps ticks per question, only valid indices, and summarises per question and per section', () => {
    let r = begin();
    r = markChecked(r, at(1));
    r = setTicks(r, r.current, [3, 0, 0, 9, -1], at(2));
    r = goTo(r, 1, at(4));
    r = markChecked(r, at(5));
    r = setTicks(r, r.current, [1], at(6));
    r = goTo(r, 2, at(7));
    r = finishInterview(r, at(8));
    expect(r.questions[0]?.ticked).toEqual([0, 3]);
    const s = summariseInterview(r, at(9));
    expect(s.questions.map((q) => [q.id, q.spentMs / 60_000, q.keyPoints.covered, q.keyPoints.total])).toEqual([
      ['core/a', 4, 2, 4],
      ['core/b', 3, 1, 5],
      ['core/c', 1, 0, 0],
    ]);
    expect(s.sections).toEqual([
      { section: 'serving', covered: 2, total: 4, spentMs: 5 * 60_000 },
      { section: 'monitoring', covered: 1, total: 5, spentMs: 3 * 60_000 },
    ]);
    expect(s.weakestSections).toEqual(['monitoring', 'serving']);
    // c was never checked, b covered under half: both to review, the unchecked first.
    expect(s.reviewNext).toEqual(['core/c', 'core/b']);
    expect(s.totalMs).toBe(8 * 60_000);
    expect(formatDuration(s.totalMs + 5_000)).toBe('8:05');
  });

  it('a paused interview resumes where it stopped, its clock not counting the pause', () => {
    let r = goTo(begin(), 1, at(2));
    r = pauseInterview(r, at(5)); // window closed after 3 min on b
    expect(r.since).toBeUndefined();
    r = resumeInterview(r, at(65)); // an hour later
    expect(r.current).toBe(1);
    expect(timeOn(r, 1, at(66))).toBe(4 * 60_000);
  });

  it('after a crash (no pause), resuming counts the running visit only up to the last sign of life', () => {
    let r = goTo(begin(), 1, at(2));
    r = touchInterview(r, at(4)); // heartbeat, then the window died
    r = resumeInterview(r, at(120));
    expect(timeOn(r, 1, at(120))).toBe(2 * 60_000);
    expect(r.since).toBe(at(120).toISOString());
  });

  it('abandoning ends the interview and keeps what it held', () => {
    let r = setTicks(markChecked(begin(), at(1)), 0, [0], at(1));
    r = abandonInterview(r, at(90));
    expect(r.status).toBe('abandoned');
    expect(r.questions[0]?.spentMs).toBe(60_000);
    expect(r.questions[0]?.ticked).toEqual([0]);
    expect(resumeInterview(r, at(100))).toBe(r);
  });
});
