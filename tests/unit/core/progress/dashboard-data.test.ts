import { describe, expect, it } from 'vitest';
import {
  addDays,
  buildDashboardData,
  interviewRows,
  dayKey,
  dueByDay,
  labRows,
  practiceCalendar,
  recallByWeek,
  sectionStates,
  weekStart,
} from '../../../../src/core/progress/dashboard-data';
import { emptyProgress, type ProgressData, type SelfRating } from '../../../../src/core/progress/progress';
import { applyRating } from '../../../../src/core/progress/scheduler';

// A fake clock: Wednesday 9 December 2026, 10:00 UTC.
const NOW = new Date('2026-12-09T10:00:00.000Z');
const UTC = 'UTC';

/** Progress where each question was rated as given, at the given instants. */
function progressOf(reviews: Record<string, [string, SelfRating][]>): ProgressData {
  const data = emptyProgress();
  for (const [id, list] of Object.entries(reviews)) {
    let p = data.questions[id];
    for (const [at, rating] of list) p = applyRating(p, rating, new Date(at));
    if (p) data.questions[id] = p;
  }
  return data;
}

/** Moves a question's due date to `due`, keeping the rest of its card. */
function dueAt(data: ProgressData, id: string, due: string): void {
  const p = data.questions[id];
  if (p?.card) p.card = { ...p.card, due };
}

describe('calendar days', () => {
  it('puts an instant on the day it falls on in the given time zone', () => {
    const lateEvening = new Date('2026-12-09T04:30:00.000Z'); // 23:30 on the 8th in New York
    expect(dayKey(lateEvening, UTC)).toBe('2026-12-09');
    expect(dayKey(lateEvening, 'America/New_York')).toBe('2026-12-08');
    expect(dayKey(new Date('2026-12-08T23:30:00.000Z'), 'Asia/Tokyo')).toBe('2026-12-09');
  });

  it('counts days across months, years and a daylight-saving change without skipping any', () => {
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2027-03-01', -1)).toBe('2027-02-28');
    // Europe moves its clocks on 28 March 2027: still one calendar day each.
    expect(dayKey(new Date('2027-03-28T22:30:00.000Z'), 'Europe/Berlin')).toBe('2027-03-29');
    expect(addDays('2027-03-27', 2)).toBe('2027-03-29');
  });

  it('starts weeks on Monday', () => {
    expect(weekStart('2026-12-09')).toBe('2026-12-07'); // a Wednesday
    expect(weekStart('2026-12-07')).toBe('2026-12-07');
    expect(weekStart('2026-12-13')).toBe('2026-12-07'); // a Sunday
  });
});

describe('reviews due per day', () => {
  it('covers the next 14 days from today, with overdue reviews counted today', () => {
    const data = progressOf({
      'core/a': [['2026-12-01T09:00:00Z', 'good']],
      'core/b': [['2026-12-01T09:00:00Z', 'good']],
      'core/c': [['2026-12-01T09:00:00Z', 'good']],
    });
    dueAt(data, 'core/a', '2026-12-05T09:00:00.000Z'); // overdue
    dueAt(data, 'core/b', '2026-12-11T15:00:00.000Z'); // in two days
    dueAt(data, 'core/c', '2027-02-01T09:00:00.000Z'); // beyond the window
    const due = dueByDay(data, NOW, UTC);
    expect(due).toHaveLength(14);
    expect(due[0]).toEqual({ day: '2026-12-09', count: 1 });
    expect(due[2]).toEqual({ day: '2026-12-11', count: 1 });
    expect(due[13]?.day).toBe('2026-12-22');
    expect(due.reduce((n, d) => n + d.count, 0)).toBe(2);
  });

  it('places a due date on the local day of the time zone given', () => {
    const data = progressOf({ 'core/a': [['2026-12-01T09:00:00Z', 'good']] });
    dueAt(data, 'core/a', '2026-12-11T03:00:00.000Z'); // 22:00 on the 10th in New York
    expect(dueByDay(data, NOW, UTC).find((d) => d.count)?.day).toBe('2026-12-11');
    expect(dueByDay(data, NOW, 'America/New_York').find((d) => d.count)?.day).toBe('2026-12-10');
  });

  it('counts nothing for questions never rated', () => {
    expect(
      dueByDay({ ...emptyProgress(), questions: { 'core/a': { ratings: [], revealedAt: NOW.toISOString() } } }, NOW, UTC).every((d) => d.count === 0),
    ).toBe(true);
  });
});

describe('recall rate per week', () => {
  it('is the share of reviews rated Hard, Good or Easy in each week, null in weeks without reviews', () => {
    const data = progressOf({
      'core/a': [
        ['2026-12-07T09:00:00Z', 'again'],
        ['2026-12-08T09:00:00Z', 'good'],
      ],
      'core/b': [
        ['2026-12-09T08:00:00Z', 'hard'],
        ['2026-12-09T09:00:00Z', 'easy'],
      ],
      'core/c': [['2026-11-30T09:00:00Z', 'again']],
      'core/d': [['2025-01-01T09:00:00Z', 'good']], // long before the window
    });
    const recall = recallByWeek(data, NOW, UTC);
    expect(recall).toHaveLength(12);
    expect(recall[11]).toEqual({ week: '2026-12-07', reviews: 4, recalled: 3, rate: 0.75 });
    expect(recall[10]).toEqual({ week: '2026-11-30', reviews: 1, recalled: 0, rate: 0 });
    expect(recall[9]?.rate).toBeNull();
    expect(recall[0]?.week).toBe('2026-09-21');
  });
});

