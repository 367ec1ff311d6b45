/**
 * Dynamic batcher in front of an ONNX Runtime session. The README gives the rules; in short, when a model
 * instance is free, the head of the queue (in arrival order) is sent as:
 *   1. the largest preferred batch size the queue can fill, if any;
 *   2. otherwise a full batch of maxBatchSize, if that many are waiting;
 *   3. otherwise everything queued, once the oldest request has waited maxQueueDelayMs (at once if 0).
 * Never read the real time or set real timers directly: use the clock you are given.
 */
import * as ort from 'onnxruntime-node';

/** The time source and timers the batcher uses; tests pass a fake one they move by hand. */
export interface Clock {
  /** Milliseconds, from any fixed origin. */
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** Real time: performance.now() and the global timers. (Provided; nothing to do here.) */
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

export class DynamicBatcher {
  /**
   * Task 4: validate the options (RangeError for a size, count or delay out of range) and keep them.
   * TODO: a FIFO queue of requests (a copy of the features, the arrival time from the clock, and the
   * resolve/reject of the caller's promise), a count of batches in flight, and at most one timer.
   */
  constructor(options: BatcherOptions) {
    throw new Error(`DynamicBatcher is not implemented yet (maxBatchSize ${options.maxBatchSize})`);
  }

  /** Requests waiting in the queue (not yet in a batch). */
  get pending(): number {
    throw new Error('pending is not implemented yet');
  }

  /** Batches handed to run that have not settled yet. */
  get inFlight(): number {
    throw new Error('inFlight is not implemented yet');
  }

  /**
   * Tasks 1-3: queue one request and resolve with its own row of the output (a Float32Array of outputSize
   * values), or reject with its batch's error. A request of the wrong length rejects with a RangeError
   * and never enters the queue. Decide before returning whether this arrival completes a batch.
   */
  infer(features: ArrayLike<number>): Promise<Float32Array> {
    // TODO: copy the features, queue the request, then send every batch that is due.
    throw new Error(`infer is not implemented yet (${features.length} features)`);
  }

  /**
   * Task 4: stop taking requests (infer rejects from now on), send what is queued without waiting for the
   * delay, and resolve once every accepted request has settled.
   */
  close(): Promise<void> {
    throw new Error('close is not implemented yet');
  }
}

/** Task 1: wrap an ONNX Runtime session as a RunBatch: one [n, 16] float32 tensor in, the first output out. */
export function sessionRunner(session: ort.InferenceSession): RunBatch {
  // TODO: feed session.inputNames[0] with new ort.Tensor('float32', batch, [n, batch.length / n]) and
  // return the data of session.outputNames[0].
  throw new Error(`sessionRunner is not implemented yet (inputs ${session.inputNames.join(', ')}; ort ${typeof ort.Tensor})`);
}
