import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  BurnRateMonitor,
  DAY,
  HOUR,
  MINUTE,
  WORKBOOK_RULES,
  budgetConsumed,
  burnRate,
  burnRateThreshold,
  errorBudget,
  timeToExhaustion,
  type AlertState,
  type BurnRule,
} from '../src/alerts';

// Time is `now`, moved by hand: nothing here sleeps or reads the real clock. The expected figures come from the
// SRE workbook's formulas (LAB_FACTS §12) and from counting requests by hand; they are far from the thresholds,
// so floating point never decides a verdict.

const START = Date.UTC(2026, 0, 1);
const SECOND = 1000;

function close(actual: number, expected: number, rel = 1e-9): void {
  assert.ok(Number.isFinite(actual), `expected ${expected}, got ${actual}`);
  assert.ok(Math.abs(actual - expected) <= Math.abs(expected) * rel + 1e-12, `expected ${expected}, got ${actual}`);
}

function setup(rules?: readonly BurnRule[]) {
  const t = { now: START };
  const monitor = new BurnRateMonitor({ objective: 0.999, clock: () => t.now, ...(rules ? { rules } : {}) });
  return { t, monitor };
}

/** Records one minute of traffic at the current time: `total` requests of which `errors` failed. */
function minute(monitor: BurnRateMonitor, total: number, errors: number): void {
  if (total - errors > 0) monitor.record(true, total - errors);
  if (errors > 0) monitor.record(false, errors);
}

describe('budgets', () => {
  it('sizes the budget and the time to exhaustion of a 99.9% SLO', () => {
    close(errorBudget(0.999, 10_000_000), 10_000);
    assert.equal(errorBudget(0.999, 0), 0);
    close(timeToExhaustion(14.4) / HOUR, 50);
    close(timeToExhaustion(6) / HOUR, 120);
    close(timeToExhaustion(1) / HOUR, 720);
    close(timeToExhaustion(2, 28 * DAY) / DAY, 14);
  });

  it('divides the error ratio by the budget', () => {
    close(burnRate(0.015, 0.999), 15);
    close(burnRate(0.0125, 0.999), 12.5);
    close(burnRate(0.01, 0.99), 1);
    close(burnRate(0, 0.999), 0);
    close(burnRate(1, 0.999), 1000);
  });

  it('derives the workbook thresholds from the budget they spend', () => {
    close(burnRateThreshold(0.02, HOUR), 14.4);
    close(burnRateThreshold(0.05, 6 * HOUR), 6);
    close(burnRateThreshold(0.1, 3 * DAY), 1);
    close(budgetConsumed(15, HOUR), 0.020833333333333332);
    close(budgetConsumed(14.4, HOUR), 0.02);
  });

  it('ships the workbook rules', () => {
    assert.deepEqual(
      WORKBOOK_RULES.map((r) => [r.name, r.severity, r.longWindowMs, r.shortWindowMs, r.burnRate]),
      [
        ['page-1h', 'page', HOUR, 5 * MINUTE, 14.4],
        ['page-6h', 'page', 6 * HOUR, 30 * MINUTE, 6],
        ['ticket-3d', 'ticket', 3 * DAY, 6 * HOUR, 1],
      ],
    );
  });

  it('rejects an objective outside (0, 1) and non-positive rates', () => {
    assert.throws(() => errorBudget(1, 100), RangeError);
    assert.throws(() => burnRate(0.1, 0), RangeError);
    assert.throws(() => timeToExhaustion(0), RangeError);
    assert.throws(() => new BurnRateMonitor({ objective: 1.5, clock: () => 0 }), RangeError);
    assert.throws(() => new BurnRateMonitor({ objective: Number.NaN, clock: () => 0 }), RangeError);
    assert.throws(() => errorBudget(0.999, -1), RangeError);
    assert.throws(() => errorBudget(0.999, Infinity), RangeError);
    assert.throws(() => burnRate(1.5, 0.999), RangeError);
    assert.throws(() => burnRate(-0.1, 0.999), RangeError);
    assert.throws(() => timeToExhaustion(Infinity), RangeError);
    assert.throws(() => timeToExhaustion(2, 0), RangeError);
    assert.equal(budgetConsumed(0, HOUR), 0);
    assert.throws(() => budgetConsumed(-1, HOUR), RangeError);
    assert.throws(() => budgetConsumed(Infinity, HOUR), RangeError);
    assert.throws(() => budgetConsumed(1, 0), RangeError);
    assert.throws(() => budgetConsumed(1, HOUR, 0), RangeError);
    assert.throws(() => burnRateThreshold(0, HOUR), RangeError);
    assert.throws(() => burnRateThreshold(0.02, 0), RangeError);
    assert.throws(() => burnRateThreshold(0.02, HOUR, 0), RangeError);
    const rule = (change: Partial<BurnRule>): BurnRule[] => [{ ...WORKBOOK_RULES[0]!, ...change }];
    assert.throws(() => new BurnRateMonitor({ objective: 0.999, clock: undefined as unknown as () => number }), RangeError);
    assert.throws(() => new BurnRateMonitor({ objective: 0.999, clock: () => 0, rules: rule({ burnRate: 0 }) }), RangeError);
    assert.throws(() => new BurnRateMonitor({ objective: 0.999, clock: () => 0, rules: rule({ longWindowMs: 0 }) }), RangeError);
    assert.throws(() => new BurnRateMonitor({ objective: 0.999, clock: () => 0, rules: rule({ shortWindowMs: 0 }) }), RangeError);
    assert.throws(() => new BurnRateMonitor({ objective: 0.999, clock: () => 0, rules: rule({ severity: 'email' as 'page' }) }), RangeError);
  });
});

