// Over 300 lines on purpose: the child's main and its node:test reporter must be one module instance (they share state).
/**
 * Runs inside the grading child (dist/grader-harness.js), started as both the main module and the node:test
 * reporter (`--test-reporter` pointing at this same file, so both share one module instance).
 *
 * As main: it captures the IPC send, wraps node:test and the output streams, loads the lab's runtime packages,
 * then calls lockdown() (child/sandbox.ts), all before it says it is ready, so the hardening cost is paid ahead
 * of the grade. With the job it evaluates the candidate's bundle inside a Compartment, then compiles each test
 * bundle from memory (the child reads nothing of the hidden suite from disk); the tests take the candidate's
 * exports from the compartment. node:test runs them in this process and feeds the reporter below, which
 * forwards each result over the signed channel.
 */
import * as assertLoose from 'node:assert';
import * as assertStrict from 'node:assert/strict';
import { AsyncLocalStorage } from 'node:async_hooks';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { inspect } from 'node:util';
import { takeCoverage } from 'node:v8';
import { sign, type ChildEvent, type ChildJob, type FailureDetail } from '../channel';
import { closeSandboxes, evaluateCandidate, loadTestModule, lockDown, stackMapper, type CandidateExports } from './sandbox';
import { loadTestInCompartment } from './test-compartment';

const send = process.send?.bind(process);
const originalAsserts = snapshotAsserts();
let nonce: string | undefined;
let seq = 0;
let awaiting = new Set<string>();
let finished = false;
/** A job is running; the child takes the next only after this one is done and it was kept (see afterJob). */
let busy = false;
/** The job may be followed by another in this process: output goes over the channel, and the child stays up. */
let reuse = false;
/** Each job's suite runs inside a top-level describe of this name; results are routed by it. */
let scope = '';
let jobs = 0;
/** Why this child must not grade again (set when something of a job may outlive it). */
let spoiled: string | undefined;
/** A workspace run: no list of expected tests, so the run ends when node:test's does. */
let openRun = false;
/** The full name of the test whose code is running, so what it prints is tied to it. */
const currentTest = new AsyncLocalStorage<string>();
/** The describe path while test files register their tests. */
const describePath: string[] = [];
const OUTPUT_PER_TEST = 4000;
const printed = new Map<string, number>();
/** Set by the job; the wrappers installed before lockdown read them. */
let testTimeoutMs = 0;
let outputLimit = Number.POSITIVE_INFINITY;
/** Maps stack frames in the candidate's bundle back to its own files. */
let mapStack: (stack: string) => string = (stack) => stack;

/**
 * Test bodies that started and have not yet settled or been reported. While any has, a ref'd timer keeps the
 * event loop alive: Node 20 ends an in-process run as soon as the loop empties, failing every test still to
 * come ("Promise resolution is still pending but the event loop has already resolved"), so a body awaiting a
 * promise that never settles would cost every later test. Kept alive, it fails on its own timeout instead.
 */
const running = new Set<string>();
const keepAlive = setInterval(() => undefined, 1 << 30);
keepAlive.unref();

function bodyStarted(name: string): void {
  running.add(name);
  keepAlive.ref();
}

function bodyEnded(name: string): void {
  running.delete(name);
  if (running.size === 0) keepAlive.unref();
}

function emit(event: ChildEvent): void {
  if (!send || nonce === undefined) return;
  send(sign(nonce, seq++, event));
}

function snapshotAsserts(): Map<string, unknown> {
  const functions = new Map<string, unknown>();
  for (const [label, mod] of [
    ['node:assert', assertLoose],
    ['node:assert/strict', assertStrict],
  ] as const) {
    for (const key of Object.keys(mod)) functions.set(`${label}.${key}`, (mod as Record<string, unknown>)[key]);
  }
  return functions;
}

function changedAsserts(): string[] {
  const now = snapshotAsserts();
  return [...originalAsserts].filter(([key, fn]) => now.get(key) !== fn).map(([key]) => key);
}

