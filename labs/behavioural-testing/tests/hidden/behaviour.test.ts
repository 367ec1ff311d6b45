import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import * as ort from 'onnxruntime-node';
import { FEATURES, gridCases, perturb, runSuite, runTest, sessionClassifier, type Applicant, type BehaviourTest, type Classifier, type Feature } from '../src/checklist';
import { validateBatch, validateExpectation, type Batch, type CellValue, type Expectation } from '../src/expectations';
import { CONTRACT, SUITE } from '../src/suite';

// ---------------------------------------------------------------------------------------------------------
// Helpers: the lab's models and applicants, a reference adapter, and reference readings of the spec format and
// of the expectations, so the tasks that grade the candidate's data do not depend on the candidate's runner.
// ---------------------------------------------------------------------------------------------------------

const ASSETS = process.env.MLOPS_LAB_ASSETS ?? '';
const MODELS = ['clean', 'age_leak', 'region_leak', 'income_cliff', 'debt_bonus', 'late_blind'] as const;
type ModelName = (typeof MODELS)[number];

const read = (name: string): Buffer => readFileSync(path.join(ASSETS, name));
const APPLICANTS: Applicant[] = (JSON.parse(read('applicants.json').toString('utf8')) as { applicants: (Applicant & { label: number })[] }).applicants.map(
  ({ label: _label, ...rest }) => Object.freeze(rest),
);

let sessions: Promise<Record<ModelName, ort.InferenceSession>> | undefined;
function loadSessions(): Promise<Record<ModelName, ort.InferenceSession>> {
  sessions ??= (async () => {
    const entries = await Promise.all(MODELS.map(async (m) => [m, await ort.InferenceSession.create(read(`${m}.onnx`))] as const));
    return Object.fromEntries(entries) as Record<ModelName, ort.InferenceSession>;
  })();
  return sessions;
}

/** The suite's own adapter: rows in FEATURES order, probabilities back. */
async function reference(model: ModelName): Promise<Classifier> {
  const session = (await loadSessions())[model];
  return {
    async predict(rows: readonly Applicant[]): Promise<number[][]> {
      if (rows.length === 0) return [];
      const data = new Float32Array(rows.length * 8);
      rows.forEach((row, r) => FEATURES.forEach((f, i) => (data[r * 8 + i] = row[f])));
      const out = (await session.run({ features: new ort.Tensor('float32', data, [rows.length, 8]) })).probabilities!.data as Float32Array;
      return rows.map((_, r) => [out[r * 2]!, out[r * 2 + 1]!]);
    },
  };
}

const argmax = (p: readonly number[]): number => p.reduce((best, v, i) => (v > p[best]! ? i : best), 0);

type Spec = BehaviourTest;
function refGrid(base: Applicant, vary: Partial<Record<Feature, readonly number[]>> = {}): Applicant[] {
  let rows: Applicant[] = [base];
  for (const f of FEATURES) {
    const values = vary[f];
    if (values) rows = rows.flatMap((r) => values.map((v) => ({ ...r, [f]: v })));
  }
  return rows;
}
function refPerturb(row: Applicant, p: Extract<Spec, { perturb: unknown }>['perturb']): Applicant[] {
  if (p.kind === 'set') return p.values.map((v) => ({ ...row, [p.feature]: v }));
  if (p.kind === 'scale') return [{ ...row, [p.feature]: row[p.feature] * p.factor }];
  assert.equal(p.kind, 'add', 'a perturbation kind is set, scale or add');
  return [{ ...row, [p.feature]: Math.min(p.max ?? Infinity, Math.max(p.min ?? -Infinity, row[p.feature] + p.delta)) }];
}

interface Counts {
  cases: number;
  filtered: number;
  fails: number;
}
/** The README's semantics, written independently of the candidate's runner. */
async function refRun(classifier: Classifier, test: Spec, base: readonly Applicant[]): Promise<Counts> {
  if (test.type === 'MFT') {
    const rows = refGrid(test.base, test.vary);
    const probs = await classifier.predict(rows);
    return { cases: rows.length, filtered: 0, fails: probs.filter((p) => argmax(p) !== test.label).length };
  }
  const groups = base.map((r) => [r, ...refPerturb(r, test.perturb)]);
  const probs = await classifier.predict(groups.flat());
  let at = 0;
  const counts = { cases: groups.length, filtered: 0, fails: 0 };
  for (const group of groups) {
    const ps = group.map(() => probs[at++]!);
    const orig = ps[0]!;
    const verdicts = ps.slice(1).map((p) => {
      if (test.type === 'INV') {
        const o = argmax(orig);
        return argmax(p) === o || Math.abs(p[o]! - orig[o]!) <= (test.tolerance ?? 0.1);
      }
      assert.ok(test.direction === 'increasing' || test.direction === 'decreasing', 'a direction is increasing or decreasing');
      const tol = test.tolerance ?? 0;
      const before = orig[test.label]!;
      const diff = p[test.label]! - before;
      if (test.direction === 'increasing') return before <= tol ? null : diff + tol >= 0;
      return before >= 1 - tol ? null : diff - tol <= 0;
    });
    if (verdicts.every((v) => v === null)) counts.filtered++;
    else if (verdicts.includes(false)) counts.fails++;
  }
  return counts;
}

