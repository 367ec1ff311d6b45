/**
 * Debug runs (dist/grader-debug.js): the same sandbox as grading, under the debugger. `node grader-debug.js <dir>`
 * with a folder that bundleForDebug wrote: the candidate's bundle (candidate.js, exactly as the compartment
 * evaluates it, with its inline source map, so breakpoints in src/ bind), the test bundles, and runtime.json
 * (the lab's runtime packages and assets folder). It loads those packages, locks down, evaluates the candidate
 * and each test file in compartments and runs the tests with node:test's own readable reporter.
 */
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { evaluateCandidate, lockDown } from './sandbox';
import { loadTestInCompartment } from './test-compartment';

function main(dir: string): void {
  const { modules: runtimeFiles, assetsDir } = JSON.parse(readFileSync(path.join(dir, 'runtime.json'), 'utf8')) as {
    modules: Record<string, string>;
    assetsDir: string;
  };
  const runtime = Object.fromEntries(Object.entries(runtimeFiles).map(([name, file]) => [name, require(file) as unknown]));
  require('node:test');
  lockDown();
  const file = path.join(dir, 'candidate.js');
  const bundle = { code: readFileSync(path.join(dir, 'candidate.code.js'), 'utf8'), map: readFileSync(`${file}.map`, 'utf8'), file };
  const candidate = evaluateCandidate(bundle, runtime);
  const testsDir = path.join(dir, 'tests');
  for (const name of readdirSync(testsDir)
    .filter((f) => f.endsWith('.js'))
    .sort()) {
    const testFile = path.join(testsDir, name);
    // The workspace's tests are the candidate's code: each runs in its own compartment, as in a workspace run.
    loadTestInCompartment(testFile, readFileSync(testFile, 'utf8'), candidate, runtime, assetsDir);
  }
}

main(process.argv[2] ?? '');
