/**
 * experiment-tracker: a small tracking store with MLflow's semantics (runs, immutable params, metric history with
 * the "latest" rule, tags, nested runs), persisted crash-safely through an injected file system, and a
 * reproducibility check. The README gives every rule. Nothing here reads a real clock or a real disk.
 */
import type { SearchOptions } from './search';

export type RunStatus = 'RUNNING' | 'SCHEDULED' | 'FINISHED' | 'FAILED' | 'KILLED';

export interface RunInfo {
  runId: string;
  runName: string;
  experimentId: string;
  status: RunStatus;
  /** ms since the epoch. */
  startTime: number;
  /** null while the run has not ended. */
  endTime: number | null;
}

export interface RunData {
  /** Params as strings. */
  params: Record<string, string>;
  /** The latest value of each metric (greatest step, then timestamp, then value). */
  metrics: Record<string, number>;
  tags: Record<string, string>;
}

export interface Run {
  info: RunInfo;
  data: RunData;
}

export interface MetricPoint {
  key: string;
  value: number;
  timestamp: number;
  step: number;
}

/**
 * The only way to the disk: a flat map from path to text. One call is one step; a crash can stop the writer at any
 * step. `write` creates or replaces a whole file, but a crash during it may leave any prefix of `data`. `rename`
 * is atomic and replaces `to` if it exists. `read` gives null for a missing file; `remove` of a missing file is a
 * no-op.
 */
export interface FileSystem {
  read(path: string): string | null;
  write(path: string, data: string): void;
  rename(from: string, to: string): void;
  list(): string[];
  remove(path: string): void;
}

export interface StoreOptions {
  /** ms since the epoch; the sandbox has no real clock. */
  readonly clock: () => number;
  /** A fresh run id per call. */
  readonly newId: () => string;
}

export type TrackingErrorCode = 'INVALID_PARAMETER_VALUE' | 'RESOURCE_DOES_NOT_EXIST';

/** MLflow's MlflowException, with its error code. */
export class TrackingError extends Error {
  readonly code: TrackingErrorCode;

  constructor(message: string, code: TrackingErrorCode) {
    super(message);
    this.name = 'TrackingError';
    this.code = code;
  }
}

export const RUN_NAME_TAG = 'mlflow.runName';
export const PARENT_RUN_TAG = 'mlflow.parentRunId';

export interface CreateRunOptions {
  readonly experimentId?: string;
  readonly runName?: string;
  readonly parentRunId?: string;
  readonly startTime?: number;
  readonly tags?: Readonly<Record<string, string>>;
}

export interface TrackingStore {
  createRun(options?: CreateRunOptions): Run;
  getRun(runId: string): Run;
  logParam(runId: string, key: string, value: string | number | boolean): void;
  logMetric(runId: string, key: string, value: number, options?: { readonly step?: number; readonly timestamp?: number }): void;
  setTag(runId: string, key: string, value: string): void;
  endRun(runId: string, status?: RunStatus, endTime?: number): void;
  getMetricHistory(runId: string, key: string): MetricPoint[];
  searchRuns(options?: SearchOptions & { readonly experimentIds?: readonly string[] }): Run[];
}

/**
 * Opens (or creates) the store kept in `fs`. Every call that changes the store has reached the disk when it
 * returns; a crash during one leaves either the old or the new state behind, and reopening must never fail.
 */
export function openStore(fs: FileSystem, options: StoreOptions): TrackingStore {
  // TODO: load what `fs` holds (nothing yet means an empty store), keep the runs in memory, and persist after every
  // change so that a write torn halfway can never be mistaken for the store: write a temporary file and rename it
  // over the real one, or append checksummed records and ignore a broken last one. Validate before you change
  // anything; a refused call changes nothing. Keep all state in this store (two stores on two fs never meet).
  throw new Error(`openStore is not implemented yet (${fs.list().length} files; options ${Object.keys(options).join(", ")})`);
}

export type Aspect = 'code' | 'data' | 'seed' | 'environment' | 'params';

export interface Difference {
  aspect: Aspect;
  /** The tag or param that differs. */
  key: string;
  /** Its value on each run; null when that run does not have it. */
  a: string | null;
  b: string | null;
}

export interface ReproReport {
  /** True when nothing differs and code, data and seed are recorded. */
  reproducible: boolean;
  /** In aspect order (code, data, seed, environment, params), then by key. */
  differences: Difference[];
  /** The required aspects (code, data, seed) that neither run records. */
  missing: Aspect[];
}

export const CODE_TAG = 'mlflow.source.git.commit';
export const DATA_TAG = 'data.digest';
export const SEED_PARAM = 'seed';
export const DOCKER_TAG = 'mlflow.docker.image.uri';
export const ENV_TAG_PREFIX = 'env.';

/** Task 5: what differs between two runs' inputs. */
export function compareRuns(a: Run, b: Run): ReproReport {
  // TODO: code, data and seed first (each one key; a key absent from both runs goes into `missing`), then the
  // environment tags (env.* and mlflow.docker.image.uri), then every other param, each aspect's keys sorted.
  throw new Error(`compareRuns is not implemented yet (${a.info.runId} vs ${b.info.runId})`);
}
