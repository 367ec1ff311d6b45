import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import * as ort from 'onnxruntime-node';
import { assignBucket, bucketHash, fnv1a32, nearestRank, sessionModel, ShadowRouter, type FeatureRows, type Model, type RouteRequest, type RouterOptions } from '../src/router';

// ---------------------------------------------------------------------------------------------------------
// Helpers: no test here sleeps or reads the real time. Time is `now`, moved by hand; the shadow's answers are
// released by hand; "later" means after a few turns of the event loop.
// ---------------------------------------------------------------------------------------------------------

const ASSETS = process.env.MLOPS_LAB_ASSETS ?? '';
const WIDTH = 16;

interface Heldout {
  features: number[][];
  labels: number[];
}

interface Loaded {
  production: ort.InferenceSession;
  shadow: ort.InferenceSession;
  heldout: Heldout;
}

let loading: Promise<Loaded> | undefined;
/** Both sessions and the held-out set, loaded once for the whole file. */
function loadAssets(): Promise<Loaded> {
  loading ??= (async () => {
    const read = (name: string) => readFileSync(path.join(ASSETS, name));
    const heldout = JSON.parse(read('heldout.json').toString('utf8')) as Heldout;
    const [production, shadow] = await Promise.all([ort.InferenceSession.create(read('production.onnx')), ort.InferenceSession.create(read('shadow.onnx'))]);
    return { production, shadow, heldout };
  })();
  return loading;
}

/** The suite's own adapter, so the router tasks do not depend on the candidate's sessionModel. */
function reference(session: ort.InferenceSession): Model {
  return {
    async predict(features: FeatureRows): Promise<number[][]> {
      const data = new Float32Array(features.length * WIDTH);
      features.forEach((row: ArrayLike<number>, i: number) => data.set(row, i * WIDTH));
      const out = await session.run({ features: new ort.Tensor('float32', data, [features.length, WIDTH]) });
      const logits = out.logits!.data as Float32Array;
      return Array.from({ length: features.length }, (_, i) => Array.from(logits.subarray(i * 4, i * 4 + 4)));
    },
  };
}

/** Wraps a model to record every promise it hands out and the most calls it ever had running at once. */
function tracked(inner: Model): Model & { promises: Promise<unknown>[]; running: number; maxRunning: number } {
  const t = {
    promises: [] as Promise<unknown>[],
    running: 0,
    maxRunning: 0,
    predict(features: FeatureRows): Promise<number[][]> {
      t.running++;
      t.maxRunning = Math.max(t.maxRunning, t.running);
      const p = inner.predict(features).finally(() => t.running--);
      t.promises.push(p.catch(() => undefined));
      return p;
    },
  };
  return t;
}

function argmax(row: readonly number[]): number {
  let best = 0;
  for (let i = 1; i < row.length; i++) if (row[i]! > row[best]!) best = i;
  return best;
}

/** Lets every pending promise reaction and a few event-loop turns run. */
async function flush(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}

/**
 * Waits a few event-loop turns for a promise that should already be settling (a route() whose production is a
 * fake that answers at once). A router that holds the caller back fails here, instead of leaving the suite
 * waiting on a shadow that the test has not answered yet.
 */
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

/** route() on a router whose production answers at once. */
function ask(r: ShadowRouter, request: RouteRequest): Promise<number[][]> {
  return soon(r.route(request));
}

interface Call {
  features: FeatureRows;
  resolve: (rows: number[][]) => void;
  reject: (error: unknown) => void;
}

/** A model whose every call waits until the test answers it. */
class HandModel implements Model {
  readonly calls: Call[] = [];
  predict(features: FeatureRows): Promise<number[][]> {
    return new Promise((resolve, reject) => this.calls.push({ features, resolve, reject }));
  }
}

/** A model that answers at once with the given rows, whatever the input. */
function fixed(rows: number[][]): Model {
  return { predict: async () => rows.map((r) => [...r]) };
}

/** A model that answers each row with scores whose argmax is `pick(row)`. */
function classes(pick: (row: ArrayLike<number>) => number): Model {
  return {
    predict: async (features) => Array.from(features as ArrayLike<ArrayLike<number>>, (row) => {
      const out = [0, 0, 0, 0];
      out[pick(row)] = 1;
      return out;
    }),
  };
}

/**
 * The named fields of an object as a plain object, so a check compares what the README defines and nothing
 * else: a candidate's summary may be a class instance or carry extra fields.
 */
function fields<K extends string>(value: unknown, keys: readonly K[]): Record<K, unknown> {
  const source = value as Record<string, unknown>;
  return Object.fromEntries(keys.map((k) => [k, source[k]])) as Record<K, unknown>;
}
const SUMMARY = ['count', 'p50', 'p95'] as const;
const SAMPLE = ['requestId', 'row', 'production', 'shadow'] as const;
const samples = (list: readonly unknown[]) => list.map((d) => fields(d, SAMPLE));

