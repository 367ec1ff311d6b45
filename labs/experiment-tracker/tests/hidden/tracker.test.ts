import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isDeepStrictEqual } from 'node:util';
import { compareRuns, openStore, TrackingError, type FileSystem, type Run, type TrackingStore } from '../src/tracker';

// ---------------------------------------------------------------------------------------------------------
// Helpers. The clock is a counter and run ids are run-1, run-2, …: nothing reads real time.

const T0 = Date.UTC(2026, 0, 1);

class Crash extends Error {
  constructor() {
    super('the writer was killed here');
    this.name = 'Crash';
  }
}

type FailMode = 'before' | 'torn' | 'after';

/**
 * An in-memory flat file system that can kill the writer at its k-th call. 'before': the call has no effect.
 * 'torn': a write leaves the first half of its data, any other call has no effect. 'after': the call takes full
 * effect, then the writer dies before it returns.
 */
class FakeFs implements FileSystem {
  readonly files = new Map<string, string>();
  ops = 0;
  writes = 0;
  failAt = Infinity;
  mode: FailMode = 'before';

  private step(effect: () => void, torn?: () => void): void {
    this.ops++;
    if (this.ops !== this.failAt) return effect();
    if (this.mode === 'after') effect();
    if (this.mode === 'torn' && torn) torn();
    throw new Crash();
  }

  read(path: string): string | null {
    let out: string | null = null;
    this.step(() => {
      out = this.files.get(path) ?? null;
    });
    return out;
  }

  write(path: string, data: string): void {
    assert.equal(typeof data, 'string', 'write takes a string');
    this.step(
      () => {
        this.writes++;
        this.files.set(path, data);
      },
      () => this.files.set(path, data.slice(0, Math.floor(data.length / 2))),
    );
  }

  rename(from: string, to: string): void {
    this.step(() => {
      const data = this.files.get(from);
      if (data === undefined) throw new Error(`rename: no such file ${from}`);
      this.files.delete(from);
      this.files.set(to, data);
    });
  }

  list(): string[] {
    let out: string[] = [];
    this.step(() => {
      out = [...this.files.keys()].sort();
    });
    return out;
  }

  remove(path: string): void {
    this.step(() => {
      this.files.delete(path);
    });
  }
}

interface Harness {
  fs: FakeFs;
  clockCalls: () => number;
  issued: string[];
  options: { clock: () => number; newId: () => string };
}

function harness(fs = new FakeFs(), idPrefix = 'run-'): Harness {
  let ticks = 0;
  const issued: string[] = [];
  return {
    fs,
    clockCalls: () => ticks,
    issued,
    options: {
      clock: () => T0 + 1000 * ++ticks,
      newId: () => {
        const id = `${idPrefix}${issued.length + 1}`;
        issued.push(id);
        return id;
      },
    },
  };
}

function open(h: Harness): TrackingStore {
  return openStore(h.fs, h.options);
}

function expectError(fn: () => unknown, code: string): void {
  assert.throws(fn, (err: unknown) => {
    assert.ok(err instanceof TrackingError, `expected a TrackingError, got ${String(err)}`);
    assert.equal(err.name, 'TrackingError');
    assert.equal(err.code, code);
    return true;
  });
}

