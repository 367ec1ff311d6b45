/**
 * Reference solution for the drift-monitor lab, part 1: drift statistics and per-feature verdicts.
 * Every convention (bins, empty bins, tie handling, which p-value, which log) is the one the README states.
 */

// ---------------------------------------------------------------------------------------------------------
// Shared checks
// ---------------------------------------------------------------------------------------------------------

function sample(values: readonly number[]): void {
  if (values.length === 0) throw new RangeError('a sample must be a non-empty array of numbers');
  for (const v of values) if (!Number.isFinite(v)) throw new RangeError(`a sample holds a value that is not a finite number: ${v}`);
}

function ascending(values: readonly number[]): number[] {
  return [...values].sort((a, b) => a - b);
}

/** How many entries of the ascending array are ≤ x (numpy's searchsorted with side='right'). */
function countAtOrBelow(sorted: readonly number[], x: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]! <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

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

/** numpy's default (linear) quantile of an ascending array. */
function linearQuantile(sorted: readonly number[], q: number): number {
  const pos = q * (sorted.length - 1);
  const lo = Math.floor(pos);
  const frac = pos - lo;
  const a = sorted[lo]!;
  if (frac === 0) return a; // also the whole answer for a single value
  const b = sorted[lo + 1]!;
  return a + (b - a) * frac;
}

export function quantileEdges(reference: readonly number[], bins = 10): number[] {
  sample(reference);
  if (!Number.isInteger(bins) || bins < 2) throw new RangeError(`bins must be a whole number ≥ 2, got ${bins}`);
  const sorted = ascending(reference);
  const edges: number[] = [];
  for (let k = 1; k < bins; k++) edges.push(linearQuantile(sorted, k / bins));
  return edges;
}

export function binShares(values: readonly number[], edges: readonly number[]): number[] {
  sample(values);
  const counts = new Array<number>(edges.length + 1).fill(0);
  for (const v of values) counts[countAtOrBelow(edges, v)]!++;
  return counts.map((c) => c / values.length);
}

export function psiFromShares(reference: readonly number[], current: readonly number[], epsilon = 1e-4): number {
  if (reference.length !== current.length) throw new RangeError('both share vectors must have the same length');
  if (!(epsilon > 0)) throw new RangeError(`epsilon must be positive, got ${epsilon}`);
  let total = 0;
  for (let i = 0; i < reference.length; i++) {
    const r = reference[i]! === 0 ? epsilon : reference[i]!;
    const c = current[i]! === 0 ? epsilon : current[i]!;
    total += (c - r) * Math.log(c / r);
  }
  return total;
}

function filled(shares: readonly number[], epsilon: number): number[] {
  return shares.map((s) => (s === 0 ? epsilon : s));
}

export function psi(reference: readonly number[], current: readonly number[], options: PsiOptions = {}): PsiResult {
  sample(reference);
  sample(current);
  const epsilon = options.epsilon ?? 1e-4; // psiFromShares rejects a non-positive one
  const edges = quantileEdges(reference, options.bins ?? 10);
  const referenceShares = binShares(reference, edges);
  const currentShares = binShares(current, edges);
  return {
    psi: psiFromShares(referenceShares, currentShares, epsilon),
    edges,
    referenceShares: filled(referenceShares, epsilon),
    currentShares: filled(currentShares, epsilon),
  };
}

export function psiLevel(value: number): PsiLevel {
  if (Number.isNaN(value)) throw new RangeError('PSI is NaN');
  if (value < 0.1) return 'none';
  if (value <= 0.25) return 'moderate';
  return 'significant';
}

// ---------------------------------------------------------------------------------------------------------
// Task 2: Evidently's PSI binning
// ---------------------------------------------------------------------------------------------------------

/** Evidently's zero fill: zeros become min(non-zero)/1e6 when that minimum is ≤ 1e-4, and 1e-4 otherwise. */
export function evidentlyFill(shares: readonly number[]): number[] {
  const nonZero = shares.filter((s) => s > 0);
  if (nonZero.length === 0) throw new RangeError('a distribution with no mass');
  const smallest = Math.min(...nonZero);
  const fill = smallest <= 1e-4 ? smallest / 1e6 : 1e-4;
  return shares.map((s) => (s === 0 ? fill : s));
}