describe('states per section', () => {
  it('counts new, learning and mastered questions of each section in section order, leaving out empty sections', () => {
    const data = progressOf({ 'core/a': [['2026-12-01T09:00:00Z', 'good']], 'core/m': [['2026-12-01T09:00:00Z', 'good']] });
    const m = data.questions['core/m'];
    if (m?.card) m.card = { ...m.card, stability: 40 };
    const rows = sectionStates(
      [
        { qualifiedId: 'core/s', section: 'serving' },
        { qualifiedId: 'core/a', section: 'training-frameworks' },
        { qualifiedId: 'core/m', section: 'training-frameworks' },
        { qualifiedId: 'core/n', section: 'training-frameworks' },
      ],
      data,
    );
    expect(rows).toEqual([
      { section: 'training-frameworks', title: 'Training frameworks', new: 1, learning: 1, mastered: 1 },
      { section: 'serving', title: 'Model serving', new: 1, learning: 0, mastered: 0 },
    ]);
  });
});

describe('practice calendar and streak', () => {
  it('lists whole weeks up to today with the reviews of each day', () => {
    const data = progressOf({ 'core/a': [['2026-12-08T09:00:00Z', 'good']], 'core/b': [['2026-12-08T18:00:00Z', 'good']] });
    const calendar = practiceCalendar(data, NOW, UTC);
    expect(calendar.days[0]?.day).toBe('2026-08-10'); // a Monday, 17 weeks before this week's
    expect(calendar.days.at(-1)).toEqual({ day: '2026-12-09', reviews: 0 });
    expect(calendar.days.find((d) => d.day === '2026-12-08')?.reviews).toBe(2);
    expect(calendar.days).toHaveLength(17 * 7 + 3);
  });

  it('counts the streak to today, or to yesterday while today has no review yet', () => {
    const days = (list: string[]) => progressOf(Object.fromEntries(list.map((d, i) => [`core/q${i}`, [[`${d}T12:00:00Z`, 'good']]])));
    expect(practiceCalendar(days(['2026-12-07', '2026-12-08', '2026-12-09']), NOW, UTC).streak).toBe(3);
    expect(practiceCalendar(days(['2026-12-07', '2026-12-08']), NOW, UTC).streak).toBe(2);
    expect(practiceCalendar(days(['2026-12-05', '2026-12-07']), NOW, UTC).streak).toBe(0);
    expect(practiceCalendar(days(['2026-12-05', '2026-12-07']), NOW, UTC).practisedDays).toBe(2);
  });

  it('follows the time zone: a late-evening review counts for that local day', () => {
    // 01:00 UTC on the 9th is 20:00 on the 8th in New York: with the review of the 7th there, two days in a row.
    const data = progressOf({ 'core/a': [['2026-12-07T20:00:00Z', 'good']], 'core/b': [['2026-12-09T01:00:00Z', 'good']] });
    expect(practiceCalendar(data, NOW, UTC).streak).toBe(1);
    expect(practiceCalendar(data, NOW, 'America/New_York').streak).toBe(2);
  });

  it('has no streak without reviews', () => {
    expect(practiceCalendar(emptyProgress(), NOW, UTC)).toMatchObject({ streak: 0, practisedDays: 0 });
  });
});

describe('labs and the whole dashboard', () => {
  it('lists each lab with its status and best score', () => {
    const rows = labRows(
      [
        { qualifiedId: 'core/one', title: 'One' },
        { qualifiedId: 'core/two', title: 'Two' },
      ],
      (id) => (id === 'core/one' ? { status: 'passed', attempts: 2, best: { points: 10, maxPoints: 10 } } : undefined),
    );
    expect(rows).toEqual([
      { labId: 'core/one', title: 'One', status: 'passed', attempts: 2, best: { points: 10, maxPoints: 10 } },
      { labId: 'core/two', title: 'Two', status: 'not-started', attempts: 0 },
    ]);
  });

  it('builds every part from one clock and time zone, with no mock interviews unless given', () => {
    const data = buildDashboardData({ progress: emptyProgress(), questions: [], labs: [], now: NOW, timeZone: UTC });
    expect(data).toMatchObject({ generatedAt: NOW.toISOString(), timeZone: UTC, interviews: [], sections: [] });
    expect(data.due).toHaveLength(14);
    expect(data.recall).toHaveLength(12);
  });
});

describe('past mock interviews on the dashboard', () => {
  it('turns the interviews store listing into rows: minutes, key points summed over sections, status', () => {
    const rows = interviewRows([
      {
        id: 'iv-2',
        startedAt: '2026-12-02T09:00:00.000Z',
        status: 'finished',
        lengthMinutes: 30,
        level: 'mid',
        questions: 3,
        totalMs: 25.4 * 60_000,
        sections: [
          { section: 'serving', covered: 3, total: 5 },
          { section: 'monitoring', covered: 1, total: 4 },
        ],
      },
      { id: 'iv-1', startedAt: '2026-12-01T09:00:00.000Z', status: 'abandoned', lengthMinutes: 45, level: 'senior', questions: 1, totalMs: 0, sections: [] },
    ]);
    expect(rows).toEqual([
      { startedAt: '2026-12-02T09:00:00.000Z', minutes: 25, questions: 3, keyPointsCovered: 4, keyPointsTotal: 9, status: 'completed' },
      { startedAt: '2026-12-01T09:00:00.000Z', minutes: 0, questions: 1, keyPointsCovered: 0, keyPointsTotal: 0, status: 'abandoned' },
    ]);
  });
});
