/**
 * experiment-tracker, Tasks 2 and 3: MLflow's search filter (clauses joined by AND) and order_by, over plain Run
 * objects. The README gives the grammar, the comparators each kind of key takes and the error columns.
 */
import type { Run } from './tracker';

/** A filter or order_by string that does not parse. `column` is 1-based: where the offending token starts. */
export class FilterParseError extends Error {
  readonly column: number;

  constructor(message: string, column: number) {
    super(`${message} (column ${column})`);
    this.name = 'FilterParseError';
    this.column = column;
  }
}

export interface SearchOptions {
  /** MLflow filter string; empty or absent matches every run. */
  readonly filter?: string;
  /** Items such as "metrics.rmse ASC"; the direction defaults to ASC. */
  readonly orderBy?: readonly string[];
  /** At most this many runs (an integer ≥ 1); 1000 by default, as MLflow. */
  readonly maxResults?: number;
}

/**
 * Tasks 2 and 3: the runs that match every clause of the filter, sorted by orderBy, then by start_time DESC and
 * run_id ASC, at most maxResults of them. Throws FilterParseError (with the 1-based column) for a bad filter or
 * order_by item, RangeError for a bad maxResults. Must not modify `runs`.
 */
export function searchRuns(runs: readonly Run[], options: SearchOptions = {}): Run[] {
  // TODO: scan the filter left to right with a position: identifier (prefix '.' name, the name bare or in
  // backticks / double quotes), comparator, value; then the end or AND and the next clause. Check each comparator
  // and value against the key's kind as you go, and throw FilterParseError at the token that is wrong.
  // Then filter (a missing key never matches), sort with the tie-breakers, and cut to maxResults.
  throw new Error(`searchRuns is not implemented yet (${runs.length} runs, filter ${JSON.stringify(options.filter ?? '')})`);
}
