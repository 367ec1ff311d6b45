/**
 * Latency SLO calculator. Implement both functions; the README gives the definitions.
 * Latencies are milliseconds. Invalid input throws a RangeError.
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

/** Task 1: the nearest-rank percentile p (0 < p <= 100) of the latencies; always one of the samples. */
export function percentile(latenciesMs: readonly number[], p: number): number {
  // TODO: sort a copy in ascending order and return the sample at rank ceil(p / 100 * n), counted from 1.
  throw new Error('percentile is not implemented yet (p = ' + p + ', ' + latenciesMs.length + ' samples)');
}

/** Task 2: the slow requests, error budget and burn rate of one window of latencies. */
export function evaluateSlo(latenciesMs: readonly number[], slo: SloTarget): SloWindow {
  // TODO: count the requests slower than slo.thresholdMs; the budget is 1 - slo.target.
  throw new Error('evaluateSlo is not implemented yet (' + latenciesMs.length + ' samples, ' + JSON.stringify(slo) + ')');
}
