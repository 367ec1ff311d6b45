import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  auditLeakage,
  compareOnlineOffline,
  getHistoricalFeatures,
  naiveLatestJoin,
  type EntityRow,
  type FeatureRow,
  type FeatureValue,
  type FeatureView,
  type JoinedRow,
  type ServedVector,
} from '../src/pit';

// ---------------------------------------------------------------------------------------------------------
// Helpers. Times are ms on 2024-01-01 (UTC).

const HOUR = 3_600_000;
const MINUTE = 60_000;
const at = (hh: number, mm = 0, ss = 0): number => Date.UTC(2024, 0, 1, hh, mm, ss);

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const inner of Object.values(value as object)) deepFreeze(inner);
  }
  return value;
}

function row(entity: Record<string, string | number>, eventTimestamp: number, values: Record<string, FeatureValue>, createdTimestamp?: number): FeatureRow {
  return createdTimestamp === undefined ? { entity, eventTimestamp, values } : { entity, eventTimestamp, createdTimestamp, values };
}

function view(name: string, joinKeys: string[], features: string[], ttlMs: number, rows: FeatureRow[]): FeatureView {
  return deepFreeze({ name, joinKeys, features, ttlMs, rows });
}

function entities(...rows: [Record<string, string | number>, number][]): EntityRow[] {
  return deepFreeze(rows.map(([entity, eventTimestamp]) => ({ entity, eventTimestamp })));
}

/** The worked example of LAB_FACTS §10 (Feast semantics, ttl 2h, created timestamps present). */
function driverStats(): FeatureView {
  return view('driver_stats', ['driver_id'], ['trips'], 2 * HOUR, [
    row({ driver_id: 1001 }, at(9), { trips: 10 }, at(9, 5)),
    row({ driver_id: 1001 }, at(10), { trips: 12 }, at(10, 1)),
    row({ driver_id: 1001 }, at(10), { trips: 13 }, at(10, 30)),
    row({ driver_id: 1001 }, at(12, 30), { trips: 20 }, at(12, 31)),
    row({ driver_id: 1002 }, at(8), { trips: 5 }, at(8, 1)),
  ]);
}

function workedEntities(): EntityRow[] {
  return entities(
    [{ driver_id: 1001 }, at(8, 30)],
    [{ driver_id: 1001 }, at(10)],
    [{ driver_id: 1001 }, at(11, 59)],
    [{ driver_id: 1001 }, at(12, 1)],
    [{ driver_id: 1001 }, at(12, 30)],
    [{ driver_id: 1002 }, at(10)],
    [{ driver_id: 1002 }, at(10, 0, 1)],
    [{ driver_id: 1003 }, at(10)],
  );
}

const column = (joined: JoinedRow[], name: string): FeatureValue[] => joined.map((r) => r.features[name]);

/** A brute-force point-in-time join, written as plainly as possible: the oracle for random tables. */
function bruteForce(entityRows: readonly EntityRow[], views: readonly FeatureView[]): JoinedRow[] {
  return entityRows.map((entityRow) => {
    const out: JoinedRow = { entity: { ...entityRow.entity }, eventTimestamp: entityRow.eventTimestamp, features: {}, featureTimestamps: {} };
    const t = entityRow.eventTimestamp;
    for (const v of views) {
      let best = -1;
      v.rows.forEach((r, i) => {
        if (!v.joinKeys.every((k) => r.entity[k] === entityRow.entity[k])) return;
        if (r.eventTimestamp > t) return;
        if (v.ttlMs > 0 && r.eventTimestamp < t - v.ttlMs) return;
        if (best < 0) {
          best = i;
          return;
        }
        const b = v.rows[best];
        const later =
          r.eventTimestamp > b.eventTimestamp ||
          (r.eventTimestamp === b.eventTimestamp && (r.createdTimestamp ?? -Infinity) >= (b.createdTimestamp ?? -Infinity));
        if (later) best = i;
      });
      for (const f of v.features) out.features[`${v.name}__${f}`] = best < 0 ? null : (v.rows[best].values[f] ?? null);
      out.featureTimestamps[v.name] = best < 0 ? null : v.rows[best].eventTimestamp;
    }
    return out;
  });
}

function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// ---------------------------------------------------------------------------------------------------------
// Task 1: the point-in-time join

