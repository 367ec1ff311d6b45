import { describe, expect, it } from 'vitest';
import {
  formatRemaining,
  isLate,
  LATE_GRACE_MS,
  readTimer,
  startTimer,
  timeLeftText,
  timeLimitOf,
  warningsFor,
  type TimerRecord,
} from '../../../../src/core/take-home/take-home-timer';

const START = new Date('2026-11-27T09:00:00.000Z');
const MIN = 60_000;
const at = (minutes: number) => new Date(START.getTime() + minutes * MIN);

/** A 60-minute lab clock started at START. */
const hour = () => startTimer({ scope: 'lab', minutes: 60 }, START);

/** Reads the clock at each moment in turn, carrying the record forward as the extension does. */
function readAll(record: TimerRecord, moments: readonly Date[]) {
  const readings = [];
  for (const now of moments) {
    const reading = readTimer(record, now);
    readings.push(reading);
    record = reading.record;
  }
  return readings;
}

describe('timeLimitOf', () => {
  it("lets the lab's own minutes win over the pack's, on the lab's own clock", () => {
    expect(timeLimitOf({ timeLimitMinutes: 30 }, { timeLimitMinutes: 120 })).toEqual({ scope: 'lab', minutes: 30 });
  });

  it("runs the pack's minutes as one clock for the whole pack", () => {
    expect(timeLimitOf({}, { timeLimitMinutes: 120 })).toEqual({ scope: 'pack', minutes: 120 });
  });

  it("applies the pack's due date to every lab, beside either kind of limit", () => {
    const due = '2026-12-01T17:00:00.000Z';
    expect(timeLimitOf({ timeLimitMinutes: 30 }, { timeLimitMinutes: 120, due })).toEqual({ scope: 'lab', minutes: 30, due });
    expect(timeLimitOf({}, { due })).toEqual({ scope: 'pack', due });
  });

  it('gives no limit when neither the lab nor the pack sets one', () => {
    expect(timeLimitOf({}, {})).toBeUndefined();
    expect(timeLimitOf({}, undefined)).toBeUndefined();
  });
});

describe('startTimer', () => {
  it('sets the deadline at start plus the limit', () => {
    expect(hour()).toEqual({
      startedAt: START.toISOString(),
      deadline: at(60).toISOString(),
      limitMinutes: 60,
      highWater: START.toISOString(),
      warned: [],
      clockSetbacks: 0,
    });
  });

  it('takes the due date when it comes before start plus the limit, and the limit otherwise', () => {
    const soon = at(20).toISOString();
    expect(startTimer({ scope: 'pack', minutes: 60, due: soon }, START).deadline).toBe(soon);
    expect(startTimer({ scope: 'pack', minutes: 60, due: at(600).toISOString() }, START).deadline).toBe(at(60).toISOString());
  });

  it('runs to the due date alone when there are no minutes', () => {
    const due = at(90).toISOString();
    const record = startTimer({ scope: 'pack', due }, START);
    expect(record).toMatchObject({ deadline: due, due });
    expect(record.limitMinutes).toBeUndefined();
  });

  it("takes a pack-wide clock's start and deadline from the lab that started it", () => {
    const first = startTimer({ scope: 'pack', minutes: 60 }, START);
    const second = startTimer({ scope: 'pack', minutes: 60 }, at(25), first);
    expect(second).toMatchObject({ startedAt: first.startedAt, deadline: first.deadline, highWater: at(25).toISOString() });
  });

  it("gives a lab with its own minutes its own clock even when another lab's is running", () => {
    const other = startTimer({ scope: 'pack', minutes: 60 }, START);
    const own = startTimer({ scope: 'lab', minutes: 30 }, at(25), other);
    expect(own).toMatchObject({ startedAt: at(25).toISOString(), deadline: at(55).toISOString() });
  });
});