describe('windows', () => {
  it('leaves out an event exactly at now − window and keeps one exactly at now', () => {
    const { t, monitor } = setup();
    monitor.record(false);
    t.now += HOUR - 1;
    assert.deepEqual([monitor.window(HOUR).total, monitor.window(HOUR).errors], [1, 1]);
    t.now += 1;
    assert.equal(monitor.window(HOUR).total, 0);
    monitor.record(true, 3);
    const w = monitor.window(HOUR);
    assert.deepEqual([w.total, w.errors, w.errorRatio, w.burnRate], [3, 0, 0, 0]);
  });

  it('gives null ratios for a window without requests', () => {
    const { t, monitor } = setup([WORKBOOK_RULES[0]!]);
    assert.deepEqual(monitor.window(5 * MINUTE), { total: 0, errors: 0, errorRatio: null, burnRate: null });
    monitor.record(false, 2);
    t.now += 5 * MINUTE;
    assert.equal(monitor.window(5 * MINUTE).errorRatio, null);
    const state = monitor.evaluate();
    close(state.rules[0]!.long.burnRate!, 1000);
    assert.equal(state.page, false, 'an empty short window never fires');
  });

  it('adds up counts and burn rates per window', () => {
    const { t, monitor } = setup();
    minute(monitor, 1000, 4);
    t.now += 10 * MINUTE;
    minute(monitor, 1000, 16);
    const short = monitor.window(5 * MINUTE);
    assert.deepEqual([short.total, short.errors], [1000, 16]);
    close(short.burnRate!, 16);
    const long = monitor.window(HOUR);
    assert.deepEqual([long.total, long.errors], [2000, 20]);
    close(long.errorRatio!, 0.01);
    close(long.burnRate!, 10);
  });

  it('keeps three days of history however long it runs', () => {
    const { t, monitor } = setup();
    for (let m = 0; m < 10 * 24 * 60; m++) {
      minute(monitor, 10, m % 10 === 0 ? 1 : 0);
      const held = Math.min(m + 1, 3 * 24 * 60);
      const errors = Math.floor(m / 10) - Math.ceil((m + 1 - held) / 10) + 1;
      const w = monitor.window(3 * DAY);
      if (w.total !== 10 * held || w.errors !== errors) assert.fail(`minute ${m}: the 3-day window holds ${w.total} requests and ${w.errors} errors, expected ${10 * held} and ${errors}`);
      t.now += MINUTE;
    }
    t.now -= MINUTE;
    const w = monitor.window(3 * DAY);
    assert.deepEqual([w.total, w.errors], [43_200, 432]);
    assert.deepEqual([monitor.window(6 * HOUR).total, monitor.window(6 * HOUR).errors], [3600, 36]);
  });

  it('rejects a clock that goes backwards, bad counts and windows longer than any rule', () => {
    const { t, monitor } = setup();
    monitor.record(true);
    t.now -= 1;
    assert.throws(() => monitor.record(true), RangeError);
    t.now += 10;
    assert.throws(() => monitor.record(true, 0), RangeError);
    assert.throws(() => monitor.record(true, 1.5), RangeError);
    assert.throws(() => monitor.window(4 * DAY), RangeError);
    assert.throws(() => monitor.window(0), RangeError);
    t.now = Number.NaN;
    assert.throws(() => monitor.record(true), RangeError);
  });
});