describe('join', () => {
  it('reproduces the worked example: TTL window, created-timestamp tie-break, nulls', () => {
    const joined = getHistoricalFeatures(workedEntities(), [driverStats()]);
    assert.deepEqual(column(joined, 'driver_stats__trips'), [null, 13, 13, null, 20, 5, null, null]);
    assert.deepEqual(
      joined.map((r) => r.featureTimestamps.driver_stats),
      [null, at(10), at(10), null, at(12, 30), at(8), null, null],
    );
  });

  it('takes a value stamped exactly at the event time (inclusive upper bound)', () => {
    const v = view('v', ['id'], ['x'], 0, [row({ id: 'a' }, 100, { x: 1 }), row({ id: 'a' }, 200, { x: 2 }), row({ id: 'a' }, 201, { x: 3 })]);
    const joined = getHistoricalFeatures(entities([{ id: 'a' }, 200], [{ id: 'a' }, 199], [{ id: 'a' }, 99]), [v]);
    assert.deepEqual(column(joined, 'v__x'), [2, 1, null]);
  });

  it('keeps a value exactly ttl old and drops one a millisecond older', () => {
    const v = view('v', ['id'], ['x'], 1000, [row({ id: 'a' }, 5000, { x: 1 })]);
    const joined = getHistoricalFeatures(entities([{ id: 'a' }, 6000], [{ id: 'a' }, 6001], [{ id: 'a' }, 5500]), [v]);
    assert.deepEqual(column(joined, 'v__x'), [1, null, 1]);
    assert.deepEqual(
      joined.map((r) => r.featureTimestamps.v),
      [5000, null, 5000],
    );
  });

  it('looks back without limit when ttlMs is 0', () => {
    const v = view('v', ['id'], ['x'], 0, [row({ id: 'a' }, 0, { x: 'old' }), row({ id: 'b' }, at(23), { x: 'new' })]);
    const joined = getHistoricalFeatures(entities([{ id: 'a' }, at(23, 59)], [{ id: 'a' }, 0], [{ id: 'b' }, at(22)]), [v]);
    assert.deepEqual(column(joined, 'v__x'), ['old', 'old', null]);
  });

  it('measures the TTL from each entity row’s own timestamp', () => {
    const v = view('v', ['id'], ['x'], 10, [row({ id: 'a' }, 0, { x: 1 }), row({ id: 'a' }, 50, { x: 2 }), row({ id: 'a' }, 100, { x: 3 })]);
    const joined = getHistoricalFeatures(entities([{ id: 'a' }, 65], [{ id: 'a' }, 105], [{ id: 'a' }, 60]), [v]);
    assert.deepEqual(column(joined, 'v__x'), [null, 3, 2]);
  });

  it('breaks event-timestamp ties by the latest created timestamp, even one created after the event', () => {
    const v = view('v', ['id'], ['x'], 0, [
      row({ id: 'a' }, 100, { x: 'late-created' }, 500),
      row({ id: 'a' }, 100, { x: 'early-created' }, 101),
      row({ id: 'a' }, 90, { x: 'older' }, 9999),
    ]);
    const joined = getHistoricalFeatures(entities([{ id: 'a' }, 100], [{ id: 'a' }, 95]), [v]);
    assert.deepEqual(column(joined, 'v__x'), ['late-created', 'older']);
  });

  it('breaks a full tie by the later row in the view, and ranks a missing createdTimestamp lowest', () => {
    const tie = view('tie', ['id'], ['x'], 0, [row({ id: 'a' }, 100, { x: 'first' }, 7), row({ id: 'a' }, 100, { x: 'second' }, 7)]);
    const mixed = view('mixed', ['id'], ['x'], 0, [row({ id: 'a' }, 100, { x: 'created' }, 1), row({ id: 'a' }, 100, { x: 'no-created' })]);
    const bare = view('bare', ['id'], ['x'], 0, [row({ id: 'a' }, 100, { x: 'one' }), row({ id: 'a' }, 100, { x: 'two' })]);
    const joined = getHistoricalFeatures(entities([{ id: 'a' }, 100]), [tie, mixed, bare]);
    assert.deepEqual(joined[0].features, { tie__x: 'second', mixed__x: 'created', bare__x: 'two' });
  });

  it('keeps every entity row, in order, with null features and timestamps when nothing qualifies', () => {
    const v = view('v', ['id'], ['x', 'y'], 0, [row({ id: 'a' }, 100, { x: 1, y: 2 })]);
    const input = entities([{ id: 'zz' }, 100], [{ id: 'a' }, 100], [{ id: 'a' }, 50]);
    const joined = getHistoricalFeatures(input, [v]);
    assert.deepEqual(joined, [
      { entity: { id: 'zz' }, eventTimestamp: 100, features: { v__x: null, v__y: null }, featureTimestamps: { v: null } },
      { entity: { id: 'a' }, eventTimestamp: 100, features: { v__x: 1, v__y: 2 }, featureTimestamps: { v: 100 } },
      { entity: { id: 'a' }, eventTimestamp: 50, features: { v__x: null, v__y: null }, featureTimestamps: { v: null } },
    ]);
    assert.deepEqual(getHistoricalFeatures([], [v]), []);
  });

  it('joins each view on its own join keys and TTL, prefixing view__feature', () => {
    const drivers = view('driver_stats', ['driver_id'], ['rating', 'trips'], HOUR, [
      row({ driver_id: 1 }, at(9), { rating: 4.5, trips: 3 }),
      row({ driver_id: 2 }, at(9), { rating: 3.9, trips: 8 }),
    ]);
    const customers = view('customer_stats', ['customer_id'], ['rating'], 0, [row({ customer_id: 'c1' }, at(1), { rating: 5 })]);
    const pairs = view('pair_stats', ['driver_id', 'customer_id'], ['rides'], 0, [row({ driver_id: 1, customer_id: 'c1' }, at(8), { rides: 2 })]);
    const joined = getHistoricalFeatures(entities([{ driver_id: 1, customer_id: 'c1' }, at(9, 30)], [{ driver_id: 2, customer_id: 'c1' }, at(10, 30)]), [
      drivers,
      customers,
      pairs,
    ]);
    assert.deepEqual(joined[0].features, { driver_stats__rating: 4.5, driver_stats__trips: 3, customer_stats__rating: 5, pair_stats__rides: 2 });
    assert.deepEqual(joined[1].features, { driver_stats__rating: null, driver_stats__trips: null, customer_stats__rating: 5, pair_stats__rides: null });
    assert.deepEqual(joined[1].featureTimestamps, { driver_stats: null, customer_stats: at(1), pair_stats: null });
  });

  it('needs every column of a composite key to match, with no separator collisions', () => {
    const v = view('v', ['a', 'b'], ['x'], 0, [
      row({ a: 'p|q', b: 'r' }, 10, { x: 'pq-r' }),
      row({ a: 'p', b: 'q|r' }, 10, { x: 'p-qr' }),
      row({ a: 'p', b: 's' }, 10, { x: 'p-s' }),
      row({ a: 'p,"', b: 's' }, 10, { x: 'odd' }),
    ]);
    const joined = getHistoricalFeatures(
      entities([{ a: 'p|q', b: 'r' }, 20], [{ a: 'p', b: 'q|r' }, 20], [{ a: 'p', b: 'r' }, 20], [{ a: 'q', b: 's' }, 20], [{ a: 'p,"', b: 's' }, 20]),
      [v],
    );
    assert.deepEqual(column(joined, 'v__x'), ['pq-r', 'p-qr', null, null, 'odd']);
  });

  it('compares keys by value and type: 7 and "7" are different entities', () => {
    const v = view('v', ['id'], ['x'], 0, [row({ id: 7 }, 10, { x: 'number' }), row({ id: '7' }, 5, { x: 'string' })]);
    const joined = getHistoricalFeatures(entities([{ id: 7 }, 20], [{ id: '7' }, 20]), [v]);
    assert.deepEqual(column(joined, 'v__x'), ['number', 'string']);
  });

  it('takes a chosen row’s null or missing value as null, never an older row’s value', () => {
    const v = view('v', ['id'], ['x', 'y'], 0, [row({ id: 'a' }, 10, { x: 1, y: 1 }), row({ id: 'a' }, 20, { x: null })]);
    const joined = getHistoricalFeatures(entities([{ id: 'a' }, 30]), [v]);
    assert.deepEqual(joined[0].features, { v__x: null, v__y: null });
    assert.equal(joined[0].featureTimestamps.v, 20);
  });

  it('gives duplicate entity rows identical features and ignores extra entity columns', () => {
    const v = view('v', ['id'], ['x'], 0, [row({ id: 'a' }, 10, { x: 1 }), row({ id: 'a' }, 30, { x: 2 })]);
    const joined = getHistoricalFeatures(entities([{ id: 'a', other: 'u' }, 20], [{ id: 'a', other: 'w' }, 20], [{ id: 'a', other: 'u' }, 40]), [v]);
    assert.deepEqual(column(joined, 'v__x'), [1, 1, 2]);
    assert.deepEqual(joined[1].entity, { id: 'a', other: 'w' });
  });

  it('does not modify its inputs', () => {
    const rows = [row({ id: 'a' }, 30, { x: 3 }, 1), row({ id: 'a' }, 10, { x: 1 }, 1), row({ id: 'b' }, 20, { x: 2 }, 1)];
    const v = view('v', ['id'], ['x'], 0, rows);
    const input = entities([{ id: 'b' }, 25], [{ id: 'a' }, 35], [{ id: 'a' }, 15]);
    const before = JSON.stringify([input, v]);
    const joined = getHistoricalFeatures(input, [v]);
    assert.equal(JSON.stringify([input, v]), before);
    assert.deepEqual(column(joined, 'v__x'), [2, 3, 1]);
  });

  it('rejects bad tables with a RangeError', () => {
    const v = view('v', ['id'], ['x'], 0, [row({ id: 'a' }, 10, { x: 1 })]);
    assert.throws(() => getHistoricalFeatures(entities([{ other: 'a' }, 10]), [v]), RangeError);
    assert.throws(() => getHistoricalFeatures(entities([{ id: 'a' }, 10]), [view('v', ['id'], ['x'], -1, [])]), RangeError);
    assert.throws(() => getHistoricalFeatures(entities([{ id: 'a' }, 10]), [v, view('v', ['id'], ['y'], 0, [])]), RangeError);
    assert.throws(() => getHistoricalFeatures(entities([{ id: 'a' }, Number.NaN]), [v]), RangeError);
    assert.throws(() => getHistoricalFeatures(entities([{ id: 'a' }, 10]), [view('v', ['id'], ['x'], Number.POSITIVE_INFINITY, [])]), RangeError);
    assert.throws(() => getHistoricalFeatures(entities([{ id: 'a' }, 10]), [view('v', [], ['x'], 0, [])]), RangeError);
    assert.throws(() => getHistoricalFeatures(entities([{ id: 'a' }, 10]), [view('v', ['id'], ['x'], 0, [row({ id: 'a' }, Number.NaN, { x: 1 })])]), RangeError);
    assert.throws(() => getHistoricalFeatures(entities([{ id: 'a' }, 10]), [view('v', ['id'], ['x'], 0, [row({ id: 'a' }, 5, { x: 1 }, Number.POSITIVE_INFINITY)])]), RangeError);
    assert.throws(() => getHistoricalFeatures(entities([{ id: Number.NaN }, 10]), [v]), RangeError, 'a key value must be a string or a finite number');
  });

  it('matches a brute-force join on random tables', () => {
    const rng = mulberry32(2024);
    const pick = <T>(items: readonly T[]): T => items[Math.floor(rng() * items.length)];
    for (let round = 0; round < 30; round += 1) {
      const ids = [1, 2, 3, '1', 'x'];
      const regions = ['eu', 'us'];
      const makeRows = (n: number, keys: string[]) =>
        Array.from({ length: n }, () => {
          const entity: Record<string, string | number> = {};
          for (const k of keys) entity[k] = k === 'id' ? pick(ids) : pick(regions);
          const created = rng() < 0.8 ? Math.floor(rng() * 5) : undefined;
          const value = rng() < 0.1 ? null : Math.floor(rng() * 1000);
          return row(entity, Math.floor(rng() * 40), { f: value, g: String(value) }, created);
        });
      const views = [
        view('by_id', ['id'], ['f'], pick([0, 3, 10]), makeRows(25, ['id'])),
        view('by_both', ['id', 'region'], ['f', 'g'], pick([0, 5]), makeRows(25, ['id', 'region'])),
      ];
      const input = deepFreeze(
        Array.from({ length: 30 }, () => ({ entity: { id: pick(ids), region: pick(regions) }, eventTimestamp: Math.floor(rng() * 45) })),
      );
      assert.deepEqual(getHistoricalFeatures(input, views), bruteForce(input, views), `round ${round}`);
    }
  });
});