describe('readTimer', () => {
  it('counts time down from the start', () => {
    const reading = readTimer(hour(), at(10));
    expect(reading).toMatchObject({ remainingMs: 50 * MIN, elapsedMs: 10 * MIN, expired: false, expiredNow: false, changed: true });
    expect(reading.announce).toBeUndefined();
    expect(reading.record.highWater).toBe(at(10).toISOString());
  });

  it('warns at 15 and at 5 minutes left, once each', () => {
    const readings = readAll(hour(), [at(44), at(45), at(46), at(54), at(55), at(56), at(57)]);
    expect(readings.map((r) => r.announce)).toEqual([undefined, 15, undefined, undefined, 5, undefined, undefined]);
    expect(readings.at(-1)?.record.warned).toEqual([15, 5]);
  });

  it('gives only the most urgent warning when one reading jumps past both, and marks both given', () => {
    const [jump, after] = readAll(hour(), [at(57), at(58)]);
    expect(jump?.announce).toBe(5);
    expect(jump?.record.warned).toEqual([15, 5]);
    expect(after?.announce).toBeUndefined();
  });

  it('says expiredNow on the reading where time runs out, and no longer once the lab is frozen', () => {
    const expiring = readTimer(readTimer(hour(), at(59)).record, at(60));
    expect(expiring).toMatchObject({ remainingMs: 0, expired: true, expiredNow: true });
    expect(expiring.announce).toBeUndefined();
    const frozen = { ...expiring.record, frozenAt: at(60).toISOString(), frozenAttempt: 'attempt-1' };
    expect(readTimer(frozen, at(61))).toMatchObject({ remainingMs: 0, expired: true, expiredNow: false });
    expect(readTimer(frozen, at(600)).expiredNow).toBe(false);
  });

  it('never gives time back when the clock is set back, and counts the setback', () => {
    const [before, setBack] = readAll(hour(), [at(30), at(-90)]);
    expect(before?.remainingMs).toBe(30 * MIN);
    expect(setBack).toMatchObject({ remainingMs: 30 * MIN, elapsedMs: 30 * MIN, expired: false, changed: true });
    expect(setBack?.record.clockSetbacks).toBe(1);
    expect(setBack?.record.highWater).toBe(at(30).toISOString());
  });

  it('counts a setback once, however many readings find the clock still behind', () => {
    // The extension reads every second: a clock an hour behind must not count thousands of setbacks.
    const behind = Array.from({ length: 120 }, (_, i) => new Date(at(-30).getTime() + i * 1000));
    const readings = readAll(readTimer(hour(), at(30)).record, behind);
    expect(readings.at(-1)?.record.clockSetbacks).toBe(1);
    expect(readings.slice(1).every((r) => !r.changed)).toBe(true);
    expect(readings.every((r) => r.remainingMs === 30 * MIN)).toBe(true);
  });

  it('counts a second setback once the clock has caught up', () => {
    const readings = readAll(hour(), [at(10), at(0), at(10.5), at(20), at(5)]);
    expect(readings.map((r) => r.record.clockSetbacks)).toEqual([0, 1, 1, 1, 2]);
  });

  it('lets an NTP-size step back pass without counting it', () => {
    const [, step] = readAll(hour(), [at(30), new Date(at(30).getTime() - 45_000)]);
    expect(step?.record.clockSetbacks).toBe(0);
    expect(step?.remainingMs).toBe(30 * MIN);
  });

  it('expires when the clock is moved forward past the deadline, and setting it back later returns nothing', () => {
    const [forward, back] = readAll(hour(), [at(180), at(11)]);
    expect(forward).toMatchObject({ remainingMs: 0, expired: true, expiredNow: true });
    expect(back).toMatchObject({ remainingMs: 0, expired: true });
    expect(back?.record.clockSetbacks).toBe(1);
  });

  it('asks for a save only when something worth keeping changed', () => {
    const [first, sameMinute] = readAll(hour(), [at(10), at(10.5)]);
    expect(first?.changed).toBe(true);
    expect(sameMinute?.changed).toBe(false);
  });
});

describe('isLate', () => {
  it('is late only after the deadline and its minute of grace, which covers the freeze stamping its files', () => {
    const record = hour();
    expect(isLate(record, at(59))).toBe(false);
    expect(isLate(record, new Date(at(60).getTime() + 450))).toBe(false);
    expect(isLate(record, at(60 + LATE_GRACE_MS / MIN))).toBe(false);
    expect(isLate(record, new Date(at(60).getTime() + LATE_GRACE_MS + 1))).toBe(true);
    expect(isLate(record, at(90))).toBe(true);
  });

  it('is late when the clock was seen past the deadline, even if it now reads earlier', () => {
    const seenLate = readTimer(hour(), at(120)).record;
    expect(isLate(seenLate, at(30))).toBe(true);
  });
});

describe('formatRemaining', () => {
  it('shows minutes and seconds under an hour, hours beyond, rounding partial seconds up', () => {
    expect(formatRemaining(0)).toBe('0:00');
    expect(formatRemaining(1)).toBe('0:01');
    expect(formatRemaining(59_001)).toBe('1:00');
    expect(formatRemaining(42 * MIN + 7_000)).toBe('42:07');
    expect(formatRemaining(60 * MIN - 1)).toBe('1:00:00');
    expect(formatRemaining(65 * MIN)).toBe('1:05:00');
    expect(formatRemaining(10 * 60 * MIN + 9_000)).toBe('10:00:09');
  });
});

describe('warnings inside the limit', () => {
  it('gives a 10-minute take-home the 5-minute warning only, and not at once', () => {
    const ten = startTimer({ scope: 'lab', minutes: 10 }, START);
    expect(warningsFor(ten)).toEqual([5]);
    const readings = readAll(ten, [at(0), at(1), at(5.5), at(6)]);
    expect(readings.map((r) => r.announce)).toEqual([undefined, undefined, 5, undefined]);
    expect(timeLeftText(readings[2]?.remainingMs ?? 0)).toBe('5 minutes');
  });

  it('gives a 2-minute take-home no warning at all', () => {
    const two = startTimer({ scope: 'lab', minutes: 2 }, START);
    expect(warningsFor(two)).toEqual([]);
    expect(readAll(two, [at(0), at(1), at(1.9)]).map((r) => r.announce)).toEqual([undefined, undefined, undefined]);
  });

  it('measures the limit from start to deadline, so a near due date counts too', () => {
    const due = startTimer({ scope: 'pack', minutes: 120, due: at(12).toISOString() }, START);
    expect(warningsFor(due)).toEqual([5]);
  });

  it('words the warning from the true time left, which a late reading makes shorter than the threshold', () => {
    const [late] = readAll(hour(), [at(57)]);
    expect(late?.announce).toBe(5);
    expect(timeLeftText(late?.remainingMs ?? 0)).toBe('3 minutes');
    expect(timeLeftText(30_000)).toBe('1 minute');
  });
});
