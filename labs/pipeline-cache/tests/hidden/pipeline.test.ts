import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import {
  PipelineDefinitionError,
  backfill,
  cacheKey,
  canonicalJson,
  dailyIntervals,
  outputDigest,
  runPipeline,
  type DataInterval,
  type Json,
  type PartitionRecord,
  type RunOptions,
  type StepDef,
} from '../src/pipeline';

// ---------------------------------------------------------------------------------------------------------
// Helpers. Nothing here reads the wall clock: time is a number the fake sleeper moves.

const sha256 = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

const SECOND = 1000;
const DAY = 86_400_000;

/** A clock and a sleeper on simulated time: sleep(ms) records ms and moves the clock at once. */
function fakeTime(start = 0): { clock: () => number; sleep: (ms: number) => Promise<void>; sleeps: number[] } {
  let now = start;
  const sleeps: number[] = [];
  return {
    clock: () => now,
    sleep: async (ms: number) => {
      sleeps.push(ms);
      now += ms;
    },
    sleeps,
  };
}

function options(extra: Partial<RunOptions> = {}): RunOptions {
  return { hash: sha256, sleep: fakeTime().sleep, ...extra };
}

/** Lets every pending promise chain run: a macrotask comes only after all queued microtasks. */
async function settle(): Promise<void> {
  for (let i = 0; i < 3; i += 1) await new Promise<void>((resolve) => setImmediate(resolve));
}

interface Deferred<T> {
  promise: Promise<T>;
  resolve: (value: T) => void;
  reject: (error: unknown) => void;
}

function deferred<T>(): Deferred<T> {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((ok, fail) => {
    resolve = ok;
    reject = fail;
  });
  return { promise, resolve, reject };
}

/** Counts how often each step's run is called. */
class Executions {
  readonly counts: Record<string, number> = {};
  hit(id: string): void {
    this.counts[id] = (this.counts[id] ?? 0) + 1;
  }
  total(): number {
    return Object.values(this.counts).reduce((a, b) => a + b, 0);
  }
  reset(): void {
    for (const id of Object.keys(this.counts)) delete this.counts[id];
  }
}

function step(id: string, upstream: string[], definition: Json, run: StepDef['run'], extra: Partial<StepDef> = {}): StepDef {
  return { id, upstream, definition, run, ...extra };
}

interface TrainingConfig {
  snapshot: string;
  rows: number;
  window: number;
  featuresVersion: string;
  lr: number;
  ingestCache?: boolean;
}

const BASE: TrainingConfig = { snapshot: '2024-06-01', rows: 1000, window: 7, featuresVersion: 'v1', lr: 0.01 };

/**
 * ingest → validate → report
 *        ↘ features → train → evaluate
 *          validate ↗
 * Every step counts its executions and computes its output from its inputs only.
 */
function trainingPipeline(log: Executions, config: Partial<TrainingConfig> = {}): StepDef[] {
  const c = { ...BASE, ...config };
  const input = (ctx: { inputs: Readonly<Record<string, Json>> }, id: string): Record<string, Json> => ctx.inputs[id] as Record<string, Json>;
  return [
    step(
      'ingest',
      [],
      { component: 'ingest', source: 's3://lake/events', snapshot: c.snapshot },
      () => {
        log.hit('ingest');
        return { rows: c.rows };
      },
      c.ingestCache === undefined ? {} : { cache: c.ingestCache },
    ),
    step('validate', ['ingest'], { component: 'validate', rules: ['not_null', 'unique_id'] }, (ctx) => {
      log.hit('validate');
      return { ok: true, rows: input(ctx, 'ingest').rows };
    }),
    step('features', ['ingest'], { component: 'features', window: c.window, version: c.featuresVersion }, (ctx) => {
      log.hit('features');
      return { columns: 12, rows: (input(ctx, 'ingest').rows as number) * c.window };
    }),
    step('train', ['features', 'validate'], { component: 'train', image: 'python:3.11', lr: c.lr }, async (ctx) => {
      log.hit('train');
      return { model: `model-${input(ctx, 'features').rows}-${c.lr}` };
    }),
    step('evaluate', ['train'], { component: 'evaluate', metric: 'auc' }, (ctx) => {
      log.hit('evaluate');
      return { auc: 0.9, model: input(ctx, 'train').model };
    }),
    step('report', ['validate'], { component: 'report' }, (ctx) => {
      log.hit('report');
      return { text: `validated ${input(ctx, 'validate').rows} rows` };
    }),
  ];
}

const LAB_FACTS_SPEC = { component: 'train', image: 'python:3.11', command: ['python', 'train.py'], inputs: { lr: 0.01, epochs: 5, data_digest: 'sha256:abc' } };
const LAB_FACTS_CANONICAL = '{"command":["python","train.py"],"component":"train","image":"python:3.11","inputs":{"data_digest":"sha256:abc","epochs":5,"lr":0.01}}';

// ---------------------------------------------------------------------------------------------------------
// Task 1

