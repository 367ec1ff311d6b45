/**
 * point-in-time-join: the training-set join of a feature store (Feast's get_historical_features), a leakage
 * audit of a naive join, and an online/offline skew check. The README gives every rule; the doc comments
 * repeat the ones you need most. Timestamps are milliseconds since the epoch (UTC) as plain numbers.
 */

/** A join key value. Keys are compared by value and type: 7 and "7" are different entities. */
export type EntityKey = string | number;

/** A feature value; null means "no value". */
export type FeatureValue = number | string | boolean | null;

/** One labelled row of the entity dataframe: its key columns and the time the prediction would have been made. */
export interface EntityRow {
  readonly entity: Readonly<Record<string, EntityKey>>;
  readonly eventTimestamp: number;
}

/** One row of a feature view's source table. */
export interface FeatureRow {
  readonly entity: Readonly<Record<string, EntityKey>>;
  /** When the values became true in the world. */
  readonly eventTimestamp: number;
  /** When the row was written; breaks ties on eventTimestamp. Optional: a row without it loses such ties. */
  readonly createdTimestamp?: number;
  readonly values: Readonly<Record<string, FeatureValue>>;
}

/** A feature view: a table of feature rows joined on its own keys, with its own time-to-live. */
export interface FeatureView {
  readonly name: string;
  /** The entity columns this view is keyed by; every one must match. */
  readonly joinKeys: readonly string[];
  /** The feature columns to fetch, in output order. */
  readonly features: readonly string[];
  /** Oldest usable age in ms: a row qualifies when T − ttlMs ≤ eventTimestamp ≤ T. 0 means no lower bound. */
  readonly ttlMs: number;
  readonly rows: readonly FeatureRow[];
}

/** One output row per entity row, in the entity rows' order. */
export interface JoinedRow {
  entity: Record<string, EntityKey>;
  eventTimestamp: number;
  /** `<view>__<feature>` → the value, or null when nothing qualifies. */
  features: Record<string, FeatureValue>;
  /** view name → eventTimestamp of the feature row that was used, or null. */
  featureTimestamps: Record<string, number | null>;
}

/** The separator between a view's name and a feature's name in the output, as Feast's full_feature_names. */
export const FEATURE_NAME_SEPARATOR = '__';

/** The output column of one feature of one view. */
export function featureColumn(view: string, feature: string): string {
  return `${view}${FEATURE_NAME_SEPARATOR}${feature}`;
}

/**
 * A map key for an entity under a view's join keys. JSON keeps the type (7 vs "7") and cannot collide the way
 * a joined string can ("a|b" + "c" vs "a" + "b|c").
 */
function keyOf(entity: Readonly<Record<string, EntityKey>>, joinKeys: readonly string[]): string {
  return JSON.stringify(
    joinKeys.map((column) => {
      const value = entity[column];
      if (typeof value !== 'string' && !Number.isFinite(value)) throw new RangeError(`a row has no usable value for join key "${column}"`);
      return value;
    }),
  );
}

function checkTime(value: unknown): number {
  if (!Number.isFinite(value)) throw new RangeError(`a timestamp must be a finite number of ms, got ${String(value)}`);
  return value as number;
}

function checkViews(views: readonly FeatureView[]): void {
  const names = new Set<string>();
  for (const view of views) {
    if (names.has(view.name)) throw new RangeError(`two feature views are named "${view.name}"`);
    names.add(view.name);
    if (!Number.isFinite(view.ttlMs) || view.ttlMs < 0) throw new RangeError(`view "${view.name}": ttlMs must be ≥ 0, got ${view.ttlMs}`);
    if (view.joinKeys.length === 0) throw new RangeError(`view "${view.name}" needs at least one join key`);
  }
}

/** The rows of one view, read once into flat arrays so that sorting never goes back to the objects. */
interface Prepared {
  /** Row indices grouped by entity, each group sorted by (eventTimestamp, createdTimestamp, index). */
  groups: Map<string, number[]>;
  event: Float64Array;
  values: Readonly<Record<string, FeatureValue>>[];
}