function clock(start = 0) {
  const c = { now: start, read: () => c.now };
  return c;
}

function router(overrides: Partial<RouterOptions> & Pick<RouterOptions, 'production' | 'shadow'>, time = clock()): ShadowRouter {
  return new ShadowRouter({ clock: time.read, maxShadowQueue: 8, maxDisagreementSamples: 8, ...overrides });
}

/** Runs `body` and fails if any promise rejection went unhandled meanwhile. */
async function noUnhandledRejections(body: () => Promise<void>): Promise<void> {
  const seen: unknown[] = [];
  const listener = (reason: unknown) => seen.push(reason);
  process.on('unhandledRejection', listener);
  try {
    await body();
    await flush();
  } finally {
    process.off('unhandledRejection', listener);
  }
  assert.deepEqual(seen, [], 'a shadow error escaped as an unhandled rejection');
}

// ---------------------------------------------------------------------------------------------------------

describe('onnx adapter', () => {
  it('scores a whole held-out batch with one row of four logits per input row', async () => {
    const { production, heldout } = await loadAssets();
    const expected = await reference(production).predict(heldout.features);
    const rows = await sessionModel(production).predict(heldout.features);
    assert.equal(rows.length, 600);
    for (let i = 0; i < rows.length; i++) {
      assert.ok(Array.isArray(rows[i]), `row ${i} should be a plain array`);
      assert.equal(rows[i]!.length, 4);
      for (let k = 0; k < 4; k++) assert.ok(Math.abs(rows[i]![k]! - expected[i]![k]!) <= 1e-5, `row ${i}, class ${k}`);
    }
    const correct = rows.filter((row, i) => argmax(row) === heldout.labels[i]).length;
    assert.equal(correct, 582, 'production is right on 582 of the 600 held-out rows (97%)');
  });

  it('takes Float32Array rows and batches of one, and keeps the row order', async () => {
    const { shadow, heldout } = await loadAssets();
    const model = sessionModel(shadow);
    const expected = await reference(shadow).predict(heldout.features.slice(0, 5));
    const asFloat = await model.predict(heldout.features.slice(0, 5).map((r) => Float32Array.from(r)));
    const one = await model.predict([Float32Array.from(heldout.features[3]!)]);
    for (let i = 0; i < 5; i++) for (let k = 0; k < 4; k++) assert.ok(Math.abs(asFloat[i]![k]! - expected[i]![k]!) <= 1e-5, `row ${i}`);
    assert.equal(one.length, 1);
    for (let k = 0; k < 4; k++) assert.ok(Math.abs(one[0]![k]! - expected[3]![k]!) <= 1e-5);
  });

  it('answers an empty batch with no rows', async () => {
    const { production } = await loadAssets();
    // One row of scores per input row: zero rows in, zero rows out, and nothing invented.
    assert.deepEqual(await sessionModel(production).predict([]), []);
  });

  it('rejects a row that does not have 16 features', async () => {
    const { production, heldout } = await loadAssets();
    const model = sessionModel(production);
    await assert.rejects(async () => model.predict([heldout.features[0]!, heldout.features[1]!.slice(0, 15)]), RangeError);
    await assert.rejects(async () => model.predict([[...heldout.features[0]!, 0]]), RangeError);
  });

  it('checks rows against its numFeatures argument', async () => {
    const { production, heldout } = await loadAssets();
    // Declared 8 wide, so a 16-wide row is the wrong width and must be refused before the session runs.
    await assert.rejects(async () => sessionModel(production, 8).predict([heldout.features[0]!]), RangeError);
  });
});

