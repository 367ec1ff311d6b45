/**
 * Reference solution for the latency-slo lab.
 */

export interface SloTarget {
  /** A request slower than this many milliseconds is slow; one at exactly this meets the SLO. */
  thresholdMs: number;
  /** The fraction of requests that must meet the threshold, strictly between 0 and 1 (0.99 for 99%). */
  target: number;
}

export interface SloWindow {
  /** Requests in the window. */
  total: number;
  /** Requests slower than the threshold. */
  slow: number;
  /** The fraction of requests allowed to be slow: 1 - target. */
  errorBudget: number;
  /** (slow / total) / errorBudget; 0 for a window without requests. */
  burnRate: number;
}

function checkLatencies(latenciesMs: readonly number[]): void {
  for (const ms of latenciesMs) {
    if (typeof ms !== 'number' || !Number.isFinite(ms) || ms < 0) throw new RangeError('a latency must be a finite number of at least 0 ms, got ' + ms);
  }
}

/** Task 1: the nearest-rank percentile p (0 < p <= 100) of the latencies; always one of the samples. */
export function percentile(latenciesMs: readonly number[], p: number): number {
  if (latenciesMs.length === 0) throw new RangeError('a percentile of no samples is undefined');
  // Written as a negation so that NaN fails it too.
  if (!(p > 0 && p <= 100)) throw new RangeError('p must be above 0 and at most 100, got ' + p);
  checkLatencies(latenciesMs);
  // Sort a copy: reordering the caller's array would scramble their log.
  const sorted = [...latenciesMs].sort((a, b) => a - b);
  // p * n / 100 can land a hair above a whole number (64.4 * 250 / 100 is 161.00000000000003), which the
  // ceiling would turn into the next rank; rounding to nine decimals first keeps a whole rank whole.
  const exactRank = Math.round(((p * sorted.length) / 100) * 1e9) / 1e9;
  const rank = Math.max(1, Math.ceil(exactRank));
  return sorted[rank - 1] as number;
}

/** Task 2: the slow requests, error budget and burn rate of one window of latencies. */
export function evaluateSlo(latenciesMs: readonly number[], slo: SloTarget): SloWindow {
  if (!(slo.thresholdMs > 0 && Number.isFinite(slo.thresholdMs))) throw new RangeError('thresholdMs must be a positive finite number, got ' + slo.thresholdMs);
  if (!(slo.target > 0 && slo.target < 1)) throw new RangeError('target must be a fraction strictly between 0 and 1 (0.99 for 99%), got ' + slo.target);
  checkLatencies(latenciesMs);
  const total = latenciesMs.length;
  const slow = latenciesMs.filter((ms) => ms > slo.thresholdMs).length;
  const errorBudget = 1 - slo.target;
  // No traffic spends no budget; slow / total would be NaN.
  const burnRate = total === 0 ? 0 : slow / total / errorBudget;
  return { total, slow, errorBudget, burnRate };
}