function prepare(view: FeatureView): Prepared {
  const n = view.rows.length;
  const event = new Float64Array(n);
  const created = new Float64Array(n);
  const values: Readonly<Record<string, FeatureValue>>[] = [];
  const groups = new Map<string, number[]>();
  for (let i = 0; i < n; i += 1) {
    const row = view.rows[i];
    event[i] = checkTime(row.eventTimestamp);
    const c = row.createdTimestamp;
    created[i] = c === undefined ? -Infinity : checkTime(c);
    values.push(row.values);
    const key = keyOf(row.entity, view.joinKeys);
    const group = groups.get(key);
    if (group) group.push(i);
    else groups.set(key, [i]);
  }
  // Ascending, so the last row at or before T is the winner: latest event, then latest created, then later row.
  // The sort is stable and each group holds its rows in table order, so a full tie keeps the later row last
  // (two missing created timestamps give NaN, which sort reads as a tie).
  const order = (a: number, b: number) => event[a] - event[b] || created[a] - created[b];
  for (const group of groups.values()) group.sort(order);
  return { groups, event, values };
}

/**
 * Tasks 1 and 4: Feast's point-in-time join. For each entity row at time T and each view, the feature row with
 * the same join keys and the latest eventTimestamp in [T − ttlMs, T] (both ends inclusive; no lower bound when
 * ttlMs is 0), ties broken by the latest createdTimestamp, then by the later row. Nothing qualifies → nulls.
 * Sort-based: O((E + F) log(E + F)), never a scan of the feature rows per entity row.
 */
export function getHistoricalFeatures(entityRows: readonly EntityRow[], views: readonly FeatureView[]): JoinedRow[] {
  checkViews(views);
  const times = new Float64Array(entityRows.length);
  const out: JoinedRow[] = entityRows.map((row, i) => {
    times[i] = checkTime(row.eventTimestamp);
    return { entity: { ...row.entity }, eventTimestamp: times[i], features: {}, featureTimestamps: {} };
  });

  for (const view of views) {
    const { groups, event, values } = prepare(view);
    // Start every entity row at null, then fill the ones that find a row.
    const chosen = new Int32Array(entityRows.length).fill(-1);
    const wanted = new Map<string, number[]>();
    for (let i = 0; i < entityRows.length; i += 1) {
      const key = keyOf(entityRows[i].entity, view.joinKeys);
      const list = wanted.get(key);
      if (list) list.push(i);
      else wanted.set(key, [i]);
    }
    for (const [key, rowsOfKey] of wanted) {
      const candidates = groups.get(key);
      if (!candidates) continue;
      rowsOfKey.sort((a, b) => times[a] - times[b]);
      // Sweep both sides in time order: p counts the candidates stamped at or before the current T.
      let p = 0;
      for (const i of rowsOfKey) {
        const t = times[i];
        while (p < candidates.length && event[candidates[p]] <= t) p += 1;
        if (p === 0) continue;
        const best = candidates[p - 1];
        if (view.ttlMs > 0 && event[best] < t - view.ttlMs) continue;
        chosen[i] = best;
      }
    }
    for (let i = 0; i < out.length; i += 1) {
      const best = chosen[i];
      for (const feature of view.features) {
        const value = best < 0 ? null : values[best][feature];
        out[i].features[featureColumn(view.name, feature)] = value === undefined ? null : value;
      }
      out[i].featureTimestamps[view.name] = best < 0 ? null : event[best];
    }
  }
  return out;
}

/**
 * Given complete: the join the leakage audit is about. It takes each entity's latest feature row whatever the
 * entity row's time and whatever the TTL (latest event, then latest created, then later row).
 */
