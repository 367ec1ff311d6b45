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
 * Tasks 1 and 4: Feast's point-in-time join. For each entity row at time T and each view, the feature row with
 * the same join keys and the latest eventTimestamp in [T − ttlMs, T] (both ends inclusive; no lower bound when
 * ttlMs is 0), ties broken by the latest createdTimestamp, then by the later row. Nothing qualifies → nulls.
 * Must be sort-based, O((E + F) log(E + F)): Task 4 joins 100k rows with a budget.
 */
export function getHistoricalFeatures(entityRows: readonly EntityRow[], views: readonly FeatureView[]): JoinedRow[] {
  // TODO: for each view, group its rows by entity key (keep 7 and "7" apart, and composite keys unambiguous),
  // sort each group by (eventTimestamp, createdTimestamp, position) and sweep the entity rows of that key in
  // time order. Never scan the whole table per entity row: Task 4 counts how often you read the feature rows.
  throw new Error(`getHistoricalFeatures is not implemented yet (${entityRows.length} rows, ${views.length} views)`);
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
  // TODO: compare each row's featureTimestamps[view] with its eventTimestamp and the view's TTL window.
  throw new Error(`auditLeakage is not implemented yet (${joined.length} rows, ${views.length} views)`);
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

/**
 * Task 3: compare what the online store served with what the offline join gives for the same entity and time.
 * Per feature of the offline rows: how many pairs were compared, how many differ, the rate and a few examples.
 */
export function compareOnlineOffline(served: readonly ServedVector[], offline: readonly JoinedRow[], options: SkewOptions = {}): SkewReport {
  // TODO: index the offline rows by (entity keys, eventTimestamp), then compare every feature of the matching
  // offline row with the served value: numbers within absTolerance + relTolerance × |offline|, the rest exactly.
  throw new Error(`compareOnlineOffline is not implemented yet (${served.length} served, ${offline.length} offline, ${JSON.stringify(options)})`);
}
