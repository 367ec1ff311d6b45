/**
 * SLO error budgets and multi-window, multi-burn-rate alerts. Time comes only from the injected `clock`
 * (milliseconds): never call Date.now or set timers here. A window of length w at time now holds the events
 * with now − w < t ≤ now.
 */

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;
/** The SLO period the workbook's thresholds assume. */
export const SLO_PERIOD = 30 * DAY;

export interface BurnRule {
  name: string;
  severity: 'page' | 'ticket';
  longWindowMs: number;
  shortWindowMs: number;
  /** The rule fires when both windows burn at least this fast. */
  burnRate: number;
}

/** The Google SRE workbook's recommended rules for a 99.9% SLO over 30 days. */
export const WORKBOOK_RULES: readonly BurnRule[] = [
  { name: 'page-1h', severity: 'page', longWindowMs: HOUR, shortWindowMs: 5 * MINUTE, burnRate: 14.4 },
  { name: 'page-6h', severity: 'page', longWindowMs: 6 * HOUR, shortWindowMs: 30 * MINUTE, burnRate: 6 },
  { name: 'ticket-3d', severity: 'ticket', longWindowMs: 3 * DAY, shortWindowMs: 6 * HOUR, burnRate: 1 },
];

// ---------------------------------------------------------------------------------------------------------
// Task 6: budgets and burn rates
// ---------------------------------------------------------------------------------------------------------

/** Failed requests the SLO allows out of `requests`. */
export function errorBudget(objective: number, requests: number): number {
  throw new Error(`errorBudget is not implemented yet (${objective}, ${requests})`);
}

/** How many times faster than "exactly the budget over the period" errors arrive. */
export function burnRate(errorRatio: number, objective: number): number {
  throw new Error(`burnRate is not implemented yet (${errorRatio}, ${objective})`);
}

/** How long a constant burn rate takes to spend the whole budget. */
export function timeToExhaustion(rate: number, periodMs = SLO_PERIOD): number {
  throw new Error(`timeToExhaustion is not implemented yet (${rate}, ${periodMs})`);
}

/** The share of the period's budget a burn rate spends over a window. */
export function budgetConsumed(rate: number, windowMs: number, periodMs = SLO_PERIOD): number {
  throw new Error(`budgetConsumed is not implemented yet (${rate}, ${windowMs}, ${periodMs})`);
}

/** The burn rate that spends `budgetFraction` of the budget in one long window. */
export function burnRateThreshold(budgetFraction: number, longWindowMs: number, periodMs = SLO_PERIOD): number {
  throw new Error(`burnRateThreshold is not implemented yet (${budgetFraction}, ${longWindowMs}, ${periodMs})`);
}

export interface WindowStats {
  total: number;
  errors: number;
  /** errors / total, or null when the window holds no requests. */
  errorRatio: number | null;
  /** errorRatio / (1 − objective), or null when the window holds no requests. */
  burnRate: number | null;
}

export interface RuleState {
  rule: BurnRule;
  long: WindowStats;
  short: WindowStats;
  firing: boolean;
}

export interface AlertState {
  page: boolean;
  ticket: boolean;
  /** Names of the firing rules, in rule order. */
  firing: string[];
  rules: RuleState[];
}

export interface MonitorOptions {
  /** The SLO, e.g. 0.999. */
  objective: number;
  /** Milliseconds; never goes backwards. */
  clock: () => number;
  rules?: readonly BurnRule[];
}

// ---------------------------------------------------------------------------------------------------------
// Tasks 6 and 7: the monitor
// ---------------------------------------------------------------------------------------------------------

export class BurnRateMonitor {
  constructor(options: MonitorOptions) {
    // TODO: check the objective and the rules; keep what the windows need.
    void options;
  }

  /** Records `count` requests that all succeeded (ok) or all failed, at the clock's current time. */
  record(ok: boolean, count = 1): void {
    // TODO
    throw new Error(`record is not implemented yet (${ok}, ${count})`);
  }

  /** Requests and errors with now − windowMs < t ≤ now; windowMs may not exceed the longest rule window. */
  window(windowMs: number): WindowStats {
    // TODO
    throw new Error(`window is not implemented yet (${windowMs})`);
  }

  /** Every rule's two windows, whether it fires, and page / ticket as ORs over the rules of each severity. */
  evaluate(): AlertState {
    // TODO
    throw new Error('evaluate is not implemented yet');
  }
}