/** Fail and filter counts of the README suite on every model (checked by scripts/models at generation). */
const NAMES = ['approve-strong', 'decline-late-payer', 'age-invariance', 'region-invariance', 'income-up', 'debt-up'];
const clean: Record<string, Counts> = {
  'approve-strong': { cases: 24, filtered: 0, fails: 0 },
  'decline-late-payer': { cases: 12, filtered: 0, fails: 0 },
  'age-invariance': { cases: 100, filtered: 0, fails: 0 },
  'region-invariance': { cases: 100, filtered: 0, fails: 0 },
  'income-up': { cases: 100, filtered: 2, fails: 0 },
  'debt-up': { cases: 100, filtered: 3, fails: 0 },
};
const EXPECTED: Record<ModelName, Record<string, Counts>> = {
  clean,
  age_leak: { ...clean, 'age-invariance': { cases: 100, filtered: 0, fails: 66 }, 'income-up': { cases: 100, filtered: 10, fails: 0 } },
  region_leak: { ...clean, 'region-invariance': { cases: 100, filtered: 0, fails: 66 }, 'income-up': { cases: 100, filtered: 6, fails: 0 } },
  income_cliff: { ...clean, 'income-up': { cases: 100, filtered: 2, fails: 20 }, 'debt-up': { cases: 100, filtered: 0, fails: 0 } },
  debt_bonus: { ...clean, 'debt-up': { cases: 100, filtered: 4, fails: 33 } },
  late_blind: {
    ...clean,
    'decline-late-payer': { cases: 12, filtered: 0, fails: 10 },
    'income-up': { cases: 100, filtered: 0, fails: 0 },
    'debt-up': { cases: 100, filtered: 5, fails: 0 },
  },
};

/** The reference suite in the lab's format (the README's six tests, written by the graders). */
const REFERENCE_SUITE: BehaviourTest[] = [
  {
    name: 'approve-strong',
    type: 'MFT',
    base: { income: 60, debt_ratio: 0.05, credit_years: 8, late_payments: 0, loan_amount: 20, employment_years: 10, age: 40, region: 0 },
    vary: { loan_amount: [20, 60], credit_years: [8, 15], debt_ratio: [0.05, 0.15], income: [60, 75, 90] },
    label: 1,
  },
  {
    name: 'decline-late-payer',
    type: 'MFT',
    base: { income: 40, debt_ratio: 0.3, credit_years: 5, late_payments: 5, loan_amount: 30, employment_years: 3, age: 35, region: 1 },
    vary: { income: [40, 60, 80], debt_ratio: [0.3, 0.45], late_payments: [5, 7] },
    label: 0,
  },
  { name: 'age-invariance', type: 'INV', perturb: { kind: 'set', feature: 'age', values: [25, 45, 70] }, tolerance: 0.1 },
  { name: 'region-invariance', type: 'INV', perturb: { kind: 'set', feature: 'region', values: [0, 1, 2, 3, 4] } },
  { name: 'income-up', type: 'DIR', perturb: { kind: 'scale', feature: 'income', factor: 1.5 }, label: 1, direction: 'increasing', tolerance: 0.01 },
  { name: 'debt-up', type: 'DIR', perturb: { kind: 'add', feature: 'debt_ratio', delta: 0.2, max: 1 }, label: 1, direction: 'decreasing', tolerance: 0.01 },
];

async function candidateSuiteCounts(model: ModelName): Promise<Record<string, Counts>> {
  const classifier = await reference(model);
  const out: Record<string, Counts> = {};
  for (const test of SUITE) out[test.name] = await refRun(classifier, test, APPLICANTS);
  return out;
}

async function checkModel(model: ModelName): Promise<void> {
  const counts = await candidateSuiteCounts(model);
  assert.deepEqual(Object.keys(counts).sort(), [...NAMES].sort(), 'the suite holds exactly the six tests of the README');
  for (const name of NAMES) assert.deepEqual(counts[name], EXPECTED[model][name], `${model}: ${name}`);
}

const A: Applicant = Object.freeze({
  income: 50,
  debt_ratio: 0.3,
  credit_years: 5,
  late_payments: 0,
  loan_amount: 20,
  employment_years: 4,
  age: 30,
  region: 2,
});
const rowsOf = (n: number): Applicant[] => Array.from({ length: n }, (_, i) => Object.freeze({ ...A, income: i }));

/** A fake classifier: probabilities from a function of the row; records every call. */
function fake(fn: (row: Applicant) => number[]): Classifier & { calls: Applicant[][] } {
  const calls: Applicant[][] = [];
  return {
    calls,
    async predict(rows: readonly Applicant[]): Promise<number[][]> {
      calls.push(rows.map((r) => ({ ...r })));
      return rows.map(fn);
    },
  };
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const inner of Object.values(value as object)) deepFreeze(inner);
  }
  return value;
}

// ---------------------------------------------------------------------------------------------------------
// Task 1: the behavioural suite as data
// ---------------------------------------------------------------------------------------------------------

describe('suite', () => {
  it('holds the six tests of the README with their types and grid sizes', async () => {
    assert.equal(SUITE.length, 6);
    const byName = new Map(SUITE.map((t) => [t.name, t]));
    assert.deepEqual(
      NAMES.map((n) => byName.get(n)?.type),
      ['MFT', 'MFT', 'INV', 'INV', 'DIR', 'DIR'],
    );
    const counts = await candidateSuiteCounts('clean');
    assert.equal(counts['approve-strong']!.cases, 24);
    assert.equal(counts['decline-late-payer']!.cases, 12);
  });
  it('passes every test on the clean model', () => checkModel('clean'));
  it('finds the age dependence of age_leak.onnx and nothing else', () => checkModel('age_leak'));
  it('finds the region dependence of region_leak.onnx and nothing else', () => checkModel('region_leak'));
  it('finds the income cliff of income_cliff.onnx and nothing else', () => checkModel('income_cliff'));
  it('finds the debt bonus of debt_bonus.onnx and nothing else', () => checkModel('debt_bonus'));
  it('finds that late_blind.onnx approves late payers, and nothing else', () => checkModel('late_blind'));
});