export function naiveLatestJoin(entityRows: readonly EntityRow[], views: readonly FeatureView[]): JoinedRow[] {
  const out: JoinedRow[] = entityRows.map((row) => ({ entity: { ...row.entity }, eventTimestamp: row.eventTimestamp, features: {}, featureTimestamps: {} }));
  for (const view of views) {
    const latest = new Map<string, FeatureRow>();
    for (const row of view.rows) {
      const key = JSON.stringify(view.joinKeys.map((k) => row.entity[k]));
      const held = latest.get(key);
      const heldCreated = held?.createdTimestamp ?? -Infinity;
      const created = row.createdTimestamp ?? -Infinity;
      if (!held || row.eventTimestamp > held.eventTimestamp || (row.eventTimestamp === held.eventTimestamp && created >= heldCreated)) latest.set(key, row);
    }
    entityRows.forEach((entityRow, i) => {
      const row = latest.get(JSON.stringify(view.joinKeys.map((k) => entityRow.entity[k])));
      for (const feature of view.features) out[i].features[featureColumn(view.name, feature)] = row ? (row.values[feature] ?? null) : null;
      out[i].featureTimestamps[view.name] = row ? row.eventTimestamp : null;
    });
  }
  return out;
}

/** What the audit needs to know about a view. A FeatureView will do. */
export interface ViewWindow {
  readonly name: string;
  readonly ttlMs: number;
}

export interface LeakageFinding {
  /** Index of the row in the joined table. */
  row: number;
  view: string;
  /** 'future': stamped after the row's event time. 'expired': older than the TTL allows. */
  kind: 'future' | 'expired';
  eventTimestamp: number;
  featureTimestamp: number;
  /** How far outside the window [T − ttl, T], in ms, always > 0: featureTimestamp − T, or (T − ttl) − featureTimestamp. */
  deltaMs: number;
}

export interface ViewLeakage {
  future: number;
  expired: number;
  /** Largest future delta for this view; 0 when none. */
  maxFutureMs: number;
}

export interface LeakageReport {
  /** By row, then by the order of `views`. */
  findings: LeakageFinding[];
  /** Indices of rows with at least one future value, ascending. */
  leakedRows: number[];
  /** leakedRows.length / joined.length; 0 for an empty table. */
  leakedRate: number;
  /** Largest future delta over all views; 0 when none. */
  maxFutureMs: number;
  byView: Record<string, ViewLeakage>;
}

/**
 * Task 2: audit a joined table (typically a naive join) for values it could not have known at prediction time
 * (future) and values the TTL should have excluded (expired). A value stamped exactly at T, or exactly T − ttl,
 * is fine; a null timestamp (no value) is never a finding.
 */
export function auditLeakage(joined: readonly JoinedRow[], views: readonly ViewWindow[]): LeakageReport {
  for (const view of views) {
    if (!Number.isFinite(view.ttlMs) || view.ttlMs < 0) throw new RangeError(`view "${view.name}": ttlMs must be ≥ 0, got ${view.ttlMs}`);
  }
  const findings: LeakageFinding[] = [];
  const leakedRows: number[] = [];
  const byView: Record<string, ViewLeakage> = {};
  for (const view of views) byView[view.name] = { future: 0, expired: 0, maxFutureMs: 0 };
  let maxFutureMs = 0;

  joined.forEach((row, index) => {
    const t = row.eventTimestamp;
    let leaked = false;
    for (const view of views) {
      const used = row.featureTimestamps[view.name];
      if (typeof used !== 'number') continue;
      const stats = byView[view.name];
      if (used > t) {
        const deltaMs = used - t;
        findings.push({ row: index, view: view.name, kind: 'future', eventTimestamp: t, featureTimestamp: used, deltaMs });
        stats.future += 1;
        stats.maxFutureMs = Math.max(stats.maxFutureMs, deltaMs);
        maxFutureMs = Math.max(maxFutureMs, deltaMs);
        leaked = true;
      } else if (view.ttlMs > 0 && used < t - view.ttlMs) {
        findings.push({ row: index, view: view.name, kind: 'expired', eventTimestamp: t, featureTimestamp: used, deltaMs: t - view.ttlMs - used });
        stats.expired += 1;
      }
    }
    if (leaked) leakedRows.push(index);
  });

  return { findings, leakedRows, leakedRate: joined.length === 0 ? 0 : leakedRows.length / joined.length, maxFutureMs, byView };
}

/** A feature vector as the online store served it, logged with the entity and the time of the request. */
export interface ServedVector {
  readonly entity: Readonly<Record<string, EntityKey>>;
  readonly eventTimestamp: number;
  /** `<view>__<feature>` → value; a missing feature counts as null. */
  readonly features: Readonly<Record<string, FeatureValue | undefined>>;
}

