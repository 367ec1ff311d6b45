/**
 * experiment-tracker: a small tracking store with MLflow's semantics (runs, immutable params, metric history with
 * the "latest" rule, tags, nested runs), persisted crash-safely through an injected file system, and a
 * reproducibility check. The README gives every rule. Nothing here reads a real clock or a real disk.
 */
import { searchRuns as searchRunList, type SearchOptions } from './search';

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

interface StoredRun {
  info: RunInfo;
  params: Record<string, string>;
  tags: Record<string, string>;
  metrics: MetricPoint[];
}

const STORE_FILE = 'store.json';
const TEMP_FILE = 'store.json.tmp';

/** True when point a is "later" than b: greater step, then greater timestamp, then greater value. */
function isLater(a: MetricPoint, b: MetricPoint): boolean {
  if (a.step !== b.step) return a.step > b.step;
  if (a.timestamp !== b.timestamp) return a.timestamp > b.timestamp;
  return a.value > b.value;
}

function toRun(stored: StoredRun): Run {
  const latest: Record<string, MetricPoint> = {};
  for (const point of stored.metrics) {
    const held = latest[point.key];
    if (held === undefined || isLater(point, held)) latest[point.key] = point;
  }
  const metrics: Record<string, number> = {};
  for (const key of Object.keys(latest)) metrics[key] = latest[key].value;
  return { info: { ...stored.info }, data: { params: { ...stored.params }, metrics, tags: { ...stored.tags } } };
}

/**
 * Opens (or creates) the store kept in `fs`. Every call that changes the store has reached the disk when it
 * returns; a crash during one leaves either the old or the new state behind.
 */
export function openStore(fs: FileSystem, options: StoreOptions): TrackingStore {
  const text = fs.read(STORE_FILE);
  const runs: Record<string, StoredRun> = text === null ? {} : JSON.parse(text);

  const save = (): void => {
    fs.write(TEMP_FILE, JSON.stringify(runs));
    fs.rename(TEMP_FILE, STORE_FILE);
  };

  const find = (runId: string): StoredRun => {
    const run = runs[runId];
    if (run === undefined) throw new TrackingError(`Run with id=${runId} not found`, 'RESOURCE_DOES_NOT_EXIST');
    return run;
  };

  return {
    createRun(opts = {}) {
      if (opts.parentRunId !== undefined) find(opts.parentRunId);
      const runId = options.newId();
      const runName = opts.runName ?? runId;
      const tags: Record<string, string> = { ...opts.tags, [RUN_NAME_TAG]: runName };
      if (opts.parentRunId !== undefined) tags[PARENT_RUN_TAG] = opts.parentRunId;
      runs[runId] = {
        info: { runId, runName, experimentId: opts.experimentId ?? '0', status: 'RUNNING', startTime: opts.startTime ?? options.clock(), endTime: null },
        params: {},
        tags,
        metrics: [],
      };
      save();
      return toRun(runs[runId]);
    },

    getRun(runId) {
      return toRun(find(runId));
    },

    logParam(runId, key, value) {
      const run = find(runId);
      const text = String(value);
      const held = run.params[key];
      if (held === text) return;
      if (held !== undefined) {
        throw new TrackingError(
          `Changing param values is not allowed. Param with key='${key}' was already logged with value='${held}' for run ID='${runId}'. Attempted logging new value '${text}'.`,
          'INVALID_PARAMETER_VALUE',
        );
      }
      run.params[key] = text;
      save();
    },

    logMetric(runId, key, value, opts = {}) {
      const run = find(runId);
      const step = opts.step ?? 0;
      const timestamp = opts.timestamp ?? options.clock();
      if (!Number.isFinite(value)) throw new TrackingError(`metric value must be a finite number, got ${value}`, 'INVALID_PARAMETER_VALUE');
      if (!Number.isInteger(step)) throw new TrackingError(`step must be an integer, got ${step}`, 'INVALID_PARAMETER_VALUE');
      if (!Number.isInteger(timestamp)) throw new TrackingError(`timestamp must be an integer, got ${timestamp}`, 'INVALID_PARAMETER_VALUE');
      run.metrics.push({ key, value, timestamp, step });
      save();
    },

    setTag(runId, key, value) {
      find(runId).tags[key] = String(value);
      save();
    },

    endRun(runId, status = 'FINISHED', endTime) {
      const run = find(runId);
      if (status !== 'FINISHED' && status !== 'FAILED' && status !== 'KILLED') throw new TrackingError(`cannot end a run as ${status}`, 'INVALID_PARAMETER_VALUE');
      run.info.status = status;
      run.info.endTime = endTime ?? options.clock();
      save();
    },

    getMetricHistory(runId, key) {
      return find(runId)
        .metrics.filter((point) => point.key === key)
        .map((point) => ({ ...point }));
    },

    searchRuns(opts = {}) {
      const ids = opts.experimentIds;
      const all = Object.values(runs)
        .filter((run) => ids === undefined || ids.includes(run.info.experimentId))
        .map(toRun);
      return searchRunList(all, opts);
    },
  };
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
  const differences: Difference[] = [];
  const missing: Aspect[] = [];
  const compare = (aspect: Aspect, keys: string[], pick: (run: Run) => Record<string, string>): void => {
    for (const key of [...new Set(keys)].sort()) {
      const x = pick(a)[key] ?? null;
      const y = pick(b)[key] ?? null;
      if (x !== y) differences.push({ aspect, key, a: x, b: y });
    }
  };
  const required = (aspect: Aspect, key: string, pick: (run: Run) => Record<string, string>): void => {
    if (pick(a)[key] === undefined && pick(b)[key] === undefined) missing.push(aspect);
    compare(aspect, [key], pick);
  };
  const tags = (run: Run): Record<string, string> => run.data.tags;
  const params = (run: Run): Record<string, string> => run.data.params;
  required('code', CODE_TAG, tags);
  required('data', DATA_TAG, tags);
  required('seed', SEED_PARAM, params);
  const tagKeys = [...Object.keys(a.data.tags), ...Object.keys(b.data.tags)];
  compare(
    'environment',
    tagKeys.filter((key) => key.startsWith(ENV_TAG_PREFIX) || key === DOCKER_TAG),
    tags,
  );
  const paramKeys = [...Object.keys(a.data.params), ...Object.keys(b.data.params)];
  compare(
    'params',
    paramKeys.filter((key) => key !== SEED_PARAM),
    params,
  );
  return { reproducible: differences.length === 0 && missing.length === 0, differences, missing };
}