/** numpy's histogram_bin_edges(data, bins='sturges'). */
export function sturgesEdges(data: readonly number[]): number[] {
  sample(data);
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of data) {
    lo = Math.min(lo, v);
    hi = Math.max(hi, v);
  }
  // All values equal: numpy's Sturges width is 0, so it takes one bin over [v − 0.5, v + 0.5].
  if (lo === hi) return [lo - 0.5, hi + 0.5];
  const width = (hi - lo) / (Math.log2(data.length) + 1);
  const n = Math.ceil((hi - lo) / width);
  const step = (hi - lo) / n;
  const edges: number[] = [];
  for (let i = 0; i <= n; i++) edges.push(i === n ? hi : lo + i * step);
  return edges;
}

/** numpy.histogram counts: bins are [e_i, e_i+1), the last one closed on the right. The edges span every value. */
function histogramShares(values: readonly number[], edges: readonly number[]): number[] {
  const bins = edges.length - 1;
  const counts = new Array<number>(bins).fill(0);
  const last = edges[bins]!;
  for (const v of values) {
    const i = v === last ? bins - 1 : countAtOrBelow(edges, v) - 1;
    counts[i]!++;
  }
  return counts.map((c) => c / values.length);
}

export function evidentlyPsi(reference: readonly number[], current: readonly number[]): PsiResult {
  sample(reference);
  sample(current);
  let edges: number[] | null = null;
  let ref: number[];
  let cur: number[];
  if (new Set(reference).size > 20) {
    edges = sturgesEdges([...reference, ...current]);
    ref = histogramShares(reference, edges);
    cur = histogramShares(current, edges);
  } else {
    const keys = ascending([...new Set([...reference, ...current])]);
    const index = new Map(keys.map((k, i) => [k, i]));
    const count = (values: readonly number[]) => {
      const c = new Array<number>(keys.length).fill(0);
      for (const v of values) c[index.get(v)!]!++;
      return c.map((x) => x / values.length);
    };
    ref = count(reference);
    cur = count(current);
  }
  const referenceShares = evidentlyFill(ref);
  const currentShares = evidentlyFill(cur);
  let total = 0;
  for (let i = 0; i < referenceShares.length; i++) {
    const r = referenceShares[i]!;
    const c = currentShares[i]!;
    total += (r - c) * Math.log(r / c);
  }
  return { psi: total, edges, referenceShares, currentShares };
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

/** The largest gap between the two empirical CDFs, as an integer in units of 1/(n·m). */
function ksGap(a: readonly number[], b: readonly number[]): number {
  const sa = ascending(a);
  const sb = ascending(b);
  const n = sa.length;
  const m = sb.length;
  let best = 0;
  for (const x of [...sa, ...sb]) {
    best = Math.max(best, Math.abs(countAtOrBelow(sa, x) * m - countAtOrBelow(sb, x) * n));
  }
  return best;
}

export function ksStatistic(a: readonly number[], b: readonly number[]): number {
  sample(a);
  sample(b);
  return ksGap(a, b) / (a.length * b.length);
}

/**
 * Exact two-sided p-value: the share of the C(n+m, n) equally likely orderings of the pooled sample whose
 * path (i drawn from a, j from b) ever reaches |i·m − j·n| ≥ gap. Probabilities, not counts, so nothing overflows.
 */
function exactPValue(n: number, m: number, gap: number): number {
  // With gap 0 the start cell is already outside and takes all the mass: p = 1.
  let outside = 0;
  // One row of the grid, updated in place: before cell j is written, row[j] still holds cell (i − 1, j) and
  // row[j − 1] already holds (i, j − 1). The row above the grid holds no mass, so row 0 needs no special case.
  const row = new Array<number>(m + 1).fill(0);
  for (let i = 0; i <= n; i++) {
    for (let j = 0; j <= m; j++) {
      let mass: number;
      if (i === 0 && j === 0) mass = 1;
      else {
        mass = (row[j]! * (n - i + 1)) / (n - i + 1 + m - j);
        if (j > 0) mass += (row[j - 1]! * (m - j + 1)) / (n - i + m - j + 1);
      }
      if (Math.abs(i * m - j * n) >= gap) {
        outside += mass;
        mass = 0;
      }
      row[j] = mass;
    }
  }
  return Math.min(1, outside);
}

/** Kolmogorov's limiting distribution: P(K > λ). */
export function kolmogorovSurvival(lambda: number): number {
  if (!(lambda > 0)) return 1;
  if (lambda < 1.18) {
    let cdf = 0;
    for (let k = 1; k <= 20; k++) cdf += Math.exp(-((2 * k - 1) ** 2) * Math.PI ** 2 / (8 * lambda * lambda));
    return 1 - (Math.sqrt(2 * Math.PI) / lambda) * cdf;
  }
  let sum = 0;
  for (let j = 1; j <= 100; j++) {
    const term = Math.exp(-2 * j * j * lambda * lambda);
    sum += j % 2 === 1 ? term : -term;
    if (term < 1e-18) break;
  }
  return Math.max(0, Math.min(1, 2 * sum));
}

export function ksTest(a: readonly number[], b: readonly number[], method: KsMethod = 'auto'): KsResult {
  sample(a);
  sample(b);
  const n = a.length;
  const m = b.length;
  const gap = ksGap(a, b);
  const statistic = gap / (n * m);
  const chosen = method === 'auto' ? (Math.max(n, m) <= 10000 ? 'exact' : 'asymp') : method;
  if (chosen === 'exact') return { statistic, pValue: exactPValue(n, m, gap), method: 'exact' };
  if (chosen !== 'asymp') throw new RangeError(`unknown method ${String(method)}`);
  const en = (n * m) / (n + m);
  return { statistic, pValue: kolmogorovSurvival(Math.sqrt(en) * statistic), method: 'asymp' };
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

/** log Γ(x) for x ≥ 0.5, all that df / 2 needs (Lanczos, g = 7). */
function logGamma(x: number): number {
  const c = [
    0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905, -0.13857109526572012,
    9.9843695780195716e-6, 1.5056327351493116e-7,
  ];
  const y = x - 1;
  let s = c[0]!;
  for (let i = 1; i < 9; i++) s += c[i]! / (y + i);
  const t = y + 7.5;
  return 0.5 * Math.log(2 * Math.PI) + (y + 0.5) * Math.log(t) - t + Math.log(s);
}

/** Regularized upper incomplete gamma Q(a, x). */
function upperGamma(a: number, x: number): number {
  // x = 0 needs no case of its own: front is exp(−∞) = 0 and the series gives 1.
  if (x === Infinity) return 0;
  const front = Math.exp(-x + a * Math.log(x) - logGamma(a));
  if (x < a + 1) {
    // Series for the lower part P(a, x).
    let term = 1 / a;
    let sum = term;
    for (let k = 1; k < 1000; k++) {
      term *= x / (a + k);
      sum += term;
      if (Math.abs(term) < Math.abs(sum) * 1e-16) break;
    }
    return Math.max(0, 1 - front * sum);
  }
  // Continued fraction for Q(a, x), modified Lentz.
  const tiny = 1e-300;
  let b = x + 1 - a;
  let c = 1 / tiny;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < 1000; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < tiny) d = tiny;
    c = b + an / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return front * h;
}

export function chiSquaredSurvival(x: number, df: number): number {
  if (!Number.isInteger(df) || df < 1) throw new RangeError(`df must be a whole number ≥ 1, got ${df}`);
  return upperGamma(df / 2, x / 2);
}

function checkCounts(counts: Counts): number {
  let total = 0;
  for (const [key, c] of Object.entries(counts)) {
    if (!Number.isFinite(c) || c < 0) throw new RangeError(`count ${key} must be ≥ 0, got ${c}`);
    total += c;
  }
  if (total === 0) throw new RangeError('a count table holds no observations');
  return total;
}

export function chiSquared(reference: Counts, current: Counts): ChiSquaredResult {
  const nRef = checkCounts(reference);
  const nCur = checkCounts(current);
  const keys = [...new Set([...Object.keys(reference), ...Object.keys(current)])];
  const unseen = Object.keys(current).filter((k) => (reference[k] ?? 0) === 0 && current[k]! > 0);
  let statistic = 0;
  for (const k of keys) {
    const expected = ((reference[k] ?? 0) * nCur) / nRef;
    const observed = current[k] ?? 0;
    if (expected === 0) {
      if (observed > 0) statistic = Infinity;
      continue;
    }
    statistic += (observed - expected) ** 2 / expected;
  }
  const df = keys.length - 1;
  if (df < 1) return { statistic: 0, df: 0, pValue: 1, unseen };
  return { statistic, df, pValue: chiSquaredSurvival(statistic, df), unseen };
}

export function jensenShannon(p: readonly number[], q: readonly number[], base?: number): number {
  if (p.length !== q.length) throw new RangeError('p and q must have the same length'); // empty ones have no mass
  if (base !== undefined && !(base > 0 && base !== 1)) throw new RangeError(`base must be positive and not 1, got ${base}`);
  const sp = p.reduce((s, x) => s + x, 0);
  const sq = q.reduce((s, x) => s + x, 0);
  if (!(sp > 0) || !(sq > 0) || p.some((x) => !(x >= 0)) || q.some((x) => !(x >= 0))) throw new RangeError('p and q must be non-negative with positive sums');
  let divergence = 0;
  p.forEach((x, i) => {
    const a = x / sp;
    const b = q[i]! / sq;
    const mid = (a + b) / 2;
    if (a > 0) divergence += a * Math.log(a / mid);
    if (b > 0) divergence += b * Math.log(b / mid);
  });
  divergence /= 2;
  if (base !== undefined) divergence /= Math.log(base);
  return Math.sqrt(Math.max(0, divergence));
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

function countValues(values: readonly string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const v of values) counts[v] = (counts[v] ?? 0) + 1;
  return counts;
}

export function driftReport(reference: Readonly<Record<string, Column>>, current: Readonly<Record<string, Column>>, thresholds: Partial<Thresholds> = {}): DriftReport {
  const t: Thresholds = { ...DEFAULT_THRESHOLDS, ...thresholds };
  const features: FeatureVerdict[] = [];
  for (const [feature, ref] of Object.entries(reference)) {
    const cur = current[feature];
    if (!cur || cur.kind !== ref.kind) throw new RangeError(`feature ${feature} is missing from the current data or has another kind`);
    if (ref.kind === 'numeric') {
      const ks = ksTest(ref.values, cur.values as number[]);
      const value = psi(ref.values, cur.values as number[]).psi;
      const reasons: DriftTest[] = [];
      if (ks.pValue <= t.ksPValue) reasons.push('ks');
      if (value >= t.psi) reasons.push('psi');
      features.push({ feature, kind: 'numeric', drifted: reasons.length > 0, reasons, ks, psi: value, psiLevel: psiLevel(value) });
    } else {
      const refCounts = countValues(ref.values);
      const curCounts = countValues(cur.values as string[]);
      const chi = chiSquared(refCounts, curCounts);
      const keys = [...new Set([...Object.keys(refCounts), ...Object.keys(curCounts)])];
      const js = jensenShannon(
        keys.map((k) => refCounts[k] ?? 0),
        keys.map((k) => curCounts[k] ?? 0),
      );
      const reasons: DriftTest[] = [];
      if (chi.pValue < t.chiSquaredPValue) reasons.push('chi-squared');
      if (js >= t.jensenShannon) reasons.push('jensen-shannon');
      features.push({ feature, kind: 'categorical', drifted: reasons.length > 0, reasons, chiSquared: chi, jensenShannon: js });
    }
  }
  if (features.length === 0) throw new RangeError('no features to compare');
  const driftedShare = features.filter((f) => f.drifted).length / features.length;
  return { features, driftedShare, datasetDrift: driftedShare >= 0.5 };
}
