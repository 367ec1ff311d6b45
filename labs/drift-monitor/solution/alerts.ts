/**
 * Reference solution for the drift-monitor lab, part 2: SLO error budgets and multi-window, multi-burn-rate
 * alerts. Time comes only from the injected clock (milliseconds). A window of length w at time now holds the
 * events with now − w < t ≤ now.
 */

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;
export const SLO_PERIOD = 30 * DAY;

export interface BurnRule {
  name: string;
  severity: 'page' | 'ticket';
  longWindowMs: number;
  shortWindowMs: number;
  /** The rule fires when both windows burn at least this fast. */
  burnRate: number;
}

export const WORKBOOK_RULES: readonly BurnRule[] = [
  { name: 'page-1h', severity: 'page', longWindowMs: HOUR, shortWindowMs: 5 * MINUTE, burnRate: 14.4 },
  { name: 'page-6h', severity: 'page', longWindowMs: 6 * HOUR, shortWindowMs: 30 * MINUTE, burnRate: 6 },
  { name: 'ticket-3d', severity: 'ticket', longWindowMs: 3 * DAY, shortWindowMs: 6 * HOUR, burnRate: 1 },
];

function objectiveCheck(objective: number): void {
  if (!(objective > 0 && objective < 1)) throw new RangeError(`objective must be in (0, 1), got ${objective}`);
}

function positive(value: number): void {
  if (!Number.isFinite(value) || value <= 0) throw new RangeError(`expected a positive finite number, got ${value}`);
}

// ---------------------------------------------------------------------------------------------------------
// Task 6: budgets and burn rates
// ---------------------------------------------------------------------------------------------------------

/** Failed requests the SLO allows out of `requests`. */
export function errorBudget(objective: number, requests: number): number {
  objectiveCheck(objective);
  if (!(requests >= 0) || !Number.isFinite(requests)) throw new RangeError(`requests must be ≥ 0, got ${requests}`);
  return (1 - objective) * requests;
}

export function burnRate(errorRatio: number, objective: number): number {
  objectiveCheck(objective);
  if (!(errorRatio >= 0 && errorRatio <= 1)) throw new RangeError(`errorRatio must be in [0, 1], got ${errorRatio}`);
  return errorRatio / (1 - objective);
}

export function timeToExhaustion(rate: number, periodMs = SLO_PERIOD): number {
  positive(rate);
  positive(periodMs);
  return periodMs / rate;
}

export function budgetConsumed(rate: number, windowMs: number, periodMs = SLO_PERIOD): number {
  if (!(rate >= 0) || !Number.isFinite(rate)) throw new RangeError(`burn rate must be ≥ 0, got ${rate}`);
  positive(windowMs);
  positive(periodMs);
  return (rate * windowMs) / periodMs;
}

