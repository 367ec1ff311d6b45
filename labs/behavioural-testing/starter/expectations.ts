/**
 * behavioural-testing, part 2: column map expectations on a batch of rows, with
 * Great Expectations' result fields (BASIC and the index list of SUMMARY) and its `mostly` rule.
 */

/** A cell: null, undefined (the key is absent) and NaN all count as missing, as pandas does. */
export type CellValue = number | string | boolean | null | undefined;
export type Batch = readonly Readonly<Record<string, CellValue>>[];

export interface NotNullExpectation {
  readonly type: 'expect_column_values_to_not_be_null';
  readonly column: string;
  readonly mostly?: number;
}

export interface BetweenExpectation {
  readonly type: 'expect_column_values_to_be_between';
  readonly column: string;
  readonly minValue?: number | null;
  readonly maxValue?: number | null;
  readonly strictMin?: boolean;
  readonly strictMax?: boolean;
  readonly mostly?: number;
}

export interface InSetExpectation {
  readonly type: 'expect_column_values_to_be_in_set';
  readonly column: string;
  readonly valueSet: readonly (number | string | boolean)[];
  readonly mostly?: number;
}

export type Expectation = NotNullExpectation | BetweenExpectation | InSetExpectation;

export interface ExpectationResult {
  type: Expectation['type'];
  column: string;
  success: boolean;
  elementCount: number;
  unexpectedCount: number;
  /** Column map expectations: over the non-missing values; not_null: over every row. null when the denominator is 0. */
  unexpectedPercent: number | null;
  /** The first 20 unexpected values (a missing value shows as null). */
  partialUnexpectedList: CellValue[];
  /** Their row indices. */
  partialUnexpectedIndexList: number[];
  /** Column map expectations only; absent for not_null. */
  missingCount?: number;
  missingPercent?: number | null;
  unexpectedPercentTotal?: number | null;
  unexpectedPercentNonmissing?: number | null;
}

export interface SuiteResult {
  success: boolean;
  statistics: {
    evaluatedExpectations: number;
    successfulExpectations: number;
    unsuccessfulExpectations: number;
    successPercent: number | null;
  };
  results: ExpectationResult[];
}

export const PARTIAL_UNEXPECTED_COUNT = 20;

export function isMissing(value: CellValue): boolean {
  // TODO (Task 3): null, undefined and NaN are missing.
  void value;
  throw new Error('TODO: isMissing');
}

export function validateExpectation(batch: Batch, expectation: Expectation): ExpectationResult {
  // TODO (Task 3): Great Expectations' rules and result fields; see the README.
  void batch;
  void expectation;
  throw new Error('TODO: validateExpectation');
}

export function validateBatch(batch: Batch, suite: readonly Expectation[]): SuiteResult {
  // TODO (Task 3): run every expectation in order; success and statistics.
  void batch;
  void suite;
  throw new Error('TODO: validateBatch');
}
