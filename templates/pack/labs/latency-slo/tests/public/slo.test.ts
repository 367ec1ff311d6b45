import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { evaluateSlo, percentile } from '../src/slo';

describe('public: percentile', () => {
  it('p50 of five latencies is the middle one', () => {
    assert.equal(percentile([30, 10, 50, 20, 40], 50), 30);
  });
});

describe('public: slo', () => {
  it('a window with no slow requests burns nothing', () => {
    const window = evaluateSlo([120, 180, 250], { thresholdMs: 300, target: 0.99 });
    assert.equal(window.slow, 0);
    assert.equal(window.burnRate, 0);
  });
});
