/**
 * A dynamic batcher in the style of Triton's: requests queue up, are grouped by the rules below and run as
 * one batch, and every caller gets its own row of the output back (or the batch's error).
 *
 * When a model instance is free, the head of the queue (in arrival order) is sent as:
 *   1. the largest preferred batch size the queue can fill, if any;
 *   2. otherwise a full batch of maxBatchSize, if that many are waiting;
 *   3. otherwise everything queued, once the oldest request has waited maxQueueDelayMs (at once if 0).
 * Otherwise the batcher waits for the next arrival, the next finished batch or the oldest request's deadline.
 */
import * as ort from 'onnxruntime-node';

/** The time source and timers the batcher uses; tests pass a fake one they move by hand. */
export interface Clock {
  /** Milliseconds, from any fixed origin. */
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** Real time: performance.now() and the global timers. */
export const systemClock: Clock = {
  now: () => performance.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/** Runs n rows at once: `batch` is n × inputSize floats, row-major; the answer is n × outputSize floats. */
export type RunBatch = (batch: Float32Array, n: number) => Promise<Float32Array>;

export interface BatcherOptions {
  run: RunBatch;
  /** The most requests in one batch (an integer ≥ 1). */
  maxBatchSize: number;
  /** How long the oldest request may wait for a partial batch to grow, in ms (≥ 0; 0 never waits). */
  maxQueueDelayMs: number;
  /** Batch sizes to send as soon as they can be filled, largest first (integers in 1..maxBatchSize). */
  preferredBatchSizes?: readonly number[];
  /** Model instances: how many batches may run at once (an integer ≥ 1, default 1). */
  maxInFlight?: number;
  /** Floats per request (default 16). */
  inputSize?: number;
  /** Floats per answer row (default 4). */
  outputSize?: number;
  /** Defaults to systemClock. */
  clock?: Clock;
}

interface Request {
  features: Float32Array;
  arrivedAt: number;
  resolve: (row: Float32Array) => void;
  reject: (error: unknown) => void;
}

function positiveInteger(name: string, value: unknown): asserts value is number {
  if (!Number.isInteger(value) || (value as number) < 1) throw new RangeError(`${name} must be an integer ≥ 1, got ${String(value)}`);
}

export class DynamicBatcher {
  private readonly run: RunBatch;
  private readonly maxBatchSize: number;
  private readonly maxQueueDelayMs: number;
  /** Distinct preferred sizes, largest first. */
  private readonly preferred: number[];
  private readonly maxInFlight: number;
  private readonly inputSize: number;
  private readonly outputSize: number;
  private readonly clock: Clock;

  private readonly queue: Request[] = [];
  private running = 0;
  private timer: unknown;
  private closed = false;
  private idleWaiters: (() => void)[] = [];

  constructor(options: BatcherOptions) {
    this.run = options.run;
    const sizes = { maxBatchSize: options.maxBatchSize, maxInFlight: options.maxInFlight ?? 1, inputSize: options.inputSize ?? 16, outputSize: options.outputSize ?? 4 };
    for (const key of ['maxBatchSize', 'maxInFlight', 'inputSize', 'outputSize'] as const) positiveInteger(key, sizes[key]);
    this.maxBatchSize = sizes.maxBatchSize;
    this.maxInFlight = sizes.maxInFlight;
    this.inputSize = sizes.inputSize;
    this.outputSize = sizes.outputSize;
    const delay = options.maxQueueDelayMs;
    if (!Number.isFinite(delay) || delay < 0) throw new RangeError(`maxQueueDelayMs must be a finite number ≥ 0, got ${String(delay)}`);
    this.maxQueueDelayMs = delay;
    const preferred = options.preferredBatchSizes ?? [];
    for (const size of preferred) {
      positiveInteger('a preferred batch size', size);
      if (size > this.maxBatchSize) throw new RangeError(`preferred batch size ${size} is larger than maxBatchSize ${this.maxBatchSize}`);
    }
    this.preferred = [...new Set(preferred)].sort((a, b) => b - a);
    this.clock = options.clock ?? systemClock;
  }

  /** Requests waiting in the queue (not yet in a batch). */
  get pending(): number {
    return this.queue.length;
  }

  /** Batches handed to run that have not settled yet. */
  get inFlight(): number {
    return this.running;
  }

  /** Queues one request; resolves with its own row of the output, or rejects with its batch's error. */
  infer(features: ArrayLike<number>): Promise<Float32Array> {
    return new Promise<Float32Array>((resolve, reject) => {
      // Thrown inside the executor, these reject the promise: infer itself never throws.
      if (this.closed) throw new Error('the batcher is closed');
      if (features.length !== this.inputSize) throw new RangeError(`a request needs ${this.inputSize} features, got ${features.length}`);
      // Copy now: the caller may reuse its buffer while the request waits.
      this.queue.push({ features: Float32Array.from(features), arrivedAt: this.clock.now(), resolve, reject });
      this.dispatch();
    });
  }

  /** Stops taking requests, sends what is queued without waiting for the delay, and resolves when all have settled. */
  close(): Promise<void> {
    this.closed = true;
    this.dispatch();
    // dispatch() has sent all it could: with an instance free, nothing is left in the queue.
    if (this.running === 0) return Promise.resolve();
    return new Promise<void>((resolve) => this.idleWaiters.push(resolve));
  }

  /** When the oldest queued request has waited long enough. */
  private deadline(): number {
    return this.queue[0].arrivedAt + this.maxQueueDelayMs;
  }

  /** How many requests to send now from the head of the queue; 0 means keep waiting. */
  private nextBatchSize(): number {
    const queued = this.queue.length;
    if (queued === 0) return 0;
    // Preferred sizes come first: the largest one the queue can fill goes out now, even if more are waiting.
    for (const size of this.preferred) if (size <= queued) return size;
    if (queued >= this.maxBatchSize) return this.maxBatchSize;
    // A partial batch: it may wait until the oldest request's deadline (never when closing).
    if (this.closed || this.clock.now() >= this.deadline()) return queued;
    return 0;
  }

  /** Sends every batch that is due while an instance is free, then sets the timer for the next deadline. */
  private dispatch(): void {
    while (this.running < this.maxInFlight) {
      const size = this.nextBatchSize();
      if (size === 0) break;
      this.launch(this.queue.splice(0, size));
    }
    this.schedule();
  }

  /**
   * Keeps one timer, at the oldest request's deadline, while a free instance is waiting on it; it is set anew on
   * every look, so it follows the oldest request. When every instance is busy no timer is needed: the next
   * finished batch calls dispatch() again (a timer for a deadline already past would only fire and re-arm).
   */
  private schedule(): void {
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
    if (this.queue.length === 0 || this.running >= this.maxInFlight) return;
    // Not negative: dispatch() has just sent any partial batch whose deadline had come.
    this.timer = this.clock.setTimeout(() => {
      this.timer = undefined;
      this.dispatch();
    }, this.deadline() - this.clock.now());
  }

  private launch(batch: Request[]): void {
    const n = batch.length;
    const input = new Float32Array(n * this.inputSize);
    batch.forEach((request, i) => input.set(request.features, i * this.inputSize));
    this.running += 1;
    let result: Promise<Float32Array>;
    try {
      result = Promise.resolve(this.run(input, n));
    } catch (error) {
      // A run that throws instead of rejecting fails its own batch, like a rejection.
      result = Promise.reject(error);
    }
    result
      .then((output) => this.answer(batch, output))
      // A failed run, or an answer of the wrong size, rejects exactly this batch's callers.
      .catch((error: unknown) => {
        for (const request of batch) request.reject(error);
      })
      .finally(() => {
        this.running -= 1;
        this.dispatch();
        if (this.running === 0) for (const resolve of this.idleWaiters.splice(0)) resolve();
      });
  }

  /** Hands row i of the output to the i-th request of the batch; throws, before answering anyone, when the size is wrong. */
  private answer(batch: Request[], output: Float32Array): void {
    const width = this.outputSize;
    if (output.length !== batch.length * width) throw new Error(`run returned ${output.length} values for ${batch.length} rows of ${width}`);
    const values = output instanceof Float32Array ? output : Float32Array.from(output);
    // slice copies, so no caller holds a view into another caller's rows.
    batch.forEach((request, i) => request.resolve(values.slice(i * width, (i + 1) * width)));
  }
}

/** Wraps an ONNX Runtime session as a RunBatch: one [n, inputSize] float32 tensor in, the first output out. */
export function sessionRunner(session: ort.InferenceSession): RunBatch {
  const inputName = session.inputNames[0];
  const outputName = session.outputNames[0];
  return async (batch, n) => {
    const tensor = new ort.Tensor('float32', batch, [n, batch.length / n]);
    const results = await session.run({ [inputName]: tensor });
    return (results[outputName] as ort.Tensor).data as Float32Array;
  };
}
