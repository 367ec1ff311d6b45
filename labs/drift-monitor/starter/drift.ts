/**
 * Drift statistics and per-feature verdicts. The README fixes every convention the graded suite checks: the
 * bins, what an empty bin becomes, how ties count, which p-value, which log. Expected numbers come from
 * numpy and scipy, so follow the README rather than a formula from memory.
 *
 * Plain TypeScript only: the grader runs this file without Node's built-ins.
 */

// ---------------------------------------------------------------------------------------------------------
// Task 1: PSI with reference-quantile bins
// ---------------------------------------------------------------------------------------------------------

export interface PsiResult {
  psi: number;
  /** The bin edges used (interior cut points for quantile bins; all edges for Sturges bins; null for one bin per value). */
  edges: number[] | null;
  /** Shares per bin after the empty-bin rule. */
  referenceShares: number[];
  currentShares: number[];
}

export interface PsiOptions {
  /** Number of quantile bins; 10 (deciles) by default. */
  bins?: number;
  /** What an empty bin's share becomes; 1e-4 by default. */
  epsilon?: number;
}

export type PsiLevel = 'none' | 'moderate' | 'significant';

/** The bins − 1 interior cut points at the reference's quantiles k / bins, with numpy's default (linear) rule. */
export function quantileEdges(reference: readonly number[], bins = 10): number[] {
  // TODO: sort a copy; the quantile q sits at position q · (n − 1); interpolate between its two neighbours.
  throw new Error(`quantileEdges is not implemented yet (${reference.length} values, ${bins} bins)`);
}

/** The share of `values` in each of the edges.length + 1 bins; the bin of x is the number of edges ≤ x. */
export function binShares(values: readonly number[], edges: readonly number[]): number[] {
  // TODO
  throw new Error(`binShares is not implemented yet (${values.length} values, ${edges.length} edges)`);
}

/** Σ (c − r) · ln(c / r), where a share of 0 on either side first becomes `epsilon`. */
export function psiFromShares(reference: readonly number[], current: readonly number[], epsilon = 1e-4): number {
  // TODO
  throw new Error(`psiFromShares is not implemented yet (${reference.length}, ${current.length}, ${epsilon})`);
}

/** PSI of two numeric samples on the reference's quantile bins. */
export function psi(reference: readonly number[], current: readonly number[], options: PsiOptions = {}): PsiResult {
  // TODO: quantileEdges(reference), binShares of both samples, the empty-bin rule, psiFromShares.
  throw new Error(`psi is not implemented yet (${reference.length}, ${current.length}, ${JSON.stringify(options)})`);
}

/** < 0.1 none; 0.1 to 0.25 (both included) moderate; above 0.25 significant. */
export function psiLevel(value: number): PsiLevel {
  // TODO
  throw new Error(`psiLevel is not implemented yet (${value})`);
}

// ---------------------------------------------------------------------------------------------------------
// Task 2: Evidently's PSI binning
// ---------------------------------------------------------------------------------------------------------

/** Zeros become (smallest non-zero share) / 1e6 when that share is ≤ 1e-4, and 1e-4 otherwise. */
export function evidentlyFill(shares: readonly number[]): number[] {
  // TODO
  throw new Error(`evidentlyFill is not implemented yet (${shares.length})`);
}

/** numpy's histogram_bin_edges(data, bins='sturges'): equal-width bins from min to max. */
export function sturgesEdges(data: readonly number[]): number[] {
  // TODO
  throw new Error(`sturgesEdges is not implemented yet (${data.length})`);
}

/** PSI the way Evidently's psi stat test bins and fills. */
export function evidentlyPsi(reference: readonly number[], current: readonly number[]): PsiResult {
  // TODO: more than 20 distinct reference values → Sturges edges over both samples; otherwise one bin per value.
  throw new Error(`evidentlyPsi is not implemented yet (${reference.length}, ${current.length})`);
}

// ---------------------------------------------------------------------------------------------------------
// Task 3: two-sample Kolmogorov–Smirnov
// ---------------------------------------------------------------------------------------------------------

export type KsMethod = 'auto' | 'exact' | 'asymp';

