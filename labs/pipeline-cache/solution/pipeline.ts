/**
 * pipeline-cache: a DAG runner for pipeline steps with content-addressed step caching, retries with
 * exponential backoff, and an idempotent daily backfill. The README gives every rule; the doc comments repeat
 * the ones you need most. Time comes only from the injected `sleep` and `clock`; hashing only from `hash`.
 */

/** A JSON value: what step definitions and step outputs are made of. */
export type Json = null | boolean | number | string | readonly Json[] | { readonly [key: string]: Json };

/** Injected: the lowercase hex SHA-256 of the UTF-8 bytes of `text`. The sandbox has no crypto module. */
export type Hash = (text: string) => string;

/** Thrown (as a rejection) for a pipeline that cannot run: a duplicate id, an unknown upstream, a cycle. */
export class PipelineDefinitionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PipelineDefinitionError';
  }
}

/** What a step's `run` receives. */
export interface StepContext {
  readonly id: string;
  /** 1 for the first attempt, 2 for the first retry, … (Airflow's try_number). */
  readonly attempt: number;
  /** Each upstream step's output, by upstream id. */
  readonly inputs: Readonly<Record<string, Json>>;
}

/** One step of a pipeline. */
export interface StepDef {
  readonly id: string;
  /** Ids of the steps whose outputs this one needs. */
  readonly upstream?: readonly string[];
  /** Everything that decides what the step computes (component, image, command, parameters, code version…). */
  readonly definition: Json;
  /** false: never read or write the cache for this step (KFP's set_caching_options(False)). Default true. */
  readonly cache?: boolean;
  /** Retries after a failed attempt. Default 0. */
  readonly retries?: number;
  /** Backoff base in ms. Default 300_000 (Airflow's retry_delay). */
  readonly retryDelayMs?: number;
  /** Backoff cap in ms. Default 3_600_000. */
  readonly maxRetryDelayMs?: number;
  run(context: StepContext): Json | Promise<Json>;
}

/** Where step outputs are cached by key. A Map<string, Json> is one. */
export interface ArtifactCache {
  get(key: string): Json | undefined;
  set(key: string, output: Json): unknown;
}

export interface RunOptions {
  hash: Hash;
  /** Injected: resolves after `ms` of (simulated) time. The only way the runner waits. */
  sleep(ms: number): Promise<void>;
  /** Without a cache nothing is cached and every step executes. */
  cache?: ArtifactCache;
  /** Most steps executing at once. Default 16 (Airflow's max_active_tasks_per_dag). */
  maxParallel?: number;
}

export type StepState = 'success' | 'failed' | 'upstream_failed';

export interface StepResult {
  state: StepState;
  /** true when the output came from the cache and `run` was not called. */
  cached: boolean;
  /** Calls of `run`: 0 when cached or upstream_failed. */
  attempts: number;
  /** The step's cache key, or null when it never became ready (upstream_failed). */
  key: string | null;
  /** Present when state is success. */
  output?: Json;
  /** Present when state is failed: what the last attempt threw. */
  error?: unknown;
}

export interface RunResult {
  /** success when every leaf step succeeded, failed otherwise (Airflow's rule). */
  state: 'success' | 'failed';
  steps: Record<string, StepResult>;
  /** Ids of the steps whose `run` was called, in the order they started. */
  executed: string[];
}

// ---------------------------------------------------------------------------------------------------------
// Task 1: canonical JSON and cache keys

function byCodePoint(a: string, b: string): number {
  const x = Array.from(a);
  const y = Array.from(b);
  const n = Math.min(x.length, y.length);
  for (let i = 0; i < n; i += 1) {
    const d = (x[i].codePointAt(0) as number) - (y[i].codePointAt(0) as number);
    if (d !== 0) return d;
  }
  return x.length - y.length;
}

/** Python's json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False). */
export function canonicalJson(value: Json): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'boolean':
    case 'string':
      return JSON.stringify(value);
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError(`${value} is not a JSON number`);
      return String(value);
    case 'object': {
      if (Array.isArray(value)) return `[${value.map((item: Json) => canonicalJson(item)).join(',')}]`;
      const record = value as { readonly [key: string]: Json };
      const keys = Object.keys(record).sort(byCodePoint);
      return `{${keys.map((key) => `${JSON.stringify(key)}:${canonicalJson(record[key])}`).join(',')}}`;
    }
  }
  throw new TypeError(`a ${typeof value} is not a JSON value`);
}

/** sha256_hex(canonical_json(spec)). */
export function cacheKey(spec: Json, hash: Hash): string {
  return hash(canonicalJson(spec));
}

/** The content digest of an output: "sha256:" + sha256_hex(canonical_json(output)). */
export function outputDigest(output: Json, hash: Hash): string {
  return `sha256:${hash(canonicalJson(output))}`;
}

// ---------------------------------------------------------------------------------------------------------
// Tasks 2 and 3: the runner

function checkCount(value: number, name: string, minimum: number): void {
  if (!Number.isInteger(value) || value < minimum) throw new RangeError(`${name} must be an integer ≥ ${minimum}, got ${value}`);
}