// ---------------------------------------------------------------------------------------------------------
// Task 2: the leakage audit

describe('leakage', () => {
  it('flags the worked example’s naive join: which rows, which view, how far in the future', () => {
    const views = [driverStats()];
    const naive = naiveLatestJoin(workedEntities(), views);
    assert.deepEqual(column(naive, 'driver_stats__trips'), [20, 20, 20, 20, 20, 5, 5, null]);
    assert.deepEqual(naive[6].entity, { driver_id: 1002 });
    const report = auditLeakage(naive, views);
    const future = report.findings.filter((f) => f.kind === 'future');
    assert.deepEqual(
      future.map((f) => [f.row, f.view, f.deltaMs]),
      [
        [0, 'driver_stats', 4 * HOUR],
        [1, 'driver_stats', 2.5 * HOUR],
        [2, 'driver_stats', 31 * MINUTE],
        [3, 'driver_stats', 29 * MINUTE],
      ],
    );
    assert.deepEqual(future[0], { row: 0, view: 'driver_stats', kind: 'future', eventTimestamp: at(8, 30), featureTimestamp: at(12, 30), deltaMs: 4 * HOUR });
    assert.deepEqual(report.leakedRows, [0, 1, 2, 3]);
    assert.equal(report.leakedRate, 0.5);
    assert.equal(report.maxFutureMs, 4 * HOUR);
  });

  it('takes each entity’s latest row in the naive join, ties broken as in the point-in-time join', () => {
    const v = view('v', ['id'], ['x'], 0, [
      row({ id: 'a' }, 100, { x: 'late-created' }, 500),
      row({ id: 'a' }, 100, { x: 'early-created' }, 101),
      row({ id: 'a' }, 100, { x: 'no-created' }),
      row({ id: 'a' }, 90, { x: 'older' }, 9999),
      row({ id: 'b' }, 100, { x: 'first' }, 7),
      row({ id: 'b' }, 100, { x: 'second' }, 7),
      row({ id: 'b' }, 50, { x: 'old' }, 1),
      row({ id: 'd' }, 100, { x: 'bare' }),
      row({ id: 'd' }, 100, { x: 'created' }, 1),
    ]);
    const naive = naiveLatestJoin(entities([{ id: 'a' }, 10], [{ id: 'b' }, 10], [{ id: 'c' }, 10], [{ id: 'd' }, 10]), [v]);
    assert.deepEqual(column(naive, 'v__x'), ['late-created', 'second', null, 'created']);
    assert.deepEqual(
      naive.map((r) => r.featureTimestamps.v),
      [100, 100, null, 100],
    );
  });

  it('does not flag a value stamped exactly at the event time', () => {
    const joined: JoinedRow[] = [
      { entity: { id: 1 }, eventTimestamp: 100, features: { v__x: 1 }, featureTimestamps: { v: 100 } },
      { entity: { id: 1 }, eventTimestamp: 100, features: { v__x: 1 }, featureTimestamps: { v: 101 } },
    ];
    const report = auditLeakage(deepFreeze(joined), [{ name: 'v', ttlMs: 0 }]);
    assert.deepEqual(report.leakedRows, [1]);
    assert.deepEqual(
      report.findings.map((f) => [f.row, f.kind, f.deltaMs]),
      [[1, 'future', 1]],
    );
  });

  it('reports expired values by how far they fall outside the TTL window, not at its edge', () => {
    const views = [driverStats()];
    const report = auditLeakage(naiveLatestJoin(workedEntities(), views), views);
    const expired = report.findings.filter((f) => f.kind === 'expired');
    assert.deepEqual(expired, [{ row: 6, view: 'driver_stats', kind: 'expired', eventTimestamp: at(10, 0, 1), featureTimestamp: at(8), deltaMs: 1000 }]);
    assert.deepEqual(report.byView, { driver_stats: { future: 4, expired: 1, maxFutureMs: 4 * HOUR } });
    assert.ok(!report.leakedRows.includes(6), 'an expired value is not a future one');
  });

  it('never reports an expired value for a view with ttlMs 0', () => {
    const joined: JoinedRow[] = [{ entity: { id: 1 }, eventTimestamp: at(23), features: { v__x: 1 }, featureTimestamps: { v: 0 } }];
    const report = auditLeakage(deepFreeze(joined), [{ name: 'v', ttlMs: 0 }]);
    assert.deepEqual(report.findings, []);
    assert.deepEqual(report.byView, { v: { future: 0, expired: 0, maxFutureMs: 0 } });
  });

  it('counts a row once in the rate however many views leak, and keeps per-view maxima apart', () => {
    const joined: JoinedRow[] = [
      { entity: { id: 1 }, eventTimestamp: 1000, features: {}, featureTimestamps: { a: 1500, b: 3000 } },
      { entity: { id: 2 }, eventTimestamp: 1000, features: {}, featureTimestamps: { a: 900, b: null } },
      { entity: { id: 3 }, eventTimestamp: 1000, features: {}, featureTimestamps: { a: null, b: 1200 } },
      { entity: { id: 4 }, eventTimestamp: 1000, features: {}, featureTimestamps: { a: 1000, b: 1000 } },
    ];
    const report = auditLeakage(deepFreeze(joined), [
      { name: 'a', ttlMs: 0 },
      { name: 'b', ttlMs: 0 },
    ]);
    assert.deepEqual(report.leakedRows, [0, 2]);
    assert.equal(report.leakedRate, 0.5);
    assert.equal(report.maxFutureMs, 2000);
    assert.deepEqual(report.byView, { a: { future: 1, expired: 0, maxFutureMs: 500 }, b: { future: 2, expired: 0, maxFutureMs: 2000 } });
    assert.deepEqual(
      report.findings.map((f) => [f.row, f.view, f.deltaMs]),
      [
        [0, 'a', 500],
        [0, 'b', 2000],
        [2, 'b', 200],
      ],
    );
  });

  it('rejects a ttlMs that is negative or not finite with a RangeError', () => {
    assert.throws(() => auditLeakage([], [{ name: 'v', ttlMs: -1 }]), RangeError);
    assert.throws(() => auditLeakage([], [{ name: 'v', ttlMs: Number.POSITIVE_INFINITY }]), RangeError);
    assert.throws(() => auditLeakage([], [{ name: 'v', ttlMs: Number.NaN }]), RangeError);
  });

  it('finds nothing in a point-in-time join’s own output, and nothing in an empty table', () => {
    const views = [driverStats()];
    const report = auditLeakage(getHistoricalFeatures(workedEntities(), views), views);
    assert.deepEqual(report.findings, []);
    assert.deepEqual(report.leakedRows, []);
    assert.equal(report.leakedRate, 0);
    assert.equal(report.maxFutureMs, 0);
    const empty = auditLeakage([], views);
    assert.equal(empty.leakedRate, 0);
    assert.deepEqual(empty.findings, []);
  });
});

