/**
 * Two (and three) windows on one storage folder: each keeps its own in-memory copy, opened before the others
 * wrote, and changes the shared files in every order. No change may be lost, a crashed writer's lock must not
 * block the next one beyond the stale time, and separate processes writing at once must all land.
 */
import { spawn } from 'node:child_process';
import { mkdir, readFile, utimes, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { esbuildSchemaValidators } from '../../../../scripts/schema-validators.mjs';
import type { Clock } from '../../../../src/core/io/clock';
import { fileLocker, type Locker } from '../../../../src/core/io/file-lock';
import { LabState, type LabRecord } from '../../../../src/core/labs/lab-state';
import { ProgressBook } from '../../../../src/core/progress/progress-book';
import { ProgressStore } from '../../../../src/core/progress/progress-store';
import { readTimer, type TimerRecord } from '../../../../src/core/take-home/take-home-timer';
import { tempDir } from '../../helpers';

const START = Date.parse('2026-12-07T09:00:00.000Z');
const LAB = 'core/zero-memory';

/** One clock for all windows, moved a second per change, so every record's time is distinct and known. */
class StepClock implements Clock {
  private ticks = 0;
  now(): Date {
    return new Date(START + this.ticks++ * 1000);
  }
}

/** A change a window makes to labs.json, and what must be true of the lab's record once all changes landed. */
interface LabOp {
  kind: string;
  run(state: LabState, window: number): Promise<unknown>;
}

const labOps: LabOp[] = [
  { kind: 'start', run: (s, w) => s.started(LAB, `/labs/window-${w}`) },
  { kind: 'grade', run: (s, w) => s.graded(LAB, { points: 10 + w, maxPoints: 100, status: 'fail' }) },
  { kind: 'hint', run: (s) => s.hintTaken(LAB) },
  { kind: 'clock', run: (s) => s.startTimer(LAB, { scope: 'lab', minutes: 60 }) },
  { kind: 'warn', run: (s, w) => s.saveTimer(LAB, warnedTimer(w)) },
  { kind: 'integrity', run: (s) => s.recordIntegrity(LAB, (r) => ({ ...r, lateEdits: r.lateEdits + 1, openMs: r.openMs + 1000 })) },
  { kind: 'other-lab', run: (s, w) => s.graded(`core/other-${w}`, { points: 100, maxPoints: 100, status: 'pass' }) },
];

/** A window's reading of a clock it found running: it has given the 15-minute warning. */
function warnedTimer(window: number): TimerRecord {
  const start = new Date(START).toISOString();
  return {
    startedAt: start,
    deadline: new Date(START + 3_600_000).toISOString(),
    limitMinutes: 60,
    highWater: new Date(START + window * 60_000).toISOString(),
    warned: [15],
    clockSetbacks: 0,
  };
}

/** What the record must hold after `done` (op kind and window, in the order they ran). */
function expectAllLanded(record: LabRecord | undefined, all: Record<string, LabRecord>, done: { kind: string; window: number }[]): void {
  const count = (kind: string) => done.filter((d) => d.kind === kind).length;
  const of = (kind: string) => done.filter((d) => d.kind === kind);
  if (count('start')) expect(record?.workspace).toBe(`/labs/window-${of('start').at(-1)?.window}`);
  expect(record?.attempts ?? 0).toBe(count('grade'));
  if (count('grade')) expect(record?.best?.points).toBe(Math.max(...of('grade').map((g) => 10 + g.window)));
  expect(record?.hintsTaken ?? 0).toBe(count('hint'));
  expect(record?.integrity?.lateEdits ?? 0).toBe(count('integrity'));
  expect(record?.integrity?.openMs ?? 0).toBe(1000 * count('integrity'));
  if (count('warn')) expect(record?.timer?.warned).toContain(15);
  if (count('clock') || count('warn')) expect(record?.timer?.deadline).toBeDefined();
  for (const other of of('other-lab')) expect(all[`core/other-${other.window}`]?.passed).toBe(true);
}

async function windows(file: string, n: number, clock: Clock): Promise<LabState[]> {
  // Every window opens before any writes: each holds a copy that goes stale at once.
  return Promise.all(Array.from({ length: n }, async () => (await LabState.open(file, clock)).state));
}

/** A deterministic shuffle (mulberry32), so a failing order can be replayed from its seed. */
function shuffled<T>(items: T[], seed: number): T[] {
  let a = seed;
  const random = () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [copy[i], copy[j]] = [copy[j] as T, copy[i] as T];
  }
  return copy;
}

