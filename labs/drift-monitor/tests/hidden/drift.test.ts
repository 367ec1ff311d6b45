import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  binShares,
  chiSquared,
  chiSquaredSurvival,
  driftReport,
  evidentlyFill,
  evidentlyPsi,
  jensenShannon,
  ksStatistic,
  ksTest,
  psi,
  psiFromShares,
  psiLevel,
  quantileEdges,
  sturgesEdges,
  type Column,
} from '../src/drift';

// Every expected number below was computed with numpy 2 / scipy 1.17.1 (LAB_FACTS §4 and §11, and the lab's own
// vectors run through the same calls). Tolerances are the README's: relative 1e-9 (plus 1e-12 absolute) for
// PSI, edges, statistics and exact p-values; 1e-6 relative for the chi-squared and asymptotic p-values.

function close(actual: number, expected: number, rel = 1e-9, message?: string): void {
  assert.equal(typeof actual, 'number', `expected a number, got ${typeof actual}`);
  assert.ok(Number.isFinite(actual), message ?? `expected ${expected}, got ${actual}`);
  assert.ok(Math.abs(actual - expected) <= Math.abs(expected) * rel + 1e-12, message ?? `expected ${expected}, got ${actual}`);
}
function closeAll(actual: readonly number[], expected: readonly number[], rel = 1e-9): void {
  assert.equal(actual.length, expected.length, `expected ${expected.length} values, got ${actual.length}`);
  expected.forEach((e, i) => close(actual[i]!, e, rel, `value ${i}: expected ${e}, got ${actual[i]}`));
}
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

/** 200 reference values spread over [0, 10.08] and 150 current ones, stretched and shifted; integer arithmetic only. */
const REF = Array.from({ length: 200 }, (_, i) => ((i * 7919) % 1009) / 100);
const CUR = Array.from({ length: 150 }, (_, i) => (((i * 104729) % 1013) / 100) * 1.2 + 0.5);
const SAME = Array.from({ length: 150 }, (_, i) => ((i * 104729) % 1013) / 100);

// LAB_FACTS §4.2 test vector.
const KS_A = [0.61, 0.29, 0.06, 0.59, -1.73, -0.74, 0.51, -0.56, 0.39, 1.64, 0.05, -0.06, 0.64, -0.82, 0.37, 1.77, 1.09, -1.28, 2.36, 1.31, 1.05, -0.32, -0.4, 1.06, -2.47];
const KS_B = [2.2, 1.66, 1.38, 0.2, 0.36, 0.0, 0.96, 1.56, 0.44, 1.5, -0.3, 0.66, 2.31, 3.29, -0.27, -0.37, 0.38, 0.7, 0.52, -0.62];