// ---------------------------------------------------------------------------------------------------------
// Task 2: the adapter and the runner
// ---------------------------------------------------------------------------------------------------------

describe('adapter', () => {
  it('feeds the features in FEATURES order whatever the key order, one row of probabilities per applicant', async () => {
    const session = (await loadSessions()).region_leak;
    const rows = APPLICANTS.slice(0, 5).map((r, i) => {
      const reversed = Object.fromEntries([...FEATURES].reverse().map((f) => [f, r[f]])) as Applicant;
      return { ...reversed, region: i } as Applicant;
    });
    const got = await sessionClassifier(session).predict(rows);
    const want = await (await reference('region_leak')).predict(rows);
    assert.deepEqual(got, want);
    assert.deepEqual(await sessionClassifier(session).predict([]), []);
  });
  it('rejects a row with a missing or non-finite feature with a RangeError', async () => {
    const model = sessionClassifier((await loadSessions()).clean);
    const { age: _age, ...noAge } = A;
    await assert.rejects(model.predict([A, noAge as Applicant]), RangeError);
    await assert.rejects(model.predict([{ ...A, income: Number.NaN }]), RangeError);
    await assert.rejects(model.predict([{ ...A, income: Infinity }]), RangeError);
  });
});

describe('runner', () => {
  it('reproduces the reference counts and fail rates on the real models', async () => {
    for (const model of ['clean', 'age_leak', 'debt_bonus'] as const) {
      const results = await runSuite(sessionClassifier((await loadSessions())[model]), REFERENCE_SUITE, APPLICANTS);
      assert.deepEqual(
        results.map((r) => r.name),
        NAMES,
      );
      for (const r of results) {
        const want = EXPECTED[model][r.name]!;
        assert.deepEqual([r.testCases, r.filtered, r.fails], [want.cases, want.filtered, want.fails], `${model}: ${r.name}`);
        assert.equal(r.failRate, (100 * want.fails) / (want.cases - want.filtered));
      }
    }
  });
  it('expands an MFT grid in FEATURES order with the last varied feature fastest', async () => {
    const model = fake(() => [0, 1]);
    const result = await runTest(model, { name: 'g', type: 'MFT', base: A, vary: { region: [7, 8], income: [1, 2, 3] }, label: 1 }, []);
    assert.equal(result.testCases, 6);
    assert.deepEqual(
      model.calls[0]!.map((r) => [r.income, r.region]),
      [
        [1, 7],
        [1, 8],
        [2, 7],
        [2, 8],
        [3, 7],
        [3, 8],
      ],
    );
    assert.deepEqual(model.calls[0]![0], { ...A, income: 1, region: 7 });
    const plain = fake(() => [0, 1]);
    assert.equal((await runTest(plain, { name: 'one', type: 'MFT', base: A, label: 1 }, [])).testCases, 1);
    assert.deepEqual(plain.calls[0], [A]);
  });
  it('fails an MFT case whose predicted class is not the label, taking the first class on a tie', async () => {
    const model = fake((r) => (r.income === 2 ? [0.5, 0.5] : r.income === 3 ? [0.25, 0.75] : [0.75, 0.25]));
    const result = await runTest(model, { name: 'm', type: 'MFT', base: A, vary: { income: [1, 2, 3] }, label: 0 }, []);
    assert.deepEqual([result.fails, result.filtered, result.failRate], [1, 0, 100 / 3]);
    assert.equal(result.examples.length, 1);
    assert.deepEqual(result.examples[0], {
      index: 2,
      original: { input: { ...A, income: 3 }, probabilities: [0.25, 0.75], predicted: 1 },
      variants: [],
      passed: false,
    });
  });
  it('passes an INV pair whose label flipped when the original class moved by at most the tolerance', async () => {
    // original [0.375, 0.625] predicts 1; age 60 gives [0.5, 0.5] (predicts 0 on the tie): change −0.125
    const model = fake((r) => (r.age === 60 ? [0.5, 0.5] : r.age === 61 ? [0.25, 0.75] : [0.375, 0.625]));
    const inv = (tolerance?: number): BehaviourTest => ({
      name: 'i',
      type: 'INV',
      perturb: { kind: 'set', feature: 'age', values: [61, 60] },
      ...(tolerance === undefined ? {} : { tolerance }),
    });
    const exact = await runTest(model, inv(0.125), [A]);
    assert.deepEqual([exact.fails, exact.failRate], [0, 0]);
    const tight = await runTest(model, inv(), [A]);
    assert.equal(tight.fails, 1);
    const example = tight.examples[0]!;
    assert.deepEqual(example.original, { input: A, probabilities: [0.375, 0.625], predicted: 1 });
    assert.deepEqual(
      example.variants.map((v) => [v.input.age, v.predicted, v.change, v.passed]),
      [
        [61, 1, 0.125, true],
        [60, 0, -0.125, false],
      ],
    );
  });
  it('passes an INV pair that keeps its label however far the probability moves', async () => {
    const model = fake((r) => (r.region === 3 ? [0.05, 0.95] : [0.45, 0.55]));
    const result = await runTest(model, { name: 'i', type: 'INV', perturb: { kind: 'set', feature: 'region', values: [3] }, tolerance: 0 }, [A]);
    assert.equal(result.fails, 0);
    const flip = fake((r) => (r.region === 3 ? [0.5625, 0.4375] : [0.4375, 0.5625]));
    const flipped = await runTest(flip, { name: 'i', type: 'INV', perturb: { kind: 'set', feature: 'region', values: [3] }, tolerance: 0.1 }, [A]);
    assert.equal(flipped.fails, 1);
    assert.equal(flipped.examples[0]!.variants[0]!.change, -0.125);
    // a near-tie that flips with a change of 0.0625 passes under the default tolerance of 0.1
    const near = fake((r) => (r.region === 3 ? [0.5, 0.5] : [0.4375, 0.5625]));
    const nearTie = await runTest(near, { name: 'i', type: 'INV', perturb: { kind: 'set', feature: 'region', values: [3] } }, [A]);
    assert.deepEqual([nearTie.fails, nearTie.failRate], [0, 0]);
  });
  it('judges DIR increasing on the label’s probability, within the tolerance, and filters an original at or below it', async () => {
    // p(approve) by income: 10 → 0.5 then 15 → 0.375 (−0.125); 20 → 0.25 then 30 → 0.3125; 40 → 0.125 then 60 → 0.0625
    const table: Record<number, number> = { 10: 0.5, 15: 0.375, 20: 0.25, 30: 0.3125, 40: 0.125, 60: 0.0625 };
    const model = fake((r) => [1 - table[r.income]!, table[r.income]!]);
    const base = [10, 20, 40].map((income) => Object.freeze({ ...A, income }));
    const dir = (tolerance?: number): BehaviourTest => ({
      name: 'd',
      type: 'DIR',
      perturb: { kind: 'scale', feature: 'income', factor: 1.5 },
      label: 1,
      direction: 'increasing',
      ...(tolerance === undefined ? {} : { tolerance }),
    });
    const strict = await runTest(model, dir(), base);
    assert.deepEqual([strict.filtered, strict.fails], [0, 2]);
    assert.deepEqual(
      strict.examples.map((e) => [e.index, e.variants[0]!.change]),
      [
        [0, -0.125],
        [2, -0.0625],
      ],
    );
    const edge = await runTest(model, dir(0.125), base);
    assert.deepEqual([edge.testCases, edge.filtered, edge.fails, edge.failRate], [3, 1, 0, 0]);
    const all = await runTest(model, dir(0.5), base);
    assert.deepEqual([all.filtered, all.fails, all.failRate, all.examples], [3, 0, null, []]);
  });
  it('judges DIR decreasing the other way and filters an original at or above 1 − tolerance', async () => {
    const table: Record<number, number> = { 0.25: 0.5, 0.5: 0.625, 0.75: 0.875, 1: 0.75 };
    const model = fake((r) => [1 - table[r.debt_ratio]!, table[r.debt_ratio]!]);
    const base = [0.25, 0.75].map((debt_ratio) => Object.freeze({ ...A, debt_ratio }));
    const dir = (tolerance: number): BehaviourTest => ({
      name: 'd',
      type: 'DIR',
      perturb: { kind: 'add', feature: 'debt_ratio', delta: 0.25, max: 1 },
      label: 1,
      direction: 'decreasing',
      tolerance,
    });
    const strict = await runTest(model, dir(0), base);
    assert.deepEqual([strict.filtered, strict.fails], [0, 1]);
    assert.deepEqual(
      strict.examples.map((e) => [e.index, e.variants[0]!.change]),
      [[0, 0.125]],
    );
    const edge = await runTest(model, dir(0.125), base);
    assert.deepEqual([edge.filtered, edge.fails, edge.failRate], [1, 0, 0]);
    assert.equal(edge.examples.length, 0);
  });
  it('fails a test case when any one of its variants fails', async () => {
    const model = fake((r) => (r.age === 70 ? [0.75, 0.25] : [0.25, 0.75]));
    const result = await runTest(model, { name: 'a', type: 'INV', perturb: { kind: 'set', feature: 'age', values: [20, 70, 40] } }, [A, A]);
    assert.deepEqual([result.testCases, result.fails], [2, 2]);
    assert.deepEqual(
      result.examples[1]!.variants.map((v) => v.passed),
      [true, false, true],
    );
    assert.equal(result.examples[1]!.passed, false);
  });
  it('computes the fail rate over the cases left after filtering: 36 fails in 200 with 20 filtered is 20%', async () => {
    // income i: i < 20 filtered (p ≤ tol), 20 ≤ i < 56 fail (drop), the rest pass
    const model = fake((r) => {
      const i = Math.round(r.income) % 1000;
      const scaled = r.income >= 1000;
      const p = i < 20 ? 0.005 : i < 56 ? (scaled ? 0.25 : 0.75) : scaled ? 0.75 : 0.5;
      return [1 - p, p];
    });
    const base = Array.from({ length: 200 }, (_, i) => Object.freeze({ ...A, income: i }));
    const result = await runTest(
      model,
      { name: 'r', type: 'DIR', perturb: { kind: 'add', feature: 'income', delta: 1000 }, label: 1, direction: 'increasing', tolerance: 0.01 },
      base,
    );
    assert.deepEqual([result.testCases, result.filtered, result.fails, result.failRate], [200, 20, 36, 20]);
  });
  it('reports the first maxExamples failing cases in order, 3 by default, never a filtered one', async () => {
    const model = fake((r) => (r.region === 9 ? [1, 0] : [0, 1]));
    const base = rowsOf(6);
    const result = await runTest(model, { name: 'r', type: 'INV', perturb: { kind: 'set', feature: 'region', values: [9] } }, base, 2);
    assert.equal(result.fails, 6);
    assert.deepEqual(
      result.examples.map((e) => e.index),
      [0, 1],
    );
    const three = await runTest(model, { name: 'r', type: 'INV', perturb: { kind: 'set', feature: 'region', values: [9] } }, base);
    assert.deepEqual(
      three.examples.map((e) => e.index),
      [0, 1, 2],
    );
    const suite = await runSuite(model, [{ name: 'r', type: 'INV', perturb: { kind: 'set', feature: 'region', values: [9] } }], base, 1);
    assert.equal(suite[0]!.examples.length, 1);
    const filtering = fake((r) => (r.income < 3 ? [1, 0] : r.age === 99 ? [0.5, 0.5] : [0, 1]));
    const dir = await runTest(
      filtering,
      { name: 'f', type: 'DIR', perturb: { kind: 'set', feature: 'age', values: [99] }, label: 1, direction: 'increasing' },
      base,
    );
    assert.deepEqual([dir.filtered, dir.fails], [3, 3]);
    assert.deepEqual(
      dir.examples.map((e) => e.index),
      [3, 4, 5],
    );
  });
  it('applies set, scale and add with its clamps, without changing the base rows, also through gridCases and perturb', async () => {
    const base = deepFreeze([{ ...A, loan_amount: 10 }]);
    const run = async (perturb: Extract<BehaviourTest, { type: 'INV' }>['perturb']): Promise<number[]> => {
      const model = fake(() => [0, 1]);
      await runTest(model, { name: 'p', type: 'INV', perturb }, base);
      assert.deepEqual(model.calls[0]![0], base[0]);
      return model.calls[0]!.slice(1).map((r) => r.loan_amount);
    };
    assert.deepEqual(await run({ kind: 'set', feature: 'loan_amount', values: [3, 10, 5] }), [3, 10, 5]);
    assert.deepEqual(await run({ kind: 'scale', feature: 'loan_amount', factor: 0.25 }), [2.5]);
    assert.deepEqual(await run({ kind: 'add', feature: 'loan_amount', delta: 5 }), [15]);
    assert.deepEqual(await run({ kind: 'add', feature: 'loan_amount', delta: 5, max: 12 }), [12]);
    assert.deepEqual(await run({ kind: 'add', feature: 'loan_amount', delta: -8, min: 4 }), [4]);
    assert.deepEqual(await run({ kind: 'add', feature: 'loan_amount', delta: -8, min: 0, max: 100 }), [2]);
    assert.deepEqual(perturb(base[0]!, { kind: 'scale', feature: 'age', factor: 2 }), [{ ...base[0]!, age: 60 }]);
    assert.deepEqual(
      gridCases(A, { age: [1, 2] }).map((r) => r.age),
      [1, 2],
    );
    assert.throws(() => gridCases(A, { height: [1] } as never), RangeError);
  });
  it('scores each test in a single predict call, and makes none for a test with no cases', async () => {
    const model = fake(() => [0, 1]);
    const results = await runSuite(model, REFERENCE_SUITE, APPLICANTS.slice(0, 7));
    assert.equal(model.calls.length, 6);
    assert.deepEqual(
      model.calls.map((c) => c.length),
      [24, 12, 28, 42, 14, 14],
    );
    assert.deepEqual(
      results.map((r) => r.testCases),
      [24, 12, 7, 7, 7, 7],
    );
    const none = fake(() => [0, 1]);
    const empty = await runTest(none, { name: 'e', type: 'INV', perturb: { kind: 'set', feature: 'age', values: [1] } }, []);
    assert.deepEqual([empty.testCases, empty.filtered, empty.fails, empty.failRate, empty.examples], [0, 0, 0, null, []]);
    const emptyGrid = await runTest(none, { name: 'g', type: 'MFT', base: A, vary: { income: [] }, label: 1 }, []);
    assert.deepEqual([emptyGrid.testCases, emptyGrid.failRate], [0, null]);
    assert.equal(none.calls.length, 0);
  });
  it('rejects duplicate names, unknown features, bad tolerances and labels, and empty set values with a RangeError before predicting', async () => {
    const model = fake(() => [0, 1]);
    const inv: BehaviourTest = { name: 'x', type: 'INV', perturb: { kind: 'set', feature: 'age', values: [1] } };
    await assert.rejects(runSuite(model, [inv, inv], [A]), RangeError);
    await assert.rejects(runTest(model, { ...inv, perturb: { kind: 'set', feature: 'height' as Feature, values: [1] } }, [A]), RangeError);
    await assert.rejects(runTest(model, { ...inv, perturb: { kind: 'set', feature: 'age', values: [] } }, [A]), RangeError);
    await assert.rejects(runTest(model, { ...inv, tolerance: -0.1 }, [A]), RangeError);
    await assert.rejects(runTest(model, { ...inv, tolerance: Number.NaN }, [A]), RangeError);
    await assert.rejects(runTest(model, { ...inv, tolerance: Infinity }, [A]), RangeError);
    await assert.rejects(runSuite(model, [inv, { name: 'm', type: 'MFT', base: A, vary: { height: [1] } as never, label: 1 }], [A]), RangeError);
    await assert.rejects(runTest(model, { name: 'm', type: 'MFT', base: A, vary: { height: [1] } as never, label: 1 }, []), RangeError);
    await assert.rejects(runTest(model, { name: 'm', type: 'MFT', base: A, label: 0.5 }, []), RangeError);
    await assert.rejects(
      runTest(model, { name: 'd', type: 'DIR', perturb: { kind: 'scale', feature: 'income', factor: 2 }, label: -1, direction: 'increasing' }, [A]),
      RangeError,
    );
    await assert.rejects(runTest(model, { name: 'q', type: 'QQQ' } as never, [A]), RangeError);
    assert.equal(model.calls.length, 0);
  });
});