describe('keys', () => {
  it('canonicalises the LAB_FACTS spec and hashes it to 22aee90e…', () => {
    assert.equal(canonicalJson(LAB_FACTS_SPEC), LAB_FACTS_CANONICAL);
    assert.equal(cacheKey(LAB_FACTS_SPEC, sha256), '22aee90e3da0d70a75d5ad6ae820445c2e842b0f56eb2aeb85a5262ac62d47e9');
  });

  it('gives the same key whatever the key order, and fbdbf1f6… once lr is 0.02', () => {
    const reordered = { inputs: { data_digest: 'sha256:abc', epochs: 5, lr: 0.01 }, command: ['python', 'train.py'], image: 'python:3.11', component: 'train' };
    assert.equal(cacheKey(reordered, sha256), '22aee90e3da0d70a75d5ad6ae820445c2e842b0f56eb2aeb85a5262ac62d47e9');
    const changed = { ...LAB_FACTS_SPEC, inputs: { ...LAB_FACTS_SPEC.inputs, lr: 0.02 } };
    assert.equal(cacheKey(changed, sha256), 'fbdbf1f685d26c76503cf8ce42f7d27cbc97037b95368d2a5d455413030b1ff9');
  });

  it('hashes {} to 44136fa3… and calls the injected hash once, on the canonical text', () => {
    assert.equal(cacheKey({}, sha256), '44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a');
    const seen: string[] = [];
    const key = cacheKey({ b: [1, 2], a: 'x' }, (text) => {
      seen.push(text);
      return 'K';
    });
    assert.equal(key, 'K');
    assert.deepEqual(seen, ['{"a":"x","b":[1,2]}']);
  });

  it('sorts keys at every depth, inside arrays too, and keeps array order', () => {
    const value = { z: [{ y: 1, x: [{ d: 4, c: 3 }] }, 'b', 'a'], a: { c: { f: null, e: false }, b: true } };
    assert.equal(canonicalJson(value), '{"a":{"b":true,"c":{"e":false,"f":null}},"z":[{"x":[{"c":3,"d":4}],"y":1},"b","a"]}');
    assert.equal(canonicalJson([]), '[]');
    assert.equal(canonicalJson([[], {}]), '[[],{}]');
  });

  it('orders keys as strings by code point: "10" before "9", a shorter prefix first, U+FF01 before U+1F600', () => {
    assert.equal(canonicalJson({ 9: 'nine', 10: 'ten', a: 1 }), '{"10":"ten","9":"nine","a":1}');
    assert.equal(canonicalJson({ ab: 2, a: 1, b: 4, aa: 3 }), '{"a":1,"aa":3,"ab":2,"b":4}');
    assert.equal(canonicalJson({ '\u{1F600}': 'grin', '\uFF01': 'bang', é: 'e' }), '{"é":"e","！":"bang","😀":"grin"}');
  });

  it('writes numbers as Python does for integers and decimals: 5.0 as 5, -0 as 0, no exponent for 0.0001', () => {
    assert.equal(canonicalJson([5.0, -3, 0, -0, 0.01, -1.5, 0.0001, 0.1 + 0.2, 123456789012345]), '[5,-3,0,0,0.01,-1.5,0.0001,0.30000000000000004,123456789012345]');
    assert.equal(canonicalJson(42), '42');
    assert.equal(canonicalJson(true), 'true');
    assert.equal(canonicalJson(null), 'null');
  });

  it('keeps non-ASCII text as it is and escapes only what JSON must', () => {
    assert.equal(canonicalJson({ name: 'café 日本 😀', path: 'a/b' }), '{"name":"café 日本 😀","path":"a/b"}');
    assert.equal(canonicalJson('say "hi"\\\n\t\u001f\u2028'), '"say \\"hi\\"\\\\\\n\\t\\u001f\u2028"');
    assert.equal(canonicalJson({ 'k"\n': 1 }), '{"k\\"\\n":1}');
  });

  it('rejects what is not JSON with a TypeError: NaN, ±Infinity, undefined, functions, bigints', () => {
    const bad: unknown[] = [NaN, Infinity, -Infinity, undefined, () => 1, 10n, { a: undefined }, [1, undefined], { a: { b: NaN } }, [Symbol('s')]];
    bad.forEach((value, i) => assert.throws(() => canonicalJson(value as Json), TypeError, `case ${i}`));
    assert.throws(() => cacheKey({ lr: NaN }, sha256), TypeError);
  });

  it('digests an output as "sha256:" + the hash of its canonical JSON', () => {
    assert.equal(outputDigest({}, sha256), 'sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a');
    assert.equal(outputDigest({ rows: 3, cols: [1, 2] }, sha256), `sha256:${sha256('{"cols":[1,2],"rows":3}')}`);
    assert.equal(outputDigest(null, sha256), `sha256:${sha256('null')}`);
  });
});

// ---------------------------------------------------------------------------------------------------------
// Task 2