describe('alerts', () => {
  it('pages only when the short window burns too (the workbook example)', () => {
    const onlyFast = [WORKBOOK_RULES[0]!];
    const run = (shortErrors: number): AlertState => {
      const { t, monitor } = setup(onlyFast);
      t.now += 2 * HOUR;
      monitor.record(true, 920_000 - (15_000 - shortErrors));
      monitor.record(false, 15_000 - shortErrors);
      t.now += 40 * MINUTE;
      monitor.record(true, 80_000 - shortErrors);
      monitor.record(false, shortErrors);
      t.now += 1 * MINUTE;
      return monitor.evaluate();
    };
    const noPage = run(1000);
    close(noPage.rules[0]!.long.burnRate!, 15);
    close(noPage.rules[0]!.short.burnRate!, 12.5);
    assert.equal(noPage.page, false);
    assert.deepEqual(noPage.firing, []);
    const page = run(1200);
    close(page.rules[0]!.short.burnRate!, 15);
    assert.equal(page.page, true);
    assert.deepEqual(page.firing, ['page-1h']);
  });

  it('pages 52 seconds into a total outage', () => {
    const { t, monitor } = setup();
    for (let s = 0; s < 7 * 3600; s++) {
      t.now += SECOND;
      monitor.record(true);
    }
    let pagedAfter = -1;
    for (let s = 1; s <= 120 && pagedAfter < 0; s++) {
      t.now += SECOND;
      monitor.record(false);
      const state = monitor.evaluate();
      if (state.page) {
        pagedAfter = s;
        assert.deepEqual(state.firing, ['page-1h', 'ticket-3d']);
      }
    }
    assert.equal(pagedAfter, 52, 'the workbook says 51.84 s; with one request a second the 52nd error pages');
  });

  it('pages a fast burn within its hour and clears once the short window recovers', () => {
    const { t, monitor } = setup();
    for (let m = 0; m < 7 * 60; m++) {
      t.now += MINUTE;
      minute(monitor, 100, 0);
    }
    const paged: number[] = [];
    let longAtClear = 0;
    for (let m = 1; m <= 180; m++) {
      t.now += MINUTE;
      minute(monitor, 100, m <= 90 ? 2 : 0);
      const state = monitor.evaluate();
      if (state.page) paged.push(m);
      if (m === 92) longAtClear = state.rules[0]!.long.burnRate!;
    }
    assert.ok(paged.length > 0 && paged[0]! <= 60, `the 1 h rule must page within its hour, paged at ${paged[0]}`);
    assert.equal(paged[0], 44, '2% errors burn at 20×: 14.4/20 of an hour is 43.2 minutes');
    assert.deepEqual(paged, Array.from({ length: 48 }, (_, i) => 44 + i), 'pages from minute 44 to 91, without a gap');
    assert.ok(longAtClear >= 14.4, 'the hour still burns when the page clears: the short window clears it');
  });

  it('tickets a slow burn once, without flapping, and never pages it', () => {
    const { t, monitor } = setup();
    for (let m = 0; m < 3 * 24 * 60; m++) {
      t.now += MINUTE;
      minute(monitor, 2000, 0);
    }
    const ticketed: number[] = [];
    let paged = false;
    for (let m = 1; m <= 2880 + 24 * 60; m++) {
      t.now += MINUTE;
      minute(monitor, 2000, m <= 2880 ? 7 : 0);
      const state = monitor.evaluate();
      if (state.ticket) ticketed.push(m);
      paged ||= state.page;
    }
    assert.equal(paged, false, 'a 3.5× burn never pages');
    assert.equal(ticketed[0], 1235, 'the 3-day window crosses 1× after 4320/3.5 = 1234.3 minutes');
    assert.equal(ticketed.at(-1), 2880 + 257, 'the ticket clears when the last 6 hours hold fewer than 720 errors');
    assert.equal(ticketed.length, 2880 + 257 - 1235 + 1, 'the ticket stays open without a gap (no flapping)');
  });

  it('fires each rule on its own and reports them in order', () => {
    const rules: BurnRule[] = [
      { name: 'fast', severity: 'page', longWindowMs: 10 * MINUTE, shortWindowMs: MINUTE, burnRate: 10 },
      { name: 'slow', severity: 'ticket', longWindowMs: HOUR, shortWindowMs: 10 * MINUTE, burnRate: 2 },
    ];
    const { t, monitor } = setup(rules);
    minute(monitor, 1000, 3);
    t.now += 30 * MINUTE;
    let state = monitor.evaluate();
    assert.deepEqual([state.page, state.ticket, state.firing], [false, false, []]);
    minute(monitor, 1000, 3);
    state = monitor.evaluate();
    assert.deepEqual([state.page, state.ticket, state.firing], [false, true, ['slow']]);
    minute(monitor, 1000, 30);
    state = monitor.evaluate();
    assert.deepEqual([state.page, state.ticket, state.firing], [true, true, ['fast', 'slow']]);
    const quiet = setup(rules);
    minute(quiet.monitor, 100_000, 0);
    quiet.t.now += 30 * MINUTE;
    minute(quiet.monitor, 1000, 15);
    state = quiet.monitor.evaluate();
    assert.deepEqual([state.page, state.ticket, state.firing], [true, false, ['fast']], 'a page alone does not open a ticket');
  });
});
