// Grading figures: the zero-memory hidden suite graded by a warm grader (median of repeated runs) against
// `vitest run` on the same assertions, and batch grading of 100 generated submissions from the CLI.
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism, tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const LAB = path.join(root, 'labs/zero-memory');

/** `reuse`: grades one child may run in turn (the grader's default when absent; 1 is a child per grade, as before issue 25). */
export async function measureWarmGrade(runs = 15, labId = 'zero-memory', reuse = undefined) {
  const { Grader } = require(path.join(root, 'dist/grader.js'));
  const { loadCatalog } = require(path.join(root, 'dist/core.js'));
  const lab = (await loadCatalog([root])).lab(`core/${labId}`);
  const submission = mkdtempSync(path.join(tmpdir(), 'bench-grade-'));
  cpSync(path.join(root, 'labs', labId, 'solution'), path.join(submission, 'src'), { recursive: true });
  // Layouts in a folder of the grader's own, as the extension (global storage) and the CLI (~/.cache) give it: not /tmp.
  const workDir = path.join(root, '.cache', 'bench-grading');
  const grader = new Grader({ harness: path.join(root, 'dist/grader-harness.js'), warm: true, workDir, ...(reuse ? { reuse } : {}) });
  grader.prepare(lab);
  const times = [];
  try {
    for (let i = 0; i < runs; i++) {
      // A warm host: the spare child has had time to start, as it has between a candidate's edits.
      await new Promise((r) => setTimeout(r, 300));
      const started = performance.now();
      const report = await grader.grade({ lab, submissionDir: submission, suite: 'hidden' });
      times.push(performance.now() - started);
      if (report.status !== 'pass') throw new Error(`the reference solution did not pass: ${report.message}`);
    }
  } finally {
    grader.dispose();
    rmSync(submission, { recursive: true, force: true });
  }
  return median(times);
}

/** The same hidden suite run by vitest, with node:test's describe/it mapped onto vitest's. */
export function measureVitest(runs = 5) {
  const dir = mkdtempSync(path.join(root, '.tmp-bench-vitest-'));
  try {
    mkdirSync(path.join(dir, 'tests'));
    cpSync(path.join(LAB, 'solution'), path.join(dir, 'src'), { recursive: true });
    cpSync(path.join(LAB, 'tests/hidden'), path.join(dir, 'tests'), { recursive: true });
    writeFileSync(path.join(dir, 'node-test-shim.ts'), "export { describe, it, test } from 'vitest';\n");
    writeFileSync(
      path.join(dir, 'vitest.config.mts'),
      `export default { resolve: { alias: { 'node:test': ${JSON.stringify(path.join(dir, 'node-test-shim.ts'))} } }, test: { include: ['tests/**/*.test.ts'] } };\n`,
    );
    const vitest = path.join(root, 'node_modules/vitest/vitest.mjs');
    const times = [];
    for (let i = 0; i < runs; i++) {
      const started = performance.now();
      const result = spawnSync(process.execPath, [vitest, 'run', '--root', dir], { encoding: 'utf8' });
      times.push(performance.now() - started);
      if (result.status !== 0) throw new Error(`vitest failed:\n${result.stdout}\n${result.stderr}`);
    }
    return median(times);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Writes `count` zero-memory submission folders (`<dir>/candidate-NNN/src/zero.ts`): 70% correct, 20%
 * plausibly wrong (the lab's own mutants), 10% hostile (half infinite loops, half crashes and exits). Returns their paths.
 */
export async function writeSubmissionMix(dir, count = 100) {
  const { readMutants, writeMutant } = require(path.join(root, 'dist/core.js'));
  const { mutants } = await readMutants(LAB);
  const solution = readFileSync(path.join(LAB, 'solution/zero.ts'), 'utf8');
  const hostile = [
    // Every export present (so it compiles), but the first function spins forever.
    solution.replace('export function modelStateMemory(config: ZeroConfig): ModelStateMemory {', '$&\n  for (;;) {\n    /* spins */\n  }'),
    `${solution}\nprocess.exit(0);\n`,
    `throw new Error('broken at import');\n${solution}`,
  ];
  if (hostile[0] === solution) throw new Error('the infinite-loop submission was not generated');
  const correct = Math.round(count * 0.7);
  const wrong = Math.round(count * 0.9);
  const loops = Math.round(count * 0.95);
  const folders = [];
  for (let i = 0; i < count; i++) {
    const folder = path.join(dir, `candidate-${String(i).padStart(3, '0')}`);
    const src = path.join(folder, 'src');
    mkdirSync(src, { recursive: true });
    if (i < correct) writeFileSync(path.join(src, 'zero.ts'), solution);
    else if (i < wrong) await writeMutant(LAB, mutants[i % mutants.length], folder);
    else writeFileSync(path.join(src, 'zero.ts'), i < loops ? hostile[0] : hostile[1 + (i % 2)]);
    folders.push(folder);
  }
  return folders;
}

/** 100 submission folders graded with `mlops-labs grade --batch`. */
export async function measureBatch(count = 100) {
  const dir = mkdtempSync(path.join(tmpdir(), 'bench-batch-'));
  try {
    await writeSubmissionMix(path.join(dir, 'submissions'), count);
    const started = performance.now();
    execFileSync(
      process.execPath,
      [path.join(root, 'dist/cli.js'), 'grade', '--batch', path.join(dir, 'submissions'), '--lab', 'zero-memory', '--out', path.join(dir, 'out')],
      { stdio: 'ignore' },
    );
    const seconds = (performance.now() - started) / 1000;
    const rows = readdirSync(path.join(dir, 'out/reports')).length;
    // The five loops' share: each runs to the wall-clock limit; with two workers, three of them fall to one.
    const loops = readdirSync(path.join(dir, 'out/reports'))
      .map((f) => JSON.parse(readFileSync(path.join(dir, 'out/reports', f), 'utf8')))
      .filter((r) => /stopped after/.test(r.message ?? '')).length;
    return { seconds, rows, cores: availableParallelism(), loops };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log({ warm: await measureWarmGrade(), vitest: measureVitest(), batch: await measureBatch() });
}
