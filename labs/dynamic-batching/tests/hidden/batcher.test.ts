import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import * as ort from 'onnxruntime-node';
import { DynamicBatcher, sessionRunner, type BatcherOptions } from '../src/batcher';

const IN = 16;
const OUT = 4;

/** Lets every pending promise callback run (a few turns of the event loop; no time passes). */
async function settle(): Promise<void> {
  for (let i = 0; i < 3; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}

/** A clock that only moves when the test says so; timers fire in deadline order as it moves. */
class FakeClock {
  private time = 0;
  private nextId = 1;
  private readonly timers = new Map<number, { at: number; fn: () => void }>();
  now(): number {
    return this.time;
  }
  setTimeout(fn: () => void, ms: number): unknown {
    const id = this.nextId++;
    this.timers.set(id, { at: this.time + Math.max(0, Number(ms) || 0), fn });
    return id;
  }
  clearTimeout(handle: unknown): void {
    this.timers.delete(handle as number);
  }
  /** Timers set and neither fired nor cleared. */
  get live(): number {
    return this.timers.size;
  }
  async advance(ms: number): Promise<void> {
    const target = this.time + ms;
    await settle();
    for (let fired = 0; ; fired++) {
      if (fired > 10_000) throw new Error('the batcher keeps setting timers that are already due');
      let next: [number, { at: number; fn: () => void }] | undefined;
      for (const entry of this.timers) if (entry[1].at <= target && (!next || entry[1].at < next[1].at)) next = entry;
      if (!next) break;
      this.timers.delete(next[0]);
      this.time = Math.max(this.time, next[1].at);
      next[1].fn();
      await settle();
    }
    this.time = target;
    await settle();
  }
}

/** Request `id` carries id, id + 1/32, ..., id + 15/32 (all exact in float32). */
function features(id: number): Float32Array {
  const row = new Float32Array(IN);
  for (let j = 0; j < IN; j++) row[j] = id + j / 32;
  return row;
}

interface Tracked<T> {
  status: 'pending' | 'fulfilled' | 'rejected';
  value?: T;
  reason?: unknown;
  /** infer threw instead of returning a promise. */
  threw: boolean;
}
function track<T>(promise: Promise<T>, threw = false): Tracked<T> {
  const t: Tracked<T> = { status: 'pending', threw };
  promise.then(
    (value) => Object.assign(t, { status: 'fulfilled', value }),
    (reason: unknown) => Object.assign(t, { status: 'rejected', reason }),
  );
  return t;
}
function call(batcher: DynamicBatcher, input: ArrayLike<number>): Tracked<Float32Array> {
  try {
    return track(batcher.infer(input));
  } catch (error) {
    return track(Promise.reject(error), true);
  }
}

/**
 * An instrumented model. Row i of a batch answers [x0, x15, 2·x0 + 1, n] from its features x, so a caller
 * can tell its own row, and the log records the request ids of every batch. In manual mode each batch
 * waits until the test releases or fails it.
 */
class FakeModel {
  readonly batches: number[][] = [];
  readonly inputs: Float32Array[] = [];
  readonly open: { ids: number[]; release: () => void; fail: (error: unknown) => void }[] = [];
  running = 0;
  maxRunning = 0;
  constructor(private readonly manual = false) {}
  run = (batch: Float32Array, n: number): Promise<Float32Array> => {
    const ids = Array.from({ length: n }, (_, i) => batch[i * IN]);
    this.batches.push(ids);
    this.inputs.push(Float32Array.from(batch));
    const out = new Float32Array(n * OUT);
    for (let i = 0; i < n; i++) out.set([batch[i * IN], batch[i * IN + IN - 1], 2 * batch[i * IN] + 1, n], i * OUT);
    this.running += 1;
    this.maxRunning = Math.max(this.maxRunning, this.running);
    if (!this.manual) {
      this.running -= 1;
      return Promise.resolve(out);
    }
    return new Promise<Float32Array>((resolve, reject) => {
      const done = (settleBatch: () => void) => () => {
        this.running -= 1;
        this.open.splice(this.open.indexOf(entry), 1);
        settleBatch();
      };
      const entry = {
        ids,
        release: () => done(() => resolve(out))(),
        fail: (error: unknown) => done(() => reject(error))(),
      };
      this.open.push(entry);
    });
  };
  sizes(): number[] {
    return this.batches.map((b) => b.length);
  }
}

function batcher(model: FakeModel, clock: FakeClock, options: Partial<BatcherOptions>): DynamicBatcher {
  return new DynamicBatcher({ run: model.run, maxBatchSize: 4, maxQueueDelayMs: 10, clock, ...options });
}

/** The caller of request `id` got its own row back. */
function assertOwnRow(t: Tracked<Float32Array>, id: number): void {
  assert.equal(t.status, 'fulfilled', `request ${id} should be answered (${t.status}${t.reason ? `: ${String(t.reason)}` : ''})`);
  assert.ok(t.value instanceof Float32Array, `request ${id}: the answer should be a Float32Array`);
  assert.equal(t.value.length, OUT, `request ${id}: the answer should be one row of ${OUT}`);
  assert.deepEqual(Array.from(t.value.subarray(0, 3)), [id, id + 15 / 32, 2 * id + 1], `request ${id} got someone else's row`);
}

describe('answers', () => {
  it('each caller gets its own row back', async () => {
    const clock = new FakeClock();
    const model = new FakeModel();
    const b = batcher(model, clock, { maxBatchSize: 4, maxQueueDelayMs: 5 });
    const ids = [7, 3, 11, 0, 5, 9, 2, 8, 1, 10];
    const calls = ids.map((id) => call(b, features(id)));
    await clock.advance(5);
    ids.forEach((id, k) => assertOwnRow(calls[k], id));
    assert.ok(model.batches.length >= 3, `10 requests at most 4 to a batch need at least 3 batches, got ${model.batches.length}`);
  });

  it('puts every request in exactly one batch, in arrival order', async () => {
    const clock = new FakeClock();
    const model = new FakeModel();
    const b = batcher(model, clock, { maxBatchSize: 3, maxQueueDelayMs: 10 });
    const calls = Array.from({ length: 8 }, (_, id) => call(b, features(id)));
    await clock.advance(10);
    assert.deepEqual(model.batches.flat(), [0, 1, 2, 3, 4, 5, 6, 7]);
    model.batches.forEach((ids, k) => {
      const input = model.inputs[k];
      assert.equal(input.length, ids.length * IN, `batch ${k}: run gets n × ${IN} floats, no padding`);
      ids.forEach((id, i) => assert.deepEqual(Array.from(input.subarray(i * IN, (i + 1) * IN)), Array.from(features(id)), `batch ${k}, row ${i}`));
    });
    calls.forEach((t, id) => assertOwnRow(t, id));
  });

  it('copies the features when infer is called', async () => {
    const clock = new FakeClock();
    const model = new FakeModel();
    const b = batcher(model, clock, { maxBatchSize: 4, maxQueueDelayMs: 10 });
    const buffer = features(1);
    const first = call(b, buffer);
    buffer.set(features(2)); // the caller reuses its buffer for the next request
    const second = call(b, buffer);
    const third = call(b, Array.from(features(3))); // a plain array works too
    await clock.advance(10);
    assert.deepEqual(model.batches, [[1, 2, 3]]);
    assertOwnRow(first, 1);
    assertOwnRow(second, 2);
    assertOwnRow(third, 3);
  });

  it('rejects a request of the wrong length on its own, without taking a slot', async () => {
    const clock = new FakeClock();
    const model = new FakeModel();
    const b = batcher(model, clock, { maxBatchSize: 2, maxQueueDelayMs: 10 });
    const good = call(b, features(1));
    const short = call(b, new Float32Array(IN - 1));
    const long = call(b, new Array<number>(IN + 1).fill(0));
    await settle();
    assert.ok(!short.threw && !long.threw, 'infer returns a rejected promise for a request of the wrong length; it does not throw');
    assert.equal(short.status, 'rejected');
    assert.ok(short.reason instanceof RangeError, 'a request of the wrong length rejects with a RangeError');
    assert.equal(long.status, 'rejected');
    assert.ok(long.reason instanceof RangeError);
    assert.equal(model.batches.length, 0, 'the rejected requests must not fill the batch');
    const other = call(b, features(2));
    await settle();
    assert.deepEqual(model.batches, [[1, 2]]);
    assertOwnRow(good, 1);
    assertOwnRow(other, 2);
  });
});

describe('answers', () => {
  it('hands every caller a fresh array that shares nothing with the other callers or the output', async () => {
    const clock = new FakeClock();
    const outputs: Float32Array[] = [];
    const model = new FakeModel();
    const run = async (batch: Float32Array, n: number): Promise<Float32Array> => {
      const out = await model.run(batch, n);
      outputs.push(out);
      return out;
    };
    const b = new DynamicBatcher({ run, maxBatchSize: 3, maxQueueDelayMs: 10, clock });
    const calls = [0, 1, 2].map((id) => call(b, features(id)));
    await settle();
    calls.forEach((t, id) => assertOwnRow(t, id));
    calls[0].value!.fill(-1); // one caller scribbles over its answer
    outputs[0].fill(-2); // and the model reuses its output buffer
    assertOwnRow(calls[1], 1);
    assertOwnRow(calls[2], 2);
  });

  it('honours inputSize and outputSize other than 16 and 4', async () => {
    const clock = new FakeClock();
    const seen: number[] = [];
    // Each row [a, b, c] answers [a + b + c, n].
    const run = (batch: Float32Array, n: number): Promise<Float32Array> => {
      seen.push(batch.length);
      const out = new Float32Array(n * 2);
      for (let i = 0; i < n; i++) out.set([batch[3 * i] + batch[3 * i + 1] + batch[3 * i + 2], n], 2 * i);
      return Promise.resolve(out);
    };
    const b = new DynamicBatcher({ run, maxBatchSize: 2, maxQueueDelayMs: 10, inputSize: 3, outputSize: 2, clock });
    const wrong = call(b, features(0));
    const calls = [call(b, [1, 2, 3]), call(b, Float32Array.of(10, 20, 30))];
    await settle();
    assert.equal(wrong.status, 'rejected', 'with inputSize 3, a request of 16 features has the wrong length');
    assert.ok(wrong.reason instanceof RangeError);
    assert.deepEqual(seen, [6], 'two requests of 3 features: run gets 6 floats');
    assert.equal(calls[0].status, 'fulfilled');
    assert.equal(calls[1].status, 'fulfilled');
    assert.deepEqual(Array.from(calls[0].value!), [6, 2]);
    assert.deepEqual(Array.from(calls[1].value!), [60, 2]);
  });
});

interface Shared {
  session: ort.InferenceSession;
  rows: Float32Array[];
  /** The logits of each held-out row run on its own, as a batch of 1. */
  single: Float32Array[];
}
let shared: Promise<Shared> | undefined;
/** One session and one set of single-row references for the whole file. */
function onnx(): Promise<Shared> {
  shared ??= (async () => {
    const assets = process.env.MLOPS_LAB_ASSETS ?? '';
    const session = await ort.InferenceSession.create(new Uint8Array(readFileSync(path.join(assets, 'model.onnx'))));
    const heldout = JSON.parse(readFileSync(path.join(assets, 'heldout.json'), 'utf8')) as { features: number[][] };
    const rows = heldout.features.map((r) => Float32Array.from(r));
    const single: Float32Array[] = [];
    for (const row of rows) {
      const out = await session.run({ features: new ort.Tensor('float32', row, [1, IN]) });
      single.push(Float32Array.from(out.logits.data as Float32Array));
    }
    return { session, rows, single };
  })();
  return shared;
}

/** The test's own wrapper of the session, counting calls and batch sizes. */
function instrumented(session: ort.InferenceSession, sizes: number[]) {
  return async (batch: Float32Array, n: number): Promise<Float32Array> => {
    sizes.push(n);
    const out = await session.run({ features: new ort.Tensor('float32', batch, [n, IN]) });
    return out.logits.data as Float32Array;
  };
}

/** Moves the fake clock forward until every promise has settled. */
async function drive(clock: FakeClock, all: Promise<unknown>): Promise<void> {
  let done = false;
  all.then(
    () => (done = true),
    () => (done = true),
  );
  while (!done) await clock.advance(1);
}

/** A fixed shuffle of 0..n-1 (a small LCG, so it is the same on every run). */
function shuffled(n: number, seed: number): number[] {
  const order = Array.from({ length: n }, (_, i) => i);
  let s = seed >>> 0;
  for (let i = n - 1; i > 0; i--) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    const j = s % (i + 1);
    [order[i], order[j]] = [order[j], order[i]];
  }
  return order;
}

