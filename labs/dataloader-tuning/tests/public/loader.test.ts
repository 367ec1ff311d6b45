import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { chooseLoaderSettings, DataLoader, DataLoaderError, simulateTraining, type Dataset } from '../src/loader';

/** Items that are ready at once: item i is the string `item<i>`. A failing index rejects. */
function dataset(length: number, failAt: number | null = null): Dataset<string> & { calls: number[] } {
  const calls: number[] = [];
  return {
    length,
    calls,
    getItem(index: number): Promise<string> {
      calls.push(index);
      return index === failAt ? Promise.reject(new Error('unreadable')) : Promise.resolve(`item${index}`);
    },
  };
}

async function collect<B>(loader: AsyncIterable<B>): Promise<B[]> {
  const out: B[] = [];
  for await (const batch of loader) out.push(batch);
  return out;
}

describe('public: order', () => {
  it('batches a small dataset in order and keeps the short last batch', async () => {
    const loader = new DataLoader(dataset(5), { batchSize: 2 });
    assert.equal(loader.length, 3);
    assert.deepEqual(await collect(loader), [['item0', 'item1'], ['item2', 'item3'], ['item4']]);
  });
});

describe('public: prefetch', () => {
  it('two workers deliver every item once, in order', async () => {
    const data = dataset(9);
    const loader = new DataLoader(data, { batchSize: 3, numWorkers: 2 });
    assert.deepEqual((await collect(loader)).flat(), Array.from({ length: 9 }, (_, i) => `item${i}`));
    assert.deepEqual([...data.calls].sort((a, b) => a - b), [0, 1, 2, 3, 4, 5, 6, 7, 8]);
  });
});

describe('public: errors', () => {
  it('a failed read surfaces as a DataLoaderError', async () => {
    const loader = new DataLoader(dataset(4, 2), { batchSize: 2 });
    await assert.rejects(collect(loader), DataLoaderError);
  });
});

describe('public: simulation', () => {
  it('one worker as fast as the step keeps it busy after the first batch', () => {
    const r = simulateTraining({ batchSize: 2, numBatches: 10, fetchLatency: 5, stepTime: 10, numWorkers: 1, prefetchFactor: 1 });
    assert.deepEqual([r.totalTime, r.busyTime, r.waitTime], [110, 100, 10]);
    assert.ok(Math.abs(r.utilisation - 100 / 110) <= 1e-9, `utilisation ${r.utilisation}`);
  });
});

describe('public: tuning', () => {
  it('one worker is enough when it keeps up', () => {
    const chosen = chooseLoaderSettings({ batchSize: 2, numBatches: 10, fetchLatency: 5, stepTime: 10, targetUtilisation: 0.9, maxBufferedItems: 16 });
    assert.ok(chosen, 'expected a setting, got null');
    assert.deepEqual([chosen.numWorkers, chosen.prefetchFactor, chosen.bufferedItems], [1, 1, 2]);
    assert.ok(Math.abs(chosen.utilisation - 100 / 110) <= 1e-9, `utilisation ${chosen.utilisation}`);
  });
});