/** Everything a store holds about the given ids, read through its public API. */
function snapshot(store: TrackingStore, ids: readonly string[]) {
  const out: Record<string, unknown> = {};
  for (const id of ids) {
    let found: Run;
    try {
      found = store.getRun(id);
    } catch (err) {
      assert.ok(err instanceof TrackingError, `getRun(${id}) threw ${String(err)}`);
      continue;
    }
    const history: Record<string, unknown> = {};
    for (const key of Object.keys(found.data.metrics)) history[key] = store.getMetricHistory(id, key);
    out[id] = { run: found, history };
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------
// Task 1: runs, params, metrics, tags, nesting

describe('runs', () => {
  it('creates a RUNNING run with the clock’s start time, no end time, experiment "0" and its id as name', () => {
    const h = harness();
    const store = open(h);
    const created = store.createRun();
    const expected: Run = {
      info: { runId: 'run-1', runName: 'run-1', experimentId: '0', status: 'RUNNING', startTime: T0 + 1000, endTime: null },
      data: { params: {}, metrics: {}, tags: { 'mlflow.runName': 'run-1' } },
    };
    assert.deepEqual(created, expected);
    assert.deepEqual(store.getRun('run-1'), expected);
  });

  it('takes a run name, start time, experiment and tags, and records the name as the mlflow.runName tag', () => {
    const store = open(harness());
    store.createRun({ runName: 'baseline', startTime: 42, experimentId: '7', tags: { team: 'fraud', 'mlflow.user': 'ana' } });
    const got = store.getRun('run-1');
    assert.deepEqual(got.info, { runId: 'run-1', runName: 'baseline', experimentId: '7', status: 'RUNNING', startTime: 42, endTime: null });
    assert.deepEqual(got.data.tags, { team: 'fraud', 'mlflow.user': 'ana', 'mlflow.runName': 'baseline' });
  });

  it('nests a child run under its parent with the mlflow.parentRunId tag', () => {
    const store = open(harness());
    store.createRun({ runName: 'sweep' });
    const child = store.createRun({ runName: 'trial-0', parentRunId: 'run-1' });
    const grandchild = store.createRun({ parentRunId: 'run-2' });
    assert.equal(child.data.tags['mlflow.parentRunId'], 'run-1');
    assert.equal(grandchild.data.tags['mlflow.parentRunId'], 'run-2');
    assert.equal(store.getRun('run-1').data.tags['mlflow.parentRunId'], undefined);
    assert.deepEqual(
      store
        .searchRuns({ filter: "tags.mlflow.parentRunId = 'run-1'" })
        .map((r) => r.info.runId),
      ['run-2'],
    );
  });

  it('refuses a parent that does not exist, and creates nothing', () => {
    const h = harness();
    const store = open(h);
    expectError(() => store.createRun({ parentRunId: 'nope' }), 'RESOURCE_DOES_NOT_EXIST');
    assert.deepEqual(store.searchRuns(), []);
    assert.deepEqual(snapshot(open(h), h.issued), {});
  });

  it('answers an unknown run id with RESOURCE_DOES_NOT_EXIST everywhere', () => {
    const store = open(harness());
    store.createRun();
    expectError(() => store.getRun('run-9'), 'RESOURCE_DOES_NOT_EXIST');
    expectError(() => store.logParam('run-9', 'a', '1'), 'RESOURCE_DOES_NOT_EXIST');
    expectError(() => store.logMetric('run-9', 'a', 1), 'RESOURCE_DOES_NOT_EXIST');
    expectError(() => store.setTag('run-9', 'a', '1'), 'RESOURCE_DOES_NOT_EXIST');
    expectError(() => store.endRun('run-9'), 'RESOURCE_DOES_NOT_EXIST');
    expectError(() => store.getMetricHistory('run-9', 'a'), 'RESOURCE_DOES_NOT_EXIST');
  });

  it('stores params as strings; the same value again is a no-op, in any spelling that stringifies alike', () => {
    const store = open(harness());
    store.createRun();
    store.logParam('run-1', 'lr', 0.1);
    store.logParam('run-1', 'lr', '0.1');
    store.logParam('run-1', 'lr', 0.1);
    store.logParam('run-1', 'early_stop', true);
    store.logParam('run-1', 'layers', 3);
    assert.deepEqual(store.getRun('run-1').data.params, { lr: '0.1', early_stop: 'true', layers: '3' });
  });

  it('refuses to change a param: INVALID_PARAMETER_VALUE, "Changing param values is not allowed", old value kept', () => {
    const h = harness();
    const store = open(h);
    store.createRun();
    store.logParam('run-1', 'model', 'xgb');
    assert.throws(
      () => store.logParam('run-1', 'model', 'lgbm'),
      (err: unknown) => err instanceof TrackingError && err.code === 'INVALID_PARAMETER_VALUE' && /Changing param values is not allowed/.test(err.message),
    );
    expectError(() => store.logParam('run-1', 'model', ''), 'INVALID_PARAMETER_VALUE');
    assert.equal(store.getRun('run-1').data.params.model, 'xgb');
    assert.equal(open(h).getRun('run-1').data.params.model, 'xgb');
  });

  it('keeps params per run: the same key may differ between runs', () => {
    const store = open(harness());
    store.createRun();
    store.createRun();
    store.logParam('run-1', 'model', 'xgb');
    store.logParam('run-2', 'model', 'lgbm');
    assert.equal(store.getRun('run-1').data.params.model, 'xgb');
    assert.equal(store.getRun('run-2').data.params.model, 'lgbm');
  });

  it('overwrites tags', () => {
    const store = open(harness());
    store.createRun();
    store.setTag('run-1', 'stage', 'dev');
    store.setTag('run-1', 'stage', 'prod');
    store.setTag('run-1', 'mlflow.runName', 'renamed-tag');
    assert.equal(store.getRun('run-1').data.tags.stage, 'prod');
    assert.equal(store.getRun('run-1').data.tags['mlflow.runName'], 'renamed-tag');
  });

  it('takes as latest the greatest step, even when it was logged earlier', () => {
    const store = open(harness());
    store.createRun();
    store.logMetric('run-1', 'loss', 0.5, { step: 3, timestamp: 1000 });
    store.logMetric('run-1', 'loss', 0.4, { step: 2, timestamp: 2000 });
    assert.equal(store.getRun('run-1').data.metrics.loss, 0.5);
  });

  it('breaks a step tie by the later timestamp, even when it was logged earlier', () => {
    const store = open(harness());
    store.createRun();
    store.logMetric('run-1', 'loss', 0.2, { step: 3, timestamp: 1500 });
    store.logMetric('run-1', 'loss', 0.5, { step: 3, timestamp: 1000 });
    store.logMetric('run-1', 'loss', 0.1, { step: 1, timestamp: 9000 });
    assert.equal(store.getRun('run-1').data.metrics.loss, 0.2);
  });

  it('breaks a step and timestamp tie by the larger value, in either logging order', () => {
    const store = open(harness());
    store.createRun();
    store.createRun();
    store.logMetric('run-1', 'acc', 0.5, { step: 3, timestamp: 1000 });
    store.logMetric('run-1', 'acc', 0.7, { step: 3, timestamp: 1000 });
    store.logMetric('run-2', 'acc', 0.7, { step: 3, timestamp: 1000 });
    store.logMetric('run-2', 'acc', 0.5, { step: 3, timestamp: 1000 });
    store.logMetric('run-2', 'acc', -2, { step: 3, timestamp: 1000 });
    assert.equal(store.getRun('run-1').data.metrics.acc, 0.7);
    assert.equal(store.getRun('run-2').data.metrics.acc, 0.7);
  });

  it('compares steps and values as numbers, negatives included', () => {
    const store = open(harness());
    store.createRun();
    store.logMetric('run-1', 'm', 1, { step: 10, timestamp: 5 });
    store.logMetric('run-1', 'm', 2, { step: 9, timestamp: 5 });
    store.logMetric('run-1', 'n', -5, { step: -1, timestamp: 5 });
    store.logMetric('run-1', 'n', -3, { step: -2, timestamp: 5 });
    store.logMetric('run-1', 'v', -0.25, { step: 0, timestamp: 5 });
    store.logMetric('run-1', 'v', -0.5, { step: 0, timestamp: 5 });
    assert.deepEqual(store.getRun('run-1').data.metrics, { m: 1, n: -5, v: -0.25 });
  });

  it('defaults the step to 0 and the timestamp to the clock', () => {
    const h = harness();
    const store = open(h);
    store.createRun();
    store.logMetric('run-1', 'rmse', 0.9);
    store.logMetric('run-1', 'rmse', 0.8, { step: 0 });
    store.logMetric('run-1', 'rmse', 0.7, { timestamp: T0 });
    assert.deepEqual(store.getMetricHistory('run-1', 'rmse'), [
      { key: 'rmse', value: 0.9, timestamp: T0 + 2000, step: 0 },
      { key: 'rmse', value: 0.8, timestamp: T0 + 3000, step: 0 },
      { key: 'rmse', value: 0.7, timestamp: T0, step: 0 },
    ]);
    assert.equal(store.getRun('run-1').data.metrics.rmse, 0.8);
  });

  it('keeps every point of a metric’s history in logging order, duplicates included, apart from other keys', () => {
    const store = open(harness());
    store.createRun();
    store.createRun();
    const points: [string, number, number, number][] = [
      ['loss', 0.9, 10, 0],
      ['acc', 0.1, 10, 0],
      ['loss', 0.7, 20, 2],
      ['loss', 0.8, 15, 1],
      ['loss', 0.8, 15, 1],
    ];
    for (const [key, value, timestamp, step] of points) store.logMetric('run-1', key, value, { step, timestamp });
    store.logMetric('run-2', 'loss', 5, { step: 0, timestamp: 1 });
    assert.deepEqual(store.getMetricHistory('run-1', 'loss'), [
      { key: 'loss', value: 0.9, timestamp: 10, step: 0 },
      { key: 'loss', value: 0.7, timestamp: 20, step: 2 },
      { key: 'loss', value: 0.8, timestamp: 15, step: 1 },
      { key: 'loss', value: 0.8, timestamp: 15, step: 1 },
    ]);
    assert.deepEqual(store.getMetricHistory('run-1', 'acc'), [{ key: 'acc', value: 0.1, timestamp: 10, step: 0 }]);
    assert.deepEqual(store.getMetricHistory('run-1', 'f1'), []);
    assert.deepEqual(store.getRun('run-1').data.metrics, { loss: 0.7, acc: 0.1 });
    assert.deepEqual(store.getRun('run-2').data.metrics, { loss: 5 });
  });

  it('refuses a non-integer step or timestamp and a value that is not a finite number', () => {
    const store = open(harness());
    store.createRun();
    expectError(() => store.logMetric('run-1', 'm', 1, { step: 1.5 }), 'INVALID_PARAMETER_VALUE');
    expectError(() => store.logMetric('run-1', 'm', 1, { timestamp: 10.5 }), 'INVALID_PARAMETER_VALUE');
    expectError(() => store.logMetric('run-1', 'm', Number.NaN), 'INVALID_PARAMETER_VALUE');
    expectError(() => store.logMetric('run-1', 'm', Infinity), 'INVALID_PARAMETER_VALUE');
    expectError(() => store.logMetric('run-1', 'm', '1' as unknown as number), 'INVALID_PARAMETER_VALUE');
    assert.deepEqual(store.getMetricHistory('run-1', 'm'), []);
    assert.deepEqual(store.getRun('run-1').data.metrics, {});
  });

  it('ends a run as FINISHED at the clock’s time, or with the status and end time given', () => {
    const store = open(harness());
    store.createRun();
    store.createRun();
    store.createRun();
    store.endRun('run-1');
    store.endRun('run-2', 'FAILED', 5);
    store.endRun('run-3', 'KILLED');
    assert.deepEqual(
      ['run-1', 'run-2', 'run-3'].map((id) => [store.getRun(id).info.status, store.getRun(id).info.endTime]),
      [
        ['FINISHED', T0 + 4000],
        ['FAILED', 5],
        ['KILLED', T0 + 5000],
      ],
    );
  });

  it('ends a run only as FINISHED, FAILED or KILLED', () => {
    const store = open(harness());
    store.createRun();
    expectError(() => store.endRun('run-1', 'RUNNING'), 'INVALID_PARAMETER_VALUE');
    expectError(() => store.endRun('run-1', 'SCHEDULED'), 'INVALID_PARAMETER_VALUE');
    expectError(() => store.endRun('run-1', 'DONE' as never), 'INVALID_PARAMETER_VALUE');
    assert.equal(store.getRun('run-1').info.status, 'RUNNING');
    assert.equal(store.getRun('run-1').info.endTime, null);
  });

  it('still accepts params, metrics and tags after a run has ended, as MLflow does', () => {
    const store = open(harness());
    store.createRun();
    store.endRun('run-1');
    store.logParam('run-1', 'late', 'yes');
    store.logMetric('run-1', 'late', 1, { timestamp: 1 });
    store.setTag('run-1', 'late', 'yes');
    const got = store.getRun('run-1');
    assert.equal(got.info.status, 'FINISHED');
    assert.deepEqual([got.data.params.late, got.data.metrics.late, got.data.tags.late], ['yes', 1, 'yes']);
  });

  it('hands out copies: changing a returned run or history changes nothing in the store', () => {
    const store = open(harness());
    const created = store.createRun();
    created.info.status = 'FAILED';
    created.data.tags.x = 'y';
    store.logParam('run-1', 'a', '1');
    store.logMetric('run-1', 'm', 1, { timestamp: 1 });
    const got = store.getRun('run-1');
    got.data.params.a = '2';
    got.data.metrics.m = 2;
    got.info.endTime = 3;
    store.getMetricHistory('run-1', 'm')[0].value = 9;
    const again = store.getRun('run-1');
    assert.equal(again.info.status, 'RUNNING');
    assert.equal(again.info.endTime, null);
    assert.deepEqual(again.data, { params: { a: '1' }, metrics: { m: 1 }, tags: { 'mlflow.runName': 'run-1' } });
    assert.equal(store.getMetricHistory('run-1', 'm')[0].value, 1);
  });

  it('searches only the experiments asked for, all of them by default', () => {
    const store = open(harness());
    store.createRun({ experimentId: '1', startTime: 3 });
    store.createRun({ experimentId: '2', startTime: 2 });
    store.createRun({ experimentId: '3', startTime: 1 });
    const ids = (runs: Run[]) => runs.map((r) => r.info.runId);
    assert.deepEqual(ids(store.searchRuns()), ['run-1', 'run-2', 'run-3']);
    assert.deepEqual(ids(store.searchRuns({ experimentIds: ['3', '1'] })), ['run-1', 'run-3']);
    assert.deepEqual(ids(store.searchRuns({ experimentIds: [] })), []);
  });

  it('filters and orders on the latest metric value, not on any logged one', () => {
    const store = open(harness());
    store.createRun({ startTime: 1 });
    store.createRun({ startTime: 2 });
    store.logMetric('run-1', 'rmse', 0.5, { step: 3, timestamp: 1 });
    store.logMetric('run-1', 'rmse', 0.9, { step: 1, timestamp: 2 });
    store.logMetric('run-2', 'rmse', 0.6, { step: 0, timestamp: 1 });
    store.logMetric('run-2', 'rmse', 0.7, { step: 0, timestamp: 2 });
    const ids = (runs: Run[]) => runs.map((r) => r.info.runId);
    assert.deepEqual(ids(store.searchRuns({ filter: 'metrics.rmse < 0.65' })), ['run-1']);
    assert.deepEqual(ids(store.searchRuns({ filter: 'metrics.rmse > 0.8' })), []);
    assert.deepEqual(ids(store.searchRuns({ orderBy: ['metrics.rmse DESC'] })), ['run-2', 'run-1']);
  });

  it('keeps two stores on two file systems apart', () => {
    const a = open(harness());
    const b = open(harness(new FakeFs(), 'other-'));
    a.createRun();
    b.createRun();
    a.logParam('run-1', 'x', '1');
    assert.deepEqual(
      a.searchRuns().map((r) => r.info.runId),
      ['run-1'],
    );
    assert.deepEqual(
      b.searchRuns().map((r) => r.info.runId),
      ['other-1'],
    );
    expectError(() => b.getRun('run-1'), 'RESOURCE_DOES_NOT_EXIST');
  });
});

// ---------------------------------------------------------------------------------------------------------
// Task 4: crash-safe persistence

type Step = (store: TrackingStore) => void;

/** A workload touching every kind of change, including calls that are refused or change nothing. */
const SCENARIO: Step[] = [
  (s) => s.createRun({ runName: 'sweep', tags: { team: 'fraud' } }),
  (s) => s.logParam('run-1', 'model', 'xgb'),
  (s) => s.logParam('run-1', 'model', 'xgb'),
  (s) => s.createRun({ parentRunId: 'run-1', experimentId: '4' }),
  (s) => s.logMetric('run-2', 'rmse', 0.9, { step: 0 }),
  (s) => s.logMetric('run-2', 'rmse', 0.7, { step: 1 }),
  (s) => {
    try {
      s.logParam('run-1', 'model', 'lgbm');
    } catch (err) {
      if (!(err instanceof TrackingError)) throw err;
    }
  },
  (s) => s.setTag('run-2', 'stage', 'dev'),
  (s) => s.setTag('run-2', 'stage', 'prod'),
  (s) => s.logMetric('run-2', 'rmse', 0.8, { step: 1, timestamp: 1 }),
  (s) => s.endRun('run-2', 'FAILED'),
  (s) => s.logParam('run-2', 'seed', 7),
  (s) => s.endRun('run-1'),
];

/** Runs the scenario on a healthy file system and records the state after opening and after every step. */
function cleanRun(): { states: ReturnType<typeof snapshot>[]; ops: number; ids: string[] } {
  const h = harness();
  const store = open(h);
  const ids = ['run-1', 'run-2', 'after-1'];
  const states = [snapshot(store, ids)];
  for (const step of SCENARIO) {
    step(store);
    states.push(snapshot(store, ids));
  }
  return { states, ops: h.fs.ops, ids };
}

function oneOf(actual: unknown, candidates: unknown[], message: string): void {
  for (const candidate of candidates) {
    try {
      assert.deepEqual(actual, candidate);
      return;
    } catch {
      // try the next one
    }
  }
  assert.deepEqual(actual, candidates[candidates.length - 1], message);
}

function crashEverywhere(mode: FailMode): void {
  const { states, ops, ids } = cleanRun();
  const changes = states.filter((state, i) => i > 0 && !isDeepStrictEqual(state, states[i - 1])).length;
  assert.ok(ops >= changes, `the store made only ${ops} file-system calls for ${changes} changes`);
  for (let k = 1; k <= ops; k++) {
    const h = harness();
    h.fs.failAt = k;
    h.fs.mode = mode;
    let reached = -1;
    try {
      const store = open(h);
      reached = 0;
      for (const step of SCENARIO) {
        step(store);
        reached++;
      }
      assert.fail(`call ${k} of ${ops} to the file system failed, but the store carried on as if nothing happened`);
    } catch (err) {
      if (!(err instanceof Crash)) throw err;
    }
    h.fs.failAt = Infinity;
    h.options = { clock: h.options.clock, newId: () => 'after-1' };
    const where = `killed at file-system call ${k} (${mode}), during ${reached < 0 ? 'openStore' : `step ${reached + 1}`}`;
    let reopened: TrackingStore;
    try {
      reopened = open(h);
    } catch (err) {
      assert.fail(`${where}: reopening threw ${String(err)}`);
    }
    const before = states[Math.max(reached, 0)];
    const after = states[reached + 1];
    oneOf(snapshot(reopened, ids), reached < 0 ? [before] : [before, after], `${where}: the reopened store is neither the old state nor the new one`);
    // The store must go on working from there, and what it writes next must survive too.
    const recovered = snapshot(reopened, ids);
    reopened.createRun({ runName: 'after', startTime: 1 });
    const again = snapshot(open(h), ids);
    assert.ok(again['after-1'], `${where}: a run created after recovery was lost`);
    delete again['after-1'];
    assert.deepEqual(again, recovered, `${where}: writing after recovery changed what was recovered`);
  }
}

describe('persistence', () => {
  it('reopens a store with everything every returned call did', () => {
    const h = harness();
    const store = open(h);
    const ids = ['run-1', 'run-2', 'after-1'];
    for (const step of SCENARIO) {
      step(store);
      assert.deepEqual(snapshot(open(h), ids), snapshot(store, ids));
    }
    const final = snapshot(open(h), ids) as Record<string, { run: Run }>;
    assert.deepEqual(final['run-2'].run.info, { runId: 'run-2', runName: 'run-2', experimentId: '4', status: 'FAILED', startTime: T0 + 2000, endTime: T0 + 5000 });
    assert.deepEqual(final['run-2'].run.data.metrics, { rmse: 0.7 });
    assert.deepEqual(final['run-1'].run.data.params, { model: 'xgb' });
  });

  it('opens an empty file system as an empty store and writes through the file system only', () => {
    const h = harness();
    const store = open(h);
    assert.deepEqual(store.searchRuns(), []);
    store.createRun();
    assert.ok(h.fs.writes >= 1, 'createRun wrote nothing to the file system');
    assert.deepEqual(
      open(harness(h.fs)).searchRuns().map((r) => r.info.runId),
      ['run-1'],
    );
  });

  it('leaves the old or the new state when killed before any call takes effect', () => {
    crashEverywhere('before');
  });

  it('leaves the old or the new state when a write is torn halfway', () => {
    crashEverywhere('torn');
  });

  it('leaves the old or the new state when killed just after a call took effect', () => {
    crashEverywhere('after');
  });

  it('lets a refused call change nothing on disk', () => {
    const h = harness();
    const store = open(h);
    store.createRun();
    store.logParam('run-1', 'model', 'xgb');
    store.logMetric('run-1', 'rmse', 1, { timestamp: 1 });
    const ids = ['run-1'];
    const before = snapshot(open(h), ids);
    assert.throws(() => store.logParam('run-1', 'model', 'lgbm'));
    assert.throws(() => store.logMetric('run-1', 'rmse', 1, { step: 0.5 }));
    assert.throws(() => store.endRun('run-1', 'RUNNING'));
    assert.throws(() => store.createRun({ parentRunId: 'ghost' }));
    assert.deepEqual(snapshot(open(h), ids), before);
    assert.deepEqual(snapshot(store, ids), before);
  });

  it('survives many reopenings, each adding to the same store', () => {
    const fs = new FakeFs();
    for (let i = 1; i <= 5; i++) {
      const h = harness(fs, `r${i}-`);
      const store = open(h);
      store.createRun({ startTime: i });
      store.logMetric(`r${i}-1`, 'i', i, { timestamp: i });
      if (i > 1) store.setTag(`r${i - 1}-1`, 'next', `r${i}-1`);
    }
    const runs = open(harness(fs)).searchRuns();
    assert.deepEqual(
      runs.map((r) => [r.info.runId, r.data.metrics.i, r.data.tags.next ?? null]),
      [
        ['r5-1', 5, null],
        ['r4-1', 4, 'r5-1'],
        ['r3-1', 3, 'r4-1'],
        ['r2-1', 2, 'r3-1'],
        ['r1-1', 1, 'r2-1'],
      ],
    );
  });
});

// ---------------------------------------------------------------------------------------------------------
// Task 5: the reproducibility check

function runWith(id: string, params: Record<string, string>, tags: Record<string, string>, metrics: Record<string, number> = {}): Run {
  return Object.freeze({
    info: Object.freeze({ runId: id, runName: id, experimentId: '0', status: 'FINISHED' as const, startTime: 1, endTime: 2 }),
    data: Object.freeze({ params: Object.freeze({ ...params }), metrics: Object.freeze({ ...metrics }), tags: Object.freeze({ ...tags }) }),
  });
}

const BASE_TAGS = {
  'mlflow.source.git.commit': 'a1b2c3',
  'data.digest': 'sha256:00ff',
  'env.python': '3.11.9',
  'mlflow.docker.image.uri': 'registry/train@sha256:abc',
};

describe('repro', () => {
  it('finds nothing between two runs with the same inputs, whatever their outcomes and names', () => {
    const a = runWith('a', { seed: '7', lr: '0.1' }, { ...BASE_TAGS, 'mlflow.runName': 'a', 'mlflow.parentRunId': 'p', note: 'x' }, { rmse: 0.5 });
    const b = runWith('b', { lr: '0.1', seed: '7' }, { ...BASE_TAGS, 'mlflow.runName': 'b', note: 'y', 'mlflow.user': 'bo' }, { rmse: 0.9 });
    assert.deepEqual(compareRuns(a, b), { reproducible: true, differences: [], missing: [] });
  });

  it('names every difference, in aspect order then key order, with both values', () => {
    const a = runWith('a', { seed: '7', lr: '0.1', depth: '6', batch: '32' }, { ...BASE_TAGS, 'env.cuda': '12.1' });
    const b = runWith(
      'b',
      { seed: '8', lr: '0.01', depth: '6', alpha: '1' },
      { ...BASE_TAGS, 'mlflow.source.git.commit': 'd4e5f6', 'data.digest': 'sha256:11ee', 'env.python': '3.12.1', 'mlflow.docker.image.uri': 'registry/train@sha256:def' },
    );
    assert.deepEqual(compareRuns(a, b), {
      reproducible: false,
      missing: [],
      differences: [
        { aspect: 'code', key: 'mlflow.source.git.commit', a: 'a1b2c3', b: 'd4e5f6' },
        { aspect: 'data', key: 'data.digest', a: 'sha256:00ff', b: 'sha256:11ee' },
        { aspect: 'seed', key: 'seed', a: '7', b: '8' },
        { aspect: 'environment', key: 'env.cuda', a: '12.1', b: null },
        { aspect: 'environment', key: 'env.python', a: '3.11.9', b: '3.12.1' },
        { aspect: 'environment', key: 'mlflow.docker.image.uri', a: 'registry/train@sha256:abc', b: 'registry/train@sha256:def' },
        { aspect: 'params', key: 'alpha', a: null, b: '1' },
        { aspect: 'params', key: 'batch', a: '32', b: null },
        { aspect: 'params', key: 'lr', a: '0.1', b: '0.01' },
      ],
    });
  });

  it('reports a single differing aspect alone', () => {
    const a = runWith('a', { seed: '7' }, BASE_TAGS);
    const onlyData = runWith('b', { seed: '7' }, { ...BASE_TAGS, 'data.digest': 'sha256:0000' });
    assert.deepEqual(compareRuns(a, onlyData).differences, [{ aspect: 'data', key: 'data.digest', a: 'sha256:00ff', b: 'sha256:0000' }]);
    const onlyEnv = runWith('b', { seed: '7' }, { ...BASE_TAGS, 'env.torch': '2.3' });
    assert.deepEqual(compareRuns(onlyEnv, a), { reproducible: false, missing: [], differences: [{ aspect: 'environment', key: 'env.torch', a: '2.3', b: null }] });
  });

  it('lists code, data or seed missing from both runs, and reports one missing on one side as a difference', () => {
    const bare = runWith('a', { lr: '1' }, { 'env.python': '3.11' });
    assert.deepEqual(compareRuns(bare, bare), { reproducible: false, differences: [], missing: ['code', 'data', 'seed'] });
    const noSeed = runWith('a', {}, BASE_TAGS);
    assert.deepEqual(compareRuns(noSeed, noSeed), { reproducible: false, differences: [], missing: ['seed'] });
    const seeded = runWith('b', { seed: '1' }, BASE_TAGS);
    assert.deepEqual(compareRuns(noSeed, seeded), { reproducible: false, differences: [{ aspect: 'seed', key: 'seed', a: null, b: '1' }], missing: [] });
    const noCode = runWith('c', { seed: '1' }, { 'data.digest': 'sha256:00ff' });
    assert.deepEqual(compareRuns(seeded, noCode), {
      reproducible: false,
      missing: [],
      differences: [
        { aspect: 'code', key: 'mlflow.source.git.commit', a: 'a1b2c3', b: null },
        { aspect: 'environment', key: 'env.python', a: '3.11.9', b: null },
        { aspect: 'environment', key: 'mlflow.docker.image.uri', a: 'registry/train@sha256:abc', b: null },
      ],
    });
  });

  it('compares values as exact strings: "0.1" and "0.10" differ', () => {
    const a = runWith('a', { seed: '7', lr: '0.1' }, BASE_TAGS);
    const b = runWith('b', { seed: '07', lr: '0.10' }, BASE_TAGS);
    assert.deepEqual(compareRuns(a, b).differences, [
      { aspect: 'seed', key: 'seed', a: '7', b: '07' },
      { aspect: 'params', key: 'lr', a: '0.1', b: '0.10' },
    ]);
  });

  it('works on runs read back from a store', () => {
    const store = open(harness());
    for (const seed of [1, 2]) {
      const run = store.createRun();
      store.setTag(run.info.runId, 'mlflow.source.git.commit', 'abc');
      store.setTag(run.info.runId, 'data.digest', 'd');
      store.logParam(run.info.runId, 'seed', seed);
    }
    assert.deepEqual(compareRuns(store.getRun('run-1'), store.getRun('run-2')), {
      reproducible: false,
      missing: [],
      differences: [{ aspect: 'seed', key: 'seed', a: '1', b: '2' }],
    });
  });
});
