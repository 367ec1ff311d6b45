/**
 * Reference solution for the behavioural-testing lab, part 3: the behavioural suite and the batch contract the
 * README asks for, written as data.
 */
import type { BehaviourTest } from './checklist';
import type { Expectation } from './expectations';

export const SUITE: readonly BehaviourTest[] = [
  {
    name: 'approve-strong',
    type: 'MFT',
    base: { income: 60, debt_ratio: 0.05, credit_years: 8, late_payments: 0, loan_amount: 20, employment_years: 10, age: 40, region: 0 },
    vary: { income: [60, 75, 90], debt_ratio: [0.05, 0.15], credit_years: [8, 15], loan_amount: [20, 60] },
    label: 1,
  },
  {
    name: 'decline-late-payer',
    type: 'MFT',
    base: { income: 40, debt_ratio: 0.3, credit_years: 5, late_payments: 5, loan_amount: 30, employment_years: 3, age: 35, region: 1 },
    vary: { income: [40, 60, 80], debt_ratio: [0.3, 0.45], late_payments: [5, 7] },
    label: 0,
  },
  { name: 'age-invariance', type: 'INV', perturb: { kind: 'set', feature: 'age', values: [25, 45, 70] } },
  { name: 'region-invariance', type: 'INV', perturb: { kind: 'set', feature: 'region', values: [0, 1, 2, 3, 4] } },
  { name: 'income-up', type: 'DIR', perturb: { kind: 'scale', feature: 'income', factor: 1.5 }, label: 1, direction: 'increasing', tolerance: 0.01 },
  { name: 'debt-up', type: 'DIR', perturb: { kind: 'add', feature: 'debt_ratio', delta: 0.2, max: 1 }, label: 1, direction: 'decreasing', tolerance: 0.01 },
];

export const CONTRACT: readonly Expectation[] = [
  { type: 'expect_column_values_to_not_be_null', column: 'income', mostly: 0.95 },
  { type: 'expect_column_values_to_be_between', column: 'income', minValue: 0, maxValue: 1000, strictMin: true },
  { type: 'expect_column_values_to_not_be_null', column: 'debt_ratio' },
  { type: 'expect_column_values_to_be_between', column: 'debt_ratio', minValue: 0, maxValue: 1 },
  { type: 'expect_column_values_to_be_between', column: 'age', minValue: 18, maxValue: 120, strictMax: true },
  { type: 'expect_column_values_to_be_in_set', column: 'region', valueSet: [0, 1, 2, 3, 4] },
  { type: 'expect_column_values_to_be_between', column: 'late_payments', minValue: 0, maxValue: 24, mostly: 0.99 },
];
