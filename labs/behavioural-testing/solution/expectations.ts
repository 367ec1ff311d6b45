/**
 * Reference solution for the behavioural-testing lab, part 2: column map expectations on a batch of rows, with
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
  return value === null || value === undefined || Number.isNaN(value);
}

const percent = (part: number, whole: number): number | null => (whole === 0 ? null : (part / whole) * 100);

/** GX's _mostly_success: the share of good values, compared with mostly; vacuously true on an empty domain. */
function mostlySuccess(good: number, domain: number, mostly: number): boolean {
  return domain === 0 || good / domain >= mostly;
}

function checkMostly(mostly: number): number {
  if (!(mostly >= 0 && mostly <= 1)) throw new RangeError(`mostly must be between 0 and 1, got ${mostly}`);
  return mostly;
}

/** A predicate that says whether a present value is unexpected. */
function unexpectedTest(expectation: BetweenExpectation | InSetExpectation): (value: number | string | boolean) => boolean {
  if (expectation.type === 'expect_column_values_to_be_in_set') {
    const allowed = new Set<unknown>(expectation.valueSet);
    return (value) => !allowed.has(value);
  }
  const { minValue = null, maxValue = null, strictMin = false, strictMax = false } = expectation;
  if (minValue === null && maxValue === null) throw new RangeError('expect_column_values_to_be_between needs minValue or maxValue');
  if (minValue !== null && maxValue !== null && minValue > maxValue) throw new RangeError('minValue is greater than maxValue');
  return (value) => {
    if (typeof value !== 'number') return true;
    if (minValue !== null && (strictMin ? value <= minValue : value < minValue)) return true;
    return maxValue !== null && (strictMax ? value >= maxValue : value > maxValue);
  };
}

export function validateExpectation(batch: Batch, expectation: Expectation): ExpectationResult {
  const mostly = checkMostly(expectation.mostly ?? 1);
  const { column } = expectation;
  const elementCount = batch.length;
  const unexpectedValues: CellValue[] = [];
  const unexpectedIndices: number[] = [];
  const partial = (): Pick<ExpectationResult, 'partialUnexpectedList' | 'partialUnexpectedIndexList'> => ({
    partialUnexpectedList: unexpectedValues.slice(0, PARTIAL_UNEXPECTED_COUNT),
    partialUnexpectedIndexList: unexpectedIndices.slice(0, PARTIAL_UNEXPECTED_COUNT),
  });
  if (expectation.type === 'expect_column_values_to_not_be_null') {
    batch.forEach((row, i) => {
      if (isMissing(row[column])) {
        unexpectedValues.push(null);
        unexpectedIndices.push(i);
      }
    });
    const unexpectedCount = unexpectedIndices.length;
    return {
      type: expectation.type,
      column,
      success: mostlySuccess(elementCount - unexpectedCount, elementCount, mostly),
      elementCount,
      unexpectedCount,
      unexpectedPercent: percent(unexpectedCount, elementCount),
      ...partial(),
    };
  }
  const isUnexpected = unexpectedTest(expectation);
  let missingCount = 0;
  batch.forEach((row, i) => {
    const value = row[column];
    if (isMissing(value)) missingCount++;
    else if (isUnexpected(value!)) {
      unexpectedValues.push(value);
      unexpectedIndices.push(i);
    }
  });
  const nonnull = elementCount - missingCount;
  const unexpectedCount = unexpectedIndices.length;
  const nonmissing = percent(unexpectedCount, nonnull);
  return {
    type: expectation.type,
    column,
    success: mostlySuccess(nonnull - unexpectedCount, nonnull, mostly),
    elementCount,
    unexpectedCount,
    unexpectedPercent: nonmissing,
    ...partial(),
    missingCount,
    missingPercent: percent(missingCount, elementCount),
    unexpectedPercentTotal: percent(unexpectedCount, elementCount),
    unexpectedPercentNonmissing: nonmissing,
  };
}

export function validateBatch(batch: Batch, suite: readonly Expectation[]): SuiteResult {
  const results = suite.map((expectation) => validateExpectation(batch, expectation));
  const successful = results.filter((r) => r.success).length;
  return {
    success: successful === results.length,
    statistics: {
      evaluatedExpectations: results.length,
      successfulExpectations: successful,
      unsuccessfulExpectations: results.length - successful,
      successPercent: percent(successful, results.length),
    },
    results,
  };
}