describe('psi', () => {
  it('matches the worked share examples', () => {
    close(psiFromShares([0.25, 0.25, 0.25, 0.25], [0.1, 0.2, 0.3, 0.4]), 0.22821740957339184);
    close(psiFromShares([0.1, 0.2, 0.3, 0.4], [0.25, 0.25, 0.25, 0.25]), 0.22821740957339184);
    close(psiFromShares([0.2, 0.5, 0.3], [0.1, 0.6, 0.3]), 0.08754687373538998);
  });

  it('replaces an empty bin with epsilon, never Infinity', () => {
    close(psiFromShares([0.5, 0.5, 0], [0.4, 0.4, 0.2]), 1.5640491119253044);
    close(psiFromShares([0.5, 0.5, 0], [0.4, 0.4, 0.2], 1e-6), 2.4858310332962312);
  });

  it('cuts deciles of the reference with numpy linear interpolation', () => {
    closeAll(quantileEdges(range(1, 50)), [5.9, 10.8, 15.7, 20.6, 25.5, 30.4, 35.3, 40.2, 45.1]);
    closeAll(quantileEdges(REF).slice(0, 3), [1.036, 2.022, 3.008]);
    closeAll(quantileEdges(range(1, 50), 4), [13.25, 25.5, 37.75]);
    closeAll(quantileEdges(range(1, 50), 2), [25.5]);
    closeAll(quantileEdges([4], 4), [4, 4, 4]);
  });

  it('puts a value that equals an edge in the bin above it', () => {
    closeAll(binShares([1, 2, 2.5, 3, 4], [2, 3]), [0.2, 0.4, 0.4]);
    const r = psi(range(1, 11), [2, 2, 3, 3, 3, 4, 5, 6, 7, 10, 10, 11, 11, 11]);
    closeAll(r.currentShares, [1e-4, 2 / 14, 3 / 14, 1 / 14, 1 / 14, 1 / 14, 1 / 14, 1e-4, 1e-4, 5 / 14]);
    close(r.psi, 2.1223234643204716);
  });

  it('bins both samples on the reference deciles', () => {
    const r = psi(range(1, 50), range(21, 70));
    closeAll(r.referenceShares, new Array(10).fill(0.1));
    closeAll(r.currentShares, [1e-4, 1e-4, 1e-4, 1e-4, 0.1, 0.1, 0.1, 0.1, 0.1, 0.5]);
    close(r.psi, 3.4041141744549024);
    close(psi(REF, CUR).psi, 0.26288782434501745);
    close(psi(REF, SAME).psi, 0.009113902882015575);
  });

  it('honours the bins and epsilon options', () => {
    close(psi(REF, CUR, { bins: 5 }).psi, 0.1414930994361926);
    close(psi(range(1, 50), range(41, 90), { epsilon: 1e-6 }).psi, 10.96802793044144);
  });

  it('reads the rule of thumb with 0.1 moderate and 0.25 still moderate', () => {
    assert.equal(psiLevel(0.0999), 'none');
    assert.equal(psiLevel(0.1), 'moderate');
    assert.equal(psiLevel(0.25), 'moderate');
    assert.equal(psiLevel(0.2501), 'significant');
    assert.equal(psiLevel(psi(REF, CUR).psi), 'significant');
  });

  it('rejects empty samples, non-finite values and bad options', () => {
    assert.throws(() => psi([], [1, 2]), RangeError);
    assert.throws(() => psi([1, 2, 3], [1, Number.NaN]), RangeError);
    assert.throws(() => psi([1, 2, 3], [1, 2], { bins: 1 }), RangeError);
    assert.throws(() => psi([1, 2, 3], [1, 2], { epsilon: 0 }), RangeError);
    assert.throws(() => quantileEdges([1, 2, 3], 2.5), RangeError);
    assert.throws(() => psiFromShares([0.5, 0.5], [1]), RangeError);
    assert.throws(() => psiFromShares([0.5, 0.5], [0.4, 0.6], 0), RangeError);
    assert.throws(() => psiLevel(Number.NaN), RangeError);
  });
});

describe('evidently psi', () => {
  it('fills zeros with 1e-4, or with min/1e6 when the smallest share is at most 1e-4', () => {
    closeAll(evidentlyFill([0.5, 0.5, 0]), [0.5, 0.5, 1e-4]);
    closeAll(evidentlyFill([0.99995, 0.00005, 0]), [0.99995, 0.00005, 5e-11]);
    closeAll(evidentlyFill([0.9999, 0.0001, 0]), [0.9999, 0.0001, 1e-10]);
    assert.throws(() => evidentlyFill([0, 0]), RangeError);
  });

  it('builds Sturges edges over both samples together', () => {
    closeAll(sturgesEdges([...range(1, 30), ...range(11, 40)]), [1, 6.571428571428571, 12.142857142857142, 17.714285714285715, 23.285714285714285, 28.857142857142854, 34.42857142857143, 40]);
    const r = evidentlyPsi(range(1, 30), range(11, 40));
    closeAll(r.edges!, [1, 6.571428571428571, 12.142857142857142, 17.714285714285715, 23.285714285714285, 28.857142857142854, 34.42857142857143, 40]);
    close(r.psi, 3.3318040803030873);
    closeAll(sturgesEdges([5, 5, 5, 5]), [4.5, 5.5]);
    const steps = Array.from({ length: 25 }, (_, i) => ((i + 1) * 101) / 10);
    assert.equal(sturgesEdges([...steps, ...steps]).at(-1), 252.5, 'the last edge is exactly the maximum');
  });

  it('matches Evidently on a stretched and shifted sample', () => {
    const r = evidentlyPsi(REF, CUR);
    assert.equal(r.edges!.length, 11);
    close(r.edges![0]!, 0);
    close(r.edges![10]!, 12.404);
    close(r.psi, 1.0032582285590974);
  });

  it('counts the largest value in the last bin', () => {
    const r = evidentlyPsi(range(1, 30), range(11, 40));
    closeAll(r.currentShares, [1e-4, 2 / 30, 5 / 30, 6 / 30, 5 / 30, 6 / 30, 6 / 30]);
  });

  it('gives each value its own bin when the reference has 20 or fewer unique values', () => {
    const r = evidentlyPsi([...range(1, 20), ...range(1, 20)], [...range(5, 24), ...range(5, 24)]);
    assert.equal(r.edges, null);
    assert.equal(r.referenceShares.length, 24);
    close(r.psi, 2.4808715528901386);
    close(evidentlyPsi([...range(1, 21), ...range(1, 21)], [...range(5, 25), ...range(5, 25)]).psi, 2.4940995342415695);
  });

  it('uses the tiny fill for a distribution with a share below 1e-4', () => {
    const reference = [...new Array<number>(19999).fill(1), 2];
    const current = [...new Array<number>(500).fill(1), ...new Array<number>(500).fill(3)];
    close(evidentlyPsi(reference, current).psi, 11.859474055973951);
  });
});