function describeError(error: unknown): FailureDetail {
  // node:test wraps a test's error in ERR_TEST_FAILURE with the original as `cause`.
  const outer = error as { cause?: unknown; failureType?: string; message?: string };
  const inner = (outer?.cause ?? error) as { message?: unknown; expected?: unknown; actual?: unknown; operator?: unknown; stack?: unknown; code?: unknown };
  // Values come from the candidate's code: describing them must never run it into a crash of the reporter.
  const text = (value: unknown) => {
    try {
      if (typeof value === 'string') return value;
      // After lockdown, util.inspect shows an Error as {}: name and message say what it was.
      if (value !== null && typeof value === 'object' && Object.prototype.toString.call(value) === '[object Error]') {
        const error = value as { name?: unknown; message?: unknown };
        return `[${String(error.name)}: ${String(error.message)}]`;
      }
      return inspect(value, { depth: 4, breakLength: 100, getters: false });
    } catch {
      return '(a value that could not be shown)';
    }
  };
  const denied = inner as { code?: unknown; permission?: unknown; resource?: unknown };
  const message =
    denied?.code === 'ERR_ACCESS_DENIED'
      ? `Access denied by the grader: ${String(denied.permission ?? 'this operation')}${denied.resource ? ` of ${String(denied.resource)}` : ''} is not allowed while grading.`
      : cleanStack(safeString(() => inner?.message ?? outer?.message ?? error));
  const detail: FailureDetail = { message: message.slice(0, 4000) };
  if (outer?.failureType) detail.failureType = outer.failureType;
  if (inner && typeof inner === 'object' && inner.code === 'ERR_ASSERTION') {
    detail.expected = text(inner.expected).slice(0, 4000);
    detail.actual = text(inner.actual).slice(0, 4000);
    if (typeof inner.operator === 'string') detail.operator = inner.operator;
  }
  const stack = safeString(() => inner?.stack);
  if (stack) detail.stack = cleanStack(stack).slice(0, 4000);
  return detail;
}

/**
 * A stack (or a message that quotes one, as assert.throws does) as the candidate can use it: frames in the
 * bundle mapped to their own files, and the grader's and Node's internal frames dropped.
 */