// ---------------------------------------------------------------------------------------------------------
// Task 3: online/offline skew

function offlineRow(id: number, eventTimestamp: number, features: Record<string, FeatureValue>): JoinedRow {
  return { entity: { id }, eventTimestamp, features, featureTimestamps: {} };
}

function servedRow(id: number, eventTimestamp: number, features: Record<string, FeatureValue | undefined>): ServedVector {
  return { entity: { id }, eventTimestamp, features };
}

describe('skew', () => {
  it('counts compared rows, mismatches and the rate per feature', () => {
    const offline = deepFreeze([
      offlineRow(1, 10, { v__x: 1, v__y: 'a' }),
      offlineRow(2, 10, { v__x: 2, v__y: 'b' }),
      offlineRow(3, 10, { v__x: 3, v__y: 'c' }),
    ]);
    const served = deepFreeze([
      servedRow(1, 10, { v__x: 1, v__y: 'a' }),
      servedRow(2, 10, { v__x: 2.5, v__y: 'b' }),
      servedRow(3, 10, { v__x: 4, v__y: 'c' }),
      servedRow(4, 10, { v__x: 1 }),
    ]);
    const report = compareOnlineOffline(served, offline);
    assert.equal(report.compared, 3);
    assert.deepEqual(report.unmatched, [3]);
    assert.deepEqual(report.features.v__x, {
      compared: 3,
      mismatches: 2,
      rate: 2 / 3,
      examples: [
        { index: 1, online: 2.5, offline: 2 },
        { index: 2, online: 4, offline: 3 },
      ],
    });
    assert.deepEqual(report.features.v__y, { compared: 3, mismatches: 0, rate: 0, examples: [] });
  });

  it('accepts |online − offline| ≤ absTolerance + relTolerance × |offline|, boundary included', () => {
    const offline = deepFreeze([offlineRow(1, 10, { f: 1 }), offlineRow(2, 10, { f: 1 }), offlineRow(3, 10, { f: 0.1 }), offlineRow(4, 10, { f: 2 })]);
    const served = deepFreeze([
      servedRow(1, 10, { f: 1.5 }),
      servedRow(2, 10, { f: 1.5000001 }),
      servedRow(3, 10, { f: 0.10000000149011612 }),
      servedRow(4, 10, { f: 1.25 }),
    ]);
    const strict = compareOnlineOffline(served, offline, { absTolerance: 0.5, relTolerance: 0 });
    assert.deepEqual(
      strict.features.f.examples.map((e) => e.index),
      [1, 3],
    );
    const mixed = compareOnlineOffline(served, offline, { absTolerance: 0.25, relTolerance: 0.25 });
    assert.deepEqual(
      mixed.features.f.examples.map((e) => e.index),
      [1],
      '|1.5 − 1| = 0.5 ≤ 0.25 + 0.25 × 1 is a match; 1.5000001 is not; 2 vs 1.25: 0.75 ≤ 0.75 matches',
    );
    const defaults = compareOnlineOffline(served, offline);
    assert.deepEqual(
      defaults.features.f.examples.map((e) => e.index),
      [0, 1, 3],
      'a float32 round trip of 0.1 is within the default tolerances',
    );
  });

  it('scales the relative tolerance by the offline value, not the online one', () => {
    const offline = deepFreeze([offlineRow(1, 10, { f: 100 }), offlineRow(2, 10, { f: 110 })]);
    const served = deepFreeze([servedRow(1, 10, { f: 110 }), servedRow(2, 10, { f: 100 })]);
    const report = compareOnlineOffline(served, offline, { absTolerance: 0, relTolerance: 0.095 });
    // |110 − 100| = 10: within 0.095 × 110 = 10.45 (offline 110), not within 0.095 × 100 = 9.5 (offline 100).
    assert.deepEqual(
      report.features.f.examples.map((e) => e.index),
      [0],
    );
  });

  it('treats null and a missing served feature as equal only to null, never to 0 or ""', () => {
    const offline = deepFreeze([
      offlineRow(1, 10, { f: null, g: 0 }),
      offlineRow(2, 10, { f: null, g: null }),
      offlineRow(3, 10, { f: 0, g: '' }),
      offlineRow(4, 10, { f: null, g: 5 }),
    ]);
    const served = deepFreeze([
      servedRow(1, 10, { f: null, g: null }),
      servedRow(2, 10, {}),
      servedRow(3, 10, { f: null, g: null }),
      servedRow(4, 10, { f: 0 }),
    ]);
    const report = compareOnlineOffline(served, offline);
    assert.deepEqual(report.features.f, {
      compared: 4,
      mismatches: 2,
      rate: 0.5,
      examples: [
        { index: 2, online: null, offline: 0 },
        { index: 3, online: 0, offline: null },
      ],
    });
    assert.deepEqual(
      report.features.g.examples.map((e) => [e.index, e.online, e.offline]),
      [
        [0, null, 0],
        [2, null, ''],
        [3, null, 5],
      ],
    );
  });

  it('matches served vectors by every entity key and the timestamp, reporting unmatched ones', () => {
    const offline = deepFreeze([
      { entity: { driver: 1, city: 'a' }, eventTimestamp: 10, features: { f: 1 }, featureTimestamps: {} },
      { entity: { driver: 1, city: 'a' }, eventTimestamp: 20, features: { f: 2 }, featureTimestamps: {} },
      { entity: { driver: 1, city: 'b' }, eventTimestamp: 10, features: { f: 3 }, featureTimestamps: {} },
    ]);
    const served: ServedVector[] = deepFreeze([
      { entity: { city: 'a', driver: 1 }, eventTimestamp: 20, features: { f: 2 } },
      { entity: { driver: 1, city: 'b' }, eventTimestamp: 10, features: { f: 3 } },
      { entity: { driver: 1, city: 'b' }, eventTimestamp: 20, features: { f: 3 } },
      { entity: { driver: '1', city: 'a' }, eventTimestamp: 10, features: { f: 1 } },
      { entity: { driver: 1, city: 'a' }, eventTimestamp: 10, features: { f: 1 } },
    ]);
    const report = compareOnlineOffline(served, offline);
    assert.equal(report.compared, 3);
    assert.deepEqual(report.unmatched, [2, 3]);
    assert.deepEqual(report.features.f, { compared: 3, mismatches: 0, rate: 0, examples: [] });
  });

  it('compares strings and booleans exactly, NaN only with NaN and infinities only with themselves', () => {
    const offline = deepFreeze([
      offlineRow(1, 10, { s: 'A', b: true, n: Number.NaN }),
      offlineRow(2, 10, { s: '1', b: false, n: Number.POSITIVE_INFINITY }),
      offlineRow(3, 10, { s: 'x', b: true, n: 1 }),
    ]);
    const served = deepFreeze([
      servedRow(1, 10, { s: 'a', b: true, n: Number.NaN }),
      servedRow(2, 10, { s: 1, b: 0 as unknown as boolean, n: Number.POSITIVE_INFINITY }),
      servedRow(3, 10, { s: 'x', b: 'true' as unknown as boolean, n: Number.NaN }),
    ]);
    const report = compareOnlineOffline(served, offline, { absTolerance: 1e300 });
    assert.deepEqual([report.features.s.mismatches, report.features.b.mismatches, report.features.n.mismatches], [2, 2, 1]);
    assert.deepEqual(report.features.n.examples, [{ index: 2, online: Number.NaN, offline: 1 }]);
    const inf = compareOnlineOffline([servedRow(2, 10, { n: Number.NEGATIVE_INFINITY })], [offlineRow(2, 10, { n: Number.POSITIVE_INFINITY })]);
    assert.equal(inf.features.n.mismatches, 1);
    const finiteVsInf = compareOnlineOffline([servedRow(2, 10, { n: 1e308 })], [offlineRow(2, 10, { n: Number.POSITIVE_INFINITY })]);
    assert.equal(finiteVsInf.features.n.mismatches, 1, 'a finite value never equals an infinite one, however large the relative tolerance');
    const mixed = compareOnlineOffline([servedRow(2, 10, { n: '2' as unknown as number })], [offlineRow(2, 10, { n: 2 })]);
    assert.equal(mixed.features.n.mismatches, 1, 'the string "2" is not the number 2');
  });

  it('keeps the first maxExamples mismatches per feature, in served order', () => {
    const offline = deepFreeze(Array.from({ length: 6 }, (_, i) => offlineRow(i, 10, { f: i })));
    const served = deepFreeze(Array.from({ length: 6 }, (_, i) => servedRow(5 - i, 10, { f: 100 + i })));
    const report = compareOnlineOffline(served, offline, { maxExamples: 2 });
    assert.deepEqual(report.features.f.examples, [
      { index: 0, online: 100, offline: 5 },
      { index: 1, online: 101, offline: 4 },
    ]);
    assert.equal(report.features.f.mismatches, 6);
    assert.equal(compareOnlineOffline(served, offline).features.f.examples.length, 3);
    const none = compareOnlineOffline(served, offline, { maxExamples: 0 });
    assert.deepEqual([none.features.f.mismatches, none.features.f.examples], [6, []], 'maxExamples 0 keeps counting, with no examples');
    assert.deepEqual(compareOnlineOffline([], offline).features.f, { compared: 0, mismatches: 0, rate: 0, examples: [] });
  });

  it('rejects negative or non-finite tolerances with a RangeError', () => {
    const offline = [offlineRow(1, 10, { f: 1 })];
    assert.throws(() => compareOnlineOffline([], offline, { absTolerance: -1 }), RangeError);
    assert.throws(() => compareOnlineOffline([], offline, { relTolerance: Number.NaN }), RangeError);
    assert.throws(() => compareOnlineOffline([], offline, { maxExamples: -1 }), RangeError);
    assert.throws(() => compareOnlineOffline([], offline, { relTolerance: -1e-9 }), RangeError);
    assert.throws(() => compareOnlineOffline([], offline, { absTolerance: Number.POSITIVE_INFINITY }), RangeError);
    assert.throws(() => compareOnlineOffline([], offline, { maxExamples: 1.5 }), RangeError);
  });
});

