/**
 * pipeline-cache: a DAG runner for pipeline steps with content-addressed step caching, retries with
 * exponential backoff, and an idempotent daily backfill. The README gives every rule; the doc comments repeat
 * the ones you need most. The types and PipelineDefinitionError are complete; everything marked TODO is yours.
 * Time comes only from the injected `sleep` and `clock`; hashing only from the injected `hash`.
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

/**
 * Python's json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False): object keys sorted by
 * code point at every depth, no whitespace, non-ASCII kept as it is, integers without ".0". Anything that is not
 * JSON (NaN, ±Infinity, undefined, a function, a bigint, a symbol), at any depth, throws a TypeError.
 */
export function canonicalJson(value: Json): string {
  // TODO: JSON.stringify does not sort keys. Write the objects and arrays yourself and let JSON.stringify
  // handle the strings (and only the strings: it also quietly turns NaN into null and drops undefined).
  throw new Error(`canonicalJson is not implemented yet (${typeof value})`);
}

/** sha256_hex(canonical_json(spec)): call `hash` once, on the canonical text. */
export function cacheKey(spec: Json, hash: Hash): string {
  // TODO
  throw new Error(`cacheKey is not implemented yet (${typeof spec}, ${typeof hash})`);
}

/** The content digest of an output: "sha256:" + sha256_hex(canonical_json(output)). */
export function outputDigest(output: Json, hash: Hash): string {
  // TODO
  throw new Error(`outputDigest is not implemented yet (${typeof output}, ${typeof hash})`);
}

// ---------------------------------------------------------------------------------------------------------
// Tasks 2 and 3: the runner

/**
 * Tasks 2 and 3: runs the pipeline and resolves with every step's result.
 * - Before anything runs: PipelineDefinitionError for a duplicate id, an unknown upstream id or a cycle;
 *   RangeError for a bad maxParallel, retries, retryDelayMs or maxRetryDelayMs.
 * - A step is ready when all its upstream steps succeeded. Its key is
 *   cacheKey({ definition, upstream: { <upstream id>: outputDigest(<its output>) } }). A cache hit finishes it at
 *   once; otherwise it waits for a slot, and a free slot goes to the waiting step with the smallest id.
 * - A failed step makes everything downstream of it upstream_failed; those steps never run.
 * - Attempt n + 1 follows sleep(min(base · 2^(n−1), cap)) after attempt n failed; the slot is kept meanwhile.
 */
export async function runPipeline(steps: readonly StepDef[], options: RunOptions): Promise<RunResult> {
  // TODO: validate first (Kahn's algorithm finds cycles). Then drive the run with counts of unfinished upstream
  // steps, a queue of ready steps and a count of running ones. No timers: wait only on the steps' promises and
  // on options.sleep.
  throw new Error(`runPipeline is not implemented yet (${steps.length} steps, maxParallel ${options.maxParallel})`);
}

// ---------------------------------------------------------------------------------------------------------
// Task 4: idempotent daily backfill

/** One daily data interval [start, end) in ms UTC; its logical date is the day it starts. */
export interface DataInterval {
  logicalDate: string;
  start: number;
  end: number;
}

/** The daily intervals inside [from, to) (dates "YYYY-MM-DD", UTC), in order. from === to gives none. */
export function dailyIntervals(from: string, to: string): DataInterval[] {
  // TODO: RangeError for a date that is not a real YYYY-MM-DD day, or from after to.
  throw new Error(`dailyIntervals is not implemented yet (${from} → ${to})`);
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

/** Task 4: runs every due partition in [from, to) that has no record, or one the reprocess behaviour reruns. */
export async function backfill(options: BackfillOptions): Promise<BackfillResult> {
  // TODO: one runPipeline per partition, in date order, then one store.set of the whole record.
  throw new Error(`backfill is not implemented yet (${options.from} → ${options.to})`);
}