function cleanStack(text: string): string {
  return mapStack(text)
    .split('\n')
    .filter((line) => !/^\s*at .*(grader-harness\.js|node:internal\/|node:async_hooks|\(node:assert)/.test(line))
    .join('\n');
}

function safeString(read: () => unknown): string {
  try {
    const value = read();
    return typeof value === 'string' ? value : value === undefined ? '' : String(value);
  } catch {
    return '(an error that could not be read)';
  }
}

/**
 * Wraps node:test's `describe`, `it` and `test` (the module object itself, not an import namespace copy, so
 * test files that require it see the change):
 * - Node 20 ignores --test-timeout for tests run in-process, so each test gets a default timeout: one hung
 *   test then fails on its own and the rest still run. A test's own timeout option wins.
 * - each test body runs with its full name in async-local storage, so what it prints is tied to it.
 */
function wrapTestApi(): void {
  const api = require('node:test') as Record<string, unknown>;
  const replace = (name: string, make: (original: (...a: unknown[]) => unknown) => (...a: unknown[]) => unknown) => {
    const original = api[name];
    if (typeof original !== 'function') return;
    try {
      api[name] = Object.assign(make(original as (...a: unknown[]) => unknown), original);
    } catch {
      // A frozen module object keeps its own functions; the run's wall-clock limit still applies.
    }
  };
  replace(
    'describe',
    (original) =>
      function (this: unknown, ...args: unknown[]) {
        const at = args.findIndex((a) => typeof a === 'function');
        const fn = args[at] as ((...a: unknown[]) => unknown) | undefined;
        const label = typeof args[0] === 'string' ? args[0] : '';
        if (fn) {
          args[at] = function (this: unknown, ...inner: unknown[]) {
            describePath.push(label);
            try {
              return fn.apply(this, inner);
            } finally {
              describePath.pop();
            }
          };
        }
        return original.apply(this, args);
      },
  );
  for (const name of ['it', 'test']) {
    replace(
      name,
      (original) =>
        function (this: unknown, ...args: unknown[]) {
          const full = [...describePath, typeof args[0] === 'string' ? args[0] : ''].join(' > ');
          const fnAt = args.findIndex((a) => typeof a === 'function');
          const fn = args[fnAt] as ((...a: unknown[]) => unknown) | undefined;
          if (fn) {
            // Keep the declared arity: node:test passes a `done` callback only to functions that take two arguments.
            args[fnAt] =
              fn.length >= 2
                ? function (this: unknown, t: unknown, done: unknown) {
                    bodyStarted(full);
                    return noteFinish(
                      full,
                      currentTest.run(full, () => fn.call(this, t, done)),
                    );
                  }
                : function (this: unknown, t: unknown) {
                    bodyStarted(full);
                    return noteFinish(
                      full,
                      currentTest.run(full, () => fn.call(this, t)),
                    );
                  };
          }
          const at = args.findIndex((a) => typeof a === 'object' && a !== null);
          if (at >= 0) args[at] = { timeout: testTimeoutMs, ...(args[at] as object) };
          else
            args.splice(
              Math.max(
                0,
                args.findIndex((a) => typeof a === 'function'),
              ),
              0,
              { timeout: testTimeoutMs },
            );
          return original.apply(this, args);
        },
    );
  }
}

/** Tests whose body finished after the output limit was passed: their results do not count (report.ts). */
const finishedAfterLimit = new Set<string>();

/** Notes, when a test body settles, whether the output limit had been passed by then. */
function noteFinish(name: string, result: unknown): unknown {
  const mark = () => {
    if (written > outputLimit) finishedAfterLimit.add(name);
    bodyEnded(name);
  };
  if (result && typeof (result as { then?: unknown }).then === 'function') return (result as Promise<unknown>).finally(mark);
  mark();
  return result;
}

/** Bytes written to stdout and stderr so far. */
let written = 0;

/**
 * Counts what the submission prints through stdout and stderr. Past the limit, further output is dropped
 * (so a flood cannot exhaust memory or the pipe) and the grader is told once. Writes that bypass these
 * streams are still counted, and capped harder, by the parent.
 */
let floodReported = false;

function limitOutput(): void {
  for (const stream of [process.stdout, process.stderr]) {
    const write = stream.write.bind(stream) as (...args: unknown[]) => boolean;
    stream.write = ((chunk: unknown, ...rest: unknown[]) => {
      written += typeof chunk === 'string' ? Buffer.byteLength(chunk) : ((chunk as Uint8Array | undefined)?.byteLength ?? 0);
      const test = currentTest.getStore();
      if (test !== undefined && written <= outputLimit) {
        const already = printed.get(test) ?? 0;
        if (already < OUTPUT_PER_TEST) {
          const text = (typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8')).slice(0, OUTPUT_PER_TEST - already);
          printed.set(test, already + text.length);
          emit({ kind: 'output', test, text });
        }
      }
      if (written <= outputLimit) {
        if (!reuse) return write(chunk, ...rest);
        // A kept child's output goes over the signed channel, so it arrives with the job's results and no other's.
        emit({ kind: 'stdio', text: typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8') });
        const done = rest.find((r) => typeof r === 'function') as (() => void) | undefined;
        done?.();
        return true;
      }
      if (!floodReported) {
        floodReported = true;
        emit({ kind: 'output-limit', bytes: written });
      }
      const callback = rest.find((r) => typeof r === 'function') as (() => void) | undefined;
      callback?.();
      return true;
    }) as typeof stream.write;
  }
}

function runJob(job: ChildJob): void {
  busy = true;
  nonce = job.nonce;
  seq = 0;
  finished = false;
  reuse = job.reuse === true;
  scope = `grade ${++jobs}`;
  written = 0;
  floodReported = false;
  printed.clear();
  finishedAfterLimit.clear();
  awaiting = new Set(job.expected);
  testTimeoutMs = job.testTimeoutMs;
  outputLimit = job.outputLimitBytes;
  mapStack = stackMapper(job.candidate, job.layoutDir);
  // Let the process end when the tests do; the channel still carries what is sent before then. A child that may
  // be kept waits on the channel for its next job instead.
  if (!reuse) (process.channel as { unref?: () => void } | undefined)?.unref?.();
  let candidate: CandidateExports | undefined;
  try {
    candidate = evaluateCandidate(job.candidate, runtimeModules);
  } catch (error) {
    emit({ kind: 'load-error', file: 'src/', error: describeError(error) });
    if (reuse) {
      spoiled = 'the submission failed to load';
      finish();
    }
    return;
  }
  openRun = job.candidateTests !== undefined;
  const exports = candidate;
  const load = () => {
    for (const { file, code } of job.modules) {
      try {
        if (job.candidateTests) loadTestInCompartment(file, code, exports, runtimeModules, job.candidateTests.assetsDir);
        else loadTestModule(file, code, exports, module);
      } catch (error) {
        emit({ kind: 'load-error', file: path.basename(file), error: describeError(error) });
      }
    }
  };
  // A child that may be kept runs each job's suite inside one uniquely named top-level describe (node:test's own, so
  // names inside are the lab's): node:test runs each as it is declared, and the reporter routes results by it.
  if (reuse) suiteApi.describe(scope, load);
  else load();
}

/** node:test's own describe, kept before wrapTestApi replaces it. */
const suiteApi = { describe: (require('node:test') as { describe: (name: string, fn: () => void) => unknown }).describe };

/** The lab's runtime packages (name → absolute path), loaded before lockdown and handed to the compartment. */
const runtimeModules: Record<string, unknown> = {};

function preloadRuntime(): void {
  const listed = JSON.parse(process.env['MLOPS_GRADER_RUNTIME'] ?? '{}') as Record<string, string>;
  for (const [name, file] of Object.entries(listed)) runtimeModules[name] = require(file);
}

/** The node:test reporter: forwards every leaf test's result with its full name. */
export default async function* reporter(source: AsyncIterable<{ type: string; data?: Record<string, unknown> }>): AsyncGenerator<string> {
  const stack: string[] = [];
  for await (const event of source) {
    const data = event.data ?? {};
    const nesting = typeof data['nesting'] === 'number' ? data['nesting'] : 0;
    const name = String(data['name'] ?? '');
    const details = (data['details'] ?? {}) as { type?: string; duration_ms?: number; error?: unknown };
    // In a child that may be kept, stack[0] is the job's suite: only the running job's results count, named without it.
    const from = reuse ? 1 : 0;
    if (event.type === 'test:start') {
      stack.length = nesting;
      stack[nesting] = name;
      if (nesting >= from && (!reuse || (stack[0] === scope && busy))) emit({ kind: 'test-start', name: stack.slice(from).join(' > ') });
    } else if ((event.type === 'test:pass' || event.type === 'test:fail') && details.type !== 'suite') {
      if (reuse && (nesting === 0 || stack[0] !== scope || !busy)) continue;
      const full = [...stack.slice(from, nesting), name].join(' > ');
      const passed = event.type === 'test:pass';
      emit({
        kind: 'test',
        name: full,
        passed,
        durationMs: details.duration_ms ?? 0,
        ...(passed ? {} : { error: describeError(details.error) }),
        ...(finishedAfterLimit.has(full) ? { afterOutputLimit: true } : {}),
      });
      awaiting.delete(full);
      // A body that timed out never settles: its report is what ends it.
      bodyEnded(full);
      if (!passed && (details.error as { failureType?: unknown } | undefined)?.failureType === 'testTimeoutFailure') spoiled = 'a test timed out';
      // Node 20 ends the run only when the event loop empties; a timer left open would hold it forever.
      if (awaiting.size === 0 && !openRun) finish();
    } else if (reuse && nesting === 0 && name === scope && (event.type === 'test:pass' || event.type === 'test:fail')) {
      // The job's suite is over, so every test it will ever report has: a kept child does not wait for its process
      // to end (a test file that failed to load leaves expected tests unreported, as in a fresh child).
      if (busy) finish();
    }
  }
  if (busy) finish();
  yield '';
}

/**
 * node:test imports its reporter (dist/grader-reporter.js, which hands over this module's, see child-process.ts)
 * through the ESM loader only when the first test is declared. Done here, before the child says it is ready, the grade finds
 * it in the loader's cache instead of paying for it.
 */
async function preloadReporter(): Promise<void> {
  try {
    // The very path node:test will import: the one the grader gave it.
    const flag = process.execArgv.find((arg) => arg.startsWith('--test-reporter='));
    await import(pathToFileURL(flag ? flag.slice('--test-reporter='.length) : __filename).href);
  } catch {
    // node:test will import it again and report any failure there.
  }
}

function finish(): void {
  if (finished) return;
  finished = true;
  const changed = changedAsserts();
  if (changed.length) emit({ kind: 'tampering', what: `assert functions were replaced during the run: ${changed.slice(0, 5).join(', ')}` });
  // A coverage run (NODE_V8_COVERAGE set by the grader): write V8's counts now, as the grader ends the process once done.
  if (process.env['NODE_V8_COVERAGE']) takeCoverage();
  emit({ kind: 'done' });
  if (reuse) afterJob(changed.length > 0);
  busy = false;
}

/** Heap and off-heap bytes in use, after a full collection when asked (the child runs with --expose-gc when it may be kept). */
function heldBytes(collect: boolean): number {
  if (collect) (globalThis as { gc?: () => void }).gc?.();
  const usage = process.memoryUsage();
  return usage.heapUsed + usage.external;
}

/** What a fresh child holds, measured once it is ready. */
let freshBytes = 0;
/** Bytes a job may leave held behind it (node:test keeps a little of each run) before the child is retired. */
const HELD_LIMIT_BYTES = 16 * 1024 * 1024;

/**
 * Between two jobs: closes every timer the submission set, then says whether this child may grade again. It may
 * not when anything of the job could still run or weigh on the next one: a test that timed out (its body never
 * settled), a body still running, a flood, tampering, a load failure, or memory held beyond the fresh child's.
 */
function afterJob(tampered: boolean): void {
  closeSandboxes();
  // Let microtasks the job queued run out before the check.
  setImmediate(() => {
    // In use bounds what is held from above: a full collection (a few ms of CPU) only when that bound is over the limit.
    let held = heldBytes(false) - freshBytes;
    if (held > HELD_LIMIT_BYTES) held = heldBytes(true) - freshBytes;
    const reason =
      spoiled ??
      (tampered ? 'tampering' : undefined) ??
      (running.size > 0 ? 'a test body is still running' : undefined) ??
      (floodReported ? 'the output limit was passed' : undefined) ??
      (held > HELD_LIMIT_BYTES ? `${Math.round(held / 1024 / 1024)} MB still held` : undefined);
    nonce = undefined;
    process.send?.({ kind: 'ready', ...(reason ? { retire: reason } : {}) });
  });
}

if (require.main === module) {
  wrapTestApi();
  limitOutput();
  preloadRuntime();
  preloadReporter()
    .then(() => {
      // From here every shared intrinsic is frozen; the candidate's code can change none of what the tests rely on.
      lockDown();
      freshBytes = heldBytes(true);
      process.on('message', (message: unknown) => {
        if ((message as ChildJob | undefined)?.kind === 'job' && !busy && spoiled === undefined && nonce === undefined) runJob(message as ChildJob);
      });
      process.send?.({ kind: 'ready' });
    })
    .catch((error: unknown) => {
      // The parent sees a child that exited before it was ready.
      console.error(error);
      process.exit(70);
    });
}
