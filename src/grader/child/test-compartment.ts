/**
 * The candidate's own tests (a workspace run) are their code too, so they run in a compartment like src/ does,
 * never in the host realm. What a test may require is a short list: node:test's functions, assert, a path
 * module, a file system that reads only the lab's assets, the lab's runtime packages and the candidate's src/
 * modules. The lab's own suites (public, hidden) keep running in the host realm (sandbox.ts, loadTestModule).
 */
import looseAssert from 'node:assert';
import strictAssert from 'node:assert/strict';
import { readFileSync, realpathSync, existsSync } from 'node:fs';
import * as path from 'node:path';
import { CANDIDATE_PREFIX } from './sandbox-source';
import { endowments, type CandidateExports } from './sandbox';

const TEST_FUNCTIONS = ['describe', 'suite', 'it', 'test', 'before', 'after', 'beforeEach', 'afterEach', 'mock'];

/** A callable copy of an assert module: the test can use it as a function and read its members, not change the host's. */
function assertFacade(real: (value: unknown, message?: string | Error) => void): unknown {
  const facade = function assert(value: unknown, message?: string | Error): void {
    real(value, message);
  };
  for (const key of Object.keys(real)) (facade as unknown as Record<string, unknown>)[key] = (real as unknown as Record<string, unknown>)[key];
  return Object.freeze(facade);
}

/** Reads files of the lab's assets folder and nothing else (the public tests load models and data from there). */
function assetsFs(assetsDir: string): unknown {
  let root: string | undefined;
  const check = (file: unknown): string => {
    root ??= existsSync(assetsDir) ? realpathSync(assetsDir) : path.resolve(assetsDir);
    const target = realpathSync(path.resolve(String(file)));
    if (target !== root && !target.startsWith(root + path.sep)) throw new Error(`Tests can read only the lab's assets (${assetsDir}), not ${String(file)}`);
    return target;
  };
  return Object.freeze({
    readFileSync: (file: unknown, options?: unknown) => {
      const encoding = typeof options === 'string' ? options : (options as { encoding?: string } | undefined)?.encoding;
      return encoding ? readFileSync(check(file), encoding as BufferEncoding) : readFileSync(check(file));
    },
    existsSync: (file: unknown) => {
      try {
        check(file);
        return true;
      } catch {
        return false;
      }
    },
  });
}

function pathFacade(): unknown {
  return Object.freeze(Object.fromEntries(Object.entries(path).filter(([, value]) => typeof value === 'function' || typeof value === 'string')));
}

/**
 * Evaluates one test bundle of the candidate's workspace in its own compartment. `runtime` holds the lab's runtime
 * packages (loaded before lockdown); `assetsDir` is the one folder its file system can read.
 */
export function loadTestInCompartment(file: string, code: string, candidate: CandidateExports, runtime: Record<string, unknown>, assetsDir: string): void {
  // Buffers read from the assets are host objects: their prototype must not be theirs to change.
  harden(Buffer);
  const nodeTest = require('node:test') as Record<string, unknown>;
  const testApi = Object.freeze(Object.fromEntries(TEST_FUNCTIONS.map((name) => [name, nodeTest[name]])));
  const modules: Record<string, unknown> = {
    'node:test': testApi,
    'node:assert': assertFacade(looseAssert),
    'node:assert/strict': assertFacade(strictAssert),
    'node:path': pathFacade(),
    'node:fs': assetsFs(assetsDir),
    ...runtime,
  };
  const requireInTest = harden((id: string) => {
    if (id.startsWith(CANDIDATE_PREFIX)) {
      const exported = candidate[id.slice(CANDIDATE_PREFIX.length)];
      if (exported === undefined) throw new Error(`${id.slice(CANDIDATE_PREFIX.length)} is not part of the submission`);
      return exported;
    }
    if (Object.prototype.hasOwnProperty.call(modules, id)) return modules[id];
    throw new Error(`Cannot use "${id}" in a test here: tests can require node:test, node:assert, node:path, node:fs (the lab's assets) and src/`);
  });
  const compartment = new Compartment({ ...endowments() }, {}, { name: `test ${path.basename(file)}` });
  const factory = compartment.evaluate(`(function (module, exports, require) {${code}\n})\n//# sourceURL=${file}\n`, {
    __evadeHtmlCommentTest__: true,
    __evadeImportExpressionTest__: true,
  } as object) as (m: object, e: object, r: (id: string) => unknown) => void;
  const module = { exports: {} };
  factory(module, module.exports, requireInTest);
}