describe('labs.json shared by windows', () => {
  it('keeps the score a lab window recorded when the first window starts another lab (the reported loss)', async () => {
    const file = path.join(await tempDir(), 'labs.json');
    const clock = new StepClock();
    const [first, labWindow] = await windows(file, 2, clock);
    await first?.started('core/zero-memory', '/labs/zero-memory');
    await labWindow?.graded('core/zero-memory', { points: 80, maxPoints: 100, status: 'fail' });
    await first?.started('core/quantization', '/labs/quantization');
    const saved = (await LabState.open(file, clock)).state;
    expect(saved.get('core/zero-memory')).toMatchObject({ workspace: '/labs/zero-memory', attempts: 1, best: { points: 80 } });
    expect(saved.get('core/quantization')?.workspace).toBe('/labs/quantization');
    // The first window's own copy caught up with the grade too, without a reload.
    expect(first?.get('core/zero-memory')?.best?.points).toBe(80);
  });

  it.each(labOps.flatMap((a) => labOps.map((b) => [a.kind, b.kind] as const)))(
    'keeps both changes when one window does %s and another %s',
    async (kindA, kindB) => {
      const file = path.join(await tempDir(), 'labs.json');
      const clock = new StepClock();
      const [a, b] = await windows(file, 2, clock);
      const opA = labOps.find((o) => o.kind === kindA) as LabOp;
      const opB = labOps.find((o) => o.kind === kindB) as LabOp;
      await opA.run(a as LabState, 1);
      await opB.run(b as LabState, 2);
      const saved = (await LabState.open(file, clock)).state;
      const all = JSON.parse(await readFile(file, 'utf8')).labs as Record<string, LabRecord>;
      expectAllLanded(saved.get(LAB), all, [
        { kind: kindA, window: 1 },
        { kind: kindB, window: 2 },
      ]);
    },
  );

  it.each([11, 22, 33, 44, 55, 66])('keeps every change of three windows interleaving all kinds of change (order seed %i)', async (seed) => {
    const file = path.join(await tempDir(), 'labs.json');
    const clock = new StepClock();
    const states = await windows(file, 3, clock);
    const plan = shuffled(
      labOps.flatMap((op) => [1, 2, 3].map((window) => ({ op, window }))),
      seed,
    );
    // Some changes run at the same moment from different windows, as a grade and a timer tick can.
    for (let i = 0; i < plan.length; i += 3) {
      await Promise.all(plan.slice(i, i + 3).map(({ op, window }) => op.run(states[window - 1] as LabState, window)));
    }
    const saved = (await LabState.open(file, clock)).state;
    const all = JSON.parse(await readFile(file, 'utf8')).labs as Record<string, LabRecord>;
    // Same-moment changes land in lock order; the last start decides the workspace, so check it apart.
    const done = plan.map(({ op, window }) => ({ kind: op.kind, window })).filter((d) => d.kind !== 'start');
    expectAllLanded(saved.get(LAB), all, done);
    expect(saved.get(LAB)?.workspace).toMatch(/^\/labs\/window-[123]$/);
    // Every window's own copy ends with every change once it reads the file again.
    for (const state of states) {
      await state.refresh();
      expect(state.get(LAB)).toEqual(saved.get(LAB));
    }
  });

  it('never resets a take-home clock another window started, and keeps a freeze another window recorded', async () => {
    const file = path.join(await tempDir(), 'labs.json');
    const clock = new StepClock();
    const [a, b] = await windows(file, 2, clock);
    const started = await a?.startTimer(LAB, { scope: 'lab', minutes: 60 });
    const again = await b?.startTimer(LAB, { scope: 'lab', minutes: 60 });
    expect(again).toEqual(started);
    // Window A freezes the submission; window B, which has not heard yet, saves a later tick of its own.
    await a?.saveTimer(LAB, { ...(started as TimerRecord), frozenAt: '2026-12-07T10:00:00.000Z', frozenAttempt: 'attempt-1' });
    const tick = readTimer(started as TimerRecord, new Date(START + 61 * 60_000)).record;
    const merged = await b?.saveTimer(LAB, tick);
    expect(merged).toMatchObject({
      frozenAt: '2026-12-07T10:00:00.000Z',
      frozenAttempt: 'attempt-1',
      startedAt: started?.startedAt,
      deadline: started?.deadline,
    });
    expect(merged?.highWater).toBe(tick.highWater);
  });

  it('joins a pack-wide clock that another window started for another lab of the pack', async () => {
    const file = path.join(await tempDir(), 'labs.json');
    const clock = new StepClock();
    const [a, b] = await windows(file, 2, clock);
    const first = await a?.startTimer('acme/one', { scope: 'pack', minutes: 90 });
    const second = await b?.startTimer('acme/two', { scope: 'pack', minutes: 90 });
    expect(second).toMatchObject({ startedAt: first?.startedAt, deadline: first?.deadline });
  });

  it('tells its listeners which labs another window changed when it refreshes', async () => {
    const file = path.join(await tempDir(), 'labs.json');
    const clock = new StepClock();
    const [a, b] = await windows(file, 2, clock);
    const heard: string[][] = [];
    a?.onDidChange((ids) => heard.push([...ids]));
    await b?.graded(LAB, { points: 90, maxPoints: 100, status: 'fail' });
    await a?.refresh();
    expect(heard).toEqual([[LAB]]);
    await a?.refresh();
    expect(heard).toHaveLength(1);
  });
});