describe('ks', () => {
  it('finds D as the largest gap between the empirical CDFs', () => {
    close(ksStatistic(KS_A, KS_B), 0.23);
    close(ksStatistic(REF, CUR), 0.21);
    close(ksStatistic(range(1, 5), range(6, 10)), 1);
  });

  it('looks at the points of both samples', () => {
    close(ksStatistic(range(5, 8), range(1, 4)), 1);
    close(ksStatistic([3, 5], [1, 2, 4]), 2 / 3);
  });

  it('steps over tied values all at once', () => {
    close(ksStatistic([1, 2, 3, 4], [3, 4, 5, 6]), 0.5);
    close(ksStatistic([1, 1, 2], [1, 2, 2]), 1 / 3);
    close(ksStatistic([7, 7, 7], [7, 7]), 0);
  });

  it("gives scipy's exact two-sided p-value for small samples", () => {
    const r = ksTest(KS_A, KS_B);
    assert.equal(r.method, 'exact');
    close(r.statistic, 0.23);
    close(r.pValue, 0.5286364448145011);
    close(ksTest(range(1, 5), range(6, 10)).pValue, 2 / 252);
    close(ksTest(range(1, 8), range(5, 12)).pValue, 0.2826728826728826);
    close(ksTest(REF, CUR).pValue, 0.0008888680639874798);
  });

  it('counts both directions in the p-value', () => {
    close(ksTest(range(5, 8), range(1, 4)).pValue, 0.028571428571428577);
    close(ksTest(range(1, 4), range(5, 8)).pValue, 0.028571428571428577);
    close(ksTest(REF, SAME).pValue, 0.9999991685252269);
  });

  it('keeps ties in the exact p-value', () => {
    close(ksTest([1, 2, 3, 4], [3, 4, 5, 6]).pValue, 0.7714285714285716);
    close(ksTest([1, 2, 2, 3, 3, 3, 4, 4, 5, 9], [3, 3, 4, 5, 5, 6, 6, 7, 8, 8, 9, 10]).pValue, 0.048886098421702134);
    assert.equal(ksTest([7, 7, 7], [7, 7]).pValue, 1);
  });

  it("uses Kolmogorov's limiting distribution for 'asymp' and above 10,000 values", () => {
    const r = ksTest(KS_A, KS_B, 'asymp');
    assert.equal(r.method, 'asymp');
    close(r.pValue, 0.5991955719698889, 1e-6);
    const bigA = Array.from({ length: 10001 }, (_, i) => ((i * 7919) % 10007) / 10007);
    const bigB = Array.from({ length: 60 }, (_, i) => (((i * 31) % 97) / 97) * 0.8 + 0.1);
    const big = ksTest(bigA, bigB);
    assert.equal(big.method, 'asymp');
    close(big.statistic, 0.10828917108289171);
    close(big.pValue, 0.48636467091604757, 1e-6);
    close(ksTest(range(1, 12), range(7, 18), 'asymp').pValue, 2 * (Math.exp(-3) - Math.exp(-12) + Math.exp(-27)), 1e-6);
    const edge = ksTest(bigA.slice(0, 10000), bigB);
    assert.equal(edge.method, 'exact');
    close(edge.pValue, 0.45457486628227534, 1e-6);
    const far = ksTest(range(1, 30), range(31, 60), 'asymp').pValue;
    assert.ok(Math.abs(far - 2 * Math.exp(-30)) <= 2 * Math.exp(-30) * 1e-6, `relative 1e-6 however small p is: expected ${2 * Math.exp(-30)}, got ${far}`);
    close(ksTest(range(1, 5000), range(1, 5001), 'asymp').pValue, 1, 1e-6);
    assert.equal(ksTest([7, 7, 7], [7, 7], 'asymp').pValue, 1);
  });

  it('rejects an empty sample', () => {
    assert.throws(() => ksTest([], [1]), RangeError);
    assert.throws(() => ksStatistic([1], []), RangeError);
    assert.throws(() => ksTest([1, 2], [3, 4], 'bogus' as 'auto'), RangeError);
  });
});

