/**
 * Reference solution for the behavioural-testing lab, part 1: the test-spec format, an ONNX Runtime session as a
 * classifier, and a runner that scores MFT, INV and DIR tests the way CheckList does.
 */
import * as ort from 'onnxruntime-node';

/** The model's input columns, in the order of the ONNX input "features" [N, 8]. */
export const FEATURES = ['income', 'debt_ratio', 'credit_years', 'late_payments', 'loan_amount', 'employment_years', 'age', 'region'] as const;
export type Feature = (typeof FEATURES)[number];
/** One loan applicant: a value for every feature. */
export type Applicant = Readonly<Record<Feature, number>>;

/** Anything that scores a batch of applicants: one row of class probabilities per applicant (0 = decline, 1 = approve). */
export interface Classifier {
  predict(rows: readonly Applicant[]): Promise<number[][]>;
}

/** How an INV or DIR test changes a base applicant. */
export type Perturbation =
  | { readonly kind: 'set'; readonly feature: Feature; readonly values: readonly number[] }
  | { readonly kind: 'scale'; readonly feature: Feature; readonly factor: number }
  | { readonly kind: 'add'; readonly feature: Feature; readonly delta: number; readonly min?: number; readonly max?: number };

/** Minimum functionality: every applicant of the grid must get `label`. */
export interface MftTest {
  readonly name: string;
  readonly type: 'MFT';
  readonly base: Applicant;
  readonly vary?: Readonly<Partial<Record<Feature, readonly number[]>>>;
  readonly label: number;
}

/** Invariance: the perturbation must not change the prediction (tolerance defaults to 0.1). */
export interface InvTest {
  readonly name: string;
  readonly type: 'INV';
  readonly perturb: Perturbation;
  readonly tolerance?: number;
}

/** Directional expectation: the probability of `label` must move only in `direction` (tolerance defaults to 0). */
export interface DirTest {
  readonly name: string;
  readonly type: 'DIR';
  readonly perturb: Perturbation;
  readonly label: number;
  readonly direction: 'increasing' | 'decreasing';
  readonly tolerance?: number;
}

export type BehaviourTest = MftTest | InvTest | DirTest;

export interface Prediction {
  input: Applicant;
  probabilities: number[];
  /** The index of the largest probability, the first one on a tie. */
  predicted: number;
}

export interface VariantResult extends Prediction {
  /** DIR: p'[label] − p[label]; INV: p'[o] − p[o] with o the original's predicted class. */
  change: number;
  /** null when the whole test case was filtered out. */
  passed: boolean | null;
}

export interface CaseResult {
  /** Position of the test case: the grid row (MFT) or the base applicant (INV, DIR). */
  index: number;
  original: Prediction;
  /** The perturbed copies, in perturbation order; empty for an MFT. */
  variants: VariantResult[];
  /** null: filtered ("does not apply"). */
  passed: boolean | null;
}

export interface TestResult {
  name: string;
  type: BehaviourTest['type'];
  testCases: number;
  filtered: number;
  fails: number;
  /** 100 × fails / (testCases − filtered), or null when nothing is left after filtering. */
  failRate: number | null;
  /** The first failing test cases, in order, at most maxExamples of them. */
  examples: CaseResult[];
}

const FEATURE_SET: ReadonlySet<string> = new Set(FEATURES);

function checkFeature(feature: string, test: string): void {
  if (!FEATURE_SET.has(feature)) throw new RangeError(`${test}: unknown feature ${feature}`);
}

// ---------------------------------------------------------------------------------------------------------
// Task 2: the session as a classifier
// ---------------------------------------------------------------------------------------------------------

export function sessionClassifier(session: ort.InferenceSession): Classifier {
  const inputName = session.inputNames[0]!;
  const outputName = session.outputNames[0]!;
  const width = FEATURES.length;
  return {
    async predict(rows: readonly Applicant[]): Promise<number[][]> {
      if (rows.length === 0) return [];
      const data = new Float32Array(rows.length * width);
      rows.forEach((row, r) => {
        FEATURES.forEach((feature, f) => {
          const value = row[feature];
          if (typeof value !== 'number' || !Number.isFinite(value)) throw new RangeError(`row ${r}: ${feature} is not a finite number`);
          data[r * width + f] = value;
        });
      });
      const out = await session.run({ [inputName]: new ort.Tensor('float32', data, [rows.length, width]) });
      const values = out[outputName]!.data as Float32Array;
      const classes = values.length / rows.length;
      return rows.map((_, r) => Array.from(values.subarray(r * classes, (r + 1) * classes)));
    },
  };
}

// ---------------------------------------------------------------------------------------------------------
// Task 2: expanding tests into rows
// ---------------------------------------------------------------------------------------------------------

/** The MFT grid: every combination of the varied values, features in FEATURES order, the last varying fastest. */
export function gridCases(base: Applicant, vary: Readonly<Partial<Record<Feature, readonly number[]>>> = {}): Applicant[] {
  for (const key of Object.keys(vary)) checkFeature(key, 'grid');
  let rows: Applicant[] = [{ ...base }];
  for (const feature of FEATURES) {
    const values = vary[feature];
    if (values === undefined) continue;
    rows = rows.flatMap((row) => values.map((value) => ({ ...row, [feature]: value })));
  }
  return rows;
}