describe('runner', () => {
  it('runs every step after all its upstream steps and hands it their outputs', async () => {
    const log = new Executions();
    const seen: Record<string, Readonly<Record<string, Json>>> = {};
    const steps = trainingPipeline(log).map((s) => ({
      ...s,
      run: (ctx: Parameters<StepDef['run']>[0]) => {
        seen[ctx.id] = ctx.inputs;
        return s.run(ctx);
      },
    }));
    const result = await runPipeline(steps, options({ maxParallel: 1 }));
    assert.equal(result.state, 'success');
    assert.deepEqual(result.executed, ['ingest', 'features', 'validate', 'report', 'train', 'evaluate']);
    assert.deepEqual(seen.ingest, {});
    assert.deepEqual(seen.train, { features: { columns: 12, rows: 7000 }, validate: { ok: true, rows: 1000 } });
    assert.deepEqual(result.steps.evaluate.output, { auc: 0.9, model: 'model-7000-0.01' });
    for (const id of ['ingest', 'validate', 'features', 'train', 'evaluate', 'report']) {
      assert.equal(result.steps[id].state, 'success');
      assert.equal(result.steps[id].attempts, 1);
      assert.equal(result.steps[id].cached, false);
    }
  });

  it('starts the ready step with the smallest id each time, not a precomputed depth-first order', async () => {
    const started: string[] = [];
    const mk = (id: string, upstream: string[]) => step(id, upstream, { id }, () => (started.push(id), id));
    const result = await runPipeline([mk('a', ['z']), mk('m', []), mk('z', []), mk('b', ['m']), mk('c', ['a', 'b'])], options({ maxParallel: 1 }));
    assert.deepEqual(started, ['m', 'b', 'z', 'a', 'c']);
    assert.deepEqual(result.executed, started);
  });

  it('runs at most maxParallel steps at once and gives a freed slot to the smallest ready id', async () => {
    const gates: Record<string, Deferred<Json>> = {};
    const started: string[] = [];
    let active = 0;
    let peak = 0;
    const mk = (id: string, upstream: string[] = []) =>
      step(id, upstream, { id }, async () => {
        started.push(id);
        active += 1;
        peak = Math.max(peak, active);
        gates[id] = deferred<Json>();
        const out = await gates[id].promise;
        active -= 1;
        return out;
      });
    const run = runPipeline([mk('e'), mk('d'), mk('c'), mk('b'), mk('a'), mk('f', ['b'])], options({ maxParallel: 2 }));
    await settle();
    assert.deepEqual(started, ['a', 'b']);
    gates.b.resolve('B');
    await settle();
    assert.deepEqual(started, ['a', 'b', 'c']);
    gates.a.resolve('A');
    await settle();
    assert.deepEqual(started, ['a', 'b', 'c', 'd']);
    gates.d.resolve('D');
    await settle();
    assert.deepEqual(started, ['a', 'b', 'c', 'd', 'e']);
    gates.c.resolve('C');
    await settle();
    assert.deepEqual(started, ['a', 'b', 'c', 'd', 'e', 'f']);
    gates.e.resolve('E');
    gates.f.resolve('F');
    const result = await run;
    assert.equal(result.state, 'success');
    assert.equal(peak, 2);
  });

  it('runs up to 16 steps at once by default', async () => {
    const gate = deferred<Json>();
    let active = 0;
    let peak = 0;
    const steps = Array.from({ length: 20 }, (_, i) =>
      step(`s${String(i).padStart(2, '0')}`, [], { i }, async () => {
        active += 1;
        peak = Math.max(peak, active);
        await gate.promise;
        active -= 1;
        return i;
      }),
    );
    const run = runPipeline(steps, options());
    await settle();
    assert.equal(active, 16);
    gate.resolve(null);
    const result = await run;
    assert.equal(peak, 16);
    assert.equal(result.executed.length, 20);
  });

  it('marks everything downstream of a failure upstream_failed without running it; other branches still run', async () => {
    const log = new Executions();
    const boom = new Error('features crashed');
    const steps = trainingPipeline(log).map((s) =>
      s.id === 'features'
        ? {
            ...s,
            run: () => {
              log.hit('features');
              throw boom;
            },
          }
        : s,
    );
    const result = await runPipeline(steps, options({ maxParallel: 1 }));
    assert.equal(result.state, 'failed');
    assert.deepEqual(log.counts, { ingest: 1, features: 1, validate: 1, report: 1 });
    assert.match(result.steps.features.key as string, /^[0-9a-f]{64}$/);
    assert.deepEqual(result.steps.features, { state: 'failed', cached: false, attempts: 1, key: result.steps.features.key, error: boom });
    for (const id of ['train', 'evaluate']) {
      assert.deepEqual(result.steps[id], { state: 'upstream_failed', cached: false, attempts: 0, key: null });
    }
    assert.equal(result.steps.report.state, 'success');
    assert.deepEqual(result.executed, ['ingest', 'features', 'validate', 'report']);
  });

  it('takes the run state from the leaves: failed when any leaf failed or is upstream_failed, success when all succeeded', async () => {
    const ok = (id: string, upstream: string[] = []) => step(id, upstream, { id }, () => id);
    const bad = (id: string, upstream: string[] = []) =>
      step(id, upstream, { id }, () => {
        throw new Error(id);
      });
    assert.equal((await runPipeline([ok('a'), ok('b', ['a']), ok('c', ['a'])], options())).state, 'success');
    assert.equal((await runPipeline([ok('a'), ok('b', ['a']), bad('c', ['a'])], options())).state, 'failed');
    assert.equal((await runPipeline([ok('a'), bad('b', ['a']), ok('c', ['b']), ok('d')], options())).state, 'failed');
    const rejected = step('r', [], {}, () => Promise.reject(new Error('async failure')));
    const result = await runPipeline([rejected, ok('s', ['r'])], options());
    assert.equal(result.state, 'failed');
    assert.equal(result.steps.r.state, 'failed');
    assert.equal(result.steps.s.state, 'upstream_failed');
    assert.equal((await runPipeline([], options())).state, 'success');
    // Two failed parents and a diamond behind a failure: every step gets exactly one result.
    const twice = await runPipeline([bad('p1'), bad('p2'), ok('child', ['p1', 'p2']), ok('x', ['child']), ok('y', ['child']), ok('join', ['x', 'y'])], options());
    assert.deepEqual(
      ['p1', 'p2', 'child', 'x', 'y', 'join'].map((id) => twice.steps[id].state),
      ['failed', 'failed', 'upstream_failed', 'upstream_failed', 'upstream_failed', 'upstream_failed'],
    );
    assert.deepEqual(twice.executed, ['p1', 'p2']);
    // The run resolves only once every step has its result, never while a step is still executing.
    const gate = deferred<Json>();
    let settled = false;
    const pending = runPipeline([bad('a'), ok('b', ['a']), ok('c', ['a']), ok('d', ['b', 'c']), step('slow', [], {}, () => gate.promise)], options());
    void pending.then(() => (settled = true));
    await settle();
    assert.equal(settled, false);
    gate.resolve('late');
    const late = await pending;
    assert.equal(late.steps.slow.output, 'late');
    assert.equal(late.steps.d.state, 'upstream_failed');
  });

  it('rejects a cycle before running anything, naming the steps on it and not the steps before it', async () => {
    const log = new Executions();
    const mk = (id: string, upstream: string[]) => step(id, upstream, { id }, () => (log.hit(id), id));
    await assert.rejects(
      runPipeline([mk('qq_source', []), mk('qq_alpha', ['qq_source', 'qq_gamma']), mk('qq_beta', ['qq_alpha']), mk('qq_gamma', ['qq_beta'])], options()),
      (error: unknown) => {
        assert.ok(error instanceof PipelineDefinitionError, String(error));
        assert.equal(error.name, 'PipelineDefinitionError');
        for (const id of ['qq_alpha', 'qq_beta', 'qq_gamma']) assert.ok(error.message.includes(id), error.message);
        assert.ok(!error.message.includes('qq_source'), error.message);
        return true;
      },
    );
    await assert.rejects(runPipeline([mk('qq_self', ['qq_self'])], options()), PipelineDefinitionError);
    assert.equal(log.total(), 0);
  });

  it('rejects an unknown upstream id, naming it and the step, and a duplicate id, naming it, before running anything', async () => {
    const log = new Executions();
    const mk = (id: string, upstream: string[]) => step(id, upstream, { id }, () => (log.hit(id), id));
    await assert.rejects(runPipeline([mk('first', []), mk('needs_ghost', ['first', 'ghost_step'])], options()), (error: unknown) => {
      assert.ok(error instanceof PipelineDefinitionError, String(error));
      assert.ok(error.message.includes('ghost_step') && error.message.includes('needs_ghost'), error.message);
      return true;
    });
    await assert.rejects(runPipeline([mk('dup_step', []), mk('other', []), mk('dup_step', ['other'])], options()), (error: unknown) => {
      assert.ok(error instanceof PipelineDefinitionError, String(error));
      assert.ok(error.message.includes('dup_step'), error.message);
      return true;
    });
    assert.equal(log.total(), 0);
  });

  it('rejects a bad maxParallel, retries or delay with a RangeError before running anything', async () => {
    const log = new Executions();
    const mk = (extra: Partial<StepDef>) => [step('only', [], {}, () => (log.hit('only'), 1), extra)];
    for (const maxParallel of [0, -1, 1.5, NaN]) await assert.rejects(runPipeline(mk({}), options({ maxParallel })), RangeError, String(maxParallel));
    for (const bad of [{ retries: -1 }, { retries: 0.5 }, { retryDelayMs: -1 }, { retryDelayMs: Infinity }, { retryDelayMs: NaN }, { maxRetryDelayMs: -5 }, { maxRetryDelayMs: Infinity }]) {
      await assert.rejects(runPipeline(mk(bad), options()), RangeError, JSON.stringify(bad));
    }
    assert.equal(log.total(), 0);
    const fine = await runPipeline(mk({ retries: 0, retryDelayMs: 0, maxRetryDelayMs: 0 }), options({ maxParallel: 1 }));
    assert.equal(fine.state, 'success');
  });

  it('backs off 300, 600, 1200, 2400 and 3600 s between six failing attempts, with the defaults', async () => {
    const time = fakeTime();
    let calls = 0;
    const result = await runPipeline(
      [
        step('flaky', [], {}, () => {
          calls += 1;
          throw new Error(`attempt ${calls}`);
        }, { retries: 5 }),
      ],
      options({ sleep: time.sleep }),
    );
    assert.deepEqual(time.sleeps, [300, 600, 1200, 2400, 3600].map((s) => s * SECOND));
    assert.equal(calls, 6);
    assert.equal(result.steps.flaky.attempts, 6);
    assert.equal(result.steps.flaky.state, 'failed');
    assert.equal((result.steps.flaky.error as Error).message, 'attempt 6');
    assert.deepEqual(result.executed, ['flaky']);
  });

  it('retries until an attempt succeeds, numbering attempts from 1, and does not sleep after the last', async () => {
    const time = fakeTime();
    const attempts: number[] = [];
    const result = await runPipeline(
      [
        step('warm', [], {}, async (ctx) => {
          attempts.push(ctx.attempt);
          if (ctx.attempt < 3) throw new Error('not yet');
          return { ok: ctx.attempt };
        }, { retries: 4 }),
        step('after', ['warm'], {}, (ctx) => ctx.inputs.warm),
      ],
      options({ sleep: time.sleep }),
    );
    assert.deepEqual(attempts, [1, 2, 3]);
    assert.deepEqual(time.sleeps, [300 * SECOND, 600 * SECOND]);
    assert.equal(result.state, 'success');
    assert.equal(result.steps.warm.attempts, 3);
    assert.deepEqual(result.steps.after.output, { ok: 3 });

    const once = fakeTime();
    const single = await runPipeline([step('no_retry', [], {}, () => Promise.reject(new Error('x')))], options({ sleep: once.sleep }));
    assert.equal(single.steps.no_retry.attempts, 1);
    assert.deepEqual(once.sleeps, []);
  });

  it('uses each step’s own retryDelayMs and maxRetryDelayMs: delay n is min(base·2^(n−1), cap)', async () => {
    const time = fakeTime();
    const fail = () => {
      throw new Error('down');
    };
    await runPipeline(
      [step('a', [], { s: 'a' }, fail, { retries: 6, retryDelayMs: 1000, maxRetryDelayMs: 5000 }), step('b', [], { s: 'b' }, fail, { retries: 3, retryDelayMs: 250, maxRetryDelayMs: 10_000 })],
      options({ sleep: time.sleep, maxParallel: 1 }),
    );
    assert.deepEqual(time.sleeps, [1000, 2000, 4000, 5000, 5000, 5000, 250, 500, 1000]);
  });

  it('keeps a retrying step’s slot while it waits out its backoff', async () => {
    const naps: Deferred<void>[] = [];
    const started: string[] = [];
    const run = runPipeline(
      [
        step('a_flaky', [], { s: 1 }, (ctx) => {
          started.push(`a_flaky#${ctx.attempt}`);
          if (ctx.attempt === 1) throw new Error('once');
          return 'ok';
        }, { retries: 1 }),
        step('b_next', [], { s: 2 }, () => (started.push('b_next'), 'ok')),
      ],
      options({
        maxParallel: 1,
        sleep: () => {
          const nap = deferred<void>();
          naps.push(nap);
          return nap.promise;
        },
      }),
    );
    await settle();
    assert.deepEqual(started, ['a_flaky#1']);
    assert.equal(naps.length, 1);
    naps[0].resolve();
    const result = await run;
    assert.deepEqual(started, ['a_flaky#1', 'a_flaky#2', 'b_next']);
    assert.equal(result.state, 'success');
  });

  it('fails an attempt whose output is not JSON, with a TypeError, and retries it', async () => {
    const attempts: number[] = [];
    const result = await runPipeline(
      [
        step('sloppy', [], {}, (ctx) => {
          attempts.push(ctx.attempt);
          return (ctx.attempt === 1 ? undefined : 'fixed') as Json;
        }, { retries: 1 }),
        step('broken', [], {}, () => ({ score: NaN })),
      ],
      options(),
    );
    assert.deepEqual(attempts, [1, 2]);
    assert.equal(result.steps.sloppy.state, 'success');
    assert.equal(result.steps.sloppy.output, 'fixed');
    assert.equal(result.steps.broken.state, 'failed');
    assert.ok(result.steps.broken.error instanceof TypeError);
  });
});