function assertClose(actual: ArrayLike<number>, expected: ArrayLike<number>, message: string): void {
  assert.equal(actual.length, expected.length, `${message}: length`);
  for (let j = 0; j < expected.length; j++) assert.ok(Math.abs(actual[j] - expected[j]) <= 1e-5, `${message}: logit ${j} is ${actual[j]}, expected ${expected[j]}`);
}

describe('onnx runtime', () => {
  it('sessionRunner runs a batch through the session and returns its logits', async () => {
    const { session, rows, single } = await onnx();
    const picked = [10, 11, 12, 13, 14];
    const batch = new Float32Array(picked.length * IN);
    picked.forEach((r, i) => batch.set(rows[r], i * IN));
    const out = await sessionRunner(session)(batch, picked.length);
    assert.equal(out.length, picked.length * OUT);
    picked.forEach((r, i) => assertClose(out.subarray(i * OUT, (i + 1) * OUT), single[r], `row ${r}`));
  });

  it('sessionRunner feeds the session\'s own first input and reads its first output', async () => {
    const fed: { names: string[]; type: string; dims: number[] }[] = [];
    const session = {
      inputNames: ['input_0'],
      outputNames: ['probabilities', 'embedding'],
      run: async (feeds: Record<string, ort.Tensor>) => {
        const names = Object.keys(feeds);
        const t = feeds.input_0;
        fed.push({ names, type: t?.type, dims: t ? Array.from(t.dims) : [] });
        const n = t ? t.dims[0] : 0;
        const probabilities = new Float32Array(n * OUT).map((_, i) => i / 8);
        return { probabilities: new ort.Tensor('float32', probabilities, [n, OUT]), embedding: new ort.Tensor('float32', new Float32Array(n * 2), [n, 2]) };
      },
    } as unknown as ort.InferenceSession;
    const out = await sessionRunner(session)(new Float32Array(2 * IN), 2);
    assert.deepEqual(fed, [{ names: ['input_0'], type: 'float32', dims: [2, IN] }], 'one float32 tensor of shape [n, 16], under inputNames[0]');
    assert.deepEqual(Array.from(out), [0, 1, 2, 3, 4, 5, 6, 7].map((i) => i / 8), 'the data of outputNames[0]');
  });

  it('answers 600 shuffled held-out rows submitted at once, each with its own single-row logits', async () => {
    const { session, rows, single } = await onnx();
    const clock = new FakeClock();
    const sizes: number[] = [];
    const b = new DynamicBatcher({ run: instrumented(session, sizes), maxBatchSize: 32, maxQueueDelayMs: 2, clock });
    const order = shuffled(rows.length, 20261127);
    const answers = order.map((r) => b.infer(rows[r]));
    await drive(clock, Promise.allSettled(answers));
    const results = await Promise.all(answers);
    order.forEach((r, k) => assertClose(results[k], single[r], `held-out row ${r}`));
    assert.equal(
      sizes.reduce((a, n) => a + n, 0),
      rows.length,
      'every request runs exactly once',
    );
  });

  it('sends ceil(N / maxBatchSize) batches for N concurrent requests', async () => {
    const { session, rows } = await onnx();
    const clock = new FakeClock();
    const sizes: number[] = [];
    const b = new DynamicBatcher({ run: instrumented(session, sizes), maxBatchSize: 32, maxQueueDelayMs: 2, clock });
    const answers = rows.map((row) => b.infer(row));
    await drive(clock, Promise.all(answers));
    const best = Math.ceil(rows.length / 32);
    assert.ok(
      sizes.length === best,
      `${rows.length} concurrent requests with maxBatchSize 32 should take ${best} session calls (${(best / rows.length).toFixed(3)} per request), took ${sizes.length}: [${sizes.join(', ')}]`,
    );
    assert.ok(
      sizes.every((n) => n <= 32),
      `a batch exceeded maxBatchSize: [${sizes.join(', ')}]`,
    );
  });
});