describe('categorical', () => {
  it('matches scipy chisquare on the worked vectors', () => {
    const r = chiSquared({ a: 50, b: 30, c: 20 }, { a: 30, b: 40, c: 30 });
    close(r.statistic, 16.333333333333332);
    assert.equal(r.df, 2);
    close(r.pValue, 0.0002839629839032565, 1e-6);
    const s = chiSquared({ A: 50, B: 30, C: 20 }, { A: 30, B: 30, C: 40 });
    close(s.statistic, 28);
    close(s.pValue, 8.31528719103568e-7, 1e-6);
  });

  it('rescales the expected counts to the current total', () => {
    const r = chiSquared({ A: 60, B: 40 }, { A: 90, B: 110 });
    close(r.statistic, 18.75);
    assert.equal(r.df, 1);
    close(r.pValue, 1.4902335792427685e-5, 1e-6);
    close(chiSquared({ a: 10, b: 5, c: 2, d: 6, e: 7 }, { a: 130, b: 60, c: 10, d: 50, e: 50 }).statistic, 23.380952380952383);
  });

  it('takes df = k − 1 over the union of categories', () => {
    const r = chiSquared({ a: 20, b: 20, c: 20, d: 15, e: 15, f: 10 }, { a: 12, b: 18, c: 25, d: 20, e: 15, f: 10 });
    assert.equal(r.df, 5);
    close(r.statistic, 6.316666666666667);
    close(r.pValue, 0.2766136948748109, 1e-6);
    close(chiSquared({ a: 5, b: 5 }, { a: 7, b: 3 }).pValue, 0.20590321073206466, 1e-6);
    close(chiSquaredSurvival(2, 2), Math.exp(-1), 1e-6);
    // Relative 1e-6 however small p is: P(χ²₁ > 50) = erfc(5), P(χ²₂ > 400) = e^−200, P(χ²₁ > 0.01) = erfc(√0.005).
    for (const [x, df, p] of [[50, 1, 1.5374597944280351e-12], [400, 2, 1.3838965267367376e-87], [0.01, 1, 0.920344325445942]] as const) {
      const got = chiSquaredSurvival(x, df);
      assert.ok(Math.abs(got - p) <= p * 1e-6, `P(χ²_${df} > ${x}): expected ${p}, got ${got}`);
    }
    assert.equal(chiSquaredSurvival(0, 3), 1);
    assert.deepEqual(chiSquared({ a: 5 }, { a: 7 }), { statistic: 0, df: 0, pValue: 1, unseen: [] }, 'one category leaves nothing to test');
    const s = chiSquared({ a: 1, b: 1, c: 1 }, { a: 200 });
    close(s.statistic, 400);
    close(s.pValue, 1.3838965267367927e-87, 1e-6);
  });

  it('counts a category missing from the current data as observed 0', () => {
    const r = chiSquared({ a: 40, b: 40, c: 20 }, { a: 55, b: 45 });
    assert.equal(r.df, 2);
    close(r.statistic, 26.25);
    close(r.pValue, 1.9947337004816564e-6, 1e-6);
    assert.deepEqual(r.unseen, []);
  });

  it('reports a category never seen in the reference as Infinity with p = 0', () => {
    const r = chiSquared({ a: 10, b: 10 }, { a: 10, b: 5, c: 5 });
    assert.equal(r.statistic, Infinity);
    assert.equal(r.pValue, 0);
    assert.equal(r.df, 2);
    assert.deepEqual(r.unseen, ['c']);
    assert.deepEqual(chiSquared({ a: 10, b: 10, c: 0 }, { a: 10, b: 5, c: 5 }).unseen, ['c']);
    const absent = chiSquared({ a: 10, b: 10 }, { a: 10, b: 10, c: 0 });
    assert.deepEqual([absent.statistic, absent.df, absent.pValue, absent.unseen], [0, 2, 1, []], 'a category at 0 on both sides adds nothing to χ²');
    assert.equal(chiSquaredSurvival(Infinity, 3), 0);
  });

  it('gives the Jensen–Shannon distance with natural log by default', () => {
    close(jensenShannon([0.5, 0.5], [0.9, 0.1]), 0.31898154347735663);
    close(jensenShannon([1, 0], [0, 1]), 0.8325546111576977);
    close(jensenShannon([0.1, 0.2, 0.7], [0.3, 0.3, 0.4]), 0.22784261945058354);
  });

  it('honours the log base', () => {
    close(jensenShannon([0.5, 0.5], [0.9, 0.1], 2), 0.3831358798599423);
    close(jensenShannon([1, 0], [0, 1], 2), 1);
    close(jensenShannon([0.1, 0.2, 0.7], [0.3, 0.3, 0.4], 10), 0.15015061681604716);
    close(jensenShannon([1, 0, 3], [0, 2, 2], 2), 0.6270214338169248);
  });

  it('normalises counts to shares first', () => {
    close(jensenShannon([2, 2], [9, 1]), 0.31898154347735663);
    close(jensenShannon([10, 0, 30], [0, 20, 20], 2), 0.6270214338169248);
    assert.equal(jensenShannon([3, 1], [6, 2]), 0);
  });

  it('rejects empty or negative input', () => {
    assert.throws(() => chiSquared({}, { a: 1 }), RangeError);
    assert.throws(() => chiSquared({ a: -1, b: 3 }, { a: 1 }), RangeError);
    assert.throws(() => jensenShannon([1, 2], [1]), RangeError);
    assert.throws(() => jensenShannon([0, 0], [1, 1]), RangeError);
    assert.throws(() => jensenShannon([1, 1], [0, 0]), RangeError);
    assert.throws(() => jensenShannon([1, -1, 2], [1, 1, 1]), RangeError);
    assert.throws(() => jensenShannon([1, 1, 1], [1, -1, 2]), RangeError);
    assert.throws(() => jensenShannon([1, 2], [2, 1], 1), RangeError);
    assert.throws(() => jensenShannon([1, 2], [2, 1], 0), RangeError);
    assert.throws(() => jensenShannon([1, 2], [2, 1], -2), RangeError);
    assert.throws(() => chiSquared({ a: Infinity, b: 1 }, { a: 1, b: 1 }), RangeError);
    assert.throws(() => chiSquaredSurvival(3, 0), RangeError);
    assert.throws(() => chiSquaredSurvival(3, 1.5), RangeError);
  });
});

