import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FilterParseError, searchRuns } from '../src/search';
import type { Run, RunStatus } from '../src/tracker';

// ---------------------------------------------------------------------------------------------------------
// Helpers: runs built by hand (frozen, so a search that changes its input fails), searched without a store.

interface Spec {
  name?: string;
  status?: RunStatus;
  start?: number;
  end?: number | null;
  params?: Record<string, string>;
  metrics?: Record<string, number>;
  tags?: Record<string, string>;
}

function run(id: string, spec: Spec = {}): Run {
  return Object.freeze({
    info: Object.freeze({
      runId: id,
      runName: spec.name ?? id,
      experimentId: '0',
      status: spec.status ?? 'FINISHED',
      startTime: spec.start ?? 1000,
      endTime: spec.end === undefined ? 2000 : spec.end,
    }),
    data: Object.freeze({
      params: Object.freeze({ ...spec.params }),
      metrics: Object.freeze({ ...spec.metrics }),
      tags: Object.freeze({ ...spec.tags }),
    }),
  });
}

const RUNS: readonly Run[] = Object.freeze([
  run('a1', { name: 'xgb-small', start: 100, end: 200, params: { model: 'xgb', batch_size: '32', 'model-type': 'tree' }, metrics: { rmse: 0.7, 'f1 score': 0.9 }, tags: { stage: 'dev' } }),
  run('b2', { name: 'xgb-large', start: 300, end: 400, params: { model: 'xgb', batch_size: '128' }, metrics: { rmse: 0.8 }, tags: { stage: 'Prod', 'mlflow.parentRunId': 'a1' } }),
  run('c3', { name: 'lgbm', start: 200, status: 'FAILED', end: 250, params: { model: 'lgbm' }, metrics: { rmse: 0.9, '2024 auc': 0.6 }, tags: { 'mlflow.parentRunId': 'a1' } }),
  run('d4', { name: 'mlp_v1', start: 400, status: 'RUNNING', end: null, params: { model: 'mlp', batch_size: '9' }, metrics: {}, tags: { stage: 'prod' } }),
]);

/** The ids found, in the order returned. */
function find(filter: string, orderBy?: string[], runs: readonly Run[] = RUNS): string[] {
  return searchRuns(runs, orderBy === undefined ? { filter } : { filter, orderBy }).map((r) => r.info.runId);
}

/** Ids as a sorted set, for tests about which runs match rather than their order. */
function matching(filter: string, runs: readonly Run[] = RUNS): string[] {
  return find(filter, undefined, runs).sort();
}

function parseError(fn: () => unknown, column: number): void {
  assert.throws(fn, (err: unknown) => {
    assert.ok(err instanceof FilterParseError, `expected a FilterParseError, got ${String(err)}`);
    assert.equal(err.column, column, `wrong column for: ${err.message}`);
    return true;
  });
}

// ---------------------------------------------------------------------------------------------------------
// Task 2: the filter

