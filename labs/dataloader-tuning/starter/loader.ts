/**
 * dataloader-tuning: an async DataLoader in the spirit of PyTorch's torch.utils.data.DataLoader, then a tuner
 * for its workers and prefetch. The README gives every rule; the doc comments repeat the ones you need most.
 *
 * Do not use timers (setTimeout, setImmediate) in this file: every wait must be a promise. The tests drive
 * time themselves, with fake datasets and a virtual clock.
 */

/** A map-style dataset whose items take time to read. */
export interface Dataset<T> {
  /** Number of items; indices run from 0 to length - 1. */
  readonly length: number;
  /**
   * Reads one item. The loader always passes a signal, aborted when the loader stops (break, return() or an
   * error); a dataset may use it to give up early, but it does not have to.
   */
  getItem(index: number, signal?: AbortSignal): Promise<T>;
}

export interface DataLoaderOptions<T, B> {
  /** Items per batch; a positive integer. Default 1. */
  batchSize?: number;
  /** Shuffle the indices each epoch. Default false. */
  shuffle?: boolean;
  /** Integer seed of the shuffle. Default 0. */
  seed?: number;
  /** Drop the last batch when it is smaller than batchSize. Default false. */
  dropLast?: boolean;
  /** Background workers; 0 loads each batch when next() is called. Default 0. */
  numWorkers?: number;
  /** Batches per worker dispatched ahead of the consumer. Default 2 with workers; not allowed without. */
  prefetchFactor?: number;
  /** Turns a batch's items, in sampler order, into the batch. Default: the array of items itself. */
  collate?: (items: T[]) => B;
}

/** Every failure the loader reports: a getItem that rejected (index set) or a collate that threw (index null). */
export class DataLoaderError extends Error {
  /** Dataset index of the item whose getItem failed; null when the collate function failed. */
  readonly index: number | null;
  /** Position of the failing batch in the epoch (0-based). */
  readonly batch: number;

  constructor(message: string, details: { index: number | null; batch: number; cause: unknown }) {
    super(message, { cause: details.cause });
    this.name = 'DataLoaderError';
    this.index = details.index;
    this.batch = details.batch;
  }
}

/**
 * mulberry32: a small 32-bit PRNG. Returns a function giving floats in [0, 1). The seed is taken modulo 2^32.
 * Given complete: the shuffle must use exactly this generator, so that every loader agrees on the order.
 */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Task 1: the sampler order of one epoch.
 * Without shuffle: 0, 1, ..., length - 1. With shuffle: start from that array, make rng = mulberry32(seed + epoch),
 * and for i from length - 1 down to 1 swap element i with element floor(rng() * (i + 1)).
 * Defaults: shuffle false, seed 0, epoch 0. A length, seed or epoch that is not an integer (or a negative
 * length or epoch) throws a RangeError.
 */
export function epochOrder(length: number, options: { shuffle?: boolean; seed?: number; epoch?: number } = {}): number[] {
  // TODO: build [0, 1, ..., length - 1]; when shuffling, swap from the end with mulberry32(seed + epoch).
  throw new Error(`epochOrder is not implemented yet (${length}, ${JSON.stringify(options)})`);
}

/**
 * Tasks 1 to 3: the loader. One `for await` over it is one epoch.
 *
 * - Batches: the epoch's order cut into batches of batchSize; the short last batch is kept unless dropLast.
 * - Epochs: each call to [Symbol.asyncIterator]() uses the current epoch number and then advances it by one;
 *   setEpoch(n) makes the next iteration use epoch n.
 * - Workers (numWorkers > 0): on the first next(), dispatch batches until numWorkers × prefetchFactor are
 *   dispatched and not yet delivered; after each batch delivered, dispatch one more. Batch k goes to worker
 *   k % numWorkers; a worker runs its batches in the order it got them, reading one item at a time, then
 *   calls collate. Deliver batches in order, however the reads finish.
 * - No workers: next() reads the batch's items one at a time, collates and returns; nothing is read ahead.
 * - Errors: a read that rejects (or a collate that throws) becomes a DataLoaderError that next() rejects
 *   with when that batch's turn comes; then the loader stops as in return() and is done.
 * - return(): start no more reads, abort the signal given to getItem, and resolve only once every read that
 *   was started has settled.
 * - Invalid options throw a RangeError from the constructor (see the README).
 */