describe('verdicts', () => {
  const letters = (spec: Record<string, number>): string[] => Object.entries(spec).flatMap(([k, n]) => new Array<string>(n).fill(k));
  const reference: Record<string, Column> = {
    amount: { kind: 'numeric', values: REF },
    score: { kind: 'numeric', values: REF },
    country: { kind: 'categorical', values: letters({ de: 50, fr: 30, it: 20 }) },
    device: { kind: 'categorical', values: letters({ ios: 50, android: 50 }) },
  };
  const current: Record<string, Column> = {
    amount: { kind: 'numeric', values: CUR },
    score: { kind: 'numeric', values: SAME },
    country: { kind: 'categorical', values: letters({ de: 30, fr: 40, it: 30 }) },
    device: { kind: 'categorical', values: letters({ ios: 48, android: 52 }) },
  };

  it('flags a numeric feature by KS and PSI and keeps the numbers', () => {
    const report = driftReport(reference, current);
    const amount = report.features.find((f) => f.feature === 'amount')!;
    assert.equal(amount.kind, 'numeric');
    assert.equal(amount.drifted, true);
    assert.deepEqual(amount.reasons, ['ks', 'psi']);
    close(amount.ks!.pValue, 0.0008888680639874798);
    close(amount.psi!, 0.26288782434501745);
    assert.equal(amount.psiLevel, 'significant');
    const score = report.features.find((f) => f.feature === 'score')!;
    assert.equal(score.drifted, false);
    assert.deepEqual(score.reasons, []);
    assert.equal(score.psiLevel, 'none');
  });

  it('flags a categorical feature by chi-squared and Jensen–Shannon', () => {
    const report = driftReport(reference, current);
    const country = report.features.find((f) => f.feature === 'country')!;
    assert.equal(country.kind, 'categorical');
    assert.equal(country.drifted, true);
    assert.deepEqual(country.reasons, ['chi-squared', 'jensen-shannon']);
    close(country.chiSquared!.pValue, 0.0002839629839032565, 1e-6);
    close(country.jensenShannon!, 0.1457776797019122);
    const device = report.features.find((f) => f.feature === 'device')!;
    assert.equal(device.drifted, false);
  });

  it('reports features in the order of the reference and the share that drifted', () => {
    const report = driftReport(reference, current);
    assert.deepEqual(
      report.features.map((f) => f.feature),
      ['amount', 'score', 'country', 'device'],
    );
    assert.equal(report.driftedShare, 0.5);
    assert.equal(report.datasetDrift, true);
    const calmer = driftReport(reference, { ...current, country: reference.country! });
    assert.equal(calmer.driftedShare, 0.25);
    assert.equal(calmer.datasetDrift, false);
  });

  it('applies each threshold with its own comparison', () => {
    const ksP = ksTest(REF, CUR).pValue;
    const at = driftReport({ amount: reference.amount! }, { amount: current.amount! }, { ksPValue: ksP, psi: 10 });
    assert.deepEqual(at.features[0]!.reasons, ['ks'], 'KS flags drift when p equals the threshold');
    const psiValue = psi(REF, CUR).psi;
    const atPsi = driftReport({ amount: reference.amount! }, { amount: current.amount! }, { ksPValue: 0, psi: psiValue });
    assert.deepEqual(atPsi.features[0]!.reasons, ['psi'], 'PSI flags drift when it equals the threshold');
    const chiP = chiSquared({ de: 50, fr: 30, it: 20 }, { de: 30, fr: 40, it: 30 }).pValue;
    const atChi = driftReport({ country: reference.country! }, { country: current.country! }, { chiSquaredPValue: chiP, jensenShannon: 1 });
    assert.deepEqual(atChi.features[0]!.reasons, [], 'chi-squared needs p strictly below the threshold');
    const js = jensenShannon([50, 30, 20], [30, 40, 30]);
    const atJs = driftReport({ country: reference.country! }, { country: current.country! }, { chiSquaredPValue: 0, jensenShannon: js });
    assert.deepEqual(atJs.features[0]!.reasons, ['jensen-shannon'], 'Jensen–Shannon flags drift when it equals the threshold');
  });

  it('rejects a feature missing from the current data', () => {
    assert.throws(() => driftReport(reference, { amount: current.amount! }), RangeError);
    assert.throws(() => driftReport({ amount: reference.amount! }, { amount: current.country! }), RangeError, 'a feature of another kind');
    assert.throws(() => driftReport({ country: reference.country! }, { country: current.amount! }), RangeError, 'a feature of another kind');
    assert.throws(() => driftReport({}, {}), RangeError, 'no features to compare');
  });
});
