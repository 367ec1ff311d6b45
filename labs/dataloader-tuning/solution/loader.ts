/**
 * Reference solution for the dataloader-tuning lab: an async DataLoader that follows PyTorch's
 * torch.utils.data.DataLoader (batching, seeded shuffling, drop_last, workers, prefetch_factor, in-order
 * delivery), and a tuner that picks workers and prefetch from a deterministic timing model.
 *
 * The loader never uses timers: every wait is a promise, so tests can drive it with fake datasets and a
 * virtual clock.
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
 * Given in the starter; the shuffle must use exactly this generator.
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

function isInteger(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value);
}

function checkLength(length: number): void {
  if (!isInteger(length) || length < 0) throw new RangeError(`the dataset length must be an integer of at least 0, got ${length}`);
}

/**
 * The sampler order of one epoch: 0..length-1, or with shuffle a Fisher–Yates shuffle of it driven by
 * mulberry32(seed + epoch), walking i from length-1 down to 1 and swapping i with floor(rng() * (i + 1)).
 */
export function epochOrder(length: number, options: { shuffle?: boolean; seed?: number; epoch?: number } = {}): number[] {
  checkLength(length);
  const seed = options.seed ?? 0;
  const epoch = options.epoch ?? 0;
  if (!isInteger(seed)) throw new RangeError(`seed must be an integer, got ${seed}`);
  if (!isInteger(epoch) || epoch < 0) throw new RangeError(`epoch must be an integer of at least 0, got ${epoch}`);
  const order = Array.from({ length }, (_, i) => i);
  if (!options.shuffle) return order;
  const rng = mulberry32(seed + epoch);
  for (let i = length - 1; i >= 1; i--) {
    const j = Math.floor(rng() * (i + 1));
    const held = order[i];
    order[i] = order[j];
    order[j] = held;
  }
  return order;
}

/** Splits an order into batches; the short last batch is kept unless dropLast. */
function toBatches(order: number[], batchSize: number, dropLast: boolean): number[][] {
  const batches: number[][] = [];
  for (let start = 0; start < order.length; start += batchSize) {
    const batch = order.slice(start, start + batchSize);
    if (batch.length < batchSize && dropLast) break;
    batches.push(batch);
  }
  return batches;
}

interface Settings<T, B> {
  batchSize: number;
  shuffle: boolean;
  seed: number;
  dropLast: boolean;
  numWorkers: number;
  prefetchFactor: number;
  collate: (items: T[]) => B;
}

/** Checks the options the way PyTorch does and fills in the defaults. */
function withDefaults<T, B>(options: DataLoaderOptions<T, B>): Settings<T, B> {
  const batchSize = options.batchSize ?? 1;
  const numWorkers = options.numWorkers ?? 0;
  const seed = options.seed ?? 0;
  if (!isInteger(batchSize) || batchSize < 1) throw new RangeError(`batchSize must be a positive integer, got ${batchSize}`);
  if (!isInteger(numWorkers) || numWorkers < 0) throw new RangeError(`numWorkers must be an integer of at least 0, got ${numWorkers}`);
  if (!isInteger(seed)) throw new RangeError(`seed must be an integer, got ${seed}`);
  if (options.prefetchFactor !== undefined) {
    // PyTorch raises ValueError for prefetch_factor with num_workers=0: there is nobody to prefetch.
    if (numWorkers === 0) throw new RangeError('prefetchFactor can only be set when numWorkers > 0');
    if (!isInteger(options.prefetchFactor) || options.prefetchFactor < 1) {
      throw new RangeError(`prefetchFactor must be a positive integer, got ${options.prefetchFactor}`);
    }
  }
  return {
    batchSize,
    shuffle: options.shuffle ?? false,
    seed,
    dropLast: options.dropLast ?? false,
    numWorkers,
    prefetchFactor: numWorkers > 0 ? (options.prefetchFactor ?? 2) : 0,
    collate: options.collate ?? ((items: T[]) => items as unknown as B),
  };
}

export class DataLoader<T, B = T[]> implements AsyncIterable<B> {
  private readonly settings: Settings<T, B>;
  private nextEpoch = 0;

  constructor(
    private readonly dataset: Dataset<T>,
    options: DataLoaderOptions<T, B> = {},
  ) {
    checkLength(dataset.length);
    this.settings = withDefaults(options);
  }

  /** Batches per epoch: ceil(length / batchSize), or floor with dropLast. */
  get length(): number {
    const { batchSize, dropLast } = this.settings;
    return dropLast ? Math.floor(this.dataset.length / batchSize) : Math.ceil(this.dataset.length / batchSize);
  }

  /** The epoch the next iteration will use. */
  get epoch(): number {
    return this.nextEpoch;
  }

  /** Makes the next iteration use `epoch` (later ones continue from it). */
  setEpoch(epoch: number): void {
    if (!isInteger(epoch) || epoch < 0) throw new RangeError(`epoch must be an integer of at least 0, got ${epoch}`);
    this.nextEpoch = epoch;
  }