describe('progress.json shared by windows', () => {
  const open = async (file: string, clock: Clock) => (await ProgressBook.open(new ProgressStore(file, clock), clock)).book;

  it('keeps both ratings when two windows rate different questions (the reported loss)', async () => {
    const file = path.join(await tempDir(), 'progress.json');
    const clock = new StepClock();
    const [a, b] = await Promise.all([open(file, clock), open(file, clock)]);
    await a.rate('core/a', 'good');
    await b.rate('core/b', 'again');
    const saved = await open(file, clock);
    expect(saved.state('core/a')).toBe('learning');
    expect(saved.state('core/b')).toBe('learning');
  });

  it.each([
    ['rate, rate the same question', async (a: ProgressBook, b: ProgressBook) => (await a.rate('core/q', 'good'), await b.rate('core/q', 'hard')), 2],
    ['reveal, rate', async (a: ProgressBook, b: ProgressBook) => (await a.markRevealed('core/q'), await b.rate('core/q', 'easy')), 1],
    ['rate, reveal', async (a: ProgressBook, b: ProgressBook) => (await a.rate('core/q', 'easy'), await b.markRevealed('core/q')), 1],
    [
      'at the same moment',
      async (a: ProgressBook, b: ProgressBook) => void (await Promise.all([a.rate('core/q', 'good'), b.rate('core/q', 'good'), a.rate('core/q', 'again')])),
      3,
    ],
  ])('keeps every rating of one question across windows: %s', async (_name, run, ratings) => {
    const file = path.join(await tempDir(), 'progress.json');
    const clock = new StepClock();
    const [a, b] = await Promise.all([open(file, clock), open(file, clock)]);
    await run(a, b);
    const data = JSON.parse(await readFile(file, 'utf8'));
    expect(data.questions['core/q'].ratings).toHaveLength(ratings);
    if (_name.includes('reveal')) expect(data.questions['core/q'].revealedAt).toBeDefined();
  });

  it('does not offer as due a question another window just rated', async () => {
    const file = path.join(await tempDir(), 'progress.json');
    let now = new Date(START);
    const clock = { now: () => now };
    const [a, b] = await Promise.all([open(file, clock), open(file, clock)]);
    await a.rate('core/q', 'again');
    now = new Date(START + 86_400_000);
    await b.refresh();
    expect(b.dueIds()).toEqual(['core/q']);
    await a.rate('core/q', 'easy');
    await b.refresh();
    expect(b.dueIds()).toEqual([]);
  });
});