export interface SkewOptions {
  /** Default 1e-6. */
  absTolerance?: number;
  /** Default 1e-5. */
  relTolerance?: number;
  /** Examples kept per feature. Default 3. */
  maxExamples?: number;
}

export interface SkewExample {
  /** Index of the served vector. */
  index: number;
  online: FeatureValue;
  offline: FeatureValue;
}

export interface FeatureSkew {
  compared: number;
  mismatches: number;
  /** mismatches / compared; 0 when nothing was compared. */
  rate: number;
  /** The first maxExamples mismatches, in served order. */
  examples: SkewExample[];
}

export interface SkewReport {
  /** Served vectors that found their offline row. */
  compared: number;
  /** Indices of served vectors with no offline row for the same entity and time, ascending. */
  unmatched: number[];
  /** One entry per feature of the offline rows. */
  features: Record<string, FeatureSkew>;
}

/** Equal under the README's rule: numbers within atol + rtol·|offline|; everything else exactly. */
function same(online: FeatureValue, offline: FeatureValue, atol: number, rtol: number): boolean {
  // null, strings, booleans and mixed types: strictly equal or not at all.
  if (typeof online !== 'number' || typeof offline !== 'number') return online === offline;
  // A non-finite offline value (NaN, ±Infinity) equals only itself; a non-finite online value against a finite
  // offline one fails the tolerance below on its own.
  if (!Number.isFinite(offline)) return Object.is(online, offline);
  return Math.abs(online - offline) <= atol + rtol * Math.abs(offline);
}

/** Row identity, as Feast's entity_row_unique_id: every key column (sorted by name) and the timestamp. */
function rowIdentity(entity: Readonly<Record<string, EntityKey>>, eventTimestamp: number): string {
  const names = Object.keys(entity).sort();
  return JSON.stringify([names.map((name) => [name, entity[name]]), eventTimestamp]);
}

/**
 * Task 3: compare what the online store served with what the offline join gives for the same entity and time.
 * Per feature of the offline rows: how many pairs were compared, how many differ, the rate and a few examples.
 */
export function compareOnlineOffline(served: readonly ServedVector[], offline: readonly JoinedRow[], options: SkewOptions = {}): SkewReport {
  const atol = options.absTolerance ?? 1e-6;
  const rtol = options.relTolerance ?? 1e-5;
  const maxExamples = options.maxExamples ?? 3;
  if (!(atol >= 0) || !(rtol >= 0) || !Number.isFinite(atol) || !Number.isFinite(rtol)) throw new RangeError('tolerances must be finite and ≥ 0');
  if (!Number.isInteger(maxExamples) || maxExamples < 0) throw new RangeError('maxExamples must be an integer ≥ 0');

  const byIdentity = new Map<string, JoinedRow>();
  const features: Record<string, FeatureSkew> = {};
  for (const row of offline) {
    const id = rowIdentity(row.entity, row.eventTimestamp);
    byIdentity.set(id, row);
    for (const name of Object.keys(row.features)) features[name] ??= { compared: 0, mismatches: 0, rate: 0, examples: [] };
  }

  let compared = 0;
  const unmatched: number[] = [];
  served.forEach((vector, index) => {
    const reference = byIdentity.get(rowIdentity(vector.entity, vector.eventTimestamp));
    if (!reference) {
      unmatched.push(index);
      return;
    }
    compared += 1;
    for (const [name, offlineValue] of Object.entries(reference.features)) {
      const onlineValue = vector.features[name] ?? null;
      const stats = features[name];
      stats.compared += 1;
      if (!same(onlineValue, offlineValue, atol, rtol)) {
        stats.mismatches += 1;
        if (stats.examples.length < maxExamples) stats.examples.push({ index, online: onlineValue, offline: offlineValue });
      }
    }
  });
  for (const stats of Object.values(features)) stats.rate = stats.compared === 0 ? 0 : stats.mismatches / stats.compared;
  return { compared, unmatched, features };
}
