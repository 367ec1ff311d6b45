import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import * as ort from 'onnxruntime-node';
import { DynamicBatcher, sessionRunner, type Clock } from '../src/batcher';

/** Lets pending promise callbacks run; no time passes. */
async function settle(): Promise<void> {
  for (let i = 0; i < 3; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}

/** A clock that moves only when the test calls advance(); the hidden tests use one like it. */
class ManualClock implements Clock {
  private time = 0;
  private timers: { id: number; at: number; fn: () => void }[] = [];
  private nextId = 1;
  now(): number {
    return this.time;
  }
  setTimeout(fn: () => void, ms: number): unknown {
    const id = this.nextId++;
    this.timers.push({ id, at: this.time + ms, fn });
    return id;
  }
  clearTimeout(handle: unknown): void {
    this.timers = this.timers.filter((t) => t.id !== handle);
  }
  async advance(ms: number): Promise<void> {
    const target = this.time + ms;
    for (;;) {
      const due = this.timers.filter((t) => t.at <= target).sort((a, b) => a.at - b.at)[0];
      if (!due) break;
      this.timers = this.timers.filter((t) => t !== due);
      this.time = due.at;
      due.fn();
      await settle();
    }
    this.time = target;
    await settle();
  }
}

/** A stand-in model: each output row is [first feature, batch size, 0, 0]; it logs the batch sizes. */
function fakeRun(sizes: number[]) {
  return async (batch: Float32Array, n: number): Promise<Float32Array> => {
    sizes.push(n);
    const out = new Float32Array(n * 4);
    for (let i = 0; i < n; i++) out.set([batch[i * 16], n], i * 4);
    return out;
  };
}

const row = (id: number) => new Float32Array(16).fill(id);

describe('public: answers', () => {
  it('each caller gets its own row', async () => {
    const sizes: number[] = [];
    const b = new DynamicBatcher({ run: fakeRun(sizes), maxBatchSize: 3, maxQueueDelayMs: 10, clock: new ManualClock() });
    const answers = await Promise.all([b.infer(row(5)), b.infer(row(6)), b.infer(row(7))]);
    assert.deepEqual(sizes, [3]);
    assert.deepEqual(
      answers.map((a) => a[0]),
      [5, 6, 7],
    );
  });
});

describe('public: onnx runtime', () => {
  it('a batch through the batcher matches one-at-a-time inference', async () => {
    const assets = process.env.MLOPS_LAB_ASSETS ?? '';
    const session = await ort.InferenceSession.create(new Uint8Array(readFileSync(path.join(assets, 'model.onnx'))));
    const { features } = JSON.parse(readFileSync(path.join(assets, 'heldout.json'), 'utf8')) as { features: number[][] };
    const rows = features.slice(0, 8).map((r) => Float32Array.from(r));
    const b = new DynamicBatcher({ run: sessionRunner(session), maxBatchSize: 4, maxQueueDelayMs: 0 });
    const batched = await Promise.all(rows.map((r) => b.infer(r)));
    for (let i = 0; i < rows.length; i++) {
      const alone = await session.run({ features: new ort.Tensor('float32', rows[i], [1, 16]) });
      const expected = alone.logits.data as Float32Array;
      for (let j = 0; j < 4; j++) assert.ok(Math.abs(batched[i][j] - expected[j]) <= 1e-5, `row ${i}, logit ${j}`);
    }
  });
});

describe('public: batch size', () => {
  it('a full batch runs at once', async () => {
    const sizes: number[] = [];
    const clock = new ManualClock();
    const b = new DynamicBatcher({ run: fakeRun(sizes), maxBatchSize: 2, maxQueueDelayMs: 1000, clock });
    void b.infer(row(1));
    void b.infer(row(2));
    await settle();
    assert.deepEqual(sizes, [2], 'the second request fills the batch: no waiting for the delay');
  });
});

describe('public: queue delay', () => {
  it('a lone request waits for maxQueueDelayMs', async () => {
    const sizes: number[] = [];
    const clock = new ManualClock();
    const b = new DynamicBatcher({ run: fakeRun(sizes), maxBatchSize: 8, maxQueueDelayMs: 5, clock });
    const answer = b.infer(row(1));
    await clock.advance(4);
    assert.deepEqual(sizes, []);
    await clock.advance(1);
    assert.deepEqual(sizes, [1]);
    assert.equal((await answer)[0], 1);
  });
});

describe('public: errors', () => {
  it('a failing batch rejects its callers', async () => {
    const b = new DynamicBatcher({
      run: () => Promise.reject(new Error('model crashed')),
      maxBatchSize: 2,
      maxQueueDelayMs: 0,
      clock: new ManualClock(),
    });
    await assert.rejects(b.infer(row(1)), /model crashed/);
  });
});