  /** Starts an epoch: takes the current epoch number and advances it by one. Nothing is read until next(). */
  [Symbol.asyncIterator](): AsyncIterator<B, undefined> {
    const { shuffle, seed, batchSize, dropLast } = this.settings;
    const epoch = this.nextEpoch;
    this.nextEpoch += 1;
    const batches = toBatches(epochOrder(this.dataset.length, { shuffle, seed, epoch }), batchSize, dropLast);
    return new EpochIterator(this.dataset, batches, this.settings);
  }
}

type Outcome<B> = { kind: 'batch'; value: B } | { kind: 'error'; error: DataLoaderError } | { kind: 'stopped' };

interface Slot<B> {
  promise: Promise<Outcome<B>>;
  resolve: (outcome: Outcome<B>) => void;
}

function slot<B>(): Slot<B> {
  let resolve!: (outcome: Outcome<B>) => void;
  const promise = new Promise<Outcome<B>>((r) => (resolve = r));
  return { promise, resolve };
}

const DONE: IteratorReturnResult<undefined> = { done: true, value: undefined };

/** One pass over the data. */
class EpochIterator<T, B> implements AsyncIterator<B, undefined> {
  private readonly controller = new AbortController();
  /** Settles (never rejects) when each started getItem settles. */
  private readonly inFlight = new Set<Promise<void>>();
  /** Result of each dispatched batch that the consumer has not taken yet. */
  private readonly slots = new Map<number, Slot<B>>();
  /** Batches handed to each worker and not started; a worker runs its own batches in order. */
  private readonly queues: number[][];
  private readonly busy: boolean[];
  private primed = false;
  private stopped = false;
  private dispatched = 0;
  private delivered = 0;

  constructor(
    private readonly dataset: Dataset<T>,
    private readonly batches: number[][],
    private readonly settings: Settings<T, B>,
  ) {
    this.queues = Array.from({ length: settings.numWorkers }, () => []);
    this.busy = Array.from({ length: settings.numWorkers }, () => false);
  }

  async next(): Promise<IteratorResult<B, undefined>> {
    if (this.stopped) return DONE;
    if (this.delivered >= this.batches.length) {
      this.stopped = true;
      return DONE;
    }
    const k = this.delivered;
    let outcome: Outcome<B>;
    if (this.settings.numWorkers === 0) {
      // Like PyTorch with num_workers=0: load the batch now, in the caller, one item at a time.
      outcome = await this.load(k);
    } else {
      if (!this.primed) {
        this.primed = true;
        this.dispatch();
      }
      outcome = await this.slots.get(k)!.promise;
      this.slots.delete(k);
    }
    if (this.stopped || outcome.kind === 'stopped') return DONE;
    this.delivered += 1;
    if (outcome.kind === 'error') {
      await this.stop();
      throw outcome.error;
    }
    // Taking a batch frees one place: dispatch the next one (PyTorch's _try_put_index after each batch).
    this.dispatch();
    return { done: false, value: outcome.value };
  }

  /** Called by for-await on break or throw: start nothing more, abort, and wait for started reads. */
  async return(): Promise<IteratorResult<B, undefined>> {
    await this.stop();
    return DONE;
  }

  private async stop(): Promise<void> {
    this.stopped = true;
    this.controller.abort();
    for (const pending of this.slots.values()) pending.resolve({ kind: 'stopped' });
    while (this.inFlight.size > 0) await Promise.all(this.inFlight);
  }

  /** Keeps numWorkers × prefetchFactor batches dispatched and not yet delivered, round-robin over workers. */
  private dispatch(): void {
    if (this.settings.numWorkers === 0) return;
    const limit = this.settings.numWorkers * this.settings.prefetchFactor;
    while (!this.stopped && this.dispatched < this.batches.length && this.dispatched - this.delivered < limit) {
      const k = this.dispatched;
      this.dispatched += 1;
      this.slots.set(k, slot<B>());
      const worker = k % this.settings.numWorkers;
      this.queues[worker].push(k);
      this.work(worker);
    }
  }

  /** Starts the worker's next batch if it is idle. */
  private work(worker: number): void {
    if (this.busy[worker] || this.stopped) return;
    const k = this.queues[worker].shift();
    if (k === undefined) return;
    this.busy[worker] = true;
    void this.load(k).then((outcome) => {
      this.busy[worker] = false;
      this.slots.get(k)?.resolve(outcome);
      this.work(worker);
    });
  }

  /** Reads batch k's items one after another, then collates them. Never rejects. */
  private async load(k: number): Promise<Outcome<B>> {
    const items: T[] = [];
    for (const index of this.batches[k]) {
      if (this.stopped) return { kind: 'stopped' };
      try {
        items.push(await this.read(index));
      } catch (cause) {
        const error = new DataLoaderError(`getItem(${index}) failed in batch ${k}`, { index, batch: k, cause });
        return { kind: 'error', error };
      }
    }
    if (this.stopped) return { kind: 'stopped' };
    try {
      return { kind: 'batch', value: this.settings.collate(items) };
    } catch (cause) {
      const error = new DataLoaderError(`collate failed for batch ${k}`, { index: null, batch: k, cause });
      return { kind: 'error', error };
    }
  }