/** The perturbed copies of one applicant; the applicant itself is never changed. */
export function perturb(row: Applicant, p: Perturbation): Applicant[] {
  const old = row[p.feature];
  switch (p.kind) {
    case 'set':
      return p.values.map((value) => ({ ...row, [p.feature]: value }));
    case 'scale':
      return [{ ...row, [p.feature]: old * p.factor }];
    case 'add':
      return [{ ...row, [p.feature]: Math.min(p.max ?? Infinity, Math.max(p.min ?? -Infinity, old + p.delta)) }];
  }
}

// ---------------------------------------------------------------------------------------------------------
// Task 2: the runner
// ---------------------------------------------------------------------------------------------------------

function argmax(probabilities: readonly number[]): number {
  let best = 0;
  for (let i = 1; i < probabilities.length; i++) if (probabilities[i]! > probabilities[best]!) best = i;
  return best;
}

function prediction(input: Applicant, probabilities: number[]): Prediction {
  return { input, probabilities, predicted: argmax(probabilities) };
}

function validate(test: BehaviourTest): void {
  if (test.type !== 'MFT' && test.type !== 'INV' && test.type !== 'DIR') throw new RangeError(`${(test as { name: string }).name}: unknown test type`);
  if (test.type === 'MFT') {
    for (const key of Object.keys(test.vary ?? {})) checkFeature(key, test.name);
  } else {
    checkFeature(test.perturb.feature, test.name);
    if (test.perturb.kind === 'set' && test.perturb.values.length === 0) throw new RangeError(`${test.name}: a set perturbation needs values`);
    const tolerance = test.tolerance ?? 0;
    if (!(tolerance >= 0 && tolerance < Infinity)) throw new RangeError(`${test.name}: tolerance must be a finite number ≥ 0`);
  }
  if (test.type !== 'INV' && !(Number.isInteger(test.label) && test.label >= 0)) throw new RangeError(`${test.name}: label must be a class index`);
}

/** One pair of an INV or DIR test: true, false, or null ("does not apply"). */
function judgePair(test: InvTest | DirTest, original: Prediction, variant: Prediction): { change: number; passed: boolean | null } {
  if (test.type === 'INV') {
    const o = original.predicted;
    const change = variant.probabilities[o]! - original.probabilities[o]!;
    return { change, passed: variant.predicted === o || Math.abs(change) <= (test.tolerance ?? 0.1) };
  }
  const tolerance = test.tolerance ?? 0;
  const before = original.probabilities[test.label]!;
  const change = variant.probabilities[test.label]! - before;
  if (test.direction === 'increasing') return { change, passed: before <= tolerance ? null : change + tolerance >= 0 };
  return { change, passed: before >= 1 - tolerance ? null : change - tolerance <= 0 };
}

export async function runTest(classifier: Classifier, test: BehaviourTest, base: readonly Applicant[], maxExamples = 3): Promise<TestResult> {
  validate(test);
  const cases: CaseResult[] = [];
  if (test.type === 'MFT') {
    const rows = gridCases(test.base, test.vary);
    const probabilities = rows.length > 0 ? await classifier.predict(rows) : [];
    rows.forEach((row, index) => {
      const original = prediction(row, probabilities[index]!);
      cases.push({ index, original, variants: [], passed: original.predicted === test.label });
    });
  } else {
    const groups = base.map((row) => [{ ...row }, ...perturb(row, test.perturb)]);
    const rows = groups.flat();
    const probabilities = rows.length > 0 ? await classifier.predict(rows) : [];
    let next = 0;
    groups.forEach((group, index) => {
      const [first, ...rest] = group.map((row) => prediction(row, probabilities[next++]!));
      const original = first!;
      const variants = rest.map((variant) => ({ ...variant, ...judgePair(test, original, variant) }));
      const verdicts = variants.map((v) => v.passed).filter((v) => v !== null);
      const passed = verdicts.length === 0 ? null : verdicts.every(Boolean);
      cases.push({ index, original, variants, passed });
    });
  }
  const failing = cases.filter((c) => c.passed === false);
  const filtered = cases.filter((c) => c.passed === null).length;
  const kept = cases.length - filtered;
  return {
    name: test.name,
    type: test.type,
    testCases: cases.length,
    filtered,
    fails: failing.length,
    failRate: kept === 0 ? null : (100 * failing.length) / kept,
    examples: failing.slice(0, maxExamples),
  };
}

export async function runSuite(classifier: Classifier, tests: readonly BehaviourTest[], base: readonly Applicant[], maxExamples = 3): Promise<TestResult[]> {
  const names = new Set<string>();
  for (const test of tests) {
    if (names.has(test.name)) throw new RangeError(`two tests are named ${test.name}`);
    names.add(test.name);
    validate(test);
  }
  const results: TestResult[] = [];
  for (const test of tests) results.push(await runTest(classifier, test, base, maxExamples));
  return results;
}