// ---------------------------------------------------------------------------------------------------------
// Task 3: expectations
// ---------------------------------------------------------------------------------------------------------

const col = (values: CellValue[], name = 'x'): Batch => deepFreeze(values.map((v) => (v === undefined ? {} : { [name]: v })));

describe('not_null', () => {
  it('counts every row in its domain: [1, null, null, 4] with mostly 0.5 succeeds at 50%', () => {
    const r = validateExpectation(col([1, null, null, 4]), { type: 'expect_column_values_to_not_be_null', column: 'x', mostly: 0.5 });
    assert.deepEqual(r, {
      type: 'expect_column_values_to_not_be_null',
      column: 'x',
      success: true,
      elementCount: 4,
      unexpectedCount: 2,
      unexpectedPercent: 50,
      partialUnexpectedList: [null, null],
      partialUnexpectedIndexList: [1, 2],
    });
    assert.equal(validateExpectation(col([1, null, null, 4]), { type: 'expect_column_values_to_not_be_null', column: 'x', mostly: 0.51 }).success, false);
  });
  it('treats an absent key and NaN as missing, and 0, "" and false as present', () => {
    const r = validateExpectation(col([undefined, Number.NaN, 0, '', false, 3]), { type: 'expect_column_values_to_not_be_null', column: 'x' });
    assert.deepEqual(
      [r.success, r.unexpectedCount, r.unexpectedPercent, r.partialUnexpectedIndexList, r.partialUnexpectedList],
      [false, 2, (2 / 6) * 100, [0, 1], [null, null]],
    );
  });
});