describe('serving', () => {
  it('answers every held-out row with the production model, not the shadow', async () => {
    const { production, shadow, heldout } = await loadAssets();
    const r = router({ production: reference(production), shadow: reference(shadow), maxShadowQueue: 1000 });
    const expected = await reference(production).predict(heldout.features);
    let correct = 0;
    for (let start = 0; start < 600; start += 10) {
      const rows = await r.route({ id: `batch-${start}`, features: heldout.features.slice(start, start + 10) });
      assert.equal(rows.length, 10);
      rows.forEach((row, j) => {
        for (let k = 0; k < 4; k++) assert.ok(Math.abs(row[k]! - expected[start + j]![k]!) <= 1e-5, `row ${start + j}`);
        if (argmax(row) === heldout.labels[start + j]) correct++;
      });
    }
    assert.equal(correct, 582);
  });

  it('resolves the caller while the shadow is still working', async () => {
    const shadow = new HandModel();
    const r = router({ production: fixed([[0, 9, 0, 0]]), shadow });
    const events: string[] = [];
    const answered = r.route({ id: 'r1', features: [[1, 2]] }).then((rows) => {
      events.push('caller');
      return rows;
    });
    await flush();
    assert.equal(shadow.calls.length, 1, 'the request should have been mirrored');
    assert.deepEqual(events, ['caller'], 'the caller must not wait for the shadow');
    shadow.calls[0]!.resolve([[0, 9, 0, 0]]);
    events.push('shadow answered');
    await flush();
    assert.deepEqual(await soon(answered), [[0, 9, 0, 0]]);
    assert.deepEqual(events, ['caller', 'shadow answered']);
    assert.equal(r.stats().compared, 1);
  });

  it('mirrors a request only after production has answered it', async () => {
    const production = new HandModel();
    const shadow = new HandModel();
    const r = router({ production, shadow });
    const answered = r.route({ id: 'r1', features: [[1, 2]] });
    await flush();
    assert.equal(production.calls.length, 1);
    assert.equal(shadow.calls.length, 0, 'the shadow started before production answered');
    production.calls[0]!.resolve([[5, 0]]);
    assert.deepEqual(await soon(answered), [[5, 0]]);
    await flush();
    assert.equal(shadow.calls.length, 1);
  });

  it('sends the shadow the same rows in its own copy', async () => {
    const seen: number[][] = [];
    const vandal: Model = {
      predict: async (features) => {
        for (const row of features) seen.push(Array.from(row));
        for (const row of features) row[0] = -999; // a shadow that scribbles on its input
        return features.map(() => [1, 0]);
      },
    };
    const r = router({ production: fixed([[1, 0], [1, 0]]), shadow: vandal });
    const request = { id: 'r1', features: [[1, 2, 3], [4, 5, 6]] };
    await ask(r, request);
    await flush();
    assert.deepEqual(seen, [[1, 2, 3], [4, 5, 6]], 'the shadow should see the request rows');
    assert.deepEqual(request.features, [[1, 2, 3], [4, 5, 6]], "the shadow changed the caller's rows");
  });

  it('passes production errors to the caller and mirrors nothing', async () => {
    const shadow = new HandModel();
    const broken: Model = { predict: async () => Promise.reject(new Error('production is down')) };
    const r = router({ production: broken, shadow });
    await assert.rejects(ask(r, { id: 'r1', features: [[1]] }), /production is down/);
    await flush();
    assert.equal(shadow.calls.length, 0);
    const s = r.stats();
    assert.equal(s.requests, 0);
    assert.equal(s.mirrored, 0);
  });
});

