/**
 * What keeps windows in step beyond the lock: each window hears when another rewrote a shared file, and the
 * unpacked copies of zip packs are removed once no live window uses them.
 */
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { LabState } from '../../../../src/core/labs/lab-state';
import { PackCopies } from '../../../../src/core/packs/pack-cache';
import { watchStorage } from '../../../../src/core/io/storage-watch';
import { mergeTimer, type TimerRecord } from '../../../../src/core/take-home/take-home-timer';
import { tempDir } from '../../helpers';

/** Polls every 20 ms until `check` holds; fails after `timeoutMs`, saying what it waited for. */
const until = async (what: string, check: () => boolean, timeoutMs = 5000): Promise<void> => {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`waited ${timeoutMs} ms for ${what}; it never happened`);
    await new Promise((r) => setTimeout(r, 20));
  }
};

describe('watching the storage folder', () => {
  it('hears another window rewrite labs.json, once per burst, and not other files', async () => {
    const dir = await tempDir();
    const heard: string[] = [];
    // A debounce far longer than the burst takes, even on a busy machine, so the burst is one event.
    const watch = watchStorage(dir, ['labs.json', 'progress.json'], (name) => heard.push(name), 1000);
    try {
      const { state } = await LabState.open(path.join(dir, 'labs.json'));
      await state.hintTaken('core/zero-memory');
      await state.hintTaken('core/zero-memory');
      await writeFile(path.join(dir, 'notes.txt'), 'unrelated');
      await until('the watcher to report labs.json', () => heard.length > 0);
      // No fixed sleep to show that no second labs.json call follows: a write to progress.json afterwards has
      // the same debounce, so a late labs.json event (which the folder reports in order) would be heard first.
      await writeFile(path.join(dir, 'progress.json'), '{}');
      await until('the watcher to report progress.json', () => heard.includes('progress.json'));
      expect(heard).toEqual(['labs.json', 'progress.json']);
    } finally {
      watch.dispose();
    }
  });

  it('refreshes the other window: its listeners hear the lab graded elsewhere', async () => {
    const dir = await tempDir();
    const file = path.join(dir, 'labs.json');
    const { state: first } = await LabState.open(file);
    const { state: labWindow } = await LabState.open(file);
    const heard: string[] = [];
    first.onDidChange((ids) => heard.push(...ids));
    const watch = watchStorage(dir, ['labs.json'], () => void first.refresh(), 50);
    try {
      await labWindow.graded('core/zero-memory', { points: 100, maxPoints: 100, status: 'pass' });
      await until('the first window to hear the lab graded in the other', () => heard.includes('core/zero-memory'));
      expect(first.status('core/zero-memory')).toBe('passed');
    } finally {
      watch.dispose();
    }
  });

  it('does nothing, and does not throw, when the folder cannot be made', async () => {
    const dir = await tempDir();
    await writeFile(path.join(dir, 'file'), '');
    const watch = watchStorage(path.join(dir, 'file', 'storage'), ['labs.json'], () => undefined);
    watch.dispose();
  });
});

describe('merging a clock reading into the stored clock', () => {
  const stored: TimerRecord = {
    startedAt: '2026-12-07T09:00:00.000Z',
    deadline: '2026-12-07T10:00:00.000Z',
    limitMinutes: 60,
    highWater: '2026-12-07T09:30:00.000Z',
    warned: [15],
    clockSetbacks: 1,
  };

  it('keeps the start and deadline, the later high-water mark, every warning and the most setbacks', () => {
    const mine: TimerRecord = { ...stored, startedAt: '2026-12-07T09:05:00.000Z', highWater: '2026-12-07T09:56:00.000Z', warned: [5], clockSetbacks: 0 };
    expect(mergeTimer(stored, mine)).toEqual({ ...stored, highWater: mine.highWater, warned: [15, 5], clockSetbacks: 1 });
    expect(mergeTimer(stored, { ...stored, highWater: '2026-12-07T09:10:00.000Z' }).highWater).toBe(stored.highWater);
  });

  it('keeps a freeze from either side, the stored one first', () => {
    const frozenHere = { ...stored, frozenAt: '2026-12-07T10:00:01.000Z', frozenAttempt: 'mine' };
    expect(mergeTimer(stored, frozenHere)).toMatchObject({ frozenAt: frozenHere.frozenAt, frozenAttempt: 'mine' });
    const frozenThere = { ...stored, frozenAt: '2026-12-07T10:00:02.000Z', frozenAttempt: 'theirs' };
    expect(mergeTimer(frozenThere, frozenHere)).toMatchObject({ frozenAt: frozenThere.frozenAt, frozenAttempt: 'theirs' });
  });

  it('takes the reading whole when nothing is stored yet', () => {
    expect(mergeTimer(undefined, stored)).toBe(stored);
  });
});

describe('unpacked copies of zip packs', () => {
  const copy = (n: number) => String(n).repeat(32).slice(0, 32);

  async function cache(): Promise<string> {
    const root = await tempDir();
    for (const n of [1, 2, 3]) await mkdir(path.join(root, copy(n), 'labs'), { recursive: true });
    await mkdir(path.join(root, `${copy(4)}.tmp-77-abcd`));
    return root;
  }

  const copies = async (root: string) => (await readdir(root)).filter((n) => /^[0-9a-f]{32}$/.test(n)).sort();

  it("removes a removed pack's copy only after the last window using it lets go", async () => {
    const root = await cache();
    const alive = new Set([101, 102]);
    const windowA = new PackCopies(root, 'a', 101, (pid) => alive.has(pid));
    const windowB = new PackCopies(root, 'b', 102, (pid) => alive.has(pid));
    await windowA.settle([copy(1), copy(2)]);
    await windowB.settle([copy(2)]);
    // Copy 3 was used by no one: gone at the first tidy. A half-unpacked temp folder is never touched.
    expect(await copies(root)).toEqual([copy(1), copy(2)]);
    expect(await readdir(root)).toContain(`${copy(4)}.tmp-77-abcd`);
    // The pack of copy 2 is removed from the setting: window A lets go first, B still uses it.
    await windowA.settle([copy(1)]);
    expect(await copies(root)).toEqual([copy(1), copy(2)]);
    await windowB.settle([]);
    expect(await copies(root)).toEqual([copy(1)]);
  });

  it('counts a crashed window as having let go', async () => {
    const root = await cache();
    const alive = new Set([201, 999]);
    await new PackCopies(root, 'crashed', 999, (pid) => alive.has(pid)).settle([copy(1), copy(2), copy(3)]);
    alive.delete(999);
    const removed = await new PackCopies(root, 'live', 201, (pid) => alive.has(pid)).settle([copy(3)]);
    expect(removed.sort()).toEqual([copy(1), copy(2)]);
    expect(await readdir(path.join(root, '.holders'))).toEqual(['live.json']);
  });

  it('never removes a copy a window holds before unpacking it', async () => {
    const root = await cache();
    const alive = () => true;
    const opening = new PackCopies(root, 'opening', 301, alive);
    await opening.hold(copy(3));
    await new PackCopies(root, 'tidying', 302, alive).settle([]);
    expect(await copies(root)).toEqual([copy(3)]);
  });
});