describe('filter', () => {
  it('joins clauses with AND: metrics.rmse < 0.85 and params.model = \'xgb\'', () => {
    assert.deepEqual(matching("metrics.rmse < 0.85 and params.model = 'xgb'"), ['a1', 'b2']);
    assert.deepEqual(matching("metrics.rmse < 0.75 and params.model = 'xgb'"), ['a1']);
    assert.deepEqual(matching("metrics.rmse < 0.85 and params.model = 'xgb' and tags.stage = 'Prod'"), ['b2']);
  });

  it('compares metrics with = != > >= < <=, boundaries exact', () => {
    assert.deepEqual(matching('metrics.rmse = 0.8'), ['b2']);
    assert.deepEqual(matching('metrics.rmse != 0.8'), ['a1', 'c3']);
    assert.deepEqual(matching('metrics.rmse > 0.8'), ['c3']);
    assert.deepEqual(matching('metrics.rmse >= 0.8'), ['b2', 'c3']);
    assert.deepEqual(matching('metrics.rmse < 0.8'), ['a1']);
    assert.deepEqual(matching('metrics.rmse <= 0.8'), ['a1', 'b2']);
  });

  it('reads numbers in their usual forms: integers, negatives, exponents, a leading dot', () => {
    assert.deepEqual(matching('metrics.rmse < 1'), ['a1', 'b2', 'c3']);
    assert.deepEqual(matching('metrics.rmse > -1'), ['a1', 'b2', 'c3']);
    assert.deepEqual(matching('metrics.rmse <= 8e-1'), ['a1', 'b2']);
    assert.deepEqual(matching('metrics.rmse < .75'), ['a1']);
    assert.deepEqual(matching('metrics.rmse >= 0.70'), ['a1', 'b2', 'c3']);
    assert.deepEqual(matching('metrics.rmse = 7E-1'), ['a1']);
    assert.deepEqual(matching('metrics.rmse < 1e0'), ['a1', 'b2', 'c3']);
    assert.deepEqual(matching('metrics.rmse <= 80e-02'), ['a1', 'b2']);
  });

  it('never matches a run that lacks the key, not even with !=', () => {
    assert.deepEqual(matching('metrics.rmse != 5'), ['a1', 'b2', 'c3']);
    assert.deepEqual(matching("params.batch_size != '32'"), ['b2', 'd4']);
    assert.deepEqual(matching("tags.stage != 'dev'"), ['b2', 'd4']);
    assert.deepEqual(matching("tags.stage LIKE '%'"), ['a1', 'b2', 'd4']);
    assert.deepEqual(matching('metrics.nothing >= 0'), []);
  });

  it('compares params and tags as strings, in single or double quotes', () => {
    assert.deepEqual(matching("params.batch_size = '32'"), ['a1']);
    assert.deepEqual(matching('params.batch_size = "128"'), ['b2']);
    assert.deepEqual(matching('params.batch_size = "032"'), []);
    assert.deepEqual(matching("tags.stage = 'prod'"), ['d4']);
    assert.deepEqual(matching(`params.model = "xgb" and tags.stage = 'dev'`), ['a1']);
    assert.deepEqual(matching(`params.model != "it's"`), ['a1', 'b2', 'c3', 'd4']);
  });

  it('takes names with special characters or a leading digit in backticks or double quotes', () => {
    assert.deepEqual(matching('metrics.`f1 score` > 0.5'), ['a1']);
    assert.deepEqual(matching('metrics."f1 score" > 0.5'), ['a1']);
    assert.deepEqual(matching("params.`model-type` = 'tree'"), ['a1']);
    assert.deepEqual(matching('metrics.`2024 auc` <= 0.6'), ['c3']);
    assert.deepEqual(matching("tags.`mlflow.parentRunId` = 'a1'"), ['b2', 'c3']);
  });

  it('reads everything after the first dot as the name, so tags.mlflow.parentRunId works bare', () => {
    assert.deepEqual(matching("tags.mlflow.parentRunId = 'a1'"), ['b2', 'c3']);
    assert.deepEqual(matching("tags.mlflow.parentRunId = 'a1' and metrics.rmse < 0.85"), ['b2']);
  });

  it('searches the attributes status, run_name, run_id, start_time and end_time', () => {
    assert.deepEqual(matching("attributes.status = 'FINISHED'"), ['a1', 'b2']);
    assert.deepEqual(matching('attributes.status = "FAILED"'), ['c3']);
    assert.deepEqual(matching("attributes.status != 'RUNNING'"), ['a1', 'b2', 'c3']);
    assert.deepEqual(matching("attributes.status = 'finished'"), []);
    assert.deepEqual(matching("attributes.run_name = 'lgbm'"), ['c3']);
    assert.deepEqual(matching("attributes.run_id = 'b2'"), ['b2']);
    assert.deepEqual(matching('attributes.start_time >= 300'), ['b2', 'd4']);
    assert.deepEqual(matching('attributes.start_time < 200'), ['a1']);
    assert.deepEqual(matching('attributes.start_time = 200'), ['c3']);
  });

  it('never matches a run that has not ended on end_time', () => {
    assert.deepEqual(matching('attributes.end_time > 0'), ['a1', 'b2', 'c3']);
    assert.deepEqual(matching('attributes.end_time != 250'), ['a1', 'b2']);
    assert.deepEqual(matching('attributes.end_time <= 250'), ['a1', 'c3']);
  });

  it('takes run_id IN a list of quoted ids', () => {
    assert.deepEqual(matching("attributes.run_id IN ('a1', 'c3', 'zz')"), ['a1', 'c3']);
    assert.deepEqual(matching('attributes.run_id in ("d4")'), ['d4']);
    assert.deepEqual(matching("attributes.run_id IN('b2','a1') and metrics.rmse > 0.75"), ['b2']);
  });

  it('matches LIKE patterns with % and _ against the whole value, case-sensitively', () => {
    assert.deepEqual(matching("attributes.run_name LIKE 'xgb%'"), ['a1', 'b2']);
    assert.deepEqual(matching("attributes.run_name LIKE '%large'"), ['b2']);
    assert.deepEqual(matching("attributes.run_name LIKE 'xgb'"), []);
    assert.deepEqual(matching("params.model LIKE '_gb'"), ['a1', 'b2']);
    assert.deepEqual(matching("params.model LIKE '__'"), []);
    assert.deepEqual(matching("params.model LIKE 'l%m'"), ['c3']);
    assert.deepEqual(matching("tags.stage LIKE 'prod'"), ['d4']);
    assert.deepEqual(matching("tags.stage LIKE '%ro%'"), ['b2', 'd4']);
    assert.deepEqual(matching("params.model != 'xgb' and params.model LIKE '%'"), ['c3', 'd4']);
  });

  it('matches ILIKE patterns regardless of case', () => {
    assert.deepEqual(matching("tags.stage ILIKE 'prod'"), ['b2', 'd4']);
    assert.deepEqual(matching("attributes.run_name ILIKE 'XGB-%'"), ['a1', 'b2']);
    assert.deepEqual(matching("attributes.status ILIKE 'f%'"), ['a1', 'b2', 'c3']);
  });

  it('treats every other character of a pattern literally', () => {
    const runs = [
      run('p', { params: { pattern: 'a.c' } }),
      run('q', { params: { pattern: 'abc' } }),
      run('r', { params: { pattern: '(x)+[y]' } }),
      run('s', { params: { pattern: 'line1\nline2' } }),
      run('t', { params: { pattern: '^a\\d$' } }),
    ];
    assert.deepEqual(matching("params.pattern LIKE 'a.c'", runs), ['p']);
    assert.deepEqual(matching("params.pattern LIKE '(x)+[y]'", runs), ['r']);
    assert.deepEqual(matching("params.pattern LIKE 'line1%'", runs), ['s']);
    assert.deepEqual(matching("params.pattern LIKE 'line1_line2'", runs), ['s']);
    assert.deepEqual(matching("params.pattern LIKE '^a\\d$'", runs), ['t']);
    assert.deepEqual(matching("params.pattern LIKE 'a*'", runs), []);
  });

  it('reads keywords in any case and the singular prefixes metric., param., tag., attr., attribute.', () => {
    assert.deepEqual(matching("metric.rmse < 0.85 AND param.model = 'xgb' aNd tag.stage ilike 'PROD'"), ['b2']);
    assert.deepEqual(matching("parameters.model = 'lgbm' and parameter.model like 'l%'"), ['c3']);
    assert.deepEqual(matching("attr.status = 'RUNNING' and attribute.run_id = 'd4'"), ['d4']);
    assert.deepEqual(matching('attr.start_time > 250 and attribute.end_time = 400'), ['b2']);
    assert.deepEqual(matching("attr.run_id IN ('a1', 'c3') and attribute.start_time <= 100"), ['a1']);
  });

  it('allows any spacing, and matches every run for an empty filter', () => {
    assert.deepEqual(matching("  metrics.rmse<0.8   and\tparams.model='xgb'  "), ['a1']);
    assert.deepEqual(matching('metrics.rmse>=0.9'), ['c3']);
    assert.deepEqual(matching(''), ['a1', 'b2', 'c3', 'd4']);
    assert.deepEqual(matching('   '), ['a1', 'b2', 'c3', 'd4']);
    assert.deepEqual(
      searchRuns(RUNS).map((r) => r.info.runId),
      ['d4', 'b2', 'c3', 'a1'],
    );
  });

  it('rejects OR, unknown prefixes and unknown attributes at the token’s column', () => {
    parseError(() => find("metrics.rmse < 0.8 or params.model = 'x'"), 20);
    parseError(() => find("metrics.rmse < 0.8 OR params.model = 'x'"), 20);
    parseError(() => find('rmse < 1'), 1);
    parseError(() => find("foo.bar = 'x'"), 1);
    parseError(() => find('metrics < 1'), 1);
    parseError(() => find('metrics rmse < 1'), 1);
    parseError(() => find('metrics:rmse < 1'), 1);
    parseError(() => find("metrics.rmse < 1 and attributes.colour = 'red'"), 22);
    parseError(() => find("attributes.experiment_id = '0'"), 1);
    parseError(() => find("datasets.name = 'x'"), 1);
  });

  it('rejects a value of the wrong kind at the value’s column', () => {
    parseError(() => find("metrics.rmse < '0.8'"), 16);
    parseError(() => find('params.batch_size = 32'), 21);
    parseError(() => find('tags.stage = prod'), 14);
    parseError(() => find("attributes.start_time > '5'"), 25);
    parseError(() => find('attributes.status = FAILED'), 21);
    parseError(() => find("attributes.run_id IN 'a1'"), 22);
    parseError(() => find("attributes.run_id IN ('a1', b2)"), 29);
    parseError(() => find("attributes.run_id IN ('a1' 'b2')"), 28);
    parseError(() => find('metrics.rmse < x'), 16);
    parseError(() => find('params.model = xgbx'), 16);
    parseError(() => find("attributes.run_id IN ('a1', c3c)"), 29);
  });

  it('rejects a comparator the key does not take at the comparator’s column', () => {
    parseError(() => find("params.model > 'a'"), 14);
    parseError(() => find("tags.stage <= 'a'"), 12);
    parseError(() => find('metrics.rmse LIKE 1'), 14);
    parseError(() => find("attributes.status >= 'A'"), 19);
    parseError(() => find('attributes.start_time LIKE 1'), 23);
    parseError(() => find("params.model IN ('a')"), 14);
    parseError(() => find("attributes.run_name IN ('a')"), 21);
    parseError(() => find("params.run_id IN ('a')"), 15);
    parseError(() => find('metrics.rmse ~ 1'), 14);
  });

  it('points at an unterminated quote, a stray character, or the end of the input', () => {
    parseError(() => find("params.model = 'xgb"), 16);
    parseError(() => find('metrics.`f1 score < 1'), 9);
    parseError(() => find("params.model-type = 'tree'"), 13);
    parseError(() => find('metrics.rmse'), 13);
    parseError(() => find('metrics.rmse <'), 15);
    parseError(() => find('metrics.rmse < 1 and'), 21);
    parseError(() => find('metrics.rmse < 1 and '), 22);
    parseError(() => find("metrics.rmse < 1 params.model = 'x'"), 18);
    parseError(() => find('metrics.rmse < 1)'), 17);
    parseError(() => find('metrics.2024 < 1'), 1);
    parseError(() => find('metrics.2x < 1'), 1);
    parseError(() => find("metrics.rmse < 1 )and params.model = 'x'"), 18);
    parseError(() => find('metrics. < 1'), 1);
  });

  it('throws FilterParseError, an Error with the column in its message', () => {
    try {
      find("params.model = 'xgb");
      assert.fail('no error');
    } catch (err) {
      assert.ok(err instanceof Error);
      assert.ok(err instanceof FilterParseError);
      assert.equal(err.name, 'FilterParseError');
      assert.match(err.message, /16/);
    }
  });
});

