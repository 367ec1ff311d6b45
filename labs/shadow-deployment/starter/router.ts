/**
 * Shadow deployment router. The README gives the rules each part must follow; the public tests in tests/
 * show how the graded suite drives your code (a hand-moved clock, shadow answers released by hand).
 *
 * Never read the real time in here (no Date.now, performance.now, setTimeout): every latency and timeout
 * comes from the `clock` you are given.
 */
import * as ort from 'onnxruntime-node';

/** A batch of feature rows, one row per example. */
export type FeatureRows = number[][] | Float32Array[];

/** Anything that scores a batch: one row of class scores (logits) per input row. */
export interface Model {
  predict(features: FeatureRows): Promise<number[][]>;
}

// ---------------------------------------------------------------------------------------------------------
// Task 1: an ONNX Runtime session as a Model
// ---------------------------------------------------------------------------------------------------------

/**
 * Wraps a session whose first input takes a float32 [N, numFeatures] tensor and whose first output is
 * [N, classes] logits. The result has one plain `number[]` per input row, in order.
 * A row that is not `numFeatures` wide makes `predict` reject with a RangeError.
 */
export function sessionModel(session: ort.InferenceSession, numFeatures = 16): Model {
  // TODO: pack the rows into one Float32Array, run the batch once with new ort.Tensor('float32', data, [n, numFeatures]),
  // then cut the flat output back into rows. session.inputNames[0] and session.outputNames[0] name the tensors.
  throw new Error(`sessionModel is not implemented yet (${session.inputNames.length} inputs, ${numFeatures} features)`);
}

// ---------------------------------------------------------------------------------------------------------
// Tasks 2 to 5: the router
// ---------------------------------------------------------------------------------------------------------

export interface RouteRequest {
  /** Names the request in disagreement samples. */
  id: string;
  features: FeatureRows;
  /** The true class of each row, when known (replayed labelled traffic). Only the accuracy figures use it. */
  labels?: readonly number[];
}

export interface RouterOptions {
  production: Model;
  shadow: Model;
  /** Milliseconds; every latency and timeout is measured with it. */
  clock: () => number;
  /** The most shadow calls in flight at once; a request that finds them all busy is not mirrored. */
  maxShadowQueue: number;
  /** A shadow call running longer than this is timed out. Leave it out for no timeout. */
  shadowTimeoutMs?: number;
  /** How many disagreeing rows to keep as samples (the first ones). */
  maxDisagreementSamples: number;
}

export interface LatencySummary {
  count: number;
  /** Nearest-rank percentiles of the recorded latencies; null when there are none. */
  p50: number | null;
  p95: number | null;
}

export interface DisagreementSample {
  requestId: string;
  /** The row's index inside its request. */
  row: number;
  /** The classes each model predicted (argmax of its scores). */
  production: number;
  shadow: number;
}

export interface ShadowStats {
  /** Requests production answered. */
  requests: number;
  /** Shadow calls started. */
  mirrored: number;
  /** Requests not mirrored because maxShadowQueue calls were already in flight. */
  dropped: number;
  /** Shadow calls started and not yet settled (a timed-out call counts until it settles). */
  inFlight: number;
  /** Shadow calls whose answer was compared with production's. */
  compared: number;
  /** Shadow calls that threw, rejected or answered with the wrong shape, within the timeout. */
  failed: number;
  /** Shadow calls that ran longer than shadowTimeoutMs. */
  timedOut: number;
  /** Rows compared (a request of k rows adds k) and rows where both models picked the same class. */
  rowsCompared: number;
  rowsAgreed: number;
  /** rowsAgreed / rowsCompared, or null before any comparison. */
  agreementRate: number | null;
  /** Over compared rows that carry a label: each model's share of correct classes (null without labels). */
  accuracy: { rows: number; production: number | null; shadow: number | null };
  latency: { production: LatencySummary; shadow: LatencySummary };
  /** The first disagreeing rows, at most maxDisagreementSamples of them. */
  disagreements: DisagreementSample[];
}

/**
 * The nearest-rank percentile of `values` for p in (0, 100]: sort ascending and take the value at 1-based
 * rank ⌈p · n / 100⌉. Throws a RangeError for an empty list or p outside (0, 100]. Does not reorder `values`.
 */
export function nearestRank(values: readonly number[], p: number): number {
  throw new Error(`nearestRank is not implemented yet (${values.length} values, p = ${p})`);
}

export class ShadowRouter {
  /**
   * Throws a RangeError when maxShadowQueue or maxDisagreementSamples is not a whole number ≥ 0, or when
   * shadowTimeoutMs is given and is not positive.
   */
  constructor(options: RouterOptions) {
    // TODO: keep the options; set up counters, latency lists, the set of shadow calls in flight.
    throw new Error(`ShadowRouter is not implemented yet (maxShadowQueue ${options.maxShadowQueue})`);
  }

  /**
   * Resolves with production's answer (or rejects with production's error). Once production has answered,
   * start the shadow on a copy of the rows, unless maxShadowQueue calls are in flight (then count a drop).
   * The caller's promise must not wait for the shadow, and nothing the shadow does may reach it.
   */
  async route(request: RouteRequest): Promise<number[][]> {
    // TODO: check timeouts on the clock, time production, mirror, return production's rows.
    throw new Error(`route is not implemented yet (${request.id})`);
  }

  /** A snapshot of the comparison log. Checks timeouts against the clock first. */
  stats(): ShadowStats {
    throw new Error('stats is not implemented yet');
  }
}

// ---------------------------------------------------------------------------------------------------------
// Task 6: deterministic A/B bucketing (GrowthBook's hash, version 2)
// ---------------------------------------------------------------------------------------------------------

/** 32-bit FNV-1a over the string's UTF-16 code units (charCodeAt), as an unsigned integer. */
export function fnv1a32(text: string): number {
  // TODO: start from 0x811c9dc5; for each code unit: xor it in, multiply by 16777619 modulo 2^32.
  throw new Error(`fnv1a32 is not implemented yet (${text})`);
}

/** A number in [0, 1): (fnv1a32(String(fnv1a32(experiment + userId))) % 10000) / 10000. */
export function bucketHash(experiment: string, userId: string): number {
  throw new Error(`bucketHash is not implemented yet (${experiment}, ${userId})`);
}

/**
 * The variant index of `userId` in `experiment`. Variant i owns [w0 + … + w(i-1), w0 + … + wi) of [0, 1);
 * a user whose hash lies past the last range is not in the experiment: -1.
 * Throws a RangeError for an empty split, a negative or non-finite weight, or weights adding up to more than 1.
 */
export function assignBucket(userId: string, experiment: string, split: readonly number[]): number {
  throw new Error(`assignBucket is not implemented yet (${userId}, ${experiment}, ${split.length} variants)`);
}