export function burnRateThreshold(budgetFraction: number, longWindowMs: number, periodMs = SLO_PERIOD): number {
  positive(budgetFraction);
  positive(longWindowMs);
  positive(periodMs);
  return (budgetFraction * periodMs) / longWindowMs;
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
// Task 6 and 7: the monitor
// ---------------------------------------------------------------------------------------------------------

export class BurnRateMonitor {
  private readonly objective: number;
  private readonly clock: () => number;
  private readonly rules: readonly BurnRule[];
  private readonly horizon: number;
  /** One entry per record() call, oldest first, with running totals since the monitor started. */
  private times: number[] = [];
  private cumTotal: number[] = [];
  private cumErrors: number[] = [];
  /** Running totals of everything already pruned. */
  private baseTotal = 0;
  private baseErrors = 0;
  private last = -Infinity;

  constructor(options: MonitorOptions) {
    objectiveCheck(options.objective);
    if (typeof options.clock !== 'function') throw new RangeError('clock must be a function');
    const rules = options.rules ?? WORKBOOK_RULES;
    for (const r of rules) {
      positive(r.longWindowMs);
      positive(r.shortWindowMs);
      positive(r.burnRate);
      if (r.severity !== 'page' && r.severity !== 'ticket') throw new RangeError(`${r.name} has an unknown severity`);
    }
    this.objective = options.objective;
    this.clock = options.clock;
    this.rules = rules.map((r) => ({ ...r }));
    this.horizon = Math.max(0, ...rules.map((r) => Math.max(r.longWindowMs, r.shortWindowMs)));
  }

  private now(): number {
    const t = this.clock();
    if (!Number.isFinite(t)) throw new RangeError(`the clock gave ${t}`);
    if (t < this.last) throw new RangeError(`the clock went backwards from ${this.last} to ${t}`);
    this.last = t;
    return t;
  }

  /** Records `count` requests that all succeeded (ok) or all failed, at the clock's current time. */
  record(ok: boolean, count = 1): void {
    if (!Number.isInteger(count) || count < 1) throw new RangeError(`count must be a whole number ≥ 1, got ${count}`);
    const t = this.now();
    const n = this.times.length;
    const prevTotal = n > 0 ? this.cumTotal[n - 1]! : this.baseTotal;
    const prevErrors = n > 0 ? this.cumErrors[n - 1]! : this.baseErrors;
    const errors = ok ? 0 : count;
    // Several entries may share a timestamp: upTo counts them all alike, so the windows stay exact.
    this.times.push(t);
    this.cumTotal.push(prevTotal + count);
    this.cumErrors.push(prevErrors + errors);
    this.prune(t);
  }

  /** Drops the entries no window can reach any more (t ≤ now − longest window). */
  private prune(now: number): void {
    const cut = this.upTo(now - this.horizon);
    if (cut < 1024 || cut * 2 < this.times.length) return;
    this.baseTotal = this.cumTotal[cut - 1]!;
    this.baseErrors = this.cumErrors[cut - 1]!;
    this.times = this.times.slice(cut);
    this.cumTotal = this.cumTotal.slice(cut);
    this.cumErrors = this.cumErrors.slice(cut);
  }

  /** How many entries have a timestamp ≤ t. */
  private upTo(t: number): number {
    let lo = 0;
    let hi = this.times.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.times[mid]! <= t) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private stats(windowMs: number, now: number): WindowStats {
    const end = this.upTo(now);
    const start = this.upTo(now - windowMs);
    const at = (i: number, cum: number[], base: number) => (i === 0 ? base : cum[i - 1]!);
    const total = at(end, this.cumTotal, this.baseTotal) - at(start, this.cumTotal, this.baseTotal);
    const errors = at(end, this.cumErrors, this.baseErrors) - at(start, this.cumErrors, this.baseErrors);
    if (total === 0) return { total, errors, errorRatio: null, burnRate: null };
    const errorRatio = errors / total;
    return { total, errors, errorRatio, burnRate: errorRatio / (1 - this.objective) };
  }

  /** Requests and errors with now − windowMs < t ≤ now; windowMs may not exceed the longest rule window. */
  window(windowMs: number): WindowStats {
    positive(windowMs);
    if (windowMs > this.horizon) throw new RangeError(`a ${windowMs} ms window is longer than the longest rule window (${this.horizon} ms)`);
    return this.stats(windowMs, this.now());
  }

  evaluate(): AlertState {
    const now = this.now();
    const rules = this.rules.map((rule): RuleState => {
      const long = this.stats(rule.longWindowMs, now);
      const short = this.stats(rule.shortWindowMs, now);
      // An empty window burns at nothing, below every (positive) rule rate.
      const firing = (long.burnRate ?? 0) >= rule.burnRate && (short.burnRate ?? 0) >= rule.burnRate;
      return { rule: { ...rule }, long, short, firing };
    });
    const firing = rules.filter((r) => r.firing);
    return {
      page: firing.some((r) => r.rule.severity === 'page'),
      ticket: firing.some((r) => r.rule.severity === 'ticket'),
      firing: firing.map((r) => r.rule.name),
      rules,
    };
  }
}
