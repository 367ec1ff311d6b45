/**
 * The compartment the candidate's code runs in (Hardened JavaScript, `ses`). The grading child loads its
 * harness, node:test, assert and the lab's runtime packages, then calls `lockdown()`, which freezes every
 * shared intrinsic (Array.prototype, Promise, Function.prototype.constructor …). The candidate's bundle is then
 * evaluated in a Compartment whose globals are the list below and whose `require` knows only the lab's runtime
 * packages: no `process`, `module`, `require.cache`, host `Function` or file system. The tests run outside and
 * see only the exports. docs/grading.md lists what is endowed and why.
 */
import 'ses';
import Module, { SourceMap } from 'node:module';
import * as path from 'node:path';
import { CANDIDATE_PREFIX, candidateSource } from './sandbox-source';
import { TextDecoder as HostTextDecoder, TextEncoder as HostTextEncoder } from 'node:util';

/** Freezes what lockdown leaves alone, and what a submission must not change. Called once, before any job. */
export function lockDown(): void {
  lockdown({
    // Keep real stack traces: the report shows where in src/ a test failed.
    errorTaming: 'unsafe',
    stackFiltering: 'verbose',
    // Ordinary class code assigns toString and friends on instances; 'severe' lets it, on frozen prototypes too.
    overrideTaming: 'severe',
    // The host's console writes through process.stdout, which the harness counts and caps.
    consoleTaming: 'unsafe',
    domainTaming: 'unsafe',
    localeTaming: 'unsafe',
  });
}

/**
 * Every compartment's way to end what it scheduled. A child that grades several submissions in turn closes them
 * all between grades (closeSandboxes): nothing a graded submission left behind runs during the next one's grade.
 */
const closers = new Set<() => void>();

/** Cancels every timer any compartment set and makes their timer functions inert: called between two grades. */
export function closeSandboxes(): void {
  for (const close of closers) close();
  closers.clear();
}

/** Host functions handed in as plain, frozen functions: no host prototype chain, no `constructor` to climb. */
function wrapTimers() {
  const live = new Map<number, { clear(): void }>();
  let next = 1;
  let closed = false;
  closers.add(() => {
    closed = true;
    for (const timer of live.values()) timer.clear();
    live.clear();
  });
  const callable = (fn: unknown, name: string): ((...a: unknown[]) => void) => {
    if (typeof fn !== 'function') throw new TypeError(`${name} takes a function`);
    return fn as (...a: unknown[]) => void;
  };
  const schedule =
    (kind: 'timeout' | 'interval') =>
    (fn: unknown, ms?: unknown, ...args: unknown[]) => {
      const run = callable(fn, kind === 'timeout' ? 'setTimeout' : 'setInterval');
      const id = next++;
      // A closed compartment's grade is over: what it schedules never runs.
      if (closed) return id;
      const delay = Number(ms) || 0;
      const handle = kind === 'timeout' ? setTimeout(() => (live.delete(id), run(...args)), delay) : setInterval(() => run(...args), delay);
      live.set(id, { clear: () => clearTimeout(handle) });
      return id;
    };
  const cancel = (id: unknown) => {
    live.get(Number(id))?.clear();
    live.delete(Number(id));
  };
  const setTimeoutFn = schedule('timeout');
  return {
    setTimeout: setTimeoutFn,
    setInterval: schedule('interval'),
    clearTimeout: cancel,
    clearInterval: cancel,
    setImmediate: (fn: unknown, ...args: unknown[]) => {
      const run = callable(fn, 'setImmediate');
      const id = next++;
      if (closed) return id;
      const handle = setImmediate(() => (live.delete(id), run(...args)));
      live.set(id, { clear: () => clearImmediate(handle) });
      return id;
    },
    clearImmediate: cancel,
    queueMicrotask: (fn: unknown) => queueMicrotask(callable(fn, 'queueMicrotask')),
    // AbortSignal.timeout sets a host timer of its own: here it goes through the compartment's, so it is closed with them.
    AbortSignal: wrapAbortSignal(setTimeoutFn),
  };
}

/** The host's AbortSignal (same prototype, so `instanceof` holds) whose `timeout` uses the compartment's timers. */
function wrapAbortSignal(setTimeoutFn: (fn: unknown, ms?: unknown) => number): unknown {
  const Signal = function AbortSignal() {
    throw new TypeError('Illegal constructor');
  };
  Object.defineProperty(Signal, 'prototype', { value: AbortSignal.prototype });
  return Object.assign(Signal, {
    abort: (reason?: unknown) => AbortSignal.abort(reason),
    any: (signals: Iterable<AbortSignal>) => AbortSignal.any([...signals]),
    timeout: (ms: unknown) => {
      const controller = new AbortController();
      setTimeoutFn(() => controller.abort(new DOMException('The operation was aborted due to timeout', 'TimeoutError')), ms);
      return controller.signal;
    },
  });
}

