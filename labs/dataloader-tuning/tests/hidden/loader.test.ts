import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  chooseLoaderSettings,
  DataLoader,
  DataLoaderError,
  epochOrder,
  mulberry32,
  simulateTraining,
  type Dataset,
} from '../src/loader';

// ---------------------------------------------------------------------------------------------------------
// Test doubles. Nothing here waits on wall-clock time: `flush` only lets queued promise callbacks run.

/** Lets every pending promise callback run (a few turns of the event loop, no timers). */
async function flush(): Promise<void> {
  for (let i = 0; i < 4; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}

const item = (index: number): string => `item${index}`;

/** Reads that finish at once; counts calls. */
class InstantDataset implements Dataset<string> {
  readonly calls: number[] = [];
  constructor(
    readonly length: number,
    private readonly failAt: number | null = null,
    readonly failure: Error = new Error('disk on fire'),
  ) {}
  getItem(index: number): Promise<string> {
    this.calls.push(index);
    if (index === this.failAt) return Promise.reject(this.failure);
    return Promise.resolve(item(index));
  }
}

interface Read {
  index: number;
  resolve: (value: string) => void;
  reject: (error: unknown) => void;
  /** Stops listening for the abort once the read is over. */
  forget: () => void;
}

/** Reads that finish when the test says so; counts calls, reads in flight, and reads resolved. */
class ManualDataset implements Dataset<string> {
  readonly calls: number[] = [];
  readonly signals: AbortSignal[] = [];
  maxInFlight = 0;
  resolved = 0;
  private readonly reads: Read[] = [];

  constructor(
    readonly length: number,
    private readonly honourAbort = true,
  ) {}

  get inFlight(): number {
    return this.reads.length;
  }

  inFlightIndices(): number[] {
    return this.reads.map((r) => r.index).sort((a, b) => a - b);
  }

  getItem(index: number, signal?: AbortSignal): Promise<string> {
    this.calls.push(index);
    if (signal) this.signals.push(signal);
    return new Promise<string>((resolve, reject) => {
      const read: Read = { index, resolve, reject, forget: () => undefined };
      this.reads.push(read);
      this.maxInFlight = Math.max(this.maxInFlight, this.reads.length);
      if (this.honourAbort && signal) {
        const onAbort = (): void => {
          if (this.remove(read)) reject(new Error('aborted'));
        };
        if (signal.aborted) onAbort();
        else {
          signal.addEventListener('abort', onAbort, { once: true });
          read.forget = () => signal.removeEventListener('abort', onAbort);
        }
      }
    });
  }

  resolve(index: number): void {
    const read = this.reads.find((r) => r.index === index);
    assert.ok(read, `the test expected a read of ${index} in flight; in flight: ${this.inFlightIndices()}`);
    this.remove(read);
    read.forget();
    this.resolved += 1;
    read.resolve(item(index));
  }

  fail(index: number, error: unknown): void {
    const read = this.reads.find((r) => r.index === index);
    assert.ok(read, `the test expected a read of ${index} in flight; in flight: ${this.inFlightIndices()}`);
    this.remove(read);
    read.forget();
    read.reject(error);
  }

  /** Resolves the lowest index in flight. */
  resolveLowest(): void {
    const [lowest] = this.inFlightIndices();
    assert.ok(lowest !== undefined, 'nothing is in flight');
    this.resolve(lowest);
  }

  private remove(read: Read): boolean {
    const at = this.reads.indexOf(read);
    if (at < 0) return false;
    this.reads.splice(at, 1);
    return true;
  }
}

/** Runs a promise, reporting whether it has settled yet. */
function track<V>(promise: Promise<V>): { settled: () => boolean; promise: Promise<V> } {
  let done = false;
  const tracked = promise.finally(() => {
    done = true;
  });
  tracked.catch(() => undefined);
  return { settled: () => done, promise: tracked };
}

/** Resolves reads, lowest index first, until `done()`; fails if the loader stalls with nothing in flight. */
async function driveUntil(dataset: ManualDataset, done: () => boolean): Promise<void> {
  for (let round = 0; round < 10_000; round++) {
    await flush();
    if (done()) return;
    assert.ok(dataset.inFlight > 0, 'the loader stalled: the consumer waits and no read is in flight');
    dataset.resolveLowest();
  }
  assert.fail('the loader did not finish');
}

async function collect<B>(loader: AsyncIterable<B>): Promise<B[]> {
  const out: B[] = [];
  for await (const batch of loader) out.push(batch);
  return out;
}

/** A virtual clock: time moves only when every promise callback has run and someone is sleeping. */
class VirtualClock {
  now = 0;
  private timers: { at: number; order: number; wake: () => void }[] = [];
  private count = 0;

  sleep(ms: number): Promise<void> {
    return new Promise<void>((wake) => {
      this.timers.push({ at: this.now + ms, order: this.count++, wake });
    });
  }

  async run(work: Promise<unknown>): Promise<void> {
    const state = track(work);
    for (;;) {
      await flush();
      if (state.settled()) break;
      assert.ok(this.timers.length > 0, 'stuck: nobody is sleeping and the work is not done');
      this.timers.sort((a, b) => a.at - b.at || a.order - b.order);
      const next = this.timers.shift()!;
      this.now = next.at;
      next.wake();
    }
    await state.promise;
  }
}

const spiky = (index: number): number => (index % 10 === 9 ? 100 : 10);

/** Equal within 1e-9 (relative for large values): float results may differ in the last bits. */
function assertClose(actual: unknown, expected: number, message?: string): void {
  assert.equal(typeof actual, 'number', message);
  const gap = Math.abs((actual as number) - expected);
  assert.ok(gap <= 1e-9 * Math.max(1, Math.abs(expected)), `${message ?? 'value'}: expected ${expected}, got ${String(actual)}`);
}

/** Checks the four numbers of a SimulationResult, each within 1e-9; other properties are not looked at. */
function assertSimulation(actual: unknown, expected: { totalTime: number; busyTime: number; waitTime: number; utilisation: number }, message = ''): void {
  assert.ok(actual !== null && typeof actual === 'object', `${message} expected a result object`);
  for (const key of ['totalTime', 'busyTime', 'waitTime', 'utilisation'] as const) {
    assertClose((actual as Record<string, unknown>)[key], expected[key], `${message} ${key}`);
  }
}

/** Checks a chosen setting: the integers exactly, the utilisation within 1e-9. */
function assertSettings(actual: unknown, expected: { numWorkers: number; prefetchFactor: number; utilisation: number; bufferedItems: number }): void {
  assert.ok(actual !== null && typeof actual === 'object', `expected a setting, got ${String(actual)}`);
  const got = actual as Record<string, unknown>;
  assert.deepEqual(
    { numWorkers: got.numWorkers, prefetchFactor: got.prefetchFactor, bufferedItems: got.bufferedItems },
    { numWorkers: expected.numWorkers, prefetchFactor: expected.prefetchFactor, bufferedItems: expected.bufferedItems },
  );
  assertClose(got.utilisation, expected.utilisation, 'utilisation');
}

/** Whether an iterator result says the iteration is over (with no value). */
function assertDone(result: IteratorResult<unknown>): void {
  assert.equal(result.done, true);
  assert.equal(result.value, undefined);
}

/** Awaits a promise that must settle once pending callbacks have run; fails instead of hanging. */
async function settleSoon<V>(promise: Promise<V>): Promise<V> {
  const state = track(promise);
  for (let i = 0; i < 10 && !state.settled(); i++) await flush();
  assert.ok(state.settled(), 'the loader hung instead of settling');
  return state.promise;
}

// ---------------------------------------------------------------------------------------------------------

describe('order', () => {
  it('has ceil(N/B) batches, or floor(N/B) with dropLast, and keeps the short last batch', async () => {
    const keep = new DataLoader(new InstantDataset(10), { batchSize: 4 });
    assert.equal(keep.length, 3);
    assert.deepEqual(await collect(keep), [
      [item(0), item(1), item(2), item(3)],
      [item(4), item(5), item(6), item(7)],
      [item(8), item(9)],
    ]);
    const drop = new DataLoader(new InstantDataset(10), { batchSize: 4, dropLast: true });
    assert.equal(drop.length, 2);
    assert.deepEqual((await collect(drop)).map((b) => b.length), [4, 4]);
    const exact = new DataLoader(new InstantDataset(8), { batchSize: 4, dropLast: true, numWorkers: 2 });
    assert.equal(exact.length, 2);
    assert.equal((await collect(exact)).length, 2);
    assert.equal(new DataLoader(new InstantDataset(3), { batchSize: 4, dropLast: true }).length, 0);
    const third = new DataLoader(new InstantDataset(7), { batchSize: 3 });
    assert.equal(third.length, 3, 'ceil(7 / 3)');
    assert.deepEqual((await collect(third)).map((b) => b.length), [3, 3, 1]);
    assert.equal(new DataLoader(new InstantDataset(7), { batchSize: 3, dropLast: true }).length, 2);
  });

  it('reads 0..N-1 in order every epoch without shuffle', async () => {
    assert.deepEqual(epochOrder(5), [0, 1, 2, 3, 4]);
    assert.deepEqual(epochOrder(5, { seed: 9, epoch: 4 }), [0, 1, 2, 3, 4]);
    const loader = new DataLoader(new InstantDataset(6), { batchSize: 2, seed: 123, numWorkers: 2 });
    const all = [0, 1, 2, 3, 4, 5].map(item);
    assert.deepEqual((await collect(loader)).flat(), all);
    assert.deepEqual((await collect(loader)).flat(), all);
  });

  it('shuffles with Fisher–Yates driven by mulberry32(seed + epoch)', async () => {
    assert.deepEqual(epochOrder(10, { shuffle: true, seed: 42, epoch: 0 }), [0, 7, 3, 5, 2, 1, 8, 9, 4, 6]);
    assert.deepEqual(epochOrder(10, { shuffle: true, seed: 42, epoch: 1 }), [8, 1, 7, 5, 3, 6, 0, 4, 2, 9]);
    assert.deepEqual(epochOrder(7, { shuffle: true, seed: 2024, epoch: 3 }), [2, 4, 5, 1, 0, 3, 6]);
    assert.deepEqual(epochOrder(10, { shuffle: true, seed: -1 }), [3, 0, 9, 4, 2, 7, 6, 5, 1, 8]);
    assert.deepEqual(epochOrder(1, { shuffle: true, seed: 7 }), [0]);
    assert.deepEqual(epochOrder(0, { shuffle: true, seed: 7 }), []);
    const loader = new DataLoader(new InstantDataset(10), { batchSize: 3, shuffle: true, seed: 42, numWorkers: 2 });
    assert.deepEqual(await collect(loader), [
      [item(0), item(7), item(3)],
      [item(5), item(2), item(1)],
      [item(8), item(9), item(4)],
      [item(6)],
    ]);
  });

  it('changes the order every epoch and replays an epoch after setEpoch', async () => {
    const orders = (seed: number, epoch: number): string[] => epochOrder(12, { shuffle: true, seed, epoch }).map(item);
    assert.deepEqual(orders(3, 0), [5, 9, 7, 1, 11, 2, 3, 6, 10, 4, 0, 8].map(item));
    const loader = new DataLoader(new InstantDataset(12), { batchSize: 4, shuffle: true, seed: 3 });
    assert.equal(loader.epoch, 0);
    const first = (await collect(loader)).flat();
    const second = (await collect(loader)).flat();
    const third = (await collect(loader)).flat();
    assert.equal(loader.epoch, 3);
    assert.deepEqual(first, orders(3, 0));
    assert.deepEqual(second, orders(3, 1));
    assert.deepEqual(third, orders(3, 2));
    assert.notDeepEqual(first, second);
    assert.notDeepEqual(second, third);
    loader.setEpoch(1);
    assert.equal(loader.epoch, 1);
    assert.deepEqual((await collect(loader)).flat(), second);
    assert.deepEqual((await collect(loader)).flat(), third, 'epochs continue from the one set');
    const again = new DataLoader(new InstantDataset(12), { batchSize: 4, shuffle: true, seed: 3, numWorkers: 3 });
    assert.deepEqual((await collect(again)).flat(), first, 'a new loader with the same seed repeats epoch 0');
  });

  it('passes each batch’s items to collate, in sampler order, once per batch', async () => {
    const order = epochOrder(7, { shuffle: true, seed: 2021 });
    const expected = order.map(item);
    const seen: string[][] = [];
    const dataset = new ManualDataset(7);
    const loader = new DataLoader(dataset, {
      batchSize: 3,
      numWorkers: 2,
      shuffle: true,
      seed: 2021,
      collate: (items: string[]) => {
        seen.push([...items]);
        return items.join('+');
      },
    });
    const batches: string[] = [];
    const run = track(
      (async () => {
        for await (const batch of loader) batches.push(batch);
      })(),
    );
    for (let round = 0; round < 1000; round++) {
      await flush();
      if (run.settled()) break;
      const reading = dataset.inFlightIndices();
      assert.ok(reading.length > 0, 'the loader stalled');
      // Finish the read that comes latest in sampler order, so batch 1 is complete before batch 0.
      dataset.resolve(reading.reduce((a, b) => (order.indexOf(a) > order.indexOf(b) ? a : b)));
    }
    await run.promise;
    const chunks = [expected.slice(0, 3), expected.slice(3, 6), expected.slice(6)];
    assert.deepEqual(batches, chunks.map((chunk) => chunk.join('+')));
    const byPosition = (a: string[], b: string[]): number => expected.indexOf(a[0]) - expected.indexOf(b[0]);
    assert.deepEqual([...seen].sort(byPosition), chunks);
    const calls: string[][] = [];
    const plain = new DataLoader(new InstantDataset(5), {
      batchSize: 2,
      collate: (items: string[]) => {
        calls.push([...items]);
        return items.join('+');
      },
    });
    assert.deepEqual(await collect(plain), ['item0+item1', 'item2+item3', 'item4'], 'collate is used without workers too');
    assert.equal(calls.length, 3);
  });

  it('rejects bad options with a RangeError, including prefetchFactor without workers', () => {
    const dataset = new InstantDataset(10);
    const bad = [
      { batchSize: 0 },
      { batchSize: 2.5 },
      { numWorkers: -1 },
      { numWorkers: 1.5 },
      { prefetchFactor: 2 },
      { numWorkers: 0, prefetchFactor: 1 },
      { numWorkers: 2, prefetchFactor: 0 },
      { numWorkers: 2, prefetchFactor: 1.5 },
      { seed: 0.5 },
    ];
    for (const options of bad) assert.throws(() => new DataLoader(dataset, options), RangeError, JSON.stringify(options));
    assert.doesNotThrow(() => new DataLoader(dataset, { numWorkers: 2, prefetchFactor: 1 }));
    assert.throws(() => epochOrder(-1), RangeError);
    assert.throws(() => epochOrder(4, { shuffle: true, seed: 1.5 }), RangeError);
  });

  it('gives no batches for an empty dataset and reads nothing', async () => {
    const dataset = new InstantDataset(0);
    const loader = new DataLoader(dataset, { batchSize: 4, numWorkers: 2, shuffle: true });
    assert.equal(loader.length, 0);
    assert.deepEqual(await collect(loader), []);
    assert.deepEqual(dataset.calls, []);
  });

  it('takes an epoch that is an integer ≥ 0 in setEpoch and epochOrder, and rejects others with a RangeError', async () => {
    const loader = new DataLoader(new InstantDataset(6), { batchSize: 6, shuffle: true, seed: 11 });
    await collect(loader);
    await collect(loader);
    loader.setEpoch(0);
    assert.equal(loader.epoch, 0);
    assert.deepEqual((await collect(loader)).flat(), epochOrder(6, { shuffle: true, seed: 11, epoch: 0 }).map(item));
    for (const epoch of [-1, 1.5, Number.NaN]) {
      assert.throws(() => loader.setEpoch(epoch), RangeError, `setEpoch(${epoch})`);
      assert.throws(() => epochOrder(6, { shuffle: true, seed: 11, epoch }), RangeError, `epochOrder epoch ${epoch}`);
    }
  });
});

describe('prefetch', () => {
  it('dispatches exactly numWorkers × prefetchFactor batches ahead and one more per batch taken', async () => {
    const dataset = new InstantDataset(100);
    const loader = new DataLoader(dataset, { batchSize: 4, numWorkers: 3, prefetchFactor: 2 });
    const iterator = loader[Symbol.asyncIterator]();
    await flush();
    assert.equal(dataset.calls.length, 0, 'nothing is read before the first next()');
    assert.deepEqual((await iterator.next()).value, [0, 1, 2, 3].map(item));
    await flush();
    // 6 batches were dispatched ahead; taking batch 0 dispatched batch 6: 7 batches of 4 items read.
    assert.equal(dataset.calls.length, 28);
    await iterator.next();
    await flush();
    assert.equal(dataset.calls.length, 32);
    await flush();
    assert.equal(dataset.calls.length, 32, 'a consumer that takes nothing gets nothing more read');
    await iterator.return?.();
  });

  it('defaults prefetchFactor to 2 per worker', async () => {
    const dataset = new InstantDataset(50);
    const iterator = new DataLoader(dataset, { numWorkers: 3 })[Symbol.asyncIterator]();
    await iterator.next();
    await flush();
    assert.equal(dataset.calls.length, 3 * 2 + 1);
    await iterator.return?.();
  });

  it('reads nothing ahead and one item at a time without workers', async () => {
    const dataset = new ManualDataset(9);
    const iterator = new DataLoader(dataset, { batchSize: 3 })[Symbol.asyncIterator]();
    await flush();
    assert.equal(dataset.calls.length, 0);
    const first = track(iterator.next());
    await flush();
    assert.deepEqual(dataset.calls, [0]);
    dataset.resolve(0);
    await flush();
    assert.deepEqual(dataset.calls, [0, 1]);
    assert.equal(dataset.maxInFlight, 1);
    dataset.resolve(1);
    await flush();
    dataset.resolve(2);
    assert.deepEqual((await first.promise).value, [0, 1, 2].map(item));
    await flush();
    assert.deepEqual(dataset.calls, [0, 1, 2], 'nothing is read until the next call');
    const second = track(iterator.next());
    await driveUntil(dataset, second.settled);
    assert.deepEqual((await second.promise).value, [3, 4, 5].map(item));
    assert.equal(dataset.maxInFlight, 1);
    await iterator.return?.();
  });

  it('delivers batches in sampler order when later batches finish first', async () => {
    const dataset = new ManualDataset(6);
    const iterator = new DataLoader(dataset, { numWorkers: 3, prefetchFactor: 1 })[Symbol.asyncIterator]();
    const first = track(iterator.next());
    await flush();
    assert.deepEqual(dataset.inFlightIndices(), [0, 1, 2]);
    dataset.resolve(2);
    dataset.resolve(1);
    await flush();
    assert.equal(first.settled(), false, 'batch 0 is not ready, so next() must wait for it');
    dataset.resolve(0);
    assert.deepEqual((await first.promise).value, [item(0)]);
    assert.deepEqual((await iterator.next()).value, [item(1)]);
    assert.deepEqual((await iterator.next()).value, [item(2)]);
    const fourth = track(iterator.next());
    await driveUntil(dataset, fourth.settled);
    assert.deepEqual((await fourth.promise).value, [item(3)]);
    await iterator.return?.();
  });

  it('hands batches to workers round-robin, each worker reading one item at a time', async () => {
    const dataset = new ManualDataset(16);
    const iterator = new DataLoader(dataset, { batchSize: 2, numWorkers: 2, prefetchFactor: 2 })[Symbol.asyncIterator]();
    const first = track(iterator.next());
    await flush();
    assert.deepEqual(dataset.inFlightIndices(), [0, 2], 'worker 0 starts batch 0, worker 1 batch 1');
    dataset.resolve(2);
    await flush();
    assert.deepEqual(dataset.inFlightIndices(), [0, 3]);
    dataset.resolve(3);
    await flush();
    assert.deepEqual(dataset.inFlightIndices(), [0, 6], 'worker 1 goes on to its own next batch, batch 3');
    dataset.resolve(0);
    await flush();
    assert.deepEqual(dataset.inFlightIndices(), [1, 6]);
    dataset.resolve(1);
    await flush();
    assert.deepEqual(dataset.inFlightIndices(), [4, 6], 'worker 0 goes on to batch 2');
    assert.deepEqual((await first.promise).value, [item(0), item(1)]);
    await iterator.return?.();
  });

  it('never has more than numWorkers reads in flight or numWorkers × prefetchFactor × batchSize items buffered', async () => {
    const dataset = new ManualDataset(30);
    const loader = new DataLoader(dataset, { batchSize: 2, numWorkers: 3, prefetchFactor: 2, shuffle: true, seed: 5 });
    const rng = mulberry32(99);
    const got: string[][] = [];
    let delivered = 0;
    let release: (() => void) | null = null;
    const consumer = track(
      (async () => {
        for await (const batch of loader) {
          got.push(batch);
          delivered += batch.length;
          await new Promise<void>((resolve) => (release = resolve));
        }
      })(),
    );
    for (let round = 0; round < 5000; round++) {
      await flush();
      assert.ok(dataset.inFlight <= 3, `${dataset.inFlight} reads in flight with 3 workers`);
      assert.ok(dataset.resolved - delivered <= 12, `${dataset.resolved - delivered} items buffered, more than 3 × 2 × 2`);
      if (consumer.settled()) break;
      const waiting = release as (() => void) | null;
      if (waiting && (dataset.inFlight === 0 || rng() < 0.3)) {
        release = null;
        waiting();
      } else {
        assert.ok(dataset.inFlight > 0, 'the loader stalled');
        const indices = dataset.inFlightIndices();
        dataset.resolve(indices[Math.floor(rng() * indices.length)]);
      }
    }
    await consumer.promise;
    assert.deepEqual(got.flat(), epochOrder(30, { shuffle: true, seed: 5 }).map(item));
    assert.equal(dataset.maxInFlight, 3, 'the three workers read in parallel');
    assert.equal(dataset.calls.length, 30);
  });

  it('keeps the step as busy as the timing model says, under a virtual clock', async () => {
    const run = async (prefetchFactor: number): Promise<{ total: number; maxInFlight: number }> => {
      const clock = new VirtualClock();
      let inFlight = 0;
      let maxInFlight = 0;
      const dataset: Dataset<number> = {
        length: 30,
        getItem: async (index) => {
          inFlight += 1;
          maxInFlight = Math.max(maxInFlight, inFlight);
          await clock.sleep(spiky(index));
          inFlight -= 1;
          return index;
        },
      };
      const loader = new DataLoader(dataset, { batchSize: 2, numWorkers: 3, prefetchFactor });
      const training = (async () => {
        for await (const batch of loader) {
          assert.equal(batch.length, 2);
          await clock.sleep(10);
        }
      })();
      await clock.run(training);
      return { total: clock.now, maxInFlight };
    };
    // 15 steps of 10 ms; 2 items per batch at 10 ms, every tenth item 100 ms.
    assert.deepEqual(await run(1), { total: 410, maxInFlight: 3 });
    assert.deepEqual(await run(2), { total: 290, maxInFlight: 3 });
    assert.deepEqual(await run(3), { total: 260, maxInFlight: 3 });
  });
});

describe('errors', () => {
  it('surfaces a failed read as a DataLoaderError with the dataset index and the cause', async () => {
    const order = epochOrder(10, { shuffle: true, seed: 42 }); // [0, 7, 3, 5, 2, 1, 8, 9, 4, 6]
    const dataset = new InstantDataset(10, order[5]);
    const loader = new DataLoader(dataset, { batchSize: 2, numWorkers: 2, shuffle: true, seed: 42 });
    const got: string[][] = [];
    await assert.rejects(
      (async () => {
        for await (const batch of loader) got.push(batch);
      })(),
      (error: unknown) => {
        assert.ok(error instanceof DataLoaderError, `expected a DataLoaderError, got ${String(error)}`);
        assert.ok(error instanceof Error);
        assert.equal(error.name, 'DataLoaderError');
        assert.equal(error.index, 1, 'the dataset index of the failing item, not its position');
        assert.equal(error.batch, 2);
        assert.equal(error.cause, dataset.failure);
        return true;
      },
    );
    assert.deepEqual(got, [
      [item(0), item(7)],
      [item(3), item(5)],
    ]);
  });

  it('delivers the batches before the failing one first, even when the failure comes first', async () => {
    const dataset = new ManualDataset(6);
    const iterator = new DataLoader(dataset, { numWorkers: 2 })[Symbol.asyncIterator]();
    const first = track(iterator.next());
    await flush();
    dataset.fail(1, new Error('bad record'));
    await flush();
    assert.equal(first.settled(), false, 'batch 0 has not been read yet');
    dataset.resolve(0);
    assert.deepEqual((await first.promise).value, [item(0)]);
    await assert.rejects(iterator.next(), (error: unknown) => error instanceof DataLoaderError && error.index === 1 && error.batch === 1);

    const later = new ManualDataset(6);
    const it2 = new DataLoader(later, { numWorkers: 3, prefetchFactor: 1 })[Symbol.asyncIterator]();
    const a = track(it2.next());
    await flush();
    later.fail(2, new Error('bad record'));
    later.resolve(0);
    assert.deepEqual((await a.promise).value, [item(0)]);
    const b = track(it2.next());
    await flush();
    assert.equal(b.settled(), false, 'batch 1 comes before the failed batch 2, so next() waits for it');
    later.resolve(1);
    assert.deepEqual((await b.promise).value, [item(1)]);
    await assert.rejects(it2.next(), (error: unknown) => error instanceof DataLoaderError && error.index === 2 && error.batch === 2);
  });

  it('stops after an error: nothing in flight, nothing more read, the iterator is done', async () => {
    const dataset = new ManualDataset(40);
    const iterator = new DataLoader(dataset, { batchSize: 2, numWorkers: 2, prefetchFactor: 2 })[Symbol.asyncIterator]();
    const first = track(iterator.next());
    await flush();
    dataset.resolve(2);
    await flush();
    dataset.fail(3, new Error('bad record'));
    await driveUntil(dataset, first.settled);
    assert.deepEqual((await first.promise).value, [item(0), item(1)]);
    await assert.rejects(iterator.next(), DataLoaderError);
    assert.equal(dataset.inFlight, 0, 'reads still in flight after the error');
    const calls = dataset.calls.length;
    await flush();
    assert.equal(dataset.calls.length, calls, 'reads started after the error');
    assert.ok(dataset.signals.length > 0 && dataset.signals.every((s) => s.aborted), 'the signal is aborted');
    assertDone(await iterator.next());
  });

  it('is done after an error even when the next batch was never dispatched', async () => {
    // One worker, prefetch 1: only batch 0 is dispatched when it fails, so batch 1 never started.
    const dataset = new InstantDataset(6, 0);
    const iterator = new DataLoader(dataset, { batchSize: 2, numWorkers: 1, prefetchFactor: 1 })[Symbol.asyncIterator]();
    await assert.rejects(settleSoon(iterator.next()), (error: unknown) => error instanceof DataLoaderError && error.index === 0 && error.batch === 0);
    assertDone(await settleSoon(iterator.next()));
    assertDone(await settleSoon(iterator.next()));
    assert.deepEqual(dataset.calls, [0], 'nothing is read after the error');
  });

  it('without workers, reports a failed read as a DataLoaderError and then is done', async () => {
    const dataset = new InstantDataset(6, 3);
    const iterator = new DataLoader(dataset, { batchSize: 2 })[Symbol.asyncIterator]();
    assert.deepEqual((await iterator.next()).value, [item(0), item(1)]);
    await assert.rejects(iterator.next(), (error: unknown) => {
      assert.ok(error instanceof DataLoaderError, `expected a DataLoaderError, got ${String(error)}`);
      assert.equal(error.index, 3);
      assert.equal(error.batch, 1);
      assert.equal(error.cause, dataset.failure);
      return true;
    });
    assertDone(await iterator.next());
    assert.deepEqual(dataset.calls, [0, 1, 2, 3], 'nothing is read after the error');
  });

  it('treats a getItem that throws synchronously like one that rejects', async () => {
    const failure = new Error('corrupt header');
    const throwing = (): Dataset<string> & { calls: number[] } => {
      const calls: number[] = [];
      return {
        length: 8,
        calls,
        getItem(index: number): Promise<string> {
          calls.push(index);
          if (index === 5) throw failure;
          return Promise.resolve(item(index));
        },
      };
    };
    for (const numWorkers of [0, 2]) {
      const dataset = throwing();
      const iterator = new DataLoader(dataset, { batchSize: 2, numWorkers })[Symbol.asyncIterator]();
      assert.deepEqual((await settleSoon(iterator.next())).value, [item(0), item(1)], `${numWorkers} workers`);
      assert.deepEqual((await settleSoon(iterator.next())).value, [item(2), item(3)], `${numWorkers} workers`);
      await assert.rejects(
        settleSoon(iterator.next()),
        (error: unknown) => error instanceof DataLoaderError && error.index === 5 && error.batch === 2 && error.cause === failure,
        `${numWorkers} workers`,
      );
      assertDone(await settleSoon(iterator.next()));
    }
  });

  it('ends a batch at its failed read; the worker carries on with its next batch', async () => {
    const dataset = new ManualDataset(12);
    // Batches [0,1,2] [3,4,5] [6,7,8] [9,10,11]: worker 0 has batches 0 and 2, worker 1 batches 1 and 3.
    const iterator = new DataLoader(dataset, { batchSize: 3, numWorkers: 2, prefetchFactor: 2 })[Symbol.asyncIterator]();
    const first = track(iterator.next());
    await flush();
    assert.deepEqual(dataset.inFlightIndices(), [0, 3]);
    dataset.fail(3, new Error('bad record'));
    await flush();
    assert.deepEqual(dataset.inFlightIndices(), [0, 9], 'worker 1 skips the rest of batch 1 and starts batch 3');
    await driveUntil(dataset, first.settled);
    assert.deepEqual((await first.promise).value, [item(0), item(1), item(2)]);
    await assert.rejects(iterator.next(), (error: unknown) => error instanceof DataLoaderError && error.index === 3 && error.batch === 1);
    assert.equal(dataset.calls.includes(4), false, 'item 4 comes after the failed read in batch 1');
  });

  it('reports a throwing collate as a DataLoaderError with index null', async () => {
    const boom = new Error('ragged batch');
    const loader = new DataLoader(new InstantDataset(9), {
      batchSize: 3,
      numWorkers: 2,
      collate: (items: string[]) => {
        if (items.includes(item(4))) throw boom;
        return items.length;
      },
    });
    const got: number[] = [];
    await assert.rejects(
      (async () => {
        for await (const batch of loader) got.push(batch);
      })(),
      (error: unknown) => error instanceof DataLoaderError && error.index === null && error.batch === 1 && error.cause === boom,
    );
    assert.deepEqual(got, [3]);
  });
});

describe('early exit', () => {
  it('breaking out of for await aborts, leaves nothing in flight and starts nothing later', async () => {
    const dataset = new ManualDataset(40);
    const loader = new DataLoader(dataset, { batchSize: 2, numWorkers: 3, prefetchFactor: 2 });
    const got: string[][] = [];
    const loop = track(
      (async () => {
        for await (const batch of loader) {
          got.push(batch);
          if (got.length === 2) break;
        }
      })(),
    );
    await driveUntil(dataset, loop.settled);
    await loop.promise;
    assert.deepEqual(got, [
      [item(0), item(1)],
      [item(2), item(3)],
    ]);
    assert.equal(dataset.inFlight, 0, 'reads still in flight after the loop ended');
    assert.ok(dataset.signals.length > 0 && dataset.signals.every((s) => s.aborted), 'the signal is aborted');
    const calls = dataset.calls.length;
    await flush();
    assert.equal(dataset.calls.length, calls, 'reads started after the loop ended');
  });

  it('waits for reads that ignore the abort signal before the loop ends', async () => {
    const dataset = new ManualDataset(40, false);
    const loader = new DataLoader(dataset, { batchSize: 3, numWorkers: 2, prefetchFactor: 2 });
    let taken = 0;
    const loop = track(
      (async () => {
        for await (const batch of loader) {
          void batch;
          taken += 1;
          if (taken === 1) break;
        }
      })(),
    );
    for (;;) {
      await flush();
      if (taken > 0) break;
      dataset.resolveLowest();
    }
    const stillReading = dataset.inFlightIndices();
    assert.ok(stillReading.length > 0, 'the test expects a read in flight at the break');
    assert.equal(loop.settled(), false, 'the loop ended while reads were still running');
    const calls = dataset.calls.length;
    for (const index of stillReading) dataset.resolve(index);
    await flush();
    assert.equal(loop.settled(), true, 'the loop should end once the started reads settle');
    await loop.promise;
    assert.equal(dataset.calls.length, calls, 'no read may start after return()');
    assert.equal(dataset.inFlight, 0);
  });

  it('starts the next epoch afresh after a break', async () => {
    const dataset = new InstantDataset(12);
    const loader = new DataLoader(dataset, { batchSize: 4, numWorkers: 2, shuffle: true, seed: 3 });
    for await (const batch of loader) {
      assert.deepEqual(batch, epochOrder(12, { shuffle: true, seed: 3, epoch: 0 }).slice(0, 4).map(item));
      break;
    }
    assert.equal(loader.epoch, 1);
    assert.deepEqual((await collect(loader)).flat(), epochOrder(12, { shuffle: true, seed: 3, epoch: 1 }).map(item));

    // A dataset that honours the signal: the aborted signal of the first epoch must not reach the second.
    const manual = new ManualDataset(8);
    const again = new DataLoader(manual, { batchSize: 2, numWorkers: 2 });
    const broken = track(
      (async () => {
        for await (const batch of again) {
          void batch;
          break;
        }
      })(),
    );
    await driveUntil(manual, broken.settled);
    await broken.promise;
    // Reads given an already aborted signal fail at once, so the whole epoch arrives only with a fresh signal.
    const whole = track(collect(again));
    await driveUntil(manual, whole.settled);
    const second = await whole.promise.catch((error: unknown) => assert.fail(`the epoch after the break failed: ${String(error)}`));
    assert.deepEqual(second.flat(), [0, 1, 2, 3, 4, 5, 6, 7].map(item));
  });
});

describe('simulation', () => {
  const even = { batchSize: 4, numBatches: 20, fetchLatency: 5, stepTime: 10 };

  it('makes every step wait for its whole batch without workers', () => {
    assertSimulation(simulateTraining({ ...even, numWorkers: 0 }), { totalTime: 600, busyTime: 200, waitTime: 400, utilisation: 1 / 3 });
  });

  it('makes the loop wait the difference every step when one worker is too slow', () => {
    const r = simulateTraining({ ...even, numWorkers: 1, prefetchFactor: 4 });
    assertSimulation(r, { totalTime: 20 * 20 + 10, busyTime: 200, waitTime: 210, utilisation: 200 / 410 });
  });

  it('hides the latency after the first batch with enough workers', () => {
    for (const [numWorkers, prefetchFactor] of [
      [2, 1],
      [2, 2],
      [4, 1],
    ]) {
      const r = simulateTraining({ ...even, numWorkers, prefetchFactor });
      assertSimulation(r, { totalTime: 220, busyTime: 200, waitTime: 20, utilisation: 200 / 220 }, `${numWorkers} workers, prefetch ${prefetchFactor}:`);
    }
    assertClose(simulateTraining({ ...even, numWorkers: 2 }).utilisation, 200 / 220);
  });

  it('absorbs slow items with a larger prefetchFactor', () => {
    const totals = [1, 2, 3, 4, 8].map(
      (prefetchFactor) => simulateTraining({ batchSize: 1, numBatches: 50, fetchLatency: spiky, stepTime: 10, numWorkers: 3, prefetchFactor }).totalTime,
    );
    totals.forEach((total, i) => assertClose(total, [860, 710, 580, 540, 540][i], `prefetchFactor ${[1, 2, 3, 4, 8][i]}`));
    const small = simulateTraining({ batchSize: 1, numBatches: 12, fetchLatency: spiky, stepTime: 10, numWorkers: 2, prefetchFactor: 1 });
    assertClose(small.totalTime, 210);
  });

  it('defaults prefetchFactor to 2 in the model too', () => {
    const spikes = { batchSize: 1, numBatches: 50, fetchLatency: spiky, stepTime: 10 };
    // The README's worked example: three workers with the default prefetch reach 500 / 710 = 0.704.
    assertSimulation(simulateTraining({ ...spikes, numWorkers: 3 }), { totalTime: 710, busyTime: 500, waitTime: 210, utilisation: 500 / 710 });
  });

  it('charges batch k the latencies of items kB … kB + B − 1', () => {
    // The virtual-clock run of the prefetch tests: 15 batches of 2 items, every tenth item slow.
    const pairs = { batchSize: 2, numBatches: 15, fetchLatency: spiky, stepTime: 10, numWorkers: 3 };
    assertClose(simulateTraining({ ...pairs, prefetchFactor: 1 }).totalTime, 410);
    assertClose(simulateTraining({ ...pairs, prefetchFactor: 2 }).totalTime, 290);
    assertClose(simulateTraining({ ...pairs, prefetchFactor: 3 }).totalTime, 260);
    // Without workers every batch costs its own items: 150 items, 15 of them slow, plus 15 steps.
    assertClose(simulateTraining({ ...pairs, numBatches: 75, numWorkers: 0 }).totalTime, 135 * 10 + 15 * 100 + 75 * 10);
  });

  it('accepts a latency of 0: the loop never waits', () => {
    for (const numWorkers of [0, 1, 3]) {
      const r = simulateTraining({ batchSize: 4, numBatches: 10, fetchLatency: 0, stepTime: 10, numWorkers });
      assertSimulation(r, { totalTime: 100, busyTime: 100, waitTime: 0, utilisation: 1 }, `${numWorkers} workers:`);
    }
    const some = simulateTraining({ batchSize: 1, numBatches: 10, fetchLatency: (i) => (i === 0 ? 5 : 0), stepTime: 10, numWorkers: 0 });
    assertClose(some.totalTime, 105);
  });

  it('rejects prefetchFactor without workers and invalid sizes with a RangeError', () => {
    const bad = [
      { ...even, numWorkers: 0, prefetchFactor: 2 },
      { ...even, numWorkers: -1 },
      { ...even, numWorkers: 2, prefetchFactor: 0 },
      { ...even, numWorkers: 2, batchSize: 0 },
      { ...even, numWorkers: 2, numBatches: 2.5 },
      { ...even, numWorkers: 2, stepTime: 0 },
      { ...even, numWorkers: 2, stepTime: Number.NaN },
      { ...even, numWorkers: 0, stepTime: -5 },
      { ...even, numWorkers: 2, fetchLatency: -1 },
      { ...even, numWorkers: 2, fetchLatency: (i: number) => (i === 7 ? Number.NaN : 5) },
    ];
    for (const model of bad) assert.throws(() => simulateTraining(model), RangeError, JSON.stringify(model));
  });
});

describe('tuning', () => {
  const spikes = { batchSize: 1, numBatches: 50, fetchLatency: spiky, stepTime: 10 };

  it('picks the fewest workers, then the smallest prefetchFactor, that reach the target', () => {
    assertSettings(chooseLoaderSettings({ ...spikes, targetUtilisation: 0.9, maxBufferedItems: 100 }), {
      numWorkers: 3,
      prefetchFactor: 4,
      utilisation: 500 / 540,
      bufferedItems: 12,
    });
    assertSettings(chooseLoaderSettings({ ...spikes, targetUtilisation: 0.8, maxBufferedItems: 100 }), {
      numWorkers: 3,
      prefetchFactor: 3,
      utilisation: 500 / 580,
      bufferedItems: 9,
    });
    assertSettings(chooseLoaderSettings({ ...spikes, targetUtilisation: 0.95, maxBufferedItems: 100 }), {
      numWorkers: 6,
      prefetchFactor: 2,
      utilisation: 500 / 520,
      bufferedItems: 12,
    });
    assertSettings(chooseLoaderSettings({ ...spikes, targetUtilisation: 0.5, maxBufferedItems: 100 }), {
      numWorkers: 1,
      prefetchFactor: 1,
      utilisation: 500 / 960,
      bufferedItems: 1,
    });
  });

  it('keeps within the bound on buffered items', () => {
    const chosen = chooseLoaderSettings({ ...spikes, targetUtilisation: 0.9, maxBufferedItems: 11 });
    assert.ok(chosen, 'some setting fits 11 items');
    assert.equal(chosen.numWorkers, 10);
    assert.equal(chosen.prefetchFactor, 1);
    assert.equal(chosen.bufferedItems, 10);
    assert.equal(chooseLoaderSettings({ ...spikes, targetUtilisation: 0.9, maxBufferedItems: 9 }), null);
  });

  it('counts buffered items as numWorkers × prefetchFactor × batchSize', () => {
    const even = { batchSize: 4, numBatches: 20, fetchLatency: 5, stepTime: 10, targetUtilisation: 0.9 };
    assert.equal(chooseLoaderSettings({ ...even, maxBufferedItems: 7 }), null);
    assertSettings(chooseLoaderSettings({ ...even, maxBufferedItems: 8 }), {
      numWorkers: 2,
      prefetchFactor: 1,
      utilisation: 200 / 220,
      bufferedItems: 8,
    });
  });

  it('accepts a utilisation exactly equal to the target', () => {
    const even = { batchSize: 4, numBatches: 20, fetchLatency: 5, stepTime: 10, maxBufferedItems: 64 };
    const chosen = chooseLoaderSettings({ ...even, targetUtilisation: 10 / 11 });
    assert.deepEqual(chosen && [chosen.numWorkers, chosen.prefetchFactor], [2, 1]);
    // 0.9 / 0.99 is 10/11 on paper but one float step above 200/220: within the README's 1e-9 allowance.
    const rounded = chooseLoaderSettings({ ...even, targetUtilisation: 0.9 / 0.99 });
    assert.deepEqual(rounded && [rounded.numWorkers, rounded.prefetchFactor], [2, 1]);
  });

  it('accepts a target of exactly 1', () => {
    const instant = { batchSize: 4, numBatches: 10, fetchLatency: 0, stepTime: 10, maxBufferedItems: 64, targetUtilisation: 1 };
    assertSettings(chooseLoaderSettings(instant), { numWorkers: 1, prefetchFactor: 1, utilisation: 1, bufferedItems: 4 });
    assert.equal(chooseLoaderSettings({ ...instant, fetchLatency: 1 }), null, 'the first batch always makes the loop wait');
  });

  it('tries maxWorkers and maxPrefetchFactor themselves', () => {
    assertSettings(chooseLoaderSettings({ ...spikes, targetUtilisation: 0.9, maxBufferedItems: 100, maxWorkers: 3 }), {
      numWorkers: 3,
      prefetchFactor: 4,
      utilisation: 500 / 540,
      bufferedItems: 12,
    });
    assertSettings(chooseLoaderSettings({ ...spikes, targetUtilisation: 0.9, maxBufferedItems: 100, maxPrefetchFactor: 4 }), {
      numWorkers: 3,
      prefetchFactor: 4,
      utilisation: 500 / 540,
      bufferedItems: 12,
    });
    assertSettings(chooseLoaderSettings({ ...spikes, targetUtilisation: 0.9, maxBufferedItems: 100, maxWorkers: 3, maxPrefetchFactor: 4 }), {
      numWorkers: 3,
      prefetchFactor: 4,
      utilisation: 500 / 540,
      bufferedItems: 12,
    });
  });

  it('returns null when nothing within the bounds reaches the target', () => {
    assert.equal(chooseLoaderSettings({ ...spikes, targetUtilisation: 0.99, maxBufferedItems: 1000 }), null);
    assert.equal(chooseLoaderSettings({ ...spikes, targetUtilisation: 0.9, maxBufferedItems: 100, maxWorkers: 2 }), null);
    assert.equal(chooseLoaderSettings({ ...spikes, targetUtilisation: 0.9, maxBufferedItems: 100, maxPrefetchFactor: 1, maxWorkers: 9 }), null);
  });

  it('rejects an impossible target or bound with a RangeError', () => {
    const base = { ...spikes, targetUtilisation: 0.9, maxBufferedItems: 100 };
    for (const goal of [
      { ...base, targetUtilisation: 0 },
      { ...base, targetUtilisation: 1.2 },
      { ...base, targetUtilisation: Number.NaN },
      { ...base, maxBufferedItems: 0 },
      { ...base, maxWorkers: 0 },
      { ...base, maxWorkers: 1.5 },
      { ...base, maxPrefetchFactor: 0 },
      { ...base, maxPrefetchFactor: 2.5 },
      { ...base, maxBufferedItems: 2.5 },
      { ...base, stepTime: -10 },
    ]) {
      assert.throws(() => chooseLoaderSettings(goal), RangeError, JSON.stringify(goal));
    }
  });
});