describe('batch size', () => {
  it('a full batch runs at once without waiting for the delay', async () => {
    const clock = new FakeClock();
    const model = new FakeModel();
    const b = batcher(model, clock, { maxBatchSize: 4, maxQueueDelayMs: 1000 });
    const calls = [0, 1, 2].map((id) => call(b, features(id)));
    await settle();
    assert.equal(model.batches.length, 0, 'three of four: wait for more');
    calls.push(call(b, features(3)));
    await settle();
    assert.deepEqual(model.batches, [[0, 1, 2, 3]], 'the fourth request fills the batch: it runs now, at time 0');
    calls.forEach((t, id) => assertOwnRow(t, id));
    assert.equal(clock.now(), 0);
  });

  it('never puts more than maxBatchSize requests in a batch', async () => {
    const clock = new FakeClock();
    const model = new FakeModel();
    const b = batcher(model, clock, { maxBatchSize: 4, maxQueueDelayMs: 5 });
    const calls = Array.from({ length: 11 }, (_, id) => call(b, features(id)));
    await settle();
    assert.deepEqual(model.sizes(), [4, 4], 'two full batches at once; the last three wait for the delay');
    await clock.advance(5);
    assert.deepEqual(model.sizes(), [4, 4, 3]);
    calls.forEach((t, id) => assertOwnRow(t, id));
  });

  it('a freed instance takes the largest preferred size it can fill', async () => {
    const clock = new FakeClock();
    const model = new FakeModel(true);
    const b = batcher(model, clock, { maxBatchSize: 8, maxQueueDelayMs: 100, preferredBatchSizes: [2, 4] });
    const warmup = [call(b, features(100)), call(b, features(101))];
    await settle();
    assert.deepEqual(model.batches, [[100, 101]], 'two requests fill preferred size 2: they run at once');
    const calls = Array.from({ length: 9 }, (_, id) => call(b, features(id)));
    await settle();
    assert.equal(model.batches.length, 1, 'the only instance is busy: requests queue');
    model.open[0].release();
    await settle();
    assert.deepEqual(model.batches.at(-1), [0, 1, 2, 3], 'nine queued: the largest preferred size they fill is 4 (not 8, not 2)');
    model.open[0].release();
    await settle();
    assert.deepEqual(model.batches.at(-1), [4, 5, 6, 7], 'five queued: preferred size 4 again');
    model.open[0].release();
    await clock.advance(99);
    assert.equal(model.batches.length, 3, 'one queued fills no preferred size: it waits for the delay');
    await clock.advance(1);
    assert.deepEqual(model.batches.at(-1), [8]);
    model.open[0].release();
    await settle();
    assertOwnRow(warmup[0], 100);
    assertOwnRow(warmup[1], 101);
    calls.forEach((t, id) => assertOwnRow(t, id));
  });

  it('an arrival that completes a preferred size sends it without waiting', async () => {
    const clock = new FakeClock();
    const model = new FakeModel();
    const b = batcher(model, clock, { maxBatchSize: 8, maxQueueDelayMs: 100, preferredBatchSizes: [3] });
    const calls = [0, 1].map((id) => call(b, features(id)));
    await clock.advance(40);
    assert.equal(model.batches.length, 0);
    calls.push(call(b, features(2)));
    await settle();
    assert.deepEqual(model.batches, [[0, 1, 2]], 'the third request completes preferred size 3');
    calls.push(call(b, features(3)), call(b, features(4)));
    await clock.advance(99);
    assert.equal(model.batches.length, 1);
    await clock.advance(1);
    assert.deepEqual(model.batches, [[0, 1, 2], [3, 4]], 'the rest goes when the delay runs out');
    calls.forEach((t, id) => assertOwnRow(t, id));
  });

  it('never runs more than maxInFlight batches at once', async () => {
    const clock = new FakeClock();
    const model = new FakeModel(true);
    const b = batcher(model, clock, { maxBatchSize: 2, maxQueueDelayMs: 0, maxInFlight: 2 });
    const calls = Array.from({ length: 7 }, (_, id) => call(b, features(id)));
    await settle();
    assert.equal(model.open.length, 2, 'two instances: two batches run, the rest queue');
    assert.equal(b.inFlight, 2);
    assert.equal(b.pending + model.batches.flat().length, 7);
    for (let round = 0; round < 10 && model.open.length > 0; round++) {
      model.open[0].release();
      await settle();
      assert.ok(model.running <= 2, `${model.running} batches ran at once`);
    }
    assert.equal(model.maxRunning, 2);
    assert.ok(
      model.sizes().every((n) => n <= 2),
      `batch sizes ${model.sizes().join(', ')}`,
    );
    calls.forEach((t, id) => assertOwnRow(t, id));
    assert.equal(b.inFlight, 0);
    assert.equal(b.pending, 0);
  });
});

