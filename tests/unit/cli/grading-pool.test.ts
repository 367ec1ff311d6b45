import { describe, expect, it } from 'vitest';
import { runGradingPool } from '../../../src/cli/grading-pool';

/** A worker that counts its uses and whether it was disposed. */
class FakeWorker {
  uses = 0;
  disposed = false;
  dispose(): void {
    this.disposed = true;
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Runs a pool over items whose "grade" takes the given milliseconds, recording how many ran at once. */
async function run(durations: number[], options: { jobs: number; maxJobs?: number; slowAfterMs?: number }) {
  const workers: FakeWorker[] = [];
  let running = 0;
  let peak = 0;
  const done: number[] = [];
  const started = Date.now();
  await runGradingPool(durations, {
    ...options,
    newWorker: () => {
      const worker = new FakeWorker();
      workers.push(worker);
      return worker;
    },
    work: async (worker, ms, index) => {
      worker.uses++;
      running++;
      peak = Math.max(peak, running);
      await sleep(ms);
      running--;
      done.push(index);
    },
  });
  return { workers, peak, done, elapsed: Date.now() - started };
}

describe('the batch grading pool', () => {
  it('grades every item once, jobs at a time while none is slow, and reuses its workers', async () => {
    const { workers, peak, done } = await run(
      Array.from({ length: 20 }, () => 5),
      { jobs: 2, slowAfterMs: 60_000 },
    );
    expect(done.sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i));
    expect(peak).toBe(2);
    expect(workers).toHaveLength(2);
    expect(workers.reduce((n, w) => n + w.uses, 0)).toBe(20);
    expect(workers.every((w) => w.disposed)).toBe(true);
  });

  it('lets the queue past grades that run long, up to maxJobs at once', async () => {
    // Three long grades first (as spinning submissions waiting for their limit), then twelve quick ones. The long
    // ones end only when every quick one has: if the quick ones waited behind them, the test would never finish.
    let release = () => {};
    const released = new Promise<void>((resolve) => (release = resolve));
    const order: number[] = [];
    let running = 0;
    let peak = 0;
    let quickLeft = 12;
    await runGradingPool([0, 1, 2, ...Array.from({ length: 12 }, (_, i) => 3 + i)], {
      jobs: 2,
      maxJobs: 4,
      slowAfterMs: 10,
      newWorker: () => new FakeWorker(),
      work: async (_worker, item) => {
        running++;
        peak = Math.max(peak, running);
        if (item < 3) await released;
        else {
          await sleep(1);
          if (--quickLeft === 0) release();
        }
        running--;
        order.push(item);
      },
    });
    expect(peak).toBe(4);
    expect(order.slice(-3).sort()).toEqual([0, 1, 2]);
  });

  it('never runs more than jobs at once when no grade is slow, whatever maxJobs allows', async () => {
    const { peak } = await run(
      Array.from({ length: 12 }, () => 10),
      { jobs: 3, maxJobs: 8, slowAfterMs: 60_000 },
    );
    expect(peak).toBe(3);
  });

  it('rejects with the first error, starts nothing after it, and still disposes every worker', async () => {
    const workers: FakeWorker[] = [];
    const started: number[] = [];
    const failing = runGradingPool([0, 1, 2, 3, 4, 5], {
      jobs: 1,
      newWorker: () => {
        const worker = new FakeWorker();
        workers.push(worker);
        return worker;
      },
      work: async (_worker, item) => {
        started.push(item);
        if (item === 2) throw new Error('the disk is full');
        await sleep(1);
      },
    });
    await expect(failing).rejects.toThrow('the disk is full');
    expect(started).toEqual([0, 1, 2]);
    expect(workers.every((w) => w.disposed)).toBe(true);
  });

  it('finishes at once with nothing to grade', async () => {
    const { workers, done } = await run([], { jobs: 2 });
    expect(done).toEqual([]);
    expect(workers).toEqual([]);
  });
});