// ---------------------------------------------------------------------------------------------------------
// Task 3

describe('caching', () => {
  it('reruns an unchanged pipeline without executing anything, handing cached outputs downstream', async () => {
    const log = new Executions();
    const cache = new Map<string, Json>();
    const first = await runPipeline(trainingPipeline(log), options({ cache }));
    assert.equal(log.total(), 6);
    log.reset();
    const second = await runPipeline(trainingPipeline(log), options({ cache }));
    assert.equal(log.total(), 0);
    assert.deepEqual(second.executed, []);
    assert.equal(second.state, 'success');
    for (const id of Object.keys(first.steps)) {
      assert.deepEqual(second.steps[id], { state: 'success', cached: true, attempts: 0, key: first.steps[id].key, output: first.steps[id].output });
    }
    // Outputs that are falsy are outputs all the same: null, 0, false and "" come back from the cache.
    const falsy = () => [null, 0, false, ''].map((value, i) => step(`falsy${i}`, [], { i }, () => (log.hit(`falsy${i}`), value)));
    await runPipeline(falsy(), options({ cache }));
    log.reset();
    const again = await runPipeline(falsy(), options({ cache }));
    assert.equal(log.total(), 0);
    assert.deepEqual(
      [0, 1, 2, 3].map((i) => again.steps[`falsy${i}`].output),
      [null, 0, false, ''],
    );
  });

  it('stores one entry per executed step, its output under its key', async () => {
    const log = new Executions();
    const cache = new Map<string, Json>();
    const result = await runPipeline(trainingPipeline(log), options({ cache }));
    assert.equal(cache.size, 6);
    for (const [id, r] of Object.entries(result.steps)) {
      assert.match(r.key as string, /^[0-9a-f]{64}$/, id);
      assert.deepEqual(cache.get(r.key as string), r.output, id);
    }
    assert.equal(new Set(Object.values(result.steps).map((r) => r.key)).size, 6);
  });

  it('keys a step by sha256 of {definition, upstream: {id: output digest}}, with no step id or pipeline name', async () => {
    const result = await runPipeline(
      [step('data', [], { component: 'load', table: 'events' }, () => ({ rows: 3 })), step('fit', ['data'], { component: 'fit', lr: 0.5 }, () => 'm')],
      options(),
    );
    assert.equal(result.steps.data.key, sha256('{"definition":{"component":"load","table":"events"},"upstream":{}}'));
    const digest = `sha256:${sha256('{"rows":3}')}`;
    assert.equal(result.steps.fit.key, sha256(`{"definition":{"component":"fit","lr":0.5},"upstream":{"data":"${digest}"}}`));
  });

  it('a changed parameter re-executes exactly that step and the steps downstream of it', async () => {
    const log = new Executions();
    const cache = new Map<string, Json>();
    await runPipeline(trainingPipeline(log), options({ cache }));
    log.reset();
    const changed = await runPipeline(trainingPipeline(log, { lr: 0.02 }), options({ cache }));
    assert.deepEqual(log.counts, { train: 1, evaluate: 1 });
    assert.deepEqual(changed.steps.evaluate.output, { auc: 0.9, model: 'model-7000-0.02' });
    log.reset();
    await runPipeline(trainingPipeline(log, { window: 14 }), options({ cache }));
    assert.deepEqual(log.counts, { features: 1, train: 1, evaluate: 1 });
    log.reset();
    await runPipeline(trainingPipeline(log, { snapshot: '2024-06-02', rows: 1200 }), options({ cache }));
    assert.deepEqual(log.counts, { ingest: 1, validate: 1, features: 1, train: 1, evaluate: 1, report: 1 });
    log.reset();
    await runPipeline(trainingPipeline(log, { lr: 0.02 }), options({ cache }));
    assert.equal(log.total(), 0, 'every earlier variant stays cached');
  });

  it('keys on upstream output contents: a re-executed step with an unchanged output leaves its downstream cached', async () => {
    const log = new Executions();
    const cache = new Map<string, Json>();
    await runPipeline(trainingPipeline(log), options({ cache }));
    log.reset();
    await runPipeline(trainingPipeline(log, { featuresVersion: 'v2-refactor' }), options({ cache }));
    assert.deepEqual(log.counts, { features: 1 });
  });

  it('never reads or writes the cache for a step with cache: false; downstream reruns only when its output changes', async () => {
    const log = new Executions();
    const cache = new Map<string, Json>();
    const first = await runPipeline(trainingPipeline(log, { ingestCache: false }), options({ cache }));
    assert.equal(cache.size, 5);
    assert.equal(cache.has(first.steps.ingest.key as string), false);
    log.reset();
    const second = await runPipeline(trainingPipeline(log, { ingestCache: false }), options({ cache }));
    assert.deepEqual(log.counts, { ingest: 1 });
    assert.equal(second.steps.ingest.cached, false);
    assert.equal(second.steps.ingest.key, first.steps.ingest.key);
    log.reset();
    await runPipeline(trainingPipeline(log, { ingestCache: false, rows: 1500 }), options({ cache }));
    assert.deepEqual(log.counts, { ingest: 1, validate: 1, features: 1, train: 1, evaluate: 1, report: 1 });
    // A cached entry under the same key does not tempt an opted-out step either.
    log.reset();
    cache.set(first.steps.ingest.key as string, { rows: 1 });
    await runPipeline(trainingPipeline(log, { ingestCache: false }), options({ cache }));
    assert.equal(log.counts.ingest, 1);
  });

  it('does not cache failures: after a fix, only the failed and upstream_failed steps execute', async () => {
    const log = new Executions();
    const cache = new Map<string, Json>();
    let broken = true;
    const pipeline = () =>
      trainingPipeline(log).map((s) =>
        s.id === 'train'
          ? {
              ...s,
              run: (ctx: Parameters<StepDef['run']>[0]) => {
                if (broken) {
                  log.hit('train');
                  throw new Error('OOM');
                }
                return s.run(ctx);
              },
            }
          : s,
      );
    const failed = await runPipeline(pipeline(), options({ cache }));
    assert.equal(failed.state, 'failed');
    assert.equal(cache.size, 4);
    broken = false;
    log.reset();
    const fixed = await runPipeline(pipeline(), options({ cache }));
    assert.deepEqual(log.counts, { train: 1, evaluate: 1 });
    assert.equal(fixed.state, 'success');
    assert.equal(fixed.steps.train.key, failed.steps.train.key);
  });

  it('shares entries across pipelines: the same definition on the same inputs hits, whatever the step is called', async () => {
    const cache = new Map<string, Json>();
    const log = new Executions();
    const mk = (prefix: string) => [
      step('load', [], { component: 'load', day: '2024-06-01' }, () => (log.hit(`${prefix}load`), [1, 2, 3])),
      step(`${prefix}_sum`, ['load'], { component: 'sum' }, (ctx) => (log.hit(`${prefix}sum`), (ctx.inputs.load as number[]).reduce((a, b) => a + b, 0))),
    ];
    await runPipeline(mk('nightly'), options({ cache }));
    const other = await runPipeline(mk('adhoc'), options({ cache }));
    assert.deepEqual(log.counts, { nightlyload: 1, nightlysum: 1 });
    assert.deepEqual(other.steps.adhoc_sum, { state: 'success', cached: true, attempts: 0, key: other.steps.adhoc_sum.key, output: 6 });
  });

  it('without a cache executes every step on every run and still reports keys', async () => {
    const log = new Executions();
    const first = await runPipeline(trainingPipeline(log), options());
    const second = await runPipeline(trainingPipeline(log), options());
    assert.equal(log.total(), 12);
    for (const id of Object.keys(first.steps)) {
      assert.equal(second.steps[id].key, first.steps[id].key);
      assert.equal(second.steps[id].cached, false);
    }
    const cache = new Map<string, Json>();
    const cached = await runPipeline(trainingPipeline(log), options({ cache }));
    assert.equal(cached.steps.evaluate.key, first.steps.evaluate.key);
  });

  it('caches a step that succeeded after retries, and a retry never re-executes a cached upstream', async () => {
    const cache = new Map<string, Json>();
    const log = new Executions();
    const time = fakeTime();
    const mk = () => [
      step('extract', [], { v: 1 }, () => (log.hit('extract'), 'rows')),
      step('load', ['extract'], { v: 1 }, (ctx) => {
        log.hit('load');
        if (ctx.attempt === 1) throw new Error('lock timeout');
        return `loaded ${ctx.inputs.extract}`;
      }, { retries: 2 }),
    ];
    const first = await runPipeline(mk(), options({ cache, sleep: time.sleep }));
    assert.deepEqual(log.counts, { extract: 1, load: 2 });
    assert.equal(first.steps.load.output, 'loaded rows');
    log.reset();
    const second = await runPipeline(mk(), options({ cache, sleep: time.sleep }));
    assert.equal(log.total(), 0);
    assert.equal(second.steps.load.output, 'loaded rows');
    assert.deepEqual(time.sleeps, [300 * SECOND]);
  });
});