describe('queue delay', () => {
  it('runs a partial batch when the oldest request has waited maxQueueDelayMs, not before', async () => {
    const clock = new FakeClock();
    const model = new FakeModel();
    const b = batcher(model, clock, { maxBatchSize: 8, maxQueueDelayMs: 10 });
    const first = call(b, features(0));
    await clock.advance(3);
    const second = call(b, features(1));
    await clock.advance(6);
    assert.equal(model.batches.length, 0, 'at 9 ms the oldest request has not waited 10 ms yet');
    assert.equal(first.status, 'pending');
    await clock.advance(1);
    assert.deepEqual(model.batches, [[0, 1]], 'at 10 ms the partial batch goes');
    assertOwnRow(first, 0);
    assertOwnRow(second, 1);
  });

  it('measures the delay from the oldest request, not the newest', async () => {
    const clock = new FakeClock();
    const model = new FakeModel();
    const b = batcher(model, clock, { maxBatchSize: 8, maxQueueDelayMs: 10 });
    const calls = [call(b, features(0))];
    await clock.advance(6);
    calls.push(call(b, features(1)));
    await clock.advance(4);
    assert.deepEqual(model.batches, [[0, 1]], 'request 0 arrived at 0 ms: the batch goes at 10 ms, whatever arrived since');
    await clock.advance(2);
    calls.push(call(b, features(2)));
    await clock.advance(9);
    assert.equal(model.batches.length, 1);
    await clock.advance(1);
    assert.deepEqual(model.batches, [[0, 1], [2]], 'request 2 arrived at 12 ms: it goes at 22 ms');
    calls.forEach((t, id) => assertOwnRow(t, id));
  });

  it('a request queued behind a busy instance still goes maxQueueDelayMs after its own arrival', async () => {
    const clock = new FakeClock();
    const model = new FakeModel(true);
    const b = batcher(model, clock, { maxBatchSize: 2, maxQueueDelayMs: 10 });
    const calls = [call(b, features(0)), call(b, features(1))];
    await settle();
    assert.deepEqual(model.batches, [[0, 1]]);
    await clock.advance(2);
    calls.push(call(b, features(2)));
    await clock.advance(3);
    model.open[0].release(); // the instance frees at 5 ms; request 2 has waited 3 ms
    await clock.advance(6);
    assert.equal(model.batches.length, 1, 'at 11 ms request 2 has waited 9 ms');
    await clock.advance(1);
    assert.deepEqual(model.batches.at(-1), [2], 'at 12 ms it has waited 10 ms: not 10 ms after the instance freed');
    model.open[0].release();
    await settle();
    calls.forEach((t, id) => assertOwnRow(t, id));
  });

  it('with no delay, an idle instance takes what is queued and a busy one lets requests gather', async () => {
    const clock = new FakeClock();
    const model = new FakeModel(true);
    const b = batcher(model, clock, { maxBatchSize: 8, maxQueueDelayMs: 0 });
    const calls = [call(b, features(0))];
    await settle();
    assert.deepEqual(model.batches, [[0]], 'an idle instance and no delay: the lone request runs at once, without the clock moving');
    for (let id = 1; id <= 5; id++) calls.push(call(b, features(id)));
    await settle();
    assert.equal(model.batches.length, 1, 'the instance is busy: requests queue');
    model.open[0].release();
    await settle();
    assert.deepEqual(model.batches, [[0], [1, 2, 3, 4, 5]], 'the freed instance takes everything queued, as one batch');
    model.open[0].release();
    await settle();
    calls.forEach((t, id) => assertOwnRow(t, id));
    assert.equal(clock.now(), 0);
  });
});

