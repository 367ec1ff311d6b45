import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { AttemptHistory } from '../../../../src/core/labs/history';
import { LabState, labStatus } from '../../../../src/core/labs/lab-state';
import { tempDir } from '../../helpers';

let tick = 0;
const clock = { now: () => new Date(Date.UTC(2026, 10, 27, 9, 0, tick++)) };
const files = (text: string) => new Map([['zero.ts', Buffer.from(text)]]);

describe('attempt history', () => {
  it('keeps every attempt with its files and report, newest first', async () => {
    const history = new AttemptHistory(await tempDir(), clock);
    const first = await history.save('core/zero-memory', { kind: 'graded', files: files('v1'), report: { status: 'fail', points: 40, maxPoints: 100 } });
    const second = await history.save('core/zero-memory', { kind: 'reset', files: files('v2') });
    const list = await history.list('core/zero-memory');
    expect(list.map((a) => a.id)).toEqual([second.id, first.id]);
    expect(list[1]).toMatchObject({ kind: 'graded', status: 'fail', points: 40, maxPoints: 100, files: ['zero.ts'] });
    expect(await readFile(history.filePath('core/zero-memory', first.id, 'zero.ts'), 'utf8')).toBe('v1');
    expect(await history.report('core/zero-memory', first.id)).toEqual({ status: 'fail', points: 40, maxPoints: 100 });
  });

  it('never shows a half-written attempt left by a crash, and clears it away', async () => {
    const root = await tempDir();
    const history = new AttemptHistory(root, clock);
    await history.save('core/zero-memory', { kind: 'graded', files: files('ok'), report: { status: 'pass', points: 100, maxPoints: 100 } });
    const crashed = path.join(history.dir('core/zero-memory'), '.incoming-2026-11-27T09-59-59-000Z-abc');
    await mkdir(path.join(crashed, 'files'), { recursive: true });
    await writeFile(path.join(crashed, 'files/zero.ts'), 'half');
    const list = await history.list('core/zero-memory');
    expect(list).toHaveLength(1);
    expect((await readdir(history.dir('core/zero-memory'))).some((n) => n.startsWith('.incoming-'))).toBe(false);
  });

  it('keeps attempts of different labs apart', async () => {
    const history = new AttemptHistory(await tempDir(), clock);
    await history.save('core/zero-memory', { kind: 'reset', files: files('a') });
    expect(await history.list('bootcamp/zero-memory')).toEqual([]);
  });
});

describe('lab state', () => {
  it('moves from not started to in progress to passed, keeping the best score', async () => {
    const file = path.join(await tempDir(), 'labs.json');
    const { state } = await LabState.open(file, clock);
    expect(state.status('core/zero-memory')).toBe('not-started');
    await state.started('core/zero-memory', '/work/zero-memory');
    expect(state.status('core/zero-memory')).toBe('in-progress');
    await state.graded('core/zero-memory', { points: 76.25, maxPoints: 100, status: 'fail' });
    await state.graded('core/zero-memory', { points: 40, maxPoints: 100, status: 'fail' });
    expect(state.get('core/zero-memory')).toMatchObject({ attempts: 2, passed: false, best: { points: 76.25 }, last: { points: 40 } });
    await state.graded('core/zero-memory', { points: 100, maxPoints: 100, status: 'pass' });
    expect(state.status('core/zero-memory')).toBe('passed');
    expect(await state.hintTaken('core/zero-memory')).toBe(1);
    const reopened = (await LabState.open(file, clock)).state;
    expect(reopened.get('core/zero-memory')).toMatchObject({ attempts: 3, passed: true, hintsTaken: 1, best: { points: 100 }, workspace: '/work/zero-memory' });
  });

  it('recovers from a corrupt file, keeping it as a backup', async () => {
    const file = path.join(await tempDir(), 'labs.json');
    await writeFile(file, '{"schemaVersion": 1, "labs": ');
    const { state, notice } = await LabState.open(file, clock);
    expect(notice).toMatchObject({ kind: 'recovered' });
    expect(state.status('core/zero-memory')).toBe('not-started');
  });

  it('derives the status from a record', () => {
    expect(labStatus(undefined)).toBe('not-started');
    expect(labStatus({ hintsTaken: 0, attempts: 0, passed: false })).toBe('not-started');
    expect(labStatus({ hintsTaken: 0, attempts: 1, passed: false })).toBe('in-progress');
    expect(labStatus({ hintsTaken: 0, attempts: 1, passed: true })).toBe('passed');
  });
});