  /** Calls getItem and tracks the call until it settles. A synchronous throw counts as a rejection. */
  private read(index: number): Promise<T> {
    let result: Promise<T>;
    try {
      result = Promise.resolve(this.dataset.getItem(index, this.controller.signal));
    } catch (error) {
      result = Promise.reject(error);
    }
    const settled = result.then(
      () => undefined,
      () => undefined,
    );
    this.inFlight.add(settled);
    void settled.then(() => this.inFlight.delete(settled));
    return result;
  }
}

// ---------------------------------------------------------------------------------------------------------
// Tuning

/** A training loop fed by the loader, in virtual milliseconds. */
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

function checkPositiveInteger(name: string, value: number): void {
  if (!isInteger(value) || value < 1) throw new RangeError(`${name} must be a positive integer, got ${value}`);
}

function checkPositive(name: string, value: number): void {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) throw new RangeError(`${name} must be a positive finite number, got ${value}`);
}

function checkModel(model: PipelineModel): (index: number) => number {
  checkPositiveInteger('batchSize', model.batchSize);
  checkPositiveInteger('numBatches', model.numBatches);
  checkPositive('stepTime', model.stepTime);
  const latency = model.fetchLatency;
  return (index) => {
    const value = typeof latency === 'function' ? latency(index) : latency;
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) throw new RangeError(`fetchLatency(${index}) must be a finite number of at least 0, got ${value}`);
    return value;
  };
}

/**
 * Runs the loader's timing model: worker k mod W reads batch k's items in order, batch k is dispatched when
 * batch k - W·P is delivered (at time 0 for the first W·P), and the loop takes a batch, steps, asks again.
 */
export function simulateTraining(model: PipelineModel & { numWorkers: number; prefetchFactor?: number }): SimulationResult {
  const latency = checkModel(model);
  const { batchSize, numBatches, stepTime, numWorkers } = model;
  if (!isInteger(numWorkers) || numWorkers < 0) throw new RangeError(`numWorkers must be an integer of at least 0, got ${numWorkers}`);
  if (model.prefetchFactor !== undefined) {
    if (numWorkers === 0) throw new RangeError('prefetchFactor can only be set when numWorkers > 0');
    checkPositiveInteger('prefetchFactor', model.prefetchFactor);
  }
  const ahead = numWorkers * (model.prefetchFactor ?? 2);
  const cost = (k: number): number => {
    let sum = 0;
    for (let i = k * batchSize; i < (k + 1) * batchSize; i++) sum += latency(i);
    return sum;
  };
  const finished: number[] = []; // f_k: when batch k is collated
  const delivered: number[] = []; // y_k: when the loop receives batch k
  let request = 0; // r_k: when the loop asks for batch k
  for (let k = 0; k < numBatches; k++) {
    if (numWorkers === 0) {
      delivered.push(request + cost(k));
    } else {
      const dispatchedAt = k < ahead ? 0 : delivered[k - ahead];
      const workerFree = k < numWorkers ? 0 : finished[k - numWorkers];
      finished.push(Math.max(dispatchedAt, workerFree) + cost(k));
      delivered.push(Math.max(request, finished[k]));
    }
    request = delivered[k] + stepTime;
  }
  const totalTime = request;
  const busyTime = numBatches * stepTime;
  return { totalTime, busyTime, waitTime: totalTime - busyTime, utilisation: busyTime / totalTime };
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

/** Utilisations this close to the target count as reaching it (floating point). */
const TOLERANCE = 1e-9;

/**
 * The fewest workers, then the smallest prefetchFactor, whose simulated utilisation reaches the target
 * within the buffer bound; null when no setting up to maxWorkers and maxPrefetchFactor does.
 */
export function chooseLoaderSettings(goal: TuningGoal): LoaderSettings | null {
  checkModel(goal);
  const { targetUtilisation, maxBufferedItems, batchSize } = goal;
  const maxWorkers = goal.maxWorkers ?? 16;
  const maxPrefetch = goal.maxPrefetchFactor ?? 8;
  if (typeof targetUtilisation !== 'number' || !(targetUtilisation > 0 && targetUtilisation <= 1)) {
    throw new RangeError(`targetUtilisation must be in (0, 1], got ${targetUtilisation}`);
  }
  checkPositiveInteger('maxBufferedItems', maxBufferedItems);
  checkPositiveInteger('maxWorkers', maxWorkers);
  checkPositiveInteger('maxPrefetchFactor', maxPrefetch);
  for (let numWorkers = 1; numWorkers <= maxWorkers; numWorkers++) {
    for (let prefetchFactor = 1; prefetchFactor <= maxPrefetch; prefetchFactor++) {
      const bufferedItems = numWorkers * prefetchFactor * batchSize;
      if (bufferedItems > maxBufferedItems) break;
      const { utilisation } = simulateTraining({ ...goal, numWorkers, prefetchFactor });
      if (utilisation >= targetUtilisation - TOLERANCE) return { numWorkers, prefetchFactor, utilisation, bufferedItems };
    }
  }
  return null;
}
