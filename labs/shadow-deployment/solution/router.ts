/**
 * Reference solution for the shadow-deployment lab: a router that answers every request from the production
 * model, mirrors a copy to a shadow model off the caller's path, compares the two, and a deterministic
 * A/B bucketing function. Time only ever comes from the injected clock.
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
 * [N, classes]. The whole batch goes through one `run`; the flat output is cut back into rows.
 */
export function sessionModel(session: ort.InferenceSession, numFeatures = 16): Model {
  const inputName = session.inputNames[0];
  const outputName = session.outputNames[0];
  if (inputName === undefined || outputName === undefined) throw new RangeError('the session needs one input and one output');
  return {
    async predict(features: FeatureRows): Promise<number[][]> {
      const count = features.length;
      if (count === 0) return [];
      const data = new Float32Array(count * numFeatures);
      for (let i = 0; i < count; i++) {
        const row = features[i]!;
        if (row.length !== numFeatures) throw new RangeError(`row ${i} has ${row.length} features, the model takes ${numFeatures}`);
        data.set(row, i * numFeatures);
      }
      const outputs = await session.run({ [inputName]: new ort.Tensor('float32', data, [count, numFeatures]) });
      const logits = outputs[outputName]!;
      const values = logits.data as Float32Array;
      const width = values.length / count;
      const rows: number[][] = [];
      for (let i = 0; i < count; i++) rows.push(Array.from(values.subarray(i * width, (i + 1) * width)));
      return rows;
    },
  };
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
  requests: number;
  mirrored: number;
  dropped: number;
  inFlight: number;
  compared: number;
  failed: number;
  timedOut: number;
  rowsCompared: number;
  rowsAgreed: number;
  agreementRate: number | null;
  accuracy: { rows: number; production: number | null; shadow: number | null };
  latency: { production: LatencySummary; shadow: LatencySummary };
  disagreements: DisagreementSample[];
}

/** The nearest-rank percentile: the smallest value with at least p% of the values at or below it. */
export function nearestRank(values: readonly number[], p: number): number {
  if (values.length === 0) throw new RangeError('nearestRank needs at least one value');
  if (!(p > 0 && p <= 100)) throw new RangeError(`p must be in (0, 100], got ${p}`);
  const sorted = [...values].sort((a, b) => a - b);
  // p · n is exact for the integer p used here, so the ceiling is not thrown off by rounding.
  const rank = Math.max(1, Math.ceil((p * sorted.length) / 100));
  return sorted[rank - 1]!;
}

/** Index of the largest score; the first one wins a tie. */
function argmax(scores: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < scores.length; i++) if (scores[i]! > scores[best]!) best = i;
  return best;
}

function summary(latencies: readonly number[]): LatencySummary {
  if (latencies.length === 0) return { count: 0, p50: null, p95: null };
  return { count: latencies.length, p50: nearestRank(latencies, 50), p95: nearestRank(latencies, 95) };
}

function countOption(name: string, value: number): number {
  if (!Number.isInteger(value) || value < 0) throw new RangeError(`${name} must be a whole number of at least 0, got ${value}`);
  return value;
}

/** True when the shadow's answer has one row per production row, each as wide as production's. */
function sameShape(shadow: unknown, production: readonly (readonly number[])[]): shadow is number[][] {
  if (!Array.isArray(shadow) || shadow.length !== production.length) return false;
  return shadow.every((row, i) => row !== null && typeof row === 'object' && (row as ArrayLike<number>).length === production[i]!.length);
}

/** One mirrored call, from start until its promise settles. */
interface ShadowCall {
  startedAt: number;
  /** Set once the call has been counted as timed out; its answer is then ignored. */
  timedOut: boolean;
}

export class ShadowRouter {
  private readonly production: Model;
  private readonly shadow: Model;
  private readonly clock: () => number;
  private readonly maxShadowQueue: number;
  private readonly timeoutMs: number | undefined;
  private readonly maxSamples: number;

  /** Shadow calls started and not yet settled; a timed-out call stays here until it settles. */
  private readonly inFlight = new Set<ShadowCall>();
  private readonly productionLatencies: number[] = [];
  private readonly shadowLatencies: number[] = [];
  private readonly samples: DisagreementSample[] = [];
  private readonly counts = {
    requests: 0,
    mirrored: 0,
    dropped: 0,
    compared: 0,
    failed: 0,
    timedOut: 0,
    rowsCompared: 0,
    rowsAgreed: 0,
    labelledRows: 0,
    productionCorrect: 0,
    shadowCorrect: 0,
  };

  constructor(options: RouterOptions) {
    this.production = options.production;
    this.shadow = options.shadow;
    this.clock = options.clock;
    this.maxShadowQueue = countOption('maxShadowQueue', options.maxShadowQueue);
    this.maxSamples = countOption('maxDisagreementSamples', options.maxDisagreementSamples);
    const timeout = options.shadowTimeoutMs;
    if (timeout !== undefined && !(timeout > 0)) throw new RangeError(`shadowTimeoutMs must be positive, got ${timeout}`);
    this.timeoutMs = timeout;
  }

  /**
   * Answers from production. The shadow is started once production has answered, and the caller's promise
   * never waits for it, never sees its errors and never pays for its comparison.
   */
  async route(request: RouteRequest): Promise<number[][]> {
    this.expireOverdue();
    const startedAt = this.clock();
    const result = await this.production.predict(request.features);
    this.productionLatencies.push(this.clock() - startedAt);
    this.counts.requests++;
    void this.mirror(request, result); // deliberately not awaited: the caller never waits for the shadow
    return result;
  }

