import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { chiSquared, driftReport, evidentlyPsi, jensenShannon, ksTest, psi, psiFromShares } from '../src/drift';

// A sample of the graded suite. Expected numbers come from numpy/scipy; the tolerances are the README's.
function close(actual: number, expected: number, rel = 1e-9): void {
  assert.ok(Number.isFinite(actual) && Math.abs(actual - expected) <= Math.abs(expected) * rel + 1e-12, `expected ${expected}, got ${actual}`);
}
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

describe('public: psi', () => {
  it('sums (current − reference) · ln(current / reference) over the bins', () => {
    close(psiFromShares([0.25, 0.25, 0.25, 0.25], [0.1, 0.2, 0.3, 0.4]), 0.22821740957339184);
  });

  it('bins on the reference deciles and fills empty bins with 1e-4', () => {
    close(psi(range(1, 50), range(21, 70)).psi, 3.4041141744549024);
  });
});

describe('public: evidently psi', () => {
  it('uses Sturges bins over both samples', () => {
    close(evidentlyPsi(range(1, 30), range(11, 40)).psi, 3.3318040803030873);
  });
});

describe('public: ks', () => {
  it("matches scipy's exact p-value for two small samples", () => {
    const r = ksTest(range(1, 5), range(6, 10));
    assert.equal(r.statistic, 1);
    close(r.pValue, 2 / 252);
  });
});

describe('public: categorical', () => {
  it('compares current counts with rescaled reference counts', () => {
    close(chiSquared({ A: 60, B: 40 }, { A: 90, B: 110 }).statistic, 18.75);
  });

  it('returns the Jensen–Shannon distance, not the divergence', () => {
    close(jensenShannon([0.5, 0.5], [0.9, 0.1]), 0.31898154347735663);
  });
});

describe('public: verdicts', () => {
  it('flags a categorical feature whose mix changed', () => {
    const column = (spec: Record<string, number>) => ({
      kind: 'categorical' as const,
      values: Object.entries(spec).flatMap(([k, n]) => new Array<string>(n).fill(k)),
    });
    const report = driftReport({ country: column({ de: 50, fr: 30, it: 20 }) }, { country: column({ de: 30, fr: 40, it: 30 }) });
    assert.equal(report.features[0]!.drifted, true);
  });
});