// ---------------------------------------------------------------------------------------------------------
// Task 4: scale. The budget is a count of reads of the feature rows' fields, as a ratio to the count a nested
// loop makes on the same tables (measured on a sample of entity rows and scaled up). No clock is involved.

let reads = 0;
let readLimit = Infinity;
const counting: ProxyHandler<FeatureRow> = {
  get(target, property, receiver) {
    reads += 1;
    if (reads > readLimit) throw new Error(`read budget of ${readLimit} exceeded: the join is scanning the feature rows per entity row`);
    return Reflect.get(target, property, receiver) as unknown;
  },
};

function countedRow(
  entity: Record<string, string | number>,
  eventTimestamp: number,
  createdTimestamp: number,
  values: Record<string, FeatureValue>,
): FeatureRow {
  return new Proxy<FeatureRow>({ entity, eventTimestamp, createdTimestamp, values }, counting);
}

/** The nested loop the budget is measured against: every feature row of every view for each entity row. */
function nestedLoop(entityRows: readonly EntityRow[], views: readonly FeatureView[]): (FeatureValue | null)[][] {
  return entityRows.map((e) => {
    const t = e.eventTimestamp;
    const values: (FeatureValue | null)[] = [];
    for (const v of views) {
      let best: FeatureRow | undefined;
      for (const r of v.rows) {
        const entity = r.entity;
        if (!v.joinKeys.every((k) => entity[k] === e.entity[k])) continue;
        const ts = r.eventTimestamp;
        if (ts > t || (v.ttlMs > 0 && ts < t - v.ttlMs)) continue;
        if (!best || ts > best.eventTimestamp || (ts === best.eventTimestamp && (r.createdTimestamp ?? -Infinity) >= (best.createdTimestamp ?? -Infinity)))
          best = r;
      }
      for (const f of v.features) values.push(best ? (best.values[f] ?? null) : null);
    }
    return values;
  });
}

