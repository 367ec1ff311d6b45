import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BurnRateMonitor, HOUR, MINUTE, burnRate, timeToExhaustion } from '../src/alerts';

// Time is a number moved by hand, handed to the monitor as its clock.

describe('public: budgets', () => {
  it('burns 14.4× a 30-day budget in 50 hours', () => {
    assert.ok(Math.abs(timeToExhaustion(14.4) / HOUR - 50) < 1e-9);
    assert.ok(Math.abs(burnRate(0.015, 0.999) - 15) < 1e-9);
  });
});

describe('public: windows', () => {
  it('leaves out an event exactly one window old', () => {
    let now = 0;
    const monitor = new BurnRateMonitor({ objective: 0.999, clock: () => now });
    monitor.record(false);
    now += HOUR;
    assert.equal(monitor.window(HOUR).total, 0);
  });
});

describe('public: alerts', () => {
  it('pages when both windows of the 1 h rule burn at 20×', () => {
    let now = 0;
    const monitor = new BurnRateMonitor({ objective: 0.999, clock: () => now });
    for (let m = 0; m < 60; m++) {
      now += MINUTE;
      monitor.record(true, 98);
      monitor.record(false, 2);
    }
    assert.equal(monitor.evaluate().page, true);
  });
});