describe('between', () => {
  it('ignores missing values: [1, 2, null, 5, 10] in [1, 5] is 25% unexpected, 20% of all rows', () => {
    const e: Expectation = { type: 'expect_column_values_to_be_between', column: 'x', minValue: 1, maxValue: 5 };
    const r = validateExpectation(col([1, 2, null, 5, 10]), e);
    assert.deepEqual(r, {
      type: 'expect_column_values_to_be_between',
      column: 'x',
      success: false,
      elementCount: 5,
      unexpectedCount: 1,
      unexpectedPercent: 25,
      partialUnexpectedList: [10],
      partialUnexpectedIndexList: [4],
      missingCount: 1,
      missingPercent: 20,
      unexpectedPercentTotal: 20,
      unexpectedPercentNonmissing: 25,
    });
    assert.equal(validateExpectation(col([1, 2, null, 5, 10]), { ...e, mostly: 0.75 }).success, true);
    assert.equal(validateExpectation(col([1, 2, null, 5, 10]), { ...e, mostly: 0.76 }).success, false);
  });
  it('excludes a bound only when it is strict', () => {
    const r = validateExpectation(col([1, 2, null, 5, 10]), {
      type: 'expect_column_values_to_be_between',
      column: 'x',
      minValue: 1,
      maxValue: 5,
      strictMin: true,
    });
    assert.deepEqual([r.unexpectedCount, r.unexpectedPercent, r.partialUnexpectedList], [2, 50, [1, 10]]);
    const doc = validateExpectation(col([1, 7, 2.5, 3]), {
      type: 'expect_column_values_to_be_between',
      column: 'x',
      minValue: 1,
      maxValue: 7,
      strictMax: true,
    });
    assert.deepEqual([doc.success, doc.unexpectedCount, doc.unexpectedPercent, doc.partialUnexpectedList], [false, 1, 25, [7]]);
    const ok = validateExpectation(col([1, 1.3, 0.8, 2]), { type: 'expect_column_values_to_be_between', column: 'x', minValue: 0.5, maxValue: 2 });
    assert.deepEqual([ok.success, ok.unexpectedCount], [true, 0]);
    const both = validateExpectation(col([0, 1, 2]), {
      type: 'expect_column_values_to_be_between',
      column: 'x',
      minValue: 0,
      maxValue: 2,
      strictMin: true,
      strictMax: true,
    });
    assert.deepEqual(both.partialUnexpectedList, [0, 2]);
  });
  it('treats a missing bound as unbounded and rejects no bounds at all or min above max', () => {
    const low = validateExpectation(col([-1e9, 3, 4]), { type: 'expect_column_values_to_be_between', column: 'x', maxValue: 3 });
    assert.deepEqual(low.partialUnexpectedList, [4]);
    const high = validateExpectation(col([-1, 3, 1e9, Infinity]), { type: 'expect_column_values_to_be_between', column: 'x', minValue: 3, maxValue: null });
    assert.deepEqual(high.partialUnexpectedList, [-1]);
    assert.throws(() => validateExpectation(col([1]), { type: 'expect_column_values_to_be_between', column: 'x' }), RangeError);
    assert.throws(() => validateExpectation(col([1]), { type: 'expect_column_values_to_be_between', column: 'x', minValue: null, maxValue: null }), RangeError);
    assert.throws(() => validateExpectation(col([1]), { type: 'expect_column_values_to_be_between', column: 'x', minValue: 2, maxValue: 1 }), RangeError);
    assert.equal(validateExpectation(col([1, 2]), { type: 'expect_column_values_to_be_between', column: 'x', minValue: 1, maxValue: 1 }).unexpectedCount, 1);
  });
  it('counts a present value that is not a number as unexpected', () => {
    const r = validateExpectation(col(['3', 3, true, null]), { type: 'expect_column_values_to_be_between', column: 'x', minValue: 0, maxValue: 10 });
    assert.deepEqual([r.unexpectedCount, r.partialUnexpectedList, r.missingCount], [2, ['3', true], 1]);
  });
});