describe('shadow failures', () => {
  it('keeps a rejecting shadow away from the caller and counts it as failed', async () => {
    await noUnhandledRejections(async () => {
      const r = router({ production: fixed([[0, 1]]), shadow: { predict: () => Promise.reject(new Error('shadow exploded')) } });
      for (let i = 0; i < 3; i++) assert.deepEqual(await ask(r, { id: `r${i}`, features: [[1]] }), [[0, 1]]);
      await flush();
      const s = r.stats();
      assert.equal(s.failed, 3);
      assert.equal(s.compared, 0);
      assert.equal(s.inFlight, 0);
      assert.equal(s.agreementRate, null);
    });
  });

  it('survives a shadow that throws before returning a promise', async () => {
    await noUnhandledRejections(async () => {
      const thrower: Model = {
        predict() {
          throw new TypeError('synchronous failure');
        },
      };
      const r = router({ production: fixed([[0, 1]]), shadow: thrower });
      assert.deepEqual(await ask(r, { id: 'r1', features: [[1]] }), [[0, 1]]);
      await flush();
      assert.equal(r.stats().failed, 1);
      assert.equal(r.stats().inFlight, 0);
    });
  });

  it('counts a malformed shadow answer as failed without comparing it', async () => {
    await noUnhandledRejections(async () => {
      const answers: unknown[] = [[[1, 0]], [], undefined, [[1, 0], null], [[1, 0, 0], [0, 1]]];
      let next = 0;
      const odd: Model = { predict: async () => answers[next++] as number[][] };
      const r = router({ production: fixed([[1, 0], [0, 1]]), shadow: odd });
      for (let i = 0; i < answers.length; i++) await ask(r, { id: `r${i}`, features: [[1], [2]] });
      await flush();
      const s = r.stats();
      assert.equal(s.failed, 5);
      assert.equal(s.compared, 0);
      assert.equal(s.rowsCompared, 0);
    });
  });

  it('counts rows that are text rather than scores as failed, even at the right length', async () => {
    await noUnhandledRejections(async () => {
      // Each string is as long as production's row, but a string is not a row of class scores.
      const r = router({ production: fixed([[1, 0], [0, 1]]), shadow: { predict: async () => ['10', '01'] as unknown as number[][] } });
      await ask(r, { id: 'text', features: [[1], [2]] });
      await flush();
      const s = r.stats();
      assert.deepEqual([s.failed, s.compared, s.rowsCompared], [1, 0, 0]);
    });
  });

  it('times out a shadow that never answers, by the injected clock', async () => {
    const time = clock(1000);
    const r = router({ production: fixed([[1, 0]]), shadow: { predict: () => new Promise<number[][]>(() => {}) }, shadowTimeoutMs: 100 }, time);
    assert.deepEqual(await ask(r, { id: 'r1', features: [[1]] }), [[1, 0]]);
    await flush();
    time.now = 1050;
    assert.equal(r.stats().timedOut, 0, 'only 50 ms have passed');
    time.now = 1101;
    const s = r.stats();
    assert.equal(s.timedOut, 1);
    assert.equal(s.failed, 0);
    assert.equal(s.compared, 0);
  });

  it('counts an answer that arrives after the timeout as timed out, not compared', async () => {
    const time = clock();
    const shadow = new HandModel();
    const r = router({ production: fixed([[1, 0]]), shadow, shadowTimeoutMs: 100 }, time);
    await ask(r, { id: 'slow', features: [[1]] });
    await ask(r, { id: 'quick', features: [[1]] });
    await flush();
    time.now = 40;
    shadow.calls[1]!.resolve([[0, 1]]);
    await flush();
    time.now = 250;
    shadow.calls[0]!.resolve([[0, 1]]);
    await flush();
    const s = r.stats();
    assert.equal(s.timedOut, 1, 'the slow call');
    assert.equal(s.compared, 1, 'only the quick call');
    assert.equal(s.rowsAgreed, 0);
    assert.deepEqual(s.disagreements.map((d) => d.requestId), ['quick']);
    assert.deepEqual([s.latency.shadow.count, s.latency.shadow.p50], [1, 40]);
  });

  it('treats a call that takes exactly the budget as in time', async () => {
    const time = clock();
    const shadow = new HandModel();
    const r = router({ production: fixed([[1, 0]]), shadow, shadowTimeoutMs: 100 }, time);
    await ask(r, { id: 'answers', features: [[1]] });
    await ask(r, { id: 'hangs', features: [[1]] });
    await flush();
    time.now = 100;
    shadow.calls[0]!.resolve([[1, 0]]);
    await flush();
    let s = r.stats();
    assert.equal(s.compared, 1, 'an answer after exactly shadowTimeoutMs is compared');
    assert.equal(s.timedOut, 0, 'a call running for exactly shadowTimeoutMs is not yet timed out');
    time.now = 101;
    s = r.stats();
    assert.deepEqual([s.compared, s.timedOut], [1, 1]);
  });
});