// ---------------------------------------------------------------------------------------------------------
// Task 3: order_by and maxResults

describe('order', () => {
  it('sorts by a metric, ascending by default, runs without it last', () => {
    assert.deepEqual(find('', ['metrics.rmse']), ['a1', 'b2', 'c3', 'd4']);
    assert.deepEqual(find('', ['metrics.rmse ASC']), ['a1', 'b2', 'c3', 'd4']);
    assert.deepEqual(find('', ['metrics.rmse DESC']), ['c3', 'b2', 'a1', 'd4']);
    assert.deepEqual(find('', ['metrics.rmse desc']), ['c3', 'b2', 'a1', 'd4']);
  });

  it('keeps runs without the key last in both directions, in the default order among themselves', () => {
    assert.deepEqual(find('', ['metrics.`f1 score` ASC']), ['a1', 'd4', 'b2', 'c3']);
    assert.deepEqual(find('', ['metrics.`f1 score` DESC']), ['a1', 'd4', 'b2', 'c3']);
    assert.deepEqual(find('', ['tags.stage DESC']), ['d4', 'a1', 'b2', 'c3']);
    assert.deepEqual(find('', ['attributes.end_time DESC']), ['b2', 'c3', 'a1', 'd4']);
    assert.deepEqual(find('', ['attributes.end_time']), ['a1', 'c3', 'b2', 'd4']);
  });

  it('puts a run without the key last whichever run the sort looks at first', () => {
    const missing = run('m', { start: 9, end: null });
    const present = run('p', { start: 1, metrics: { x: 1 }, params: { x: 'a' } });
    for (const runs of [
      [missing, present],
      [present, missing],
    ]) {
      for (const item of ['metrics.x', 'metrics.x DESC', 'params.x', 'params.x DESC', 'attributes.end_time', 'attributes.end_time DESC']) assert.deepEqual(find('', [item], runs), ['p', 'm'], item);
    }
  });

  it('sorts params and tags as strings: "128" before "32" before "9"', () => {
    assert.deepEqual(find('', ['params.batch_size ASC']), ['b2', 'a1', 'd4', 'c3']);
    assert.deepEqual(find('', ['params.batch_size DESC']), ['d4', 'a1', 'b2', 'c3']);
    assert.deepEqual(find('', ['tags.stage']), ['b2', 'a1', 'd4', 'c3']);
  });

  it('sorts numbers as numbers: 10 after 9', () => {
    const runs = [run('x', { metrics: { m: 10 } }), run('y', { metrics: { m: 9 } }), run('z', { metrics: { m: -20 } })];
    assert.deepEqual(find('', ['metrics.m'], runs), ['z', 'y', 'x']);
  });

  it('breaks ties by the next key, then by start_time DESC, then by run_id ASC', () => {
    assert.deepEqual(find('', ['params.model', 'metrics.rmse DESC']), ['c3', 'd4', 'b2', 'a1']);
    assert.deepEqual(find('', ['params.model DESC', 'attributes.run_name']), ['b2', 'a1', 'd4', 'c3']);
    assert.deepEqual(find('', ['params.model DESC']), ['b2', 'a1', 'd4', 'c3']);
    const twins = [run('m', { start: 5 }), run('k', { start: 5 }), run('z', { start: 7 }), run('a', { start: 5 })];
    assert.deepEqual(find('', [], twins), ['z', 'a', 'k', 'm']);
    assert.deepEqual(find('', undefined, twins), ['z', 'a', 'k', 'm']);
    assert.deepEqual(find('', ['attributes.start_time ASC'], twins), ['a', 'k', 'm', 'z']);
  });

  it('orders by the attributes run_name, run_id, status and start_time', () => {
    assert.deepEqual(find('', ['attributes.run_name']), ['c3', 'd4', 'b2', 'a1']);
    assert.deepEqual(find('', ['attributes.run_id DESC']), ['d4', 'c3', 'b2', 'a1']);
    assert.deepEqual(find('', ['attributes.status']), ['c3', 'b2', 'a1', 'd4']);
    assert.deepEqual(find('', ['attributes.start_time ASC']), ['a1', 'c3', 'b2', 'd4']);
    assert.deepEqual(find('', ['attributes.start_time']), ['a1', 'c3', 'b2', 'd4']);
  });

  it('filters first, then sorts', () => {
    assert.deepEqual(find("params.model = 'xgb'", ['metrics.rmse DESC']), ['b2', 'a1']);
  });

  it('returns at most maxResults runs, the first ones after sorting; 1000 by default', () => {
    assert.deepEqual(
      searchRuns(RUNS, { orderBy: ['metrics.rmse'], maxResults: 2 }).map((r) => r.info.runId),
      ['a1', 'b2'],
    );
    assert.deepEqual(
      searchRuns(RUNS, { maxResults: 1 }).map((r) => r.info.runId),
      ['d4'],
    );
    const many = Array.from({ length: 1005 }, (_, i) => run(`r${String(i).padStart(4, '0')}`, { start: i }));
    const found = searchRuns(many);
    assert.equal(found.length, 1000);
    assert.equal(found[0].info.runId, 'r1004');
    assert.equal(found[999].info.runId, 'r0005');
    assert.equal(searchRuns(many, { maxResults: 1005 }).length, 1005);
  });

  it('rejects a maxResults that is not an integer of at least 1 with a RangeError', () => {
    for (const maxResults of [0, -1, 1.5, Number.NaN]) assert.throws(() => searchRuns(RUNS, { maxResults }), RangeError);
  });

  it('rejects bad order_by items with a FilterParseError at the column within the item', () => {
    parseError(() => find('', ['metrics.rmse UP']), 14);
    parseError(() => find('', ['metrics.rmse -DESC']), 14);
    parseError(() => find('', ['metrics.rmse ASC DESC']), 18);
    parseError(() => find('', ['metrics.rmse ASC, params.x']), 17);
    parseError(() => find('', ['rmse DESC']), 1);
    parseError(() => find('', ['attributes.colour']), 1);
    parseError(() => find('', ['metrics.rmse', 'params.']), 1);
  });

  it('returns new arrays and leaves the runs given untouched', () => {
    const runs = [...RUNS];
    const found = searchRuns(runs, { orderBy: ['metrics.rmse'] });
    assert.notEqual(found, runs);
    assert.deepEqual(
      runs.map((r) => r.info.runId),
      ['a1', 'b2', 'c3', 'd4'],
    );
  });
});