export interface KsResult {
  statistic: number;
  pValue: number;
  method: 'exact' | 'asymp';
}

/** D = sup |F_a(x) − F_b(x)| over the two empirical CDFs. */
export function ksStatistic(a: readonly number[], b: readonly number[]): number {
  // TODO
  throw new Error(`ksStatistic is not implemented yet (${a.length}, ${b.length})`);
}

/** Kolmogorov's limiting distribution: P(K > λ). */
export function kolmogorovSurvival(lambda: number): number {
  // TODO
  throw new Error(`kolmogorovSurvival is not implemented yet (${lambda})`);
}

/** D and its two-sided p-value: exact when max(n, m) ≤ 10000 (or asked for), else Kolmogorov's limit. */
export function ksTest(a: readonly number[], b: readonly number[], method: KsMethod = 'auto'): KsResult {
  // TODO
  throw new Error(`ksTest is not implemented yet (${a.length}, ${b.length}, ${method})`);
}

// ---------------------------------------------------------------------------------------------------------
// Task 4: chi-squared and Jensen–Shannon for categorical features
// ---------------------------------------------------------------------------------------------------------

export type Counts = Readonly<Record<string, number>>;

export interface ChiSquaredResult {
  statistic: number;
  df: number;
  pValue: number;
  /** Categories seen in the current counts and never in the reference, in first-seen order. */
  unseen: string[];
}

/** P(χ²_df > x): the regularized upper incomplete gamma Q(df / 2, x / 2). */
export function chiSquaredSurvival(x: number, df: number): number {
  // TODO
  throw new Error(`chiSquaredSurvival is not implemented yet (${x}, ${df})`);
}

/** Goodness of fit of the current counts against the reference counts rescaled to the current total. */
export function chiSquared(reference: Counts, current: Counts): ChiSquaredResult {
  // TODO
  throw new Error(`chiSquared is not implemented yet (${Object.keys(reference).length}, ${Object.keys(current).length})`);
}

/** The Jensen–Shannon distance (the square root of the divergence); natural log unless `base` is given. */
export function jensenShannon(p: readonly number[], q: readonly number[], base?: number): number {
  // TODO
  throw new Error(`jensenShannon is not implemented yet (${p.length}, ${q.length}, ${base})`);
}

// ---------------------------------------------------------------------------------------------------------
// Task 5: per-feature verdicts
// ---------------------------------------------------------------------------------------------------------

export type Column = { kind: 'numeric'; values: number[] } | { kind: 'categorical'; values: string[] };

export interface Thresholds {
  /** KS: drift when p ≤ this. */
  ksPValue: number;
  /** PSI (reference deciles, ε = 1e-4): drift when PSI ≥ this. */
  psi: number;
  /** Chi-squared: drift when p < this. */
  chiSquaredPValue: number;
  /** Jensen–Shannon distance (natural log): drift when ≥ this. */
  jensenShannon: number;
}

export const DEFAULT_THRESHOLDS: Readonly<Thresholds> = { ksPValue: 0.05, psi: 0.1, chiSquaredPValue: 0.05, jensenShannon: 0.1 };

export type DriftTest = 'ks' | 'psi' | 'chi-squared' | 'jensen-shannon';

export interface FeatureVerdict {
  feature: string;
  kind: 'numeric' | 'categorical';
  drifted: boolean;
  /** The tests that flagged drift, in the order ks, psi, chi-squared, jensen-shannon. */
  reasons: DriftTest[];
  ks?: KsResult;
  psi?: number;
  psiLevel?: PsiLevel;
  chiSquared?: ChiSquaredResult;
  jensenShannon?: number;
}

export interface DriftReport {
  features: FeatureVerdict[];
  driftedShare: number;
  datasetDrift: boolean;
}

export function driftReport(reference: Readonly<Record<string, Column>>, current: Readonly<Record<string, Column>>, thresholds: Partial<Thresholds> = {}): DriftReport {
  // TODO: one verdict per reference feature, in order; datasetDrift when at least half of them drifted.
  throw new Error(`driftReport is not implemented yet (${Object.keys(reference).length}, ${Object.keys(current).length}, ${JSON.stringify(thresholds)})`);
}