/** A view over counted rows; not deep-frozen, because freezing would read every row through the proxy. */
function plainView(name: string, joinKeys: string[], features: string[], ttlMs: number, rows: FeatureRow[]): FeatureView {
  return Object.freeze({ name, joinKeys, features, ttlMs, rows: Object.freeze(rows) });
}

const RATIO = 500;
const SAMPLE = 20;

function checkWithinBudget(entityRows: EntityRow[], views: FeatureView[]): void {
  const sample = entityRows.slice(0, SAMPLE);
  reads = 0;
  readLimit = Infinity;
  const expected = nestedLoop(sample, views);
  const nestedReads = (reads * entityRows.length) / SAMPLE;
  const budget = Math.floor(nestedReads / RATIO);
  reads = 0;
  readLimit = budget;
  let joined: JoinedRow[];
  try {
    joined = getHistoricalFeatures(entityRows, views);
  } finally {
    readLimit = Infinity;
  }
  const used = reads;
  assert.ok(used <= budget, `read the feature rows ${used} times; the budget is ${budget} (a nested loop would read them ~${nestedReads})`);
  assert.equal(joined.length, entityRows.length);
  const got = joined.slice(0, SAMPLE).map((r) => views.flatMap((v) => v.features.map((f) => r.features[`${v.name}__${f}`])));
  assert.deepEqual(got, expected);
}