function checkDelay(value: number, name: string): void {
  if (!(value >= 0 && value < Infinity)) throw new RangeError(`${name} must be a finite number ≥ 0, got ${value}`);
}

function validate(steps: readonly StepDef[], maxParallel: number): Map<string, string[]> {
  checkCount(maxParallel, 'maxParallel', 1);
  const downstream = new Map<string, string[]>();
  for (const step of steps) {
    if (downstream.has(step.id)) throw new PipelineDefinitionError(`two steps have the id "${step.id}"`);
    downstream.set(step.id, []);
    checkCount(step.retries ?? 0, `retries of "${step.id}"`, 0);
    checkDelay(step.retryDelayMs ?? 0, `retryDelayMs of "${step.id}"`);
    checkDelay(step.maxRetryDelayMs ?? 0, `maxRetryDelayMs of "${step.id}"`);
  }
  const waiting = new Map<string, number>();
  for (const step of steps) {
    const upstream = new Set(step.upstream);
    for (const up of upstream) {
      const list = downstream.get(up);
      if (list === undefined) throw new PipelineDefinitionError(`step "${step.id}" needs "${up}", which is not a step of this pipeline`);
      list.push(step.id);
    }
    waiting.set(step.id, upstream.size);
  }
  // Kahn's algorithm: whatever never reaches zero waiting upstream steps is on a cycle or behind one.
  const ready = steps.filter((step) => waiting.get(step.id) === 0).map((step) => step.id);
  for (let i = 0; i < ready.length; i += 1) {
    for (const next of downstream.get(ready[i]) as string[]) {
      const left = (waiting.get(next) as number) - 1;
      waiting.set(next, left);
      if (left === 0) ready.push(next);
    }
  }
  if (ready.length < steps.length) {
    const stuck = steps.filter((step) => (waiting.get(step.id) as number) > 0).map((step) => step.id);
    throw new PipelineDefinitionError(`the pipeline has a cycle through ${stuck.join(', ')}`);
  }
  return downstream;
}

type Outcome = { ok: true; output: Json; digest: string; attempts: number } | { ok: false; error: unknown; attempts: number };

async function attempt(step: StepDef, inputs: Record<string, Json>, options: RunOptions): Promise<Outcome> {
  const retries = step.retries ?? 0;
  const base = step.retryDelayMs ?? 300_000;
  const cap = step.maxRetryDelayMs ?? 3_600_000;
  for (let n = 1; ; n += 1) {
    try {
      const output = await step.run({ id: step.id, attempt: n, inputs });
      return { ok: true, output, digest: outputDigest(output, options.hash), attempts: n };
    } catch (error) {
      if (n > retries) return { ok: false, error, attempts: n };
      await options.sleep(Math.min(base * 2 ** (n - 1), cap));
    }
  }
}

/** Tasks 2 and 3: runs the pipeline and resolves with every step's result. */
export async function runPipeline(steps: readonly StepDef[], options: RunOptions): Promise<RunResult> {
  const maxParallel = options.maxParallel ?? 16;
  const downstream = validate(steps, maxParallel);
  const byId = new Map(steps.map((step) => [step.id, step]));
  const waiting = new Map(steps.map((step) => [step.id, new Set(step.upstream).size]));
  const results: Record<string, StepResult> = {};
  const digests = new Map<string, string>();
  const queue: { id: string; key: string; inputs: Record<string, Json> }[] = [];
  const executed: string[] = [];
  let running = 0;
  let done = 0;

  return new Promise((resolve) => {
    const finish = (id: string, result: StepResult): void => {
      results[id] = result;
      done += 1;
      for (const next of downstream.get(id) as string[]) {
        if (results[next] !== undefined) continue;
        if (result.state !== 'success') {
          finish(next, { state: 'upstream_failed', cached: false, attempts: 0, key: null });
        } else {
          const left = (waiting.get(next) as number) - 1;
          waiting.set(next, left);
          if (left === 0) becomeReady(next);
        }
      }
    };

    const becomeReady = (id: string): void => {
      const step = byId.get(id) as StepDef;
      const upstream = [...new Set(step.upstream)];
      const key = cacheKey({ definition: step.definition, upstream: Object.fromEntries(upstream.map((up) => [up, digests.get(up) as string])) }, options.hash);
      const inputs = Object.fromEntries(upstream.map((up) => [up, results[up].output as Json]));
      const hit = step.cache === false ? undefined : options.cache?.get(key);
      if (hit !== undefined) {
        digests.set(id, outputDigest(hit, options.hash));
        finish(id, { state: 'success', cached: true, attempts: 0, key, output: hit });
      } else {
        queue.push({ id, key, inputs });
      }
    };

    const pump = (): void => {
      while (running < maxParallel && queue.length > 0) {
        queue.sort((a, b) => byCodePoint(a.id, b.id));
        const { id, key, inputs } = queue.shift() as (typeof queue)[number];
        const step = byId.get(id) as StepDef;
        running += 1;
        executed.push(id);
        void attempt(step, inputs, options).then((outcome) => {
          running -= 1;
          if (outcome.ok) {
            if (step.cache !== false) options.cache?.set(key, outcome.output);
            digests.set(id, outcome.digest);
            finish(id, { state: 'success', cached: false, attempts: outcome.attempts, key, output: outcome.output });
          } else {
            finish(id, { state: 'failed', cached: false, attempts: outcome.attempts, key, error: outcome.error });
          }
          pump();
        });
      }
      if (done === steps.length) {
        // Airflow's rule reads the leaves; here it is the same as reading every step, since a step that did not
        // succeed always leaves some leaf failed or upstream_failed.
        const state = steps.every((step) => results[step.id].state === 'success') ? 'success' : 'failed';
        resolve({ state, steps: results, executed });
      }
    };

    const roots = steps.filter((step) => waiting.get(step.id) === 0);
    for (const root of roots) becomeReady(root.id);
    pump();
  });
}