describe('bounded shadow work', () => {
  it('drops and counts requests that find the shadow queue full', async () => {
    const shadow = new HandModel();
    const r = router({ production: fixed([[1, 0]]), shadow, maxShadowQueue: 3 });
    for (let i = 0; i < 10; i++) assert.deepEqual(await ask(r, { id: `r${i}`, features: [[i]] }), [[1, 0]]);
    await flush();
    assert.equal(shadow.calls.length, 3);
    const s = r.stats();
    assert.deepEqual([s.requests, s.mirrored, s.dropped, s.inFlight], [10, 3, 7, 3]);
  });

  it('frees a slot when a shadow call answers or fails', async () => {
    const shadow = new HandModel();
    const r = router({ production: fixed([[1, 0]]), shadow, maxShadowQueue: 2 });
    await ask(r, { id: 'a', features: [[1]] });
    await ask(r, { id: 'b', features: [[1]] });
    await ask(r, { id: 'c', features: [[1]] });
    await flush();
    assert.equal(r.stats().dropped, 1);
    shadow.calls[0]!.resolve([[1, 0]]);
    shadow.calls[1]!.reject(new Error('no'));
    await flush();
    await ask(r, { id: 'd', features: [[1]] });
    await ask(r, { id: 'e', features: [[1]] });
    await flush();
    assert.equal(shadow.calls.length, 4);
    const s = r.stats();
    assert.deepEqual([s.mirrored, s.dropped, s.compared, s.failed, s.inFlight], [4, 1, 1, 1, 2]);
  });

  it('keeps the slot of a timed-out call until that call settles', async () => {
    const time = clock();
    const shadow = new HandModel();
    const r = router({ production: fixed([[1, 0]]), shadow, maxShadowQueue: 1, shadowTimeoutMs: 10 }, time);
    await ask(r, { id: 'hung', features: [[1]] });
    await flush();
    time.now = 50;
    await ask(r, { id: 'next', features: [[1]] });
    await flush();
    let s = r.stats();
    assert.equal(s.timedOut, 1);
    assert.equal(s.dropped, 1, 'the hung call still holds the only slot');
    assert.equal(s.inFlight, 1);
    shadow.calls[0]!.resolve([[1, 0]]);
    await flush();
    await ask(r, { id: 'after', features: [[1]] });
    await flush();
    s = r.stats();
    assert.equal(shadow.calls.length, 2);
    assert.deepEqual([s.mirrored, s.dropped, s.timedOut, s.compared], [2, 1, 1, 0]);
  });

  it('never runs more real shadow inferences at once than the limit', async () => {
    const { production, shadow, heldout } = await loadAssets();
    const shadowModel = tracked(reference(shadow));
    const r = router({ production: reference(production), shadow: shadowModel, maxShadowQueue: 4 });
    const answers = await Promise.all(heldout.features.slice(0, 60).map((row, i) => r.route({ id: `r${i}`, features: [row] })));
    assert.equal(answers.length, 60);
    await Promise.all(shadowModel.promises);
    await flush();
    const s = r.stats();
    assert.ok(shadowModel.maxRunning <= 4, `${shadowModel.maxRunning} shadow calls ran at once`);
    assert.equal(s.mirrored + s.dropped, 60);
    assert.equal(s.mirrored, shadowModel.promises.length);
    assert.ok(s.mirrored >= 4);
    assert.equal(s.inFlight, 0);
  });

  it('rejects a negative or fractional limit, and mirrors nothing with a limit of 0', async () => {
    const base = { production: fixed([[1]]), shadow: fixed([[1]]), clock: () => 0, maxDisagreementSamples: 1 };
    assert.throws(() => new ShadowRouter({ ...base, maxShadowQueue: -1 }), RangeError);
    assert.throws(() => new ShadowRouter({ ...base, maxShadowQueue: 2.5 }), RangeError);
    assert.throws(() => new ShadowRouter({ ...base, maxShadowQueue: 1, maxDisagreementSamples: -3 }), RangeError);
    assert.throws(() => new ShadowRouter({ ...base, maxShadowQueue: 1, shadowTimeoutMs: 0 }), RangeError);
    const shadow = new HandModel();
    const r = new ShadowRouter({ ...base, shadow, maxShadowQueue: 0 });
    await ask(r, { id: 'r1', features: [[1]] });
    await flush();
    assert.equal(shadow.calls.length, 0);
    assert.equal(r.stats().dropped, 1);
  });
});

