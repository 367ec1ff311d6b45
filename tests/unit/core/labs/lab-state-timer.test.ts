/**
 * The take-home clock lives in labs.json, so it must survive closing VS Code, reopening it later and a
 * computer clock that was moved in between.
 */
import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Clock } from '../../../../src/core/io/clock';
import { LabState, validateLabState, type IntegrityRecord } from '../../../../src/core/labs/lab-state';
import { readTimer, type TimeLimit } from '../../../../src/core/take-home/take-home-timer';
import { tempDir } from '../../helpers';

const START = new Date('2026-11-27T09:00:00.000Z');
const MIN = 60_000;
const LAB = 'acme-take-home/latency-slo';
const OTHER_LAB = 'acme-take-home/feature-store';
const HOUR: TimeLimit = { scope: 'lab', minutes: 60 };
const PACK_HOUR: TimeLimit = { scope: 'pack', minutes: 60 };

/** A clock the test moves by hand. */
class FakeClock implements Clock {
  constructor(private current: Date = START) {}
  now(): Date {
    return new Date(this.current);
  }
  set(minutesFromStart: number): void {
    this.current = new Date(START.getTime() + minutesFromStart * MIN);
  }
}

async function labsFile(): Promise<string> {
  return path.join(await tempDir(), 'labs.json');
}

/** Opens labs.json as the extension does on activation, and insists it loaded without a recovery. */
async function reopen(file: string, clock: Clock): Promise<LabState> {
  const { state, notice } = await LabState.open(file, clock);
  expect(notice).toBeUndefined();
  return state;
}

describe('the take-home clock in labs.json', () => {
  it('keeps its start and deadline across a reload with the clock moved forward', async () => {
    const file = await labsFile();
    const clock = new FakeClock();
    const started = await (await reopen(file, clock)).startTimer(LAB, HOUR);
    expect(started).toMatchObject({ startedAt: START.toISOString(), deadline: new Date(START.getTime() + 60 * MIN).toISOString() });

    clock.set(25);
    const later = await reopen(file, clock);
    expect(later.get(LAB)?.timer).toEqual(started);
    expect(readTimer(later.get(LAB)!.timer!, clock.now()).remainingMs).toBe(35 * MIN);
  });

  it('never resets when the lab is started again, in the same session or after a reload', async () => {
    const file = await labsFile();
    const clock = new FakeClock();
    const state = await reopen(file, clock);
    const first = await state.startTimer(LAB, HOUR);
    clock.set(10);
    expect(await state.startTimer(LAB, { scope: 'lab', minutes: 600 })).toEqual(first);

    clock.set(40);
    const reopened = await reopen(file, clock);
    expect(await reopened.startTimer(LAB, HOUR)).toEqual(first);
    expect((await reopen(file, clock)).get(LAB)?.timer).toEqual(first);
  });

  it('keeps its start and deadline when the clock was set back before the reload, and the setback is counted and saved', async () => {
    const file = await labsFile();
    const clock = new FakeClock();
    const state = await reopen(file, clock);
    const started = await state.startTimer(LAB, HOUR);
    clock.set(30);
    await state.saveTimer(LAB, readTimer(started, clock.now()).record);

    clock.set(-120);
    const reopened = await reopen(file, clock);
    expect(await reopened.startTimer(LAB, HOUR)).toMatchObject({ startedAt: started.startedAt, deadline: started.deadline });
    const reading = readTimer(reopened.get(LAB)!.timer!, clock.now());
    expect(reading).toMatchObject({ remainingMs: 30 * MIN, changed: true });
    await reopened.saveTimer(LAB, reading.record);

    const timer = (await reopen(file, clock)).get(LAB)?.timer;
    expect(timer).toMatchObject({ startedAt: started.startedAt, deadline: started.deadline, clockSetbacks: 1 });
    expect(readTimer(timer!, clock.now()).record.clockSetbacks).toBe(1);
  });

  it('shares a pack-wide clock: the second lab takes the start and deadline of the first', async () => {
    const file = await labsFile();
    const clock = new FakeClock();
    const state = await reopen(file, clock);
    expect(state.packTimer('acme-take-home')).toBeUndefined();
    const first = await state.startTimer(LAB, PACK_HOUR);

    clock.set(25);
    const reopened = await reopen(file, clock);
    const shared = reopened.packTimer('acme-take-home');
    expect(shared).toEqual(first);
    const second = await reopened.startTimer(OTHER_LAB, PACK_HOUR);
    expect(second).toMatchObject({ startedAt: first.startedAt, deadline: first.deadline });
    expect(readTimer(second, clock.now()).remainingMs).toBe(35 * MIN);
  });

  it("does not share one pack's clock with another pack whose id starts the same", async () => {
    const state = await reopen(await labsFile(), new FakeClock());
    await state.startTimer(LAB, PACK_HOUR);
    expect(state.packTimer('acme')).toBeUndefined();
    expect(state.packTimer('acme-take')).toBeUndefined();
  });

  it('adds integrity signals up across saves and reloads', async () => {
    const file = await labsFile();
    const clock = new FakeClock();
    // As the extension flushes what it gathered since the last write.
    const add = (delta: { count: number; characters: number; openMs: number; lateEdits: number }) => (r: IntegrityRecord): IntegrityRecord => ({
      largeInsertions: { count: r.largeInsertions.count + delta.count, characters: r.largeInsertions.characters + delta.characters },
      openMs: r.openMs + delta.openMs,
      lateEdits: r.lateEdits + delta.lateEdits,
    });
    const state = await reopen(file, clock);
    await state.recordIntegrity(LAB, add({ count: 1, characters: 350, openMs: 30_000, lateEdits: 0 }));
    await state.recordIntegrity(LAB, add({ count: 0, characters: 0, openMs: 30_000, lateEdits: 0 }));
    const reopened = await reopen(file, clock);
    await reopened.recordIntegrity(LAB, add({ count: 2, characters: 900, openMs: 15_000, lateEdits: 3 }));
    expect((await reopen(file, clock)).get(LAB)?.integrity).toEqual({ largeInsertions: { count: 3, characters: 1250 }, openMs: 75_000, lateEdits: 3 });
  });

  it('writes a file that validates against the lab-state schema, with every timer field set', async () => {
    const file = await labsFile();
    const clock = new FakeClock();
    const state = await reopen(file, clock);
    await state.started(LAB, '/home/candidate/mlops-labs/latency-slo');
    const timer = await state.startTimer(LAB, { scope: 'lab', minutes: 60, due: '2026-11-27T17:00:00.000Z' });
    clock.set(58);
    const warned = readTimer(timer, clock.now()).record;
    clock.set(-10);
    const behind = readTimer(warned, clock.now()).record;
    await state.saveTimer(LAB, { ...behind, frozenAt: new Date(START.getTime() + 60 * MIN).toISOString(), frozenAttempt: '2026-11-27T10-00-00-000Z-a1b2c3' });
    await state.recordIntegrity(LAB, () => ({ largeInsertions: { count: 1, characters: 240 }, openMs: 3_600_000, lateEdits: 2 }));

    const saved: unknown = JSON.parse(await readFile(file, 'utf8'));
    const checked = validateLabState(saved);
    expect(checked.ok ? [] : checked.errors).toEqual([]);
    expect((saved as { labs: Record<string, { timer: object }> }).labs[LAB]?.timer).toMatchObject({ limitMinutes: 60, warned: [15, 5], clockSetbacks: 1, frozenAttempt: expect.any(String) });
    expect((await reopen(file, clock)).get(LAB)?.timer).toEqual((saved as { labs: Record<string, { timer: object }> }).labs[LAB]?.timer);
  });
});
