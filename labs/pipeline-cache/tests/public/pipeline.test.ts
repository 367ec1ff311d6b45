import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import { backfill, cacheKey, runPipeline, type Json, type PartitionRecord, type StepDef } from '../src/pipeline';

// The tests hand the runner a real SHA-256 from Node; your code only ever calls the function it is given.
const sha256 = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

/** A sleeper on simulated time: it records each delay and returns at once. */
function fakeSleep(): { sleep: (ms: number) => Promise<void>; sleeps: number[] } {
  const sleeps: number[] = [];
  return { sleep: async (ms) => void sleeps.push(ms), sleeps };
}

/** raw → clean → train; every step counts its executions in `counts`. */
function pipeline(counts: Record<string, number>, lr: number): StepDef[] {
  const hit = (id: string) => (counts[id] = (counts[id] ?? 0) + 1);
  return [
    { id: 'raw', definition: { table: 'events' }, run: () => (hit('raw'), [3, 1, 2]) },
    { id: 'clean', upstream: ['raw'], definition: { sort: true }, run: (ctx) => (hit('clean'), [...(ctx.inputs.raw as number[])].sort()) },
    { id: 'train', upstream: ['clean'], definition: { lr }, run: (ctx) => (hit('train'), `model(${String(ctx.inputs.clean)}, lr=${lr})`) },
  ];
}

describe('public: keys', () => {
  it('hashes the canonical JSON of a spec, whatever its key order', () => {
    const spec = { component: 'train', image: 'python:3.11', command: ['python', 'train.py'], inputs: { lr: 0.01, epochs: 5, data_digest: 'sha256:abc' } };
    assert.equal(cacheKey(spec, sha256), '22aee90e3da0d70a75d5ad6ae820445c2e842b0f56eb2aeb85a5262ac62d47e9');
  });
});

describe('public: runner', () => {
  it('runs steps in dependency order and retries with exponential backoff', async () => {
    const time = fakeSleep();
    const counts: Record<string, number> = {};
    const steps = pipeline(counts, 0.1).map((s) =>
      s.id === 'clean' ? { ...s, retries: 3, run: (ctx: Parameters<StepDef['run']>[0]) => (ctx.attempt < 3 ? Promise.reject(new Error('flaky')) : s.run(ctx)) } : s,
    );
    const result = await runPipeline(steps, { hash: sha256, sleep: time.sleep });
    assert.equal(result.state, 'success');
    assert.deepEqual(result.executed, ['raw', 'clean', 'train']);
    assert.equal(result.steps.clean.attempts, 3);
    assert.deepEqual(time.sleeps, [300_000, 600_000]);
    assert.equal(result.steps.train.output, 'model(1,2,3, lr=0.1)');
  });
});

describe('public: caching', () => {
  it('executes nothing on an unchanged rerun, and only train after lr changes', async () => {
    const cache = new Map<string, Json>();
    const counts: Record<string, number> = {};
    const options = { hash: sha256, sleep: fakeSleep().sleep, cache };
    await runPipeline(pipeline(counts, 0.1), options);
    await runPipeline(pipeline(counts, 0.1), options);
    assert.deepEqual(counts, { raw: 1, clean: 1, train: 1 });
    await runPipeline(pipeline(counts, 0.2), options);
    assert.deepEqual(counts, { raw: 1, clean: 1, train: 2 });
  });
});

describe('public: backfill', () => {
  it('fills each ended daily partition once; a second backfill executes nothing', async () => {
    const counts: Record<string, number> = {};
    const store = new Map<string, PartitionRecord>();
    const run = () =>
      backfill({
        hash: sha256,
        sleep: fakeSleep().sleep,
        from: '2024-01-01',
        to: '2024-01-04',
        store,
        clock: () => Date.UTC(2024, 0, 3, 6),
        build: (interval) => [{ id: 'count', definition: { ds: interval.logicalDate }, run: () => ((counts[interval.logicalDate] = 1 + (counts[interval.logicalDate] ?? 0)), 1) }],
      });
    const first = await run();
    assert.deepEqual(first.ran, ['2024-01-01', '2024-01-02']);
    assert.deepEqual(first.notDue, ['2024-01-03']);
    const second = await run();
    assert.deepEqual(second.ran, []);
    assert.deepEqual(counts, { '2024-01-01': 1, '2024-01-02': 1 });
  });
});
