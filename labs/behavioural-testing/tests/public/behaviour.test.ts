import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import * as ort from 'onnxruntime-node';
import { runSuite, runTest, sessionClassifier, type Applicant, type Classifier } from '../src/checklist';
import { validateBatch, validateExpectation } from '../src/expectations';
import { CONTRACT, SUITE } from '../src/suite';

// A taste of the graded suite. The hidden tests also run your SUITE against models with planted bugs and your
// CONTRACT against batches with planted violations, and expect each to fail exactly what was planted.

const ASSETS = process.env.MLOPS_LAB_ASSETS ?? '';
const read = (name: string): Buffer => readFileSync(path.join(ASSETS, name));
const applicants = (): Applicant[] =>
  (JSON.parse(read('applicants.json').toString('utf8')) as { applicants: (Applicant & { label: number })[] }).applicants.map(
    ({ label: _label, ...rest }) => rest,
  );

const A: Applicant = { income: 50, debt_ratio: 0.3, credit_years: 5, late_payments: 0, loan_amount: 20, employment_years: 4, age: 30, region: 2 };
const fixed = (probabilities: number[]): Classifier => ({ predict: async (rows) => rows.map(() => [...probabilities]) });

describe('public: suite', () => {
  it('the clean model passes every test of your suite', async () => {
    const model = sessionClassifier(await ort.InferenceSession.create(read('clean.onnx')));
    const results = await runSuite(model, SUITE, applicants());
    assert.equal(results.length, 6);
    for (const r of results) assert.equal(r.fails, 0, r.name);
  });
});

describe('public: runner', () => {
  it('an MFT fails every case the model gets wrong', async () => {
    const result = await runTest(fixed([0.75, 0.25]), { name: 'm', type: 'MFT', base: A, vary: { income: [60, 90] }, label: 1 }, []);
    assert.deepEqual([result.testCases, result.fails, result.failRate], [2, 2, 100]);
  });
});

describe('public: expectations', () => {
  it('between ignores missing values in unexpected_percent', () => {
    const batch = [1, 2, null, 5, 10].map((x) => ({ x }));
    const r = validateExpectation(batch, { type: 'expect_column_values_to_be_between', column: 'x', minValue: 1, maxValue: 5 });
    assert.deepEqual([r.success, r.unexpectedCount, r.unexpectedPercent, r.unexpectedPercentTotal], [false, 1, 25, 20]);
  });
});

describe('public: contract', () => {
  it('the applicant batch meets your contract', () => {
    const batch = applicants().map((a) => ({ ...a }));
    assert.equal(validateBatch(batch, CONTRACT).success, true);
  });
});