// ---------------------------------------------------------------------------------------------------------
// Task 4: idempotent daily backfill

/** One daily data interval [start, end) in ms UTC; its logical date is the day it starts. */
export interface DataInterval {
  logicalDate: string;
  start: number;
  end: number;
}

const DAY_MS = 86_400_000;

function isoDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** A real YYYY-MM-DD day must print back as itself; an unparsable one is NaN, and toISOString throws a RangeError. */
function parseDay(text: string): number {
  const [year, month, day] = text.split('-').map(Number);
  const ms = Date.UTC(year as number, (month as number) - 1, day);
  if (isoDay(ms) !== text) throw new RangeError(`"${text}" is not a date of the form YYYY-MM-DD`);
  return ms;
}

/** The daily intervals inside [from, to), in order. from === to gives none; from after to is a RangeError. */
export function dailyIntervals(from: string, to: string): DataInterval[] {
  const first = parseDay(from);
  const last = parseDay(to);
  if (first > last) throw new RangeError(`from (${from}) is after to (${to})`);
  const intervals: DataInterval[] = [];
  for (let start = first; start < last; start += DAY_MS) intervals.push({ logicalDate: isoDay(start), start, end: start + DAY_MS });
  return intervals;
}

/** What the backfill writes for one partition: the whole record, replaced on every run of that partition. */
export interface PartitionRecord {
  logicalDate: string;
  start: number;
  end: number;
  state: 'success' | 'failed';
  /** The output of every step that succeeded in that run (executed or cached), by step id. */
  outputs: Record<string, Json>;
}

/** The partitioned output table, keyed by logical date. A Map<string, PartitionRecord> is one. */
export interface PartitionStore {
  get(logicalDate: string): PartitionRecord | undefined;
  set(logicalDate: string, record: PartitionRecord): unknown;
}

export type ReprocessBehavior = 'none' | 'failed' | 'completed';

export interface BackfillOptions extends RunOptions {
  from: string;
  to: string;
  /** Builds the pipeline of one partition. */
  build(interval: DataInterval): readonly StepDef[];
  store: PartitionStore;
  /** Injected: now, in ms UTC. A partition is due once its interval has ended (end ≤ now). */
  clock(): number;
  /** Which partitions that already have a record run again (Airflow 3's names). Default 'failed'. */
  reprocess?: ReprocessBehavior;
}

export interface BackfillResult {
  /** Logical dates whose pipeline ran, in order. */
  ran: string[];
  /** The subset of `ran` whose run failed. */
  failed: string[];
  /** Logical dates left alone because their record already stands. */
  skipped: string[];
  /** Logical dates whose interval has not ended yet. */
  notDue: string[];
}

const BEHAVIOURS: readonly string[] = ['none', 'failed', 'completed'];

/** Task 4: runs every due partition in [from, to) that has no record, or one the reprocess behaviour reruns. */
export async function backfill(options: BackfillOptions): Promise<BackfillResult> {
  const behaviour = options.reprocess ?? 'failed';
  if (!BEHAVIOURS.includes(behaviour)) throw new RangeError(`unknown reprocess behaviour "${behaviour}"`);
  const intervals = dailyIntervals(options.from, options.to);
  const now = options.clock();
  const result: BackfillResult = { ran: [], failed: [], skipped: [], notDue: [] };
  for (const interval of intervals) {
    const { logicalDate, start, end } = interval;
    if (end > now) {
      result.notDue.push(logicalDate);
      continue;
    }
    const existing = options.store.get(logicalDate);
    if (existing !== undefined && behaviour !== 'completed' && !(behaviour === 'failed' && existing.state === 'failed')) {
      result.skipped.push(logicalDate);
      continue;
    }
    const run = await runPipeline(options.build(interval), options);
    const outputs: Record<string, Json> = {};
    for (const [id, step] of Object.entries(run.steps)) if (step.state === 'success') outputs[id] = step.output as Json;
    options.store.set(logicalDate, { logicalDate, start, end, state: run.state, outputs });
    result.ran.push(logicalDate);
    if (run.state === 'failed') result.failed.push(logicalDate);
  }
  return result;
}