describe('queue delay', () => {
  it('a deadline that passes while every instance is busy re-arms no timer, and the freed instance sends at once', async () => {
    const clock = new FakeClock();
    const model = new FakeModel(true);
    const b = batcher(model, clock, { maxBatchSize: 2, maxQueueDelayMs: 10 });
    const calls = [0, 1].map((id) => call(b, features(id)));
    await settle();
    assert.deepEqual(model.batches, [[0, 1]]);
    calls.push(call(b, features(2))); // its deadline is 10 ms; the only instance is busy until 30 ms
    // A timer re-set again and again for the deadline that has passed makes advance() throw (it would spin a real process).
    await clock.advance(30);
    assert.equal(model.batches.length, 1, 'the only instance is busy');
    model.open[0].release();
    await settle();
    assert.deepEqual(model.batches.at(-1), [2], 'request 2 is past its deadline: the freed instance sends it at once');
    model.open[0].release();
    await settle();
    calls.forEach((t, id) => assertOwnRow(t, id));
  });

  it('runs on the system clock when no clock is given', async () => {
    const model = new FakeModel();
    // No delay: an idle instance takes the lone request at once, which needs only the clock's now().
    const eager = new DynamicBatcher({ run: model.run, maxBatchSize: 4, maxQueueDelayMs: 0 });
    const first = await eager.infer(features(1));
    // A 1 ms delay: the partial batch goes when the system clock's timer fires. Nothing here measures time.
    const patient = new DynamicBatcher({ run: model.run, maxBatchSize: 4, maxQueueDelayMs: 1 });
    const rest = await Promise.all([patient.infer(features(2)), patient.infer(features(3))]);
    await patient.close();
    assert.deepEqual(model.batches, [[1], [2, 3]]);
    [first, ...rest].forEach((row, k) => assert.deepEqual(Array.from(row.subarray(0, 3)), [k + 1, k + 1 + 15 / 32, 2 * k + 3], `request ${k + 1}`));
  });

  it('keeps at most one timer, and none once nothing is queued or the batcher is closed', async () => {
    const clock = new FakeClock();
    const model = new FakeModel(true);
    const b = batcher(model, clock, { maxBatchSize: 2, maxQueueDelayMs: 10 });
    const calls = [call(b, features(0))];
    await settle();
    assert.ok(clock.live <= 1, `${clock.live} timers for one deadline`);
    calls.push(call(b, features(1))); // fills a batch: the deadline of request 0 is gone
    await settle();
    assert.deepEqual(model.batches, [[0, 1]]);
    assert.equal(clock.live, 0, 'nothing is queued: no timer should be left');
    await clock.advance(3);
    calls.push(call(b, features(2)));
    await clock.advance(2);
    calls.push(call(b, features(3))); // completes a batch, but the instance is busy
    await settle();
    assert.ok(clock.live <= 1, `${clock.live} timers`);
    model.open[0].release();
    await settle();
    assert.deepEqual(model.batches.at(-1), [2, 3]);
    assert.equal(clock.live, 0, 'the queue is empty again: no timer');
    calls.push(call(b, features(4)));
    await clock.advance(1);
    const closed = track(b.close());
    await settle();
    model.open[0].release();
    await settle();
    model.open[0]?.release();
    await settle();
    assert.equal(closed.status, 'fulfilled');
    assert.equal(clock.live, 0, 'a closed batcher leaves no timer behind (it would keep a real process alive)');
    calls.forEach((t, id) => assertOwnRow(t, id));
  });
});