  stats(): ShadowStats {
    this.expireOverdue();
    const c = this.counts;
    return {
      requests: c.requests,
      mirrored: c.mirrored,
      dropped: c.dropped,
      inFlight: this.inFlight.size,
      compared: c.compared,
      failed: c.failed,
      timedOut: c.timedOut,
      rowsCompared: c.rowsCompared,
      rowsAgreed: c.rowsAgreed,
      agreementRate: c.rowsCompared === 0 ? null : c.rowsAgreed / c.rowsCompared,
      accuracy: {
        rows: c.labelledRows,
        production: c.labelledRows === 0 ? null : c.productionCorrect / c.labelledRows,
        shadow: c.labelledRows === 0 ? null : c.shadowCorrect / c.labelledRows,
      },
      latency: { production: summary(this.productionLatencies), shadow: summary(this.shadowLatencies) },
      disagreements: this.samples.map((s) => ({ ...s })),
    };
  }

  /**
   * Starts the shadow call for a request production has answered, or drops it when the queue is full. The
   * promise it returns settles once the call has been accounted for, and never rejects.
   */
  private mirror(request: RouteRequest, production: number[][]): Promise<void> {
    if (this.inFlight.size >= this.maxShadowQueue) {
      this.counts.dropped++;
      return Promise.resolve();
    }
    // The shadow gets its own copy, so nothing it does to its input can reach the caller's arrays.
    const rows: number[][] = [];
    for (const row of request.features) rows.push(Array.from(row));
    const call: ShadowCall = { startedAt: this.clock(), timedOut: false };
    this.inFlight.add(call);
    this.counts.mirrored++;

    let answer: Promise<number[][]>;
    try {
      answer = Promise.resolve(this.shadow.predict(rows));
    } catch (error) {
      answer = Promise.reject(error); // a synchronous throw is a failure like any other
    }
    return answer.then(
      (shadowRows) => this.settle(call, request, production, { ok: true, rows: shadowRows }),
      () => this.settle(call, request, production, { ok: false }),
    );
  }

  private settle(call: ShadowCall, request: RouteRequest, production: number[][], outcome: { ok: true; rows: unknown } | { ok: false }): void {
    this.inFlight.delete(call);
    if (call.timedOut) return; // already counted; a late answer is not compared
    const elapsed = this.clock() - call.startedAt;
    if (this.timeoutMs !== undefined && elapsed > this.timeoutMs) {
      this.counts.timedOut++;
      return;
    }
    if (!outcome.ok || !sameShape(outcome.rows, production)) {
      this.counts.failed++;
      return;
    }
    this.compare(request, production, outcome.rows, elapsed);
  }

  private compare(request: RouteRequest, production: number[][], shadow: number[][], elapsed: number): void {
    const c = this.counts;
    c.compared++;
    this.shadowLatencies.push(elapsed);
    for (let row = 0; row < production.length; row++) {
      const mine = argmax(production[row]!);
      const theirs = argmax(shadow[row]!);
      c.rowsCompared++;
      if (mine === theirs) c.rowsAgreed++;
      else if (this.samples.length < this.maxSamples) this.samples.push({ requestId: request.id, row, production: mine, shadow: theirs });
      const label = request.labels?.[row];
      if (typeof label === 'number') {
        c.labelledRows++;
        if (mine === label) c.productionCorrect++;
        if (theirs === label) c.shadowCorrect++;
      }
    }
  }

  /** Counts as timed out every call in flight that has run longer than the timeout by the clock's reading now. */
  private expireOverdue(): void {
    if (this.timeoutMs === undefined) return;
    const now = this.clock();
    for (const call of this.inFlight) {
      if (!call.timedOut && now - call.startedAt > this.timeoutMs) {
        call.timedOut = true;
        this.counts.timedOut++;
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------------------
// Task 6: deterministic A/B bucketing (GrowthBook's hash, version 2)
// ---------------------------------------------------------------------------------------------------------

/** 32-bit FNV-1a over the string's UTF-16 code units, as an unsigned integer. */
export function fnv1a32(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193); // the FNV prime 16777619, modulo 2^32
  }
  return hash >>> 0;
}

/** A number in [0, 1) in steps of 0.0001: fnv(fnv(experiment + userId) as decimal text) mod 10000, / 10000. */
export function bucketHash(experiment: string, userId: string): number {
  return (fnv1a32(String(fnv1a32(experiment + userId))) % 10000) / 10000;
}

/**
 * The variant of a user in an experiment. Variant i owns [w0 + … + w(i-1), w0 + … + wi); a user whose hash is
 * past the last range is not in the experiment (-1).
 */
export function assignBucket(userId: string, experiment: string, split: readonly number[]): number {
  if (split.length === 0) throw new RangeError('split needs at least one variant');
  let total = 0;
  for (const weight of split) {
    if (!Number.isFinite(weight) || weight < 0) throw new RangeError(`split weights must be finite and at least 0, got ${weight}`);
    total += weight;
  }
  if (total > 1 + 1e-9) throw new RangeError(`split weights add up to ${total}, more than 1`);
  const n = bucketHash(experiment, userId);
  let end = 0;
  for (let i = 0; i < split.length; i++) {
    end += split[i]!;
    if (n < end) return i;
  }
  return -1;
}