describe('comparison log', () => {
  it('finds 574 of 600 held-out rows in agreement between the real models', async () => {
    const { production, shadow, heldout } = await loadAssets();
    const prodRef = await reference(production).predict(heldout.features);
    const shadowRef = await reference(shadow).predict(heldout.features);
    const shadowModel = tracked(reference(shadow));
    const r = router({ production: reference(production), shadow: shadowModel, maxShadowQueue: 1000, maxDisagreementSamples: 50 });
    for (let i = 0; i < 600; i++) await r.route({ id: `row-${i}`, features: [heldout.features[i]!], labels: [heldout.labels[i]!] });
    await Promise.all(shadowModel.promises);
    await flush();
    const s = r.stats();
    assert.deepEqual([s.compared, s.rowsCompared, s.rowsAgreed], [600, 600, 574]);
    assert.ok(Math.abs(s.agreementRate! - 574 / 600) < 1e-12, `agreement ${s.agreementRate}`);
    assert.equal(s.accuracy.rows, 600);
    assert.ok(Math.abs(s.accuracy.production! - 582 / 600) < 1e-12, `production accuracy ${s.accuracy.production}`);
    assert.ok(Math.abs(s.accuracy.shadow! - 568 / 600) < 1e-12, `shadow accuracy ${s.accuracy.shadow}`);
    assert.equal(s.disagreements.length, 26);
    for (const d of s.disagreements) {
      const i = Number(d.requestId.slice('row-'.length));
      assert.equal(d.row, 0);
      assert.equal(d.production, argmax(prodRef[i]!));
      assert.equal(d.shadow, argmax(shadowRef[i]!));
      assert.notEqual(d.production, d.shadow);
    }
  });

  it('measures agreement between the models, not accuracy against labels', async () => {
    // Both models say class 2 for every row; the labels say otherwise.
    const r = router({ production: classes(() => 2), shadow: classes(() => 2) });
    await ask(r, { id: 'r1', features: [[0], [1], [2], [3]], labels: [0, 1, 2, 3] });
    await flush();
    const s = r.stats();
    assert.equal(s.agreementRate, 1);
    assert.equal(s.accuracy.production, 0.25);
    assert.equal(s.accuracy.shadow, 0.25);
  });

  it('compares predicted classes, not raw scores', async () => {
    const r = router({ production: fixed([[0.1, 3.2, 0.4]]), shadow: fixed([[-5, 0.9, 0.2]]) });
    await ask(r, { id: 'r1', features: [[1]] });
    await flush();
    assert.equal(r.stats().agreementRate, 1);
  });

  it('counts agreement per row of a batched request', async () => {
    const r = router({ production: fixed([[1, 0], [0, 1], [1, 0]]), shadow: fixed([[1, 0], [1, 0], [0.9, 0.1]]) });
    await ask(r, { id: 'batch', features: [[1], [2], [3]] });
    await flush();
    const s = r.stats();
    assert.deepEqual([s.compared, s.rowsCompared, s.rowsAgreed], [1, 3, 2]);
    assert.ok(Math.abs(s.agreementRate! - 2 / 3) < 1e-12);
    assert.deepEqual(samples(s.disagreements), [{ requestId: 'batch', row: 1, production: 1, shadow: 0 }]);
  });

  it('keeps only the first disagreeing rows, up to the cap', async () => {
    const shadowClass = [0, 1, 0, 2, 3, 1, 2];
    const r = router({ production: classes(() => 0), shadow: classes((row) => row[0]!), maxDisagreementSamples: 2 });
    for (let i = 0; i < shadowClass.length; i++) {
      await ask(r, { id: `r${i}`, features: [[shadowClass[i]!]] });
      await flush();
    }
    const s = r.stats();
    assert.deepEqual(samples(s.disagreements), [
      { requestId: 'r1', row: 0, production: 0, shadow: 1 },
      { requestId: 'r3', row: 0, production: 0, shadow: 2 },
    ]);
    assert.deepEqual([s.rowsCompared, s.rowsAgreed], [7, 2], 'the cap limits the samples, not the counts');
  });

  it('takes the agreement rate over compared rows only, not dropped, failed or timed-out ones', async () => {
    const time = clock();
    const shadow = new HandModel();
    const r = router({ production: fixed([[1, 0]]), shadow, maxShadowQueue: 2, shadowTimeoutMs: 100 }, time);
    await ask(r, { id: 'agrees', features: [[1]] });
    await ask(r, { id: 'fails', features: [[1]] });
    await ask(r, { id: 'dropped', features: [[1]] });
    await flush();
    shadow.calls[0]!.resolve([[1, 0]]);
    shadow.calls[1]!.reject(new Error('shadow down'));
    await flush();
    await ask(r, { id: 'hangs', features: [[1]] });
    await ask(r, { id: 'disagrees', features: [[1]] });
    await flush();
    shadow.calls[3]!.resolve([[0, 1]]);
    await flush();
    time.now = 500;
    const s = r.stats();
    assert.deepEqual([s.requests, s.mirrored, s.dropped, s.compared, s.failed, s.timedOut], [5, 4, 1, 2, 1, 1]);
    assert.deepEqual([s.rowsCompared, s.rowsAgreed], [2, 1]);
    assert.ok(Math.abs(s.agreementRate! - 0.5) < 1e-12, `agreement ${s.agreementRate}`);
  });

  it('computes accuracy only over compared rows that carry a label', async () => {
    // Production predicts the row's first feature; the shadow always says class 0.
    const r = router({ production: classes((row) => row[0]!), shadow: classes(() => 0) });
    await ask(r, { id: 'labelled', features: [[0], [1]], labels: [0, 1] });
    await ask(r, { id: 'unlabelled', features: [[2], [3]] });
    await ask(r, { id: 'half', features: [[1], [2]], labels: [1] });
    await flush();
    const s = r.stats();
    assert.equal(s.rowsCompared, 6);
    assert.equal(s.accuracy.rows, 3);
    assert.ok(Math.abs(s.accuracy.production! - 1) < 1e-12, `production accuracy ${s.accuracy.production}`);
    assert.ok(Math.abs(s.accuracy.shadow! - 1 / 3) < 1e-12, `shadow accuracy ${s.accuracy.shadow}`);
  });

  it('breaks a tie between the highest scores toward the first class', async () => {
    const r = router({ production: fixed([[2, 2, 0], [5, 5, 1]]), shadow: fixed([[2, 1, 0], [1, 9, 9]]) });
    await ask(r, { id: 'ties', features: [[1], [2]] });
    await flush();
    const s = r.stats();
    assert.deepEqual([s.rowsCompared, s.rowsAgreed], [2, 1]);
    assert.deepEqual(samples(s.disagreements), [{ requestId: 'ties', row: 1, production: 0, shadow: 1 }]);
  });

  it('returns a snapshot that later traffic and edits by the caller do not change', async () => {
    const r = router({ production: fixed([[1, 0]]), shadow: fixed([[0, 1]]) });
    await ask(r, { id: 'first', features: [[1]] });
    await flush();
    const before = r.stats();
    assert.equal(before.disagreements.length, 1);
    await ask(r, { id: 'second', features: [[1]] });
    await flush();
    assert.equal(before.disagreements.length, 1, 'an earlier snapshot grew with later traffic');
    try {
      before.disagreements[0]!.requestId = 'edited';
      before.disagreements.push({ requestId: 'fake', row: 0, production: 3, shadow: 2 });
    } catch {
      // a frozen snapshot refuses the edits, which is fine too
    }
    assert.deepEqual(
      r.stats().disagreements.map((d) => d.requestId),
      ['first', 'second'],
      "editing a snapshot changed the router's log",
    );
  });

  it("reports nearest-rank p50 and p95 of each model's latency on the injected clock", async () => {
    const time = clock(10_000);
    const production = new HandModel();
    const shadow = new HandModel();
    const r = router({ production, shadow, maxShadowQueue: 50 }, time);
    // Production takes these milliseconds (a shuffle of 1..20); the shadow takes 5 times as long.
    const took = [7, 19, 3, 12, 20, 1, 15, 9, 5, 17, 11, 2, 14, 8, 18, 4, 13, 6, 16, 10];
    for (let i = 0; i < took.length; i++) {
      const answered = r.route({ id: `r${i}`, features: [[i]] });
      await flush();
      time.now += took[i]!;
      production.calls[i]!.resolve([[1, 0]]);
      await soon(answered);
      await flush();
      time.now += 5 * took[i]!;
      shadow.calls[i]!.resolve([[1, 0]]);
      await flush();
      time.now += 1000;
    }
    const { latency } = r.stats();
    assert.deepEqual(fields(latency.production, SUMMARY), { count: 20, p50: 10, p95: 19 });
    assert.deepEqual(fields(latency.shadow, SUMMARY), { count: 20, p50: 50, p95: 95 });
  });

  it('nearestRank returns the smallest value with p percent of the values at or below it', () => {
    const values = [50, 15, 40, 20, 35];
    assert.equal(nearestRank(values, 10), 15);
    assert.equal(nearestRank(values, 25), 20, 'rank ⌈1.25⌉ = 2, rounded up, not to the nearest');
    assert.equal(nearestRank(values, 30), 20);
    assert.equal(nearestRank(values, 40), 20);
    assert.equal(nearestRank(values, 50), 35);
    assert.equal(nearestRank(values, 65), 40, 'rank ⌈3.25⌉ = 4');
    assert.equal(nearestRank(values, 95), 50);
    assert.equal(nearestRank(values, 100), 50);
    assert.equal(nearestRank([7], 50), 7);
    assert.deepEqual(values, [50, 15, 40, 20, 35], 'the input must not be reordered');
    assert.throws(() => nearestRank([], 50), RangeError);
    assert.throws(() => nearestRank(values, 0), RangeError);
    assert.throws(() => nearestRank(values, 101), RangeError);
  });

  it('reports null rates and percentiles before anything was compared', () => {
    const s = router({ production: fixed([[1]]), shadow: fixed([[1]]) }).stats();
    assert.deepEqual(
      [s.requests, s.mirrored, s.dropped, s.inFlight, s.compared, s.failed, s.timedOut, s.rowsCompared, s.rowsAgreed],
      [0, 0, 0, 0, 0, 0, 0, 0, 0],
    );
    assert.equal(s.agreementRate, null);
    assert.deepEqual(fields(s.accuracy, ['rows', 'production', 'shadow']), { rows: 0, production: null, shadow: null });
    assert.deepEqual(fields(s.latency.production, SUMMARY), { count: 0, p50: null, p95: null });
    assert.deepEqual(fields(s.latency.shadow, SUMMARY), { count: 0, p50: null, p95: null });
    assert.deepEqual(s.disagreements, []);
  });
});