describe('scale', () => {
  it('joins 100k entity rows against 150k feature rows in two views within 1/500 of a nested loop’s reads', () => {
    const rng = mulberry32(7);
    const span = 7 * 24 * HOUR;
    const drivers = Array.from({ length: 100_000 }, () => {
      const t = Math.floor(rng() * span);
      return countedRow({ driver_id: Math.floor(rng() * 10) }, t, t + Math.floor(rng() * 3) * MINUTE, { trips: Math.floor(rng() * 50) });
    });
    const customers = Array.from({ length: 50_000 }, () => {
      const t = Math.floor(rng() * span);
      return countedRow({ customer_id: `c${Math.floor(rng() * 10)}` }, t, t, { spend: Math.floor(rng() * 500) / 4, tier: rng() < 0.5 ? 'gold' : null });
    });
    const views = [
      plainView('driver_hourly', ['driver_id'], ['trips'], 5 * MINUTE, drivers),
      plainView('customer_profile', ['customer_id'], ['spend', 'tier'], 0, customers),
    ];
    const entityRows = Array.from({ length: 100_000 }, () => ({
      entity: { driver_id: Math.floor(rng() * 10), customer_id: `c${Math.floor(rng() * 10)}` },
      eventTimestamp: Math.floor(rng() * span),
    }));
    checkWithinBudget(entityRows, views);
  });

  it('stays within budget when one entity owns every row and the tables arrive sorted backwards', () => {
    const n = 100_000;
    const rows = Array.from({ length: n }, (_, i) => countedRow({ id: 'solo' }, (n - i) * 1000, (n - i) * 1000 + (i % 3), { x: n - i }));
    const views = [plainView('solo', ['id'], ['x'], 5_000, rows)];
    const rng = mulberry32(11);
    const entityRows = Array.from({ length: n }, () => ({ entity: { id: 'solo' }, eventTimestamp: Math.floor(rng() * (n + 10)) * 1000 + 500 }));
    checkWithinBudget(entityRows, views);
  });
});