describe('in_set', () => {
  it('["a", "b", null, "z"] in {a, b}: 1 of 3 non-missing values, 25% of all rows', () => {
    const r = validateExpectation(col(['a', 'b', null, 'z']), { type: 'expect_column_values_to_be_in_set', column: 'x', valueSet: ['a', 'b'] });
    assert.deepEqual(
      [
        r.success,
        r.elementCount,
        r.missingCount,
        r.unexpectedCount,
        r.unexpectedPercent,
        r.unexpectedPercentTotal,
        r.unexpectedPercentNonmissing,
        r.missingPercent,
      ],
      [false, 4, 1, 1, (1 / 3) * 100, 25, (1 / 3) * 100, 25],
    );
    assert.deepEqual(r.partialUnexpectedList, ['z']);
  });
  it('compares by value and type: 1 and "1" are different values', () => {
    const r = validateExpectation(col([1, '1', 2, 0]), { type: 'expect_column_values_to_be_in_set', column: 'x', valueSet: [1, 2, '0'] });
    assert.deepEqual(
      [r.partialUnexpectedList, r.partialUnexpectedIndexList],
      [
        ['1', 0],
        [1, 3],
      ],
    );
  });
});

describe('mostly', () => {
  it('compares the share of expected values with mostly: 9 good of 10 meets mostly 0.9', () => {
    const values: CellValue[] = [...Array.from({ length: 9 }, () => 'a'), 'z'];
    assert.equal(validateExpectation(col(values), { type: 'expect_column_values_to_be_in_set', column: 'x', valueSet: ['a'], mostly: 0.9 }).success, true);
    const nulls: CellValue[] = [...Array.from({ length: 9 }, () => 1), null];
    assert.equal(validateExpectation(col(nulls), { type: 'expect_column_values_to_not_be_null', column: 'x', mostly: 0.9 }).success, true);
    assert.equal(validateExpectation(col([...nulls, null]), { type: 'expect_column_values_to_not_be_null', column: 'x', mostly: 0.9 }).success, false);
    assert.equal(validateExpectation(col(['z']), { type: 'expect_column_values_to_be_in_set', column: 'x', valueSet: ['a'], mostly: 0 }).success, true);
  });
  it('is vacuously true on no rows or no present values, with null percentages', () => {
    const none = validateExpectation(col([]), { type: 'expect_column_values_to_be_in_set', column: 'x', valueSet: [1] });
    assert.deepEqual(
      [
        none.success,
        none.elementCount,
        none.unexpectedCount,
        none.unexpectedPercent,
        none.missingCount,
        none.missingPercent,
        none.unexpectedPercentTotal,
        none.unexpectedPercentNonmissing,
      ],
      [true, 0, 0, null, 0, null, null, null],
    );
    const allMissing = validateExpectation(col([null, undefined]), { type: 'expect_column_values_to_be_between', column: 'x', minValue: 0 });
    assert.deepEqual([allMissing.success, allMissing.unexpectedPercent, allMissing.missingPercent, allMissing.unexpectedPercentTotal], [true, null, 100, 0]);
    const empty = validateExpectation(col([]), { type: 'expect_column_values_to_not_be_null', column: 'x' });
    assert.deepEqual([empty.success, empty.unexpectedPercent], [true, null]);
  });
  it('rejects mostly outside [0, 1] with a RangeError', () => {
    for (const mostly of [-0.1, 1.5, Number.NaN]) {
      assert.throws(() => validateExpectation(col([1]), { type: 'expect_column_values_to_not_be_null', column: 'x', mostly }), RangeError);
      assert.throws(() => validateExpectation(col([1]), { type: 'expect_column_values_to_be_in_set', column: 'x', valueSet: [1], mostly }), RangeError);
    }
  });
});