export class DataLoader<T, B = T[]> implements AsyncIterable<B> {
  constructor(dataset: Dataset<T>, options: DataLoaderOptions<T, B> = {}) {
    // TODO: check the options, fill in the defaults (prefetchFactor 2 with workers) and keep the dataset.
    void dataset;
    void options;
    throw new Error('DataLoader is not implemented yet');
  }

  /** Batches per epoch: ceil(length / batchSize), or floor with dropLast. */
  get length(): number {
    throw new Error('DataLoader.length is not implemented yet');
  }

  /** The epoch the next iteration will use (0 for a new loader). */
  get epoch(): number {
    throw new Error('DataLoader.epoch is not implemented yet');
  }

  /** Makes the next iteration use `epoch`; later iterations continue from it. */
  setEpoch(epoch: number): void {
    throw new Error(`DataLoader.setEpoch is not implemented yet (${epoch})`);
  }

  /** Starts one epoch. Nothing may be read before the first next(). */
  [Symbol.asyncIterator](): AsyncIterator<B, undefined> {
    // TODO: return an object with next() and return(). for await calls return() when the loop body breaks
    // or throws; it does not call it after next() rejects, so stop by yourself on an error.
    throw new Error('DataLoader[Symbol.asyncIterator] is not implemented yet');
  }
}

// ---------------------------------------------------------------------------------------------------------
// Tuning (Tasks 4 and 5). Times are virtual milliseconds.

/** A training loop fed by the loader. */
export interface PipelineModel {
  /** Items per batch. */
  batchSize: number;
  /** Batches in the simulated epoch; every batch is full. */
  numBatches: number;
  /** Time to read one item, either fixed or per dataset index (items are read in order 0, 1, 2, ...). */
  fetchLatency: number | ((index: number) => number);
  /** Time of one training step. */
  stepTime: number;
}

export interface SimulationResult {
  /** From the first next() to the end of the last step. */
  totalTime: number;
  /** numBatches × stepTime. */
  busyTime: number;
  /** totalTime - busyTime: time the loop spent waiting for data. */
  waitTime: number;
  /** busyTime / totalTime. */
  utilisation: number;
}

/**
 * Task 4: the loader's timing model (the README's recurrences). With numWorkers 0 each batch is read when
 * the loop asks for it; otherwise batch k is dispatched when batch k - numWorkers × prefetchFactor is
 * delivered (time 0 for the first ones) and read by worker k % numWorkers once it is free.
 * prefetchFactor defaults to 2 and, as in the loader, may not be set when numWorkers is 0.
 */
export function simulateTraining(model: PipelineModel & { numWorkers: number; prefetchFactor?: number }): SimulationResult {
  // TODO: one pass over k = 0..numBatches-1 keeping each batch's finish and delivery times (README, Task 4).
  throw new Error(`simulateTraining is not implemented yet (${JSON.stringify(model)})`);
}

export interface TuningGoal extends PipelineModel {
  /** Smallest acceptable utilisation, in (0, 1]. */
  targetUtilisation: number;
  /** Most items the loader may hold: numWorkers × prefetchFactor × batchSize must not exceed it. */
  maxBufferedItems: number;
  /** Largest numWorkers to consider. Default 16. */
  maxWorkers?: number;
  /** Largest prefetchFactor to consider. Default 8. */
  maxPrefetchFactor?: number;
}

export interface LoaderSettings {
  numWorkers: number;
  prefetchFactor: number;
  /** simulateTraining's utilisation with these settings. */
  utilisation: number;
  /** numWorkers × prefetchFactor × batchSize. */
  bufferedItems: number;
}

/**
 * Task 5: the fewest workers (1 to maxWorkers), then the smallest prefetchFactor (1 to maxPrefetchFactor),
 * whose simulated utilisation is at least the target (allow 1e-9 for rounding) while
 * numWorkers × prefetchFactor × batchSize ≤ maxBufferedItems. null when nothing in range does.
 */
export function chooseLoaderSettings(goal: TuningGoal): LoaderSettings | null {
  // TODO: workers outer loop, prefetchFactor inner loop; skip settings over the item bound (README, Task 5).
  throw new Error(`chooseLoaderSettings is not implemented yet (${JSON.stringify(goal)})`);
}
