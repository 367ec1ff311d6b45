import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FilterParseError } from '../src/search';
import { compareRuns, openStore, TrackingError, type FileSystem } from '../src/tracker';

/** A file system in a Map. The hidden suite's fake also kills the writer at every step, in three ways. */
function memoryFs(): FileSystem & { files: Map<string, string> } {
  const files = new Map<string, string>();
  return {
    files,
    read: (path) => files.get(path) ?? null,
    write: (path, data) => void files.set(path, data),
    rename: (from, to) => {
      const data = files.get(from);
      if (data === undefined) throw new Error(`no such file ${from}`);
      files.delete(from);
      files.set(to, data);
    },
    list: () => [...files.keys()],
    remove: (path) => void files.delete(path),
  };
}

function setup() {
  let now = Date.UTC(2026, 0, 1);
  let next = 0;
  const fs = memoryFs();
  const options = { clock: () => (now += 1000), newId: () => `run-${++next}` };
  return { fs, options, store: openStore(fs, options) };
}

describe('public: runs', () => {
  it('refuses to change a param and takes the highest step as the latest metric value', () => {
    const { store } = setup();
    store.createRun({ runName: 'baseline' });
    store.logParam('run-1', 'model', 'xgb');
    store.logParam('run-1', 'model', 'xgb');
    assert.throws(() => store.logParam('run-1', 'model', 'lgbm'), TrackingError);
    store.logMetric('run-1', 'loss', 0.5, { step: 3, timestamp: 1000 });
    store.logMetric('run-1', 'loss', 0.4, { step: 2, timestamp: 2000 });
    assert.equal(store.getRun('run-1').data.metrics.loss, 0.5);
    assert.equal(store.getMetricHistory('run-1', 'loss').length, 2);
  });
});

describe('public: filter', () => {
  it('finds runs with a metric below a bound and a given param', () => {
    const { store } = setup();
    for (const [model, rmse] of [['xgb', 0.7], ['xgb', 0.9], ['lgbm', 0.6]] as const) {
      const run = store.createRun();
      store.logParam(run.info.runId, 'model', model);
      store.logMetric(run.info.runId, 'rmse', rmse);
    }
    const found = store.searchRuns({ filter: "metrics.rmse < 0.8 and params.model = 'xgb'" });
    assert.deepEqual(found.map((r) => r.info.runId), ['run-1']);
  });

  it('reports where a filter stops making sense', () => {
    const { store } = setup();
    assert.throws(
      () => store.searchRuns({ filter: "metrics.rmse < 0.8 or params.model = 'xgb'" }),
      (err: unknown) => err instanceof FilterParseError && err.column === 20,
    );
  });
});

describe('public: order', () => {
  it('sorts by a metric, runs without it last', () => {
    const { store } = setup();
    for (const rmse of [0.9, null, 0.7]) {
      const run = store.createRun();
      if (rmse !== null) store.logMetric(run.info.runId, 'rmse', rmse);
    }
    assert.deepEqual(store.searchRuns({ orderBy: ['metrics.rmse ASC'] }).map((r) => r.info.runId), ['run-3', 'run-1', 'run-2']);
  });
});

describe('public: persistence', () => {
  it('reopens with what was logged', () => {
    const { fs, options, store } = setup();
    store.createRun();
    store.logParam('run-1', 'seed', 7);
    assert.equal(openStore(fs, options).getRun('run-1').data.params.seed, '7');
  });
});

describe('public: repro', () => {
  it('names a different seed', () => {
    const { store } = setup();
    for (const seed of [1, 2]) {
      const run = store.createRun();
      store.setTag(run.info.runId, 'mlflow.source.git.commit', 'abc123');
      store.setTag(run.info.runId, 'data.digest', 'sha256:00ff');
      store.logParam(run.info.runId, 'seed', seed);
    }
    const report = compareRuns(store.getRun('run-1'), store.getRun('run-2'));
    assert.equal(report.reproducible, false);
    assert.deepEqual(report.differences, [{ aspect: 'seed', key: 'seed', a: '1', b: '2' }]);
  });
});
