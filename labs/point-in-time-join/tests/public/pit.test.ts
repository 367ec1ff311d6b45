import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { auditLeakage, compareOnlineOffline, getHistoricalFeatures, naiveLatestJoin, type FeatureView } from '../src/pit';

const HOUR = 3_600_000;
const at = (hh: number, mm = 0): number => Date.UTC(2024, 0, 1, hh, mm);

const trips: FeatureView = {
  name: 'driver_stats',
  joinKeys: ['driver_id'],
  features: ['trips'],
  ttlMs: 2 * HOUR,
  rows: [
    { entity: { driver_id: 7 }, eventTimestamp: at(9), createdTimestamp: at(9, 5), values: { trips: 10 } },
    { entity: { driver_id: 7 }, eventTimestamp: at(12), createdTimestamp: at(12, 5), values: { trips: 20 } },
  ],
};

describe('public: join', () => {
  it('takes the latest value at or before each row’s time, within the TTL', () => {
    const joined = getHistoricalFeatures(
      [
        { entity: { driver_id: 7 }, eventTimestamp: at(8) },
        { entity: { driver_id: 7 }, eventTimestamp: at(10) },
        { entity: { driver_id: 7 }, eventTimestamp: at(11, 30) },
        { entity: { driver_id: 7 }, eventTimestamp: at(12) },
      ],
      [trips],
    );
    assert.deepEqual(
      joined.map((row) => row.features.driver_stats__trips),
      [null, 10, null, 20],
    );
  });
});

describe('public: leakage', () => {
  it('a naive latest-value join leaks the 12:00 value into a 10:00 row', () => {
    const rows = [{ entity: { driver_id: 7 }, eventTimestamp: at(10) }];
    const report = auditLeakage(naiveLatestJoin(rows, [trips]), [trips]);
    assert.deepEqual(report.leakedRows, [0]);
    assert.equal(report.findings[0].deltaMs, 2 * HOUR);
  });
});

describe('public: skew', () => {
  it('counts a served value that differs from the offline one', () => {
    const offline = getHistoricalFeatures([{ entity: { driver_id: 7 }, eventTimestamp: at(12) }], [trips]);
    const report = compareOnlineOffline([{ entity: { driver_id: 7 }, eventTimestamp: at(12), features: { driver_stats__trips: 19 } }], offline);
    assert.equal(report.features.driver_stats__trips.mismatches, 1);
    assert.equal(report.features.driver_stats__trips.rate, 1);
  });
});

describe('public: scale', () => {
  it('joins 20k rows against 20k feature rows', () => {
    const rows = Array.from({ length: 20_000 }, (_, i) => ({ entity: { id: i % 5 }, eventTimestamp: i * 10 + 5, createdTimestamp: i * 10, values: { x: i } }));
    const view: FeatureView = {
      name: 'v',
      joinKeys: ['id'],
      features: ['x'],
      ttlMs: 0,
      rows: rows.map((r) => ({ ...r, eventTimestamp: r.eventTimestamp - 5 })),
    };
    const entityRows = rows.map((r) => ({ entity: r.entity, eventTimestamp: r.eventTimestamp + 1 }));
    const joined = getHistoricalFeatures(entityRows, [view]);
    assert.equal(joined[19_999].features.v__x, 19_999);
    assert.equal(joined[0].features.v__x, 0);
  });
});