// ---------------------------------------------------------------------------------------------------------
// Task 4

const JAN = (day: number): number => Date.UTC(2024, 0, day);

/** A two-step daily pipeline whose definitions carry the partition's logical date. */
function dailyPipeline(log: Executions, seen: DataInterval[], failOn: Set<string> = new Set(), version = 'v1'): (interval: DataInterval) => StepDef[] {
  return (interval) => {
    seen.push(interval);
    const day = interval.logicalDate;
    return [
      step('extract', [], { query: 'events', ds: day }, () => (log.hit(`extract ${day}`), { day, rows: interval.start / DAY })),
      step('aggregate', ['extract'], { agg: 'daily_counts', version }, (ctx) => {
        log.hit(`aggregate ${day}`);
        if (failOn.has(day)) throw new Error(`bad data on ${day}`);
        return { day: (ctx.inputs.extract as { day: string }).day, version };
      }),
    ];
  };
}

describe('backfill', () => {
  it('splits [from, to) into daily intervals whose logical date is their start, across month ends and 29 February', () => {
    assert.deepEqual(dailyIntervals('2024-01-30', '2024-02-02'), [
      { logicalDate: '2024-01-30', start: JAN(30), end: JAN(31) },
      { logicalDate: '2024-01-31', start: JAN(31), end: JAN(32) },
      { logicalDate: '2024-02-01', start: Date.UTC(2024, 1, 1), end: Date.UTC(2024, 1, 2) },
    ]);
    assert.deepEqual(
      dailyIntervals('2024-02-28', '2024-03-02').map((i) => i.logicalDate),
      ['2024-02-28', '2024-02-29', '2024-03-01'],
    );
    assert.deepEqual(
      dailyIntervals('2023-12-31', '2024-01-01').map((i) => [i.logicalDate, i.end - i.start]),
      [['2023-12-31', DAY]],
    );
  });

  it('gives no interval when from equals to, and a RangeError for a bad date or from after to', () => {
    assert.deepEqual(dailyIntervals('2024-05-05', '2024-05-05'), []);
    for (const [from, to] of [
      ['2024-05-06', '2024-05-05'],
      ['2023-02-29', '2023-03-02'],
      ['2024-13-01', '2024-12-02'],
      ['2024-1-01', '2024-01-05'],
      ['2024-01-01', 'tomorrow'],
      ['2024-01-01T00:00:00Z', '2024-01-03'],
    ]) {
      assert.throws(() => dailyIntervals(from, to), RangeError, `${from} → ${to}`);
    }
  });

  it('runs each due partition in date order and writes its record under its logical date', async () => {
    const log = new Executions();
    const seen: DataInterval[] = [];
    const store = new Map<string, PartitionRecord>();
    const result = await backfill({ ...options(), from: '2024-01-01', to: '2024-01-04', build: dailyPipeline(log, seen), store, clock: () => JAN(10) });
    assert.deepEqual(result, { ran: ['2024-01-01', '2024-01-02', '2024-01-03'], failed: [], skipped: [], notDue: [] });
    assert.deepEqual(
      seen.map((i) => i.logicalDate),
      ['2024-01-01', '2024-01-02', '2024-01-03'],
    );
    assert.deepEqual(store.get('2024-01-02'), {
      logicalDate: '2024-01-02',
      start: JAN(2),
      end: JAN(3),
      state: 'success',
      outputs: { extract: { day: '2024-01-02', rows: JAN(2) / DAY }, aggregate: { day: '2024-01-02', version: 'v1' } },
    });
    assert.equal(store.size, 3);
    assert.equal(log.total(), 6);
  });

  it('runs a partition only once its interval has ended: due at end ≤ now, the logical date being the start', async () => {
    const log = new Executions();
    const seen: DataInterval[] = [];
    const store = new Map<string, PartitionRecord>();
    const base = { ...options(), from: '2024-01-01', to: '2024-01-05', build: dailyPipeline(log, seen), store };
    const early = await backfill({ ...base, clock: () => JAN(3) - 1 });
    assert.deepEqual(early, { ran: ['2024-01-01'], failed: [], skipped: [], notDue: ['2024-01-02', '2024-01-03', '2024-01-04'] });
    assert.equal(store.has('2024-01-02'), false);
    const onTime = await backfill({ ...base, clock: () => JAN(3) });
    assert.deepEqual(onTime, { ran: ['2024-01-02'], failed: [], skipped: ['2024-01-01'], notDue: ['2024-01-03', '2024-01-04'] });
    assert.deepEqual(
      seen.map((i) => [i.logicalDate, i.start, i.end]),
      [
        ['2024-01-01', JAN(1), JAN(2)],
        ['2024-01-02', JAN(2), JAN(3)],
      ],
    );
  });

  it('executes nothing on a second backfill and leaves every record as it was', async () => {
    const log = new Executions();
    const store = new Map<string, PartitionRecord>();
    const run = () => backfill({ ...options(), from: '2024-01-01', to: '2024-01-08', build: dailyPipeline(log, []), store, clock: () => JAN(20) });
    await run();
    const before = structuredClone([...store.entries()]);
    log.reset();
    const again = await run();
    assert.equal(log.total(), 0);
    assert.deepEqual(again.ran, []);
    assert.equal(again.skipped.length, 7);
    assert.deepEqual([...store.entries()], before);
  });

  it('reruns only missing and failed partitions, replacing a failed record whole', async () => {
    const log = new Executions();
    const store = new Map<string, PartitionRecord>();
    const failOn = new Set(['2024-01-02']);
    const withLegacy = (interval: DataInterval) => [
      ...dailyPipeline(log, [], failOn)(interval),
      step('legacy_export', [], { old: true }, () => (log.hit('legacy'), 'csv')),
    ];
    const first = await backfill({ ...options(), from: '2024-01-01', to: '2024-01-05', build: withLegacy, store, clock: () => JAN(9) });
    assert.deepEqual(first.failed, ['2024-01-02']);
    assert.equal(store.get('2024-01-02')?.state, 'failed');
    assert.deepEqual(store.get('2024-01-02')?.outputs, { extract: { day: '2024-01-02', rows: JAN(2) / DAY }, legacy_export: 'csv' });
    store.delete('2024-01-04');
    failOn.clear();
    log.reset();
    const second = await backfill({ ...options(), from: '2024-01-01', to: '2024-01-05', build: dailyPipeline(log, []), store, clock: () => JAN(9) });
    assert.deepEqual(second, { ran: ['2024-01-02', '2024-01-04'], failed: [], skipped: ['2024-01-01', '2024-01-03'], notDue: [] });
    assert.deepEqual(log.counts, { 'extract 2024-01-02': 1, 'aggregate 2024-01-02': 1, 'extract 2024-01-04': 1, 'aggregate 2024-01-04': 1 });
    assert.deepEqual(store.get('2024-01-02'), {
      logicalDate: '2024-01-02',
      start: JAN(2),
      end: JAN(3),
      state: 'success',
      outputs: { extract: { day: '2024-01-02', rows: JAN(2) / DAY }, aggregate: { day: '2024-01-02', version: 'v1' } },
    });
    assert.equal(store.size, 4);
  });

  it('keeps going after a failed partition and reports it in failed', async () => {
    const log = new Executions();
    const store = new Map<string, PartitionRecord>();
    const result = await backfill({
      ...options(),
      from: '2024-01-01',
      to: '2024-01-04',
      build: dailyPipeline(log, [], new Set(['2024-01-01', '2024-01-03'])),
      store,
      clock: () => JAN(4),
    });
    assert.deepEqual(result, { ran: ['2024-01-01', '2024-01-02', '2024-01-03'], failed: ['2024-01-01', '2024-01-03'], skipped: [], notDue: [] });
    assert.deepEqual(
      [...store.values()].map((r) => r.state),
      ['failed', 'success', 'failed'],
    );
  });

  it("reprocess 'none' skips every existing record; 'completed' reruns them all, where the cache executes only what changed", async () => {
    const log = new Executions();
    const store = new Map<string, PartitionRecord>();
    const cache = new Map<string, Json>();
    const base = { ...options({ cache }), from: '2024-01-01', to: '2024-01-04', store, clock: () => JAN(5) };
    await backfill({ ...base, build: dailyPipeline(log, [], new Set(['2024-01-02'])) });
    log.reset();
    const none = await backfill({ ...base, build: dailyPipeline(log, []), reprocess: 'none' });
    assert.deepEqual(none.ran, []);
    assert.equal(store.get('2024-01-02')?.state, 'failed');
    const all = await backfill({ ...base, build: dailyPipeline(log, []), reprocess: 'completed' });
    assert.deepEqual(all.ran, ['2024-01-01', '2024-01-02', '2024-01-03']);
    assert.deepEqual(log.counts, { 'aggregate 2024-01-02': 1 });
    log.reset();
    const bumped = await backfill({ ...base, build: dailyPipeline(log, [], new Set(), 'v2'), reprocess: 'completed' });
    assert.deepEqual(bumped.ran, ['2024-01-01', '2024-01-02', '2024-01-03']);
    assert.deepEqual(log.counts, { 'aggregate 2024-01-01': 1, 'aggregate 2024-01-02': 1, 'aggregate 2024-01-03': 1 });
    assert.deepEqual(store.get('2024-01-03')?.outputs.aggregate, { day: '2024-01-03', version: 'v2' });
    const failedOnly = await backfill({ ...base, build: dailyPipeline(log, []), reprocess: 'failed' });
    assert.deepEqual(failedOnly.skipped, ['2024-01-01', '2024-01-02', '2024-01-03']);
    await assert.rejects(backfill({ ...base, build: dailyPipeline(log, []), reprocess: 'always' as 'none' }), RangeError);
  });
});
