import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import * as ort from 'onnxruntime-node';
import { assignBucket, fnv1a32, sessionModel, ShadowRouter, type FeatureRows, type Model } from '../src/router';

// The graded suite works like these tests: time is a number the test moves by hand (never the real clock),
// and a shadow's answer is released by hand, so "the caller got its answer first" is an ordering, not a race.

const ASSETS = process.env.MLOPS_LAB_ASSETS ?? '';

/** Lets pending promise reactions and a few event-loop turns run. */
async function flush(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}

/** Waits a few event-loop turns for a route() answer; fails instead of hanging if the router waits for the shadow. */
async function soon<T>(promise: Promise<T>): Promise<T> {
  let settled = false;
  promise.then(
    () => (settled = true),
    () => (settled = true),
  );
  for (let i = 0; i < 20 && !settled; i++) await new Promise<void>((resolve) => setImmediate(resolve));
  if (!settled) assert.fail('route() did not answer the caller while the shadow was still working');
  return promise;
}

/** A model whose calls wait until the test answers them. */
class HandModel implements Model {
  readonly calls: { features: FeatureRows; resolve: (rows: number[][]) => void }[] = [];
  predict(features: FeatureRows): Promise<number[][]> {
    return new Promise((resolve) => this.calls.push({ features, resolve }));
  }
}

const fixed = (rows: number[][]): Model => ({ predict: async () => rows.map((r) => [...r]) });

describe('public: onnx adapter', () => {
  it('scores held-out rows with the production model', async () => {
    const read = (name: string) => readFileSync(path.join(ASSETS, name));
    const heldout = JSON.parse(read('heldout.json').toString('utf8')) as { features: number[][]; labels: number[] };
    const session = await ort.InferenceSession.create(read('production.onnx'));
    const rows = await sessionModel(session).predict(heldout.features.slice(0, 3));
    assert.equal(rows.length, 3);
    for (const row of rows) assert.equal(row.length, 4);
  });
});

describe('public: serving', () => {
  it('answers the caller before the shadow has answered', async () => {
    const shadow = new HandModel();
    const router = new ShadowRouter({ production: fixed([[0, 1]]), shadow, clock: () => 0, maxShadowQueue: 4, maxDisagreementSamples: 4 });
    let answered = false;
    const pending = router.route({ id: 'r1', features: [[1, 2, 3]] }).then((rows) => {
      answered = true;
      return rows;
    });
    await flush();
    assert.equal(answered, true);
    assert.equal(shadow.calls.length, 1);
    shadow.calls[0]!.resolve([[0, 1]]);
    assert.deepEqual(await pending, [[0, 1]]);
  });
});

describe('public: shadow failures', () => {
  it('a failing shadow does not reach the caller', async () => {
    const router = new ShadowRouter({
      production: fixed([[1, 0]]),
      shadow: { predict: () => Promise.reject(new Error('shadow down')) },
      clock: () => 0,
      maxShadowQueue: 4,
      maxDisagreementSamples: 4,
    });
    assert.deepEqual(await soon(router.route({ id: 'r1', features: [[1]] })), [[1, 0]]);
    await flush();
    assert.equal(router.stats().failed, 1);
  });
});

describe('public: bounded shadow work', () => {
  it('drops what does not fit in the shadow queue', async () => {
    const shadow = new HandModel();
    const router = new ShadowRouter({ production: fixed([[1, 0]]), shadow, clock: () => 0, maxShadowQueue: 1, maxDisagreementSamples: 4 });
    await soon(router.route({ id: 'a', features: [[1]] }));
    await soon(router.route({ id: 'b', features: [[1]] }));
    await flush();
    assert.equal(shadow.calls.length, 1);
    assert.equal(router.stats().dropped, 1);
  });
});

describe('public: comparison log', () => {
  it('agreement is the share of rows where both models pick the same class', async () => {
    const router = new ShadowRouter({
      production: fixed([[2, 1], [2, 1]]),
      shadow: fixed([[5, 0], [0, 5]]),
      clock: () => 0,
      maxShadowQueue: 4,
      maxDisagreementSamples: 4,
    });
    await soon(router.route({ id: 'r1', features: [[1], [2]] }));
    await flush();
    assert.equal(router.stats().agreementRate, 0.5);
  });
});

describe('public: bucketing', () => {
  it('matches the FNV-1a test vector and is stable per user', () => {
    assert.equal(fnv1a32('a'), 0xe40c292c);
    assert.equal(assignBucket('user-42', 'exp', [0.5, 0.5]), assignBucket('user-42', 'exp', [0.5, 0.5]));
  });
});
