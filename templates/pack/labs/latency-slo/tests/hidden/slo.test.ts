import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { evaluateSlo, percentile, type SloTarget } from '../src/slo';

/** Equal to within a relative 1e-9: 1 - 0.99 is not exactly 0.01 in floating point. */
function close(actual: number, expected: number): void {
  assert.ok(Number.isFinite(actual), 'expected a finite number, got ' + actual);
  assert.ok(Math.abs(actual - expected) <= Math.abs(expected) * 1e-9 + 1e-12, 'expected ' + expected + ', got ' + actual);
}

/** 1..n in a fixed scrambled order: 7919 is prime and divides none of the sizes used, so i * 7919 mod n visits every residue once. */
function scrambled(n: number): number[] {
  return Array.from({ length: n }, (_, i) => ((i * 7919) % n) + 1);
}

/** A window of total requests: the first slow ones take 900 ms, the rest 120 ms. */
function windowOf(total: number, slow: number): number[] {
  return Array.from({ length: total }, (_, i) => (i < slow ? 900 : 120));
}

const SLO: SloTarget = { thresholdMs: 300, target: 0.99 };

describe('percentile', () => {
  it('takes the nearest rank without interpolating', () => {
    const five = [15, 20, 35, 40, 50];
    assert.equal(percentile(five, 5), 15);
    assert.equal(percentile(five, 30), 20);
    assert.equal(percentile(five, 40), 20);
    assert.equal(percentile(five, 50), 35);
    assert.equal(percentile(five, 100), 50);
  });

  it('sorts latencies by value, not as text', () => {
    assert.equal(percentile([1000, 5, 300, 40], 75), 300);
    assert.equal(percentile([1000, 5, 300, 40], 25), 5);
  });

  it("leaves the caller's array as it was", () => {
    const latencies = [50, 10, 40, 20, 30];
    percentile(latencies, 90);
    assert.deepEqual(latencies, [50, 10, 40, 20, 30]);
  });

  it('finds p99 of 1,000 latencies as the 990th smallest', () => {
    const latencies = scrambled(1000);
    assert.equal(percentile(latencies, 50), 500);
    assert.equal(percentile(latencies, 90), 900);
    assert.equal(percentile(latencies, 99), 990);
  });

  it('keeps a whole-number rank whole despite floating point', () => {
    assert.equal(percentile(scrambled(1000), 99.9), 999);
    assert.equal(percentile(scrambled(100), 14), 14);
    assert.equal(percentile(scrambled(250), 64.4), 161);
  });

  it('rejects no samples, p outside (0, 100] and invalid latencies with a RangeError', () => {
    const bad: [number[], number][] = [
      [[], 50],
      [[10, 20], 0],
      [[10, 20], -5],
      [[10, 20], 100.5],
      [[10, 20], Number.NaN],
      [[10, Number.NaN], 50],
      [[10, -1], 50],
      [[10, Number.POSITIVE_INFINITY], 50],
    ];
    for (const [latencies, p] of bad) assert.throws(() => percentile(latencies, p), RangeError, 'p = ' + p + ', latencies = ' + latencies.join(', '));
  });
});

describe('slo', () => {
  it('counts only requests slower than the threshold', () => {
    const window = evaluateSlo([100, 250, 300, 301, 1000], SLO);
    assert.equal(window.total, 5);
    assert.equal(window.slow, 2);
  });

  it('gives the error budget as one minus the target', () => {
    close(evaluateSlo([100], { thresholdMs: 300, target: 0.999 }).errorBudget, 0.001);
    close(evaluateSlo([100], { thresholdMs: 300, target: 0.95 }).errorBudget, 0.05);
  });

  it('burns at rate 1 when slow requests use exactly the budget', () => {
    close(evaluateSlo(windowOf(1000, 10), SLO).burnRate, 1);
  });

  it('burns at 14.4 when 14.4% of requests are slow against a 99% target', () => {
    close(evaluateSlo(windowOf(1000, 144), SLO).burnRate, 14.4);
  });

  it('burns nothing when there was no traffic', () => {
    const window = evaluateSlo([], SLO);
    assert.equal(window.total, 0);
    assert.equal(window.slow, 0);
    assert.equal(window.burnRate, 0);
  });

  it('rejects a target outside (0, 1), a non-positive threshold and invalid latencies with a RangeError', () => {
    const bad: [number[], SloTarget][] = [
      [[100], { thresholdMs: 300, target: 1 }],
      [[100], { thresholdMs: 300, target: 0 }],
      [[100], { thresholdMs: 300, target: 99 }],
      [[100], { thresholdMs: 0, target: 0.99 }],
      [[100], { thresholdMs: -300, target: 0.99 }],
      [[100], { thresholdMs: Number.NaN, target: 0.99 }],
      [[Number.NaN], SLO],
      [[-5], SLO],
    ];
    for (const [latencies, slo] of bad) assert.throws(() => evaluateSlo(latencies, slo), RangeError, latencies.join(', ') + ' with ' + JSON.stringify(slo));
  });
});