describe('bucketing', () => {
  const users = Array.from({ length: 20_000 }, (_, i) => `user-${i}`);

  it('hashes with 32-bit FNV-1a over UTF-16 code units', () => {
    assert.equal(fnv1a32('a'), 0xe40c292c);
    assert.equal(fnv1a32(''), 0x811c9dc5);
    assert.equal(fnv1a32('é'), 1812687940, 'one UTF-16 code unit, not two UTF-8 bytes');
    assert.equal(fnv1a32('\u{1F600}'), 3409036472, 'a surrogate pair is two code units');
  });

  it("reproduces GrowthBook's version-2 hash", () => {
    // The README's formula divides by 10000; a tolerance accepts the same value reached as × 0.0001.
    const near = (actual: number, expected: number) => assert.ok(Math.abs(actual - expected) < 1e-9, `${actual} should be ${expected}`);
    near(bucketHash('test', 'abc'), 0.7151);
    near(bucketHash('foo', 'bar'), 0.5937);
    near(bucketHash('experiment', '1'), 0.4413);
    near(bucketHash('holdout', '1'), 0.8043);
    near(bucketHash('feature-exp', 'i123'), 0.9943);
  });

  it('gives the variant whose range holds the hash', () => {
    // bucketHash('test', 'abc') is 0.7151.
    assert.equal(assignBucket('abc', 'test', [0.5, 0.5]), 1);
    assert.equal(assignBucket('abc', 'test', [0.8, 0.2]), 0);
    assert.equal(assignBucket('abc', 'test', [0.2, 0.3, 0.5]), 2);
    assert.equal(assignBucket('abc', 'test', [0.5, 0.2]), -1, 'past the last range: not in the experiment');
    assert.equal(assignBucket('abc', 'test', [0.7, 0, 0.3]), 2, 'a zero-weight variant gets nobody');
    // Ranges are half-open: a hash exactly on an edge belongs to the range that starts there.
    const h = bucketHash('test', 'abc');
    assert.equal(assignBucket('abc', 'test', [h, 1 - h]), 1, 'a hash equal to the first edge is in the second range');
    assert.equal(assignBucket('abc', 'test', [h]), -1, 'a hash equal to the end of the last range is outside it');
  });

  it('gives a user the same variant on every call', () => {
    const first = users.slice(0, 2000).map((u) => assignBucket(u, 'checkout-v2', [0.5, 0.5]));
    const again = users.slice(0, 2000).reverse().map((u) => assignBucket(u, 'checkout-v2', [0.5, 0.5])).reverse();
    assert.deepEqual(again, first);
    for (const u of users.slice(0, 50)) assert.equal(assignBucket(u, 'checkout-v2', [0.5, 0.5]), first[users.indexOf(u)]);
  });

  it('splits 20,000 users within tolerance of the weights', () => {
    for (const split of [[0.5, 0.5], [0.9, 0.1], [0.2, 0.3, 0.5]]) {
      const counts = new Array<number>(split.length).fill(0);
      for (const u of users) {
        const v = assignBucket(u, 'ranker-2026', split);
        assert.ok(v >= 0 && v < split.length, `user ${u} got ${v}`);
        counts[v]!++;
      }
      split.forEach((w, i) => assert.ok(Math.abs(counts[i]! / users.length - w) < 0.015, `split ${split}: variant ${i} got ${counts[i]}`));
    }
  });

  it('salts with the experiment, so experiments split users independently', () => {
    let inA = 0;
    let inBoth = 0;
    let differ = 0;
    for (const u of users) {
      const a = assignBucket(u, 'exp-search', [0.5, 0.5]);
      const b = assignBucket(u, 'exp-pricing', [0.5, 0.5]);
      if (a === 1) {
        inA++;
        if (b === 1) inBoth++;
      }
      if (a !== b) differ++;
    }
    assert.ok(Math.abs(inBoth / inA - 0.5) < 0.03, `${inBoth} of the ${inA} treated users in one experiment are treated in the other`);
    assert.ok(Math.abs(differ / users.length - 0.5) < 0.03);
  });

  it('never moves users already assigned when the last variant grows', () => {
    let joined = 0;
    for (const u of users) {
      const before = assignBucket(u, 'slow-rollout', [0.5, 0.2]);
      const after = assignBucket(u, 'slow-rollout', [0.5, 0.5]);
      if (before !== -1) assert.equal(after, before, u);
      else if (after === 1) joined++;
    }
    assert.ok(Math.abs(joined / users.length - 0.3) < 0.015, `${joined} users joined`);
  });

  it('rejects splits that are empty, negative or add up to more than 1', () => {
    assert.throws(() => assignBucket('u', 'e', []), RangeError);
    assert.throws(() => assignBucket('u', 'e', [0.5, -0.1]), RangeError);
    assert.throws(() => assignBucket('u', 'e', [0.7, 0.7]), RangeError);
    assert.throws(() => assignBucket('u', 'e', [Number.NaN, 0.5]), RangeError);
    assert.equal(typeof assignBucket('u', 'e', [0.1, 0.2, 0.7]), 'number');
    assert.equal(typeof assignBucket('u', 'e', [0.2, 0.4, 0.3, 0.1]), 'number', 'these add up to 1.0000000000000002 in floating point, which is fine');
  });
});