function wrapConsole() {
  const methods = ['log', 'info', 'warn', 'error', 'debug', 'trace', 'dir', 'table', 'group', 'groupEnd', 'time', 'timeEnd', 'count', 'assert'] as const;
  return Object.fromEntries(methods.map((m) => [m, (...args: unknown[]) => (console[m] as (...a: unknown[]) => void)(...args)]));
}

/** The globals a lab module gets, chosen one by one (docs/grading.md, "What the candidate's code can use"). */
export function endowments(): Record<string, unknown> {
  const encoder = new HostTextEncoder();
  class TextEncoder {
    readonly encoding = 'utf-8';
    encode(text = ''): Uint8Array {
      return encoder.encode(String(text));
    }
  }
  class TextDecoder {
    readonly #decoder: InstanceType<typeof HostTextDecoder>;
    constructor(label = 'utf-8', options: { fatal?: boolean; ignoreBOM?: boolean } = {}) {
      this.#decoder = new HostTextDecoder(String(label), { fatal: Boolean(options.fatal), ignoreBOM: Boolean(options.ignoreBOM) });
    }
    decode(input?: Parameters<InstanceType<typeof HostTextDecoder>['decode']>[0]): string {
      return this.#decoder.decode(input);
    }
  }
  return harden({
    console: wrapConsole(),
    ...wrapTimers(),
    // The host's Date and Math (frozen by lockdown): a compartment's own Date.now and Math.random throw.
    Date,
    Math,
    // ses 2.3 leaves the float typed arrays out of a compartment's globals; the host's are frozen intrinsics.
    Float32Array,
    Float64Array,
    // Cancellation, as the dataloader lab asks (hardened with everything else here: frozen classes and prototypes);
    // AbortSignal comes with the timers above.
    AbortController,
    TextEncoder,
    TextDecoder,
    structuredClone: (value: unknown) => structuredClone(value),
    performance: { now: () => performance.now(), timeOrigin: performance.timeOrigin },
  });
}

export type CandidateExports = Record<string, unknown>;

/**
 * Evaluates the candidate's bundle in a fresh compartment; `runtime` maps each package the lab declares to the
 * module the child loaded before lockdown. Returns the exports of each src/ module by path.
 */
export function evaluateCandidate(bundle: { code: string; map: string; file: string }, runtime: Record<string, unknown>): CandidateExports {
  const compartment = new Compartment({ ...endowments() }, {}, { name: 'submission' });
  const factory = compartment.evaluate(candidateSource(bundle), { __evadeHtmlCommentTest__: true, __evadeImportExpressionTest__: true } as object) as (
    m: object,
    e: object,
    r: (id: string) => unknown,
  ) => void;
  const require = harden((id: string) => {
    if (Object.prototype.hasOwnProperty.call(runtime, id)) return runtime[id];
    throw new Error(`Cannot use "${id}" while grading: only the lab's runtime packages can be required`);
  });
  const module = { exports: {} as CandidateExports };
  factory(module, module.exports, require);
  return module.exports;
}

/** Rewrites stack frames in the candidate's bundle to its own files and lines, through the bundle's source map. */
export function stackMapper(bundle: { map: string; file: string }, layoutDir: string): (stack: string) => string {
  let map: SourceMap | undefined;
  return (stack) =>
    stack.replace(new RegExp(`${escapeRegExp(bundle.file)}:(\\d+):(\\d+)`, 'g'), (whole, line: string, column: string) => {
      map ??= new SourceMap(JSON.parse(bundle.map));
      const entry = map.findEntry(Number(line) - 1, Number(column) - 1) as { originalSource?: string; originalLine?: number; originalColumn?: number };
      if (!entry.originalSource || entry.originalLine === undefined) return whole;
      const source = entry.originalSource.replace(/^(\.\.\/)+/, '');
      return `${layoutDir}/${source}:${entry.originalLine + 1}:${(entry.originalColumn ?? 0) + 1}`;
    });
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Compiles one test bundle in the host realm (the tests are the lab's, trusted); its imports of the candidate's
 * code are answered from the compartment's exports, nothing else of the submission is reachable.
 */
export function loadTestModule(file: string, code: string, candidate: CandidateExports, parent: NodeJS.Module): void {
  const mod = new Module(file, parent);
  mod.filename = file;
  mod.paths = (Module as unknown as { _nodeModulePaths(dir: string): string[] })._nodeModulePaths(path.dirname(file));
  const hostRequire = mod.require.bind(mod);
  mod.require = ((id: string) => {
    if (!id.startsWith(CANDIDATE_PREFIX)) return hostRequire(id);
    const exported = candidate[id.slice(CANDIDATE_PREFIX.length)];
    if (exported === undefined) throw new Error(`${id.slice(CANDIDATE_PREFIX.length)} is not part of the submission`);
    return exported;
  }) as NodeJS.Require;
  (mod as unknown as { _compile(code: string, file: string): void })._compile(code, file);
}