describe('the lock', () => {
  it('takes over a lock a crashed window left behind once it is stale', async () => {
    const dir = await tempDir();
    const file = path.join(dir, 'labs.json');
    await mkdir(`${file}.lock`);
    const old = new Date(Date.now() - 60_000);
    await utimes(`${file}.lock`, old, old);
    const { state } = await LabState.open(file, new StepClock());
    await state.graded(LAB, { points: 50, maxPoints: 100, status: 'fail' });
    expect((await LabState.open(file, new StepClock())).state.get(LAB)?.attempts).toBe(1);
  });

  it('is not blocked for good by a writer killed while it held the lock', async () => {
    const dir = await tempDir();
    const file = path.join(dir, 'labs.json');
    const staleMs = 2000;
    // A separate process takes the lock and is killed with it held, as a crashed window would be.
    const take = `require(${JSON.stringify(require.resolve('proper-lockfile'))}).lock(${JSON.stringify(file)}, { realpath: false, stale: ${staleMs} }).then(() => process.send('locked'))`;
    const holder = spawn(process.execPath, ['-e', take], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
    await new Promise<void>((resolve, reject) => {
      holder.once('message', () => resolve());
      holder.once('exit', (code) => reject(new Error(`the lock holder exited early (${code})`)));
    });
    holder.kill('SIGKILL');
    const started = Date.now();
    const { state } = await LabState.open(file, new StepClock(), fileLocker(staleMs));
    await state.hintTaken(LAB);
    const waited = Date.now() - started;
    expect((await LabState.open(file, new StepClock())).state.get(LAB)?.hintsTaken).toBe(1);
    // It waited for the lock to go stale (the holder's last refresh), not longer than a few stale periods.
    expect(waited).toBeLessThan(staleMs * 4);
  });

  it('ends with every change of separate processes writing at the same time', async () => {
    const dir = await tempDir();
    const script = path.join(dir, 'writer.cjs');
    await build({
      entryPoints: [path.join(__dirname, 'shared-state-writer.ts')],
      bundle: true,
      platform: 'node',
      format: 'cjs',
      outfile: script,
      logLevel: 'silent',
      plugins: [esbuildSchemaValidators],
    });
    const labs = path.join(dir, 'labs.json');
    const progress = path.join(dir, 'progress.json');
    const perProcess = 15;
    const runs = [1, 2, 3].map(
      (n) =>
        new Promise<number>((resolve) => {
          const child = spawn(process.execPath, [script, labs, progress, String(n), String(perProcess)], { stdio: ['ignore', 'ignore', 'inherit'] });
          child.on('exit', (code) => resolve(code ?? -1));
        }),
    );
    expect(await Promise.all(runs)).toEqual([0, 0, 0]);
    const lab = (await LabState.open(labs, new StepClock())).state.get(LAB);
    expect(lab?.attempts).toBe(3 * perProcess);
    expect(lab?.hintsTaken).toBe(3 * perProcess);
    const data = JSON.parse(await readFile(progress, 'utf8'));
    for (const n of [1, 2, 3]) expect(data.questions[`core/process-${n}`].ratings).toHaveLength(perProcess);
  });
});

describe('storage that cannot be written', () => {
  it('works read-only, with a reason, when a folder stands where labs.json should be', async () => {
    const dir = await tempDir();
    const file = path.join(dir, 'labs.json');
    await mkdir(file);
    const { state, notice } = await LabState.open(file, new StepClock());
    expect(notice).toMatchObject({ kind: 'read-only', reason: expect.stringMatching(/is a folder, not a file/) });
    await state.graded(LAB, { points: 70, maxPoints: 100, status: 'fail' });
    expect(state.get(LAB)?.attempts).toBe(1);
  });

  it('works read-only, with a reason, when the storage folder is a file', async () => {
    const dir = await tempDir();
    await writeFile(path.join(dir, 'storage'), 'not a folder');
    const file = path.join(dir, 'storage', 'progress.json');
    const clock = new StepClock();
    const { book, notice } = await ProgressBook.open(new ProgressStore(file, clock), clock);
    expect(notice).toMatchObject({ kind: 'read-only', reason: expect.stringMatching(/cannot be written \(E(NOTDIR|EXIST)\)/) });
    await book.rate('core/q', 'good');
    expect(book.state('core/q')).toBe('learning');
  });

  it('turns read-only, and says so once, when the lock cannot be made (permission denied)', async () => {
    const dir = await tempDir();
    const file = path.join(dir, 'labs.json');
    await writeFile(file, JSON.stringify({ schemaVersion: 1, labs: { [LAB]: { hintsTaken: 2, attempts: 0, passed: false } } }));
    let denied = false;
    const locker: Locker = async (target) => {
      if (denied) throw Object.assign(new Error(`EACCES: permission denied, mkdir '${target}.lock'`), { code: 'EACCES' });
      return fileLocker()(target);
    };
    const { state } = await LabState.open(file, new StepClock(), locker);
    denied = true;
    const notices: string[] = [];
    state.onNotice((n) => notices.push(n.kind === 'read-only' ? n.reason : n.kind));
    expect(await state.hintTaken(LAB)).toBe(3);
    expect(await state.hintTaken(LAB)).toBe(4);
    expect(notices).toEqual([expect.stringMatching(/cannot be written \(EACCES\)/)]);
    expect(JSON.parse(await readFile(file, 'utf8')).labs[LAB].hintsTaken).toBe(2);
  });

  it('never writes a file a newer version of the extension wrote, even when another window changes it', async () => {
    const dir = await tempDir();
    const file = path.join(dir, 'labs.json');
    const future = JSON.stringify({ schemaVersion: 9, labs: {}, newer: true });
    await writeFile(file, future);
    const { state, notice } = await LabState.open(file, new StepClock());
    expect(notice).toMatchObject({ kind: 'read-only', reason: expect.stringMatching(/newer version/) });
    await state.graded(LAB, { points: 1, maxPoints: 100, status: 'fail' });
    await state.refresh();
    expect(await readFile(file, 'utf8')).toBe(future);
  });
});