describe('results', () => {
  it('keeps the first 20 unexpected values and their row indices', () => {
    const values: CellValue[] = Array.from({ length: 30 }, (_, i) => (i % 3 === 0 ? null : i));
    const r = validateExpectation(col(values), { type: 'expect_column_values_to_be_between', column: 'x', maxValue: 0 });
    assert.equal(r.unexpectedCount, 20);
    const more = validateExpectation(col(Array.from({ length: 30 }, (_, i) => i + 1)), {
      type: 'expect_column_values_to_be_between',
      column: 'x',
      maxValue: 0,
    });
    assert.equal(more.unexpectedCount, 30);
    assert.deepEqual(
      more.partialUnexpectedList,
      Array.from({ length: 20 }, (_, i) => i + 1),
    );
    assert.deepEqual(
      more.partialUnexpectedIndexList,
      Array.from({ length: 20 }, (_, i) => i),
    );
    const nulls = validateExpectation(col(Array.from({ length: 25 }, () => null)), { type: 'expect_column_values_to_not_be_null', column: 'x' });
    assert.deepEqual([nulls.unexpectedCount, nulls.partialUnexpectedIndexList.length, nulls.partialUnexpectedList.length], [25, 20, 20]);
  });
  it('validateBatch runs every expectation in order and sums them up', () => {
    const batch = deepFreeze([
      { a: 1, b: 'x' },
      { a: 5, b: null },
    ]);
    const suite: Expectation[] = [
      { type: 'expect_column_values_to_not_be_null', column: 'b' },
      { type: 'expect_column_values_to_be_between', column: 'a', minValue: 0, maxValue: 10 },
      { type: 'expect_column_values_to_be_in_set', column: 'b', valueSet: ['x'] },
    ];
    const r = validateBatch(batch, suite);
    assert.equal(r.success, false);
    assert.deepEqual(r.statistics, { evaluatedExpectations: 3, successfulExpectations: 2, unsuccessfulExpectations: 1, successPercent: (2 / 3) * 100 });
    assert.deepEqual(
      r.results.map((x) => [x.type, x.success]),
      [
        ['expect_column_values_to_not_be_null', false],
        ['expect_column_values_to_be_between', true],
        ['expect_column_values_to_be_in_set', true],
      ],
    );
    const good = validateBatch(batch, suite.slice(1));
    assert.deepEqual([good.success, good.statistics.successPercent], [true, 100]);
    const nothing = validateBatch(batch, []);
    assert.deepEqual([nothing.success, nothing.statistics.evaluatedExpectations, nothing.statistics.successPercent], [true, 0, null]);
  });
});