describe('errors and shutdown', () => {
  it('a failing batch rejects exactly its own callers, and later batches still work', async () => {
    const clock = new FakeClock();
    const model = new FakeModel(true);
    const b = batcher(model, clock, { maxBatchSize: 2, maxQueueDelayMs: 10 });
    const calls = [0, 1, 2, 3].map((id) => call(b, features(id)));
    await settle();
    assert.deepEqual(model.batches, [[0, 1]]);
    const boom = new Error('out of memory in batch 1');
    model.open[0].fail(boom);
    await settle();
    assert.equal(calls[0].status, 'rejected');
    assert.equal(calls[1].status, 'rejected');
    assert.equal(calls[0].reason, boom, 'the caller sees the batch error itself');
    assert.equal(calls[1].reason, boom);
    assert.equal(calls[2].status, 'pending', 'requests of other batches are not rejected');
    assert.equal(calls[3].status, 'pending');
    assert.deepEqual(model.batches.at(-1), [2, 3], 'the next batch runs after a failure');
    model.open[0].release();
    await settle();
    assertOwnRow(calls[2], 2);
    assertOwnRow(calls[3], 3);
    const later = [call(b, features(4)), call(b, features(5))];
    await settle();
    model.open[0].release();
    await settle();
    assertOwnRow(later[0], 4);
    assertOwnRow(later[1], 5);
  });

  it('a run that throws, or returns the wrong number of values, rejects only its batch', async () => {
    const clock = new FakeClock();
    const model = new FakeModel();
    const thrown = new Error('run threw');
    const run = (batch: Float32Array, n: number): Promise<Float32Array> => {
      if (batch[0] === 0) throw thrown; // synchronously, not a rejected promise
      if (batch[0] === 2) return Promise.resolve(new Float32Array(n * OUT - 1));
      if (batch[0] === 6) return Promise.resolve(new Float32Array(n * OUT + OUT)); // one row too many
      return model.run(batch, n);
    };
    const b = new DynamicBatcher({ run, maxBatchSize: 2, maxQueueDelayMs: 10, clock });
    const calls = Array.from({ length: 8 }, (_, id) => call(b, features(id)));
    await clock.advance(10);
    assert.ok(
      calls.every((t) => !t.threw),
      'infer returns a promise; a failing run must not throw out of infer',
    );
    assert.equal(calls[0].status, 'rejected');
    assert.equal(calls[1].status, 'rejected');
    assert.equal(calls[0].reason, thrown);
    assert.equal(calls[2].status, 'rejected', 'an answer with the wrong number of values is an error, not rows');
    assert.equal(calls[3].status, 'rejected');
    assert.ok(calls[2].reason instanceof Error);
    assertOwnRow(calls[4], 4);
    assertOwnRow(calls[5], 5);
    assert.equal(calls[6].status, 'rejected', 'too many values is as wrong as too few');
    assert.equal(calls[7].status, 'rejected');
    assert.ok(calls[6].reason instanceof Error);
  });

  it('close() sends what is queued at once, waits for it, and refuses new requests', async () => {
    const clock = new FakeClock();
    const model = new FakeModel(true);
    const b = batcher(model, clock, { maxBatchSize: 4, maxQueueDelayMs: 100 });
    const calls = [0, 1, 2].map((id) => call(b, features(id)));
    await settle();
    assert.equal(model.batches.length, 0);
    const closed = track(b.close());
    await settle();
    assert.deepEqual(model.batches, [[0, 1, 2]], 'closing sends the partial batch without waiting for the delay');
    assert.equal(closed.status, 'pending', 'close() waits for the batch in flight');
    const late = call(b, features(3));
    await settle();
    assert.equal(late.status, 'rejected', 'a closed batcher refuses new requests');
    assert.equal(late.threw, false, 'infer on a closed batcher returns a rejected promise; it does not throw');
    model.open[0].release();
    await settle();
    assert.equal(closed.status, 'fulfilled');
    calls.forEach((t, id) => assertOwnRow(t, id));
    assert.equal(model.batches.length, 1);
    assert.equal(clock.now(), 0);
  });

  it('close() still sends at most maxBatchSize requests a batch, one batch per free instance', async () => {
    const clock = new FakeClock();
    const model = new FakeModel(true);
    const b = batcher(model, clock, { maxBatchSize: 4, maxQueueDelayMs: 100 });
    const calls = [0, 1, 2].map((id) => call(b, features(id)));
    await settle();
    assert.equal(model.batches.length, 0, 'three of four wait for the delay');
    calls.push(...[3, 4, 5].map((id) => call(b, features(id))));
    await settle();
    assert.deepEqual(model.batches, [[0, 1, 2, 3]], 'the fourth request fills a batch');
    const closed = track(b.close());
    await settle();
    assert.equal(model.batches.length, 1, 'the only instance is busy: the rest waits for it');
    model.open[0].release();
    await settle();
    assert.deepEqual(model.batches.at(-1), [4, 5], 'then what is left goes at once');
    assert.equal(closed.status, 'pending');
    model.open[0].release();
    await settle();
    assert.equal(closed.status, 'fulfilled');
    calls.forEach((t, id) => assertOwnRow(t, id));
    assert.equal(clock.now(), 0);
  });

  it('close() resolves at once when idle, and otherwise only once every instance has finished', async () => {
    const clock = new FakeClock();
    const idle = track(batcher(new FakeModel(), clock, {}).close());
    await settle();
    assert.equal(idle.status, 'fulfilled', 'nothing was accepted: close() has nothing to wait for');
    const model = new FakeModel(true);
    const b = batcher(model, clock, { maxBatchSize: 2, maxQueueDelayMs: 100, maxInFlight: 2 });
    const calls = [0, 1, 2, 3].map((id) => call(b, features(id)));
    await settle();
    assert.deepEqual(model.batches, [[0, 1], [2, 3]], 'two full batches, one per instance');
    const closed = track(b.close());
    model.open[0].release();
    await settle();
    assert.equal(closed.status, 'pending', 'the second instance is still running its batch');
    model.open[0].release();
    await settle();
    assert.equal(closed.status, 'fulfilled');
    calls.forEach((t, id) => assertOwnRow(t, id));
  });

  it('rejects invalid options with a RangeError', () => {
    const model = new FakeModel();
    const bad: Partial<BatcherOptions>[] = [
      { maxBatchSize: 0 },
      { maxBatchSize: 2.5 },
      { maxBatchSize: Number.NaN },
      { maxQueueDelayMs: -1 },
      { maxQueueDelayMs: Number.NaN },
      { maxQueueDelayMs: Number.POSITIVE_INFINITY },
      { maxBatchSize: 8, preferredBatchSizes: [0] },
      { maxBatchSize: 8, preferredBatchSizes: [4, 16] },
      { maxBatchSize: 8, preferredBatchSizes: [2.5] },
      { maxInFlight: 0 },
    ];
    for (const options of bad) {
      assert.throws(() => new DynamicBatcher({ run: model.run, maxBatchSize: 4, maxQueueDelayMs: 10, ...options }), RangeError, JSON.stringify(options));
    }
    assert.doesNotThrow(() => new DynamicBatcher({ run: model.run, maxBatchSize: 8, maxQueueDelayMs: 0, preferredBatchSizes: [8, 4] }));
  });
});
