/**
 * behavioural-testing, part 1: the test-spec format, an ONNX Runtime session as a
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

// ---------------------------------------------------------------------------------------------------------
// Task 2: the session as a classifier
// ---------------------------------------------------------------------------------------------------------

export function sessionClassifier(session: ort.InferenceSession): Classifier {
  // TODO (Task 2): pack rows in FEATURES order into one [n, 8] float32 tensor, run once, slice the probabilities.
  void session;
  throw new Error('TODO: sessionClassifier');
}

// ---------------------------------------------------------------------------------------------------------
// Task 2: expanding tests into rows
// ---------------------------------------------------------------------------------------------------------

/** The MFT grid: every combination of the varied values, features in FEATURES order, the last varying fastest. */
export function gridCases(base: Applicant, vary: Readonly<Partial<Record<Feature, readonly number[]>>> = {}): Applicant[] {
  // TODO (Task 2): every combination of the varied values; features in FEATURES order, the last varying fastest.
  void base;
  void vary;
  throw new Error('TODO: gridCases');
}

/** The perturbed copies of one applicant; the applicant itself is never changed. */
export function perturb(row: Applicant, p: Perturbation): Applicant[] {
  // TODO (Task 2): set (one copy per value), scale, add (clamped to [min, max]); never change row.
  void row;
  void p;
  throw new Error('TODO: perturb');
}

// ---------------------------------------------------------------------------------------------------------
// Task 2: the runner
// ---------------------------------------------------------------------------------------------------------

export async function runTest(classifier: Classifier, test: BehaviourTest, base: readonly Applicant[], maxExamples = 3): Promise<TestResult> {
  // TODO (Task 2): validate, build the rows, predict once, judge every case, count and collect examples.
  void classifier;
  void test;
  void base;
  void maxExamples;
  throw new Error('TODO: runTest');
}

export async function runSuite(classifier: Classifier, tests: readonly BehaviourTest[], base: readonly Applicant[], maxExamples = 3): Promise<TestResult[]> {
  // TODO (Task 2): reject duplicate names (RangeError), then run every test in order.
  void classifier;
  void tests;
  void base;
  void maxExamples;
  throw new Error('TODO: runSuite');
}