// ---------------------------------------------------------------------------------------------------------
// Task 4: the contract as data
// ---------------------------------------------------------------------------------------------------------

const isMissingRef = (v: CellValue): boolean => v === null || v === undefined || Number.isNaN(v);
/** Which expectations of the candidate's contract fail on a batch, by the README's rules, as "type column". */
function failingOf(batch: Batch): string[] {
  return CONTRACT.filter((e) => {
    const values = batch.map((row) => row[e.column]);
    const mostly = e.mostly ?? 1;
    if (e.type === 'expect_column_values_to_not_be_null') {
      const good = values.filter((v) => !isMissingRef(v)).length;
      return values.length > 0 && good / values.length < mostly;
    }
    const present = values.filter((v) => !isMissingRef(v));
    const bad = present.filter((v) => {
      if (e.type === 'expect_column_values_to_be_in_set') return !e.valueSet.includes(v as never);
      if (typeof v !== 'number') return true;
      const lo = e.minValue ?? null;
      const hi = e.maxValue ?? null;
      if (lo !== null && (e.strictMin ? v <= lo : v < lo)) return true;
      return hi !== null && (e.strictMax ? v >= hi : v > hi);
    }).length;
    return present.length > 0 && (present.length - bad) / present.length < mostly;
  })
    .map((e) => `${e.type.replace('expect_column_values_to_', '')} ${e.column}`)
    .sort();
}

const batchWith = (edits: Record<number, Record<string, CellValue>>): Batch =>
  deepFreeze(APPLICANTS.map((row, i) => ({ ...row, ...(edits[i] ?? {}) }) as Record<string, CellValue>));

describe('contract', () => {
  it('passes the clean applicant batch and checks the seven expectations of the README', () => {
    assert.deepEqual(failingOf(batchWith({})), []);
    assert.equal(CONTRACT.length, 7);
  });
  it('tolerates 5 missing incomes in 100 rows and fails on 6, without blaming the income range', () => {
    const missing = (n: number) => batchWith(Object.fromEntries(Array.from({ length: n }, (_, i) => [i * 7, { income: i % 2 ? null : Number.NaN }])));
    assert.deepEqual(failingOf(missing(5)), []);
    assert.deepEqual(failingOf(missing(6)), ['not_be_null income']);
  });
  it('rejects an income of 0 or above 1000 and accepts 1000', () => {
    assert.deepEqual(failingOf(batchWith({ 3: { income: 1000 }, 4: { income: 0.01 } })), []);
    assert.deepEqual(failingOf(batchWith({ 3: { income: 0 } })), ['be_between income']);
    assert.deepEqual(failingOf(batchWith({ 3: { income: 1000.5 } })), ['be_between income']);
  });
  it('holds debt_ratio to [0, 1], bounds included, and requires it in every row', () => {
    assert.deepEqual(failingOf(batchWith({ 1: { debt_ratio: 0 }, 2: { debt_ratio: 1 } })), []);
    assert.deepEqual(failingOf(batchWith({ 2: { debt_ratio: 1.05 } })), ['be_between debt_ratio']);
    assert.deepEqual(failingOf(batchWith({ 2: { debt_ratio: -0.01 } })), ['be_between debt_ratio']);
    assert.deepEqual(failingOf(batchWith({ 2: { debt_ratio: null } })), ['not_be_null debt_ratio']);
  });
  it('accepts ages from 18 up to but not including 120, and missing ages', () => {
    assert.deepEqual(failingOf(batchWith({ 0: { age: 18 }, 1: { age: 119 }, 2: { age: null } })), []);
    assert.deepEqual(failingOf(batchWith({ 0: { age: 17 } })), ['be_between age']);
    assert.deepEqual(failingOf(batchWith({ 0: { age: 120 } })), ['be_between age']);
  });
  it('allows only the region codes 0 to 4, as numbers', () => {
    assert.deepEqual(failingOf(batchWith({ 5: { region: null } })), []);
    assert.deepEqual(failingOf(batchWith({ 5: { region: 5 } })), ['be_in_set region']);
    assert.deepEqual(failingOf(batchWith({ 5: { region: '3' } })), ['be_in_set region']);
  });
  it('allows one late_payments value outside [0, 24] in 100 rows, not two', () => {
    assert.deepEqual(failingOf(batchWith({ 9: { late_payments: 25 } })), []);
    assert.deepEqual(failingOf(batchWith({ 9: { late_payments: 25 }, 10: { late_payments: -1 } })), ['be_between late_payments']);
    assert.deepEqual(failingOf(batchWith({ 9: { late_payments: 24 }, 10: { late_payments: 0 } })), []);
  });
  it('flags exactly the broken expectations of a batch with several violations', () => {
    const batch = batchWith({ 0: { income: -5, region: 7 }, 1: { debt_ratio: 2 }, 2: { age: 15 }, 3: { income: null } });
    assert.deepEqual(failingOf(batch), ['be_between age', 'be_between debt_ratio', 'be_between income', 'be_in_set region']);
  });
});
