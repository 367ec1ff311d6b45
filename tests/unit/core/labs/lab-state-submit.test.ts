/** Submitting a take-home in a student pack counts as an attempt, and an export is remembered so unexported work can be shown. */
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Clock } from '../../../../src/core/io/clock';
import { hasUnexportedWork, LabState, type LabRecord } from '../../../../src/core/labs/lab-state';
import { startTimer } from '../../../../src/core/take-home/take-home-timer';
import { tempDir } from '../../helpers';

const START = new Date('2026-11-27T09:00:00.000Z');
const LAB = 'acme-take-home/latency-slo';

class FakeClock implements Clock {
  constructor(public current: Date = START) {}
  now(): Date {
    return new Date(this.current);
  }
}

describe('LabState submissions', () => {
  it('counts each Submit in a student pack as an attempt, across reopening', async () => {
    const file = path.join(await tempDir(), 'labs.json');
    const { state } = await LabState.open(file, new FakeClock());
    await state.started(LAB, '/tmp/latency-slo');
    expect((await state.submitted(LAB)).attempts).toBe(1);
    await state.submitted(LAB);
    expect((await LabState.open(file, new FakeClock())).state.get(LAB)?.attempts).toBe(2);
  });

  it('remembers the export, and shows a started take-home as unexported until then', async () => {
    const clock = new FakeClock();
    const { state } = await LabState.open(path.join(await tempDir(), 'labs.json'), clock);
    await state.startTimer(LAB, { scope: 'lab', minutes: 60 });
    expect(hasUnexportedWork(state.get(LAB))).toBe(true);
    clock.current = new Date(START.getTime() + 30 * 60_000);
    await state.exported(LAB);
    expect(state.get(LAB)?.exportedAt).toBe(clock.current.toISOString());
    expect(hasUnexportedWork(state.get(LAB))).toBe(false);
  });
});

describe('hasUnexportedWork', () => {
  const timer = startTimer({ scope: 'lab', minutes: 60 }, START);
  const record = (extra: Partial<LabRecord>): LabRecord => ({ hintsTaken: 0, attempts: 0, passed: false, ...extra });

  it('is false for labs without a clock (practice) and for none at all', () => {
    expect(hasUnexportedWork(undefined)).toBe(false);
    expect(hasUnexportedWork(record({ workspace: '/tmp/x' }))).toBe(false);
  });

  it('is true again when time ran out after the last export: the frozen files never left', () => {
    const frozen = { ...timer, frozenAt: '2026-11-27T10:00:01.000Z', frozenAttempt: 'a1' };
    expect(hasUnexportedWork(record({ timer: frozen, exportedAt: '2026-11-27T09:40:00.000Z' }))).toBe(true);
    expect(hasUnexportedWork(record({ timer: frozen, exportedAt: '2026-11-27T10:02:00.000Z' }))).toBe(false);
  });
});
