// Take-home grading from the CLI: 100 exported submission zips for a one-lab take-home pack (the core
// zero-memory lab copied into a pack of its own), graded with `mlops-labs grade --pack <pack> --submissions
// <dir>` on all cores (checksums, take-home mode, gradebook, JUnit and feedback pages included); then the
// same zips as 4 shards (`--shard i/4`) graded one after another and joined by `gradebook merge`, as a
// matrix of CI jobs would, with the merged gradebook.csv checked against the unsharded one.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism, tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeSubmissionMix } from './grade.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const LAB = path.join(root, 'labs/zero-memory');
const EXPORTED = new Date('2026-11-27T12:00:00.000Z');

/** 100 zips of the submission mix bench/grade.mjs writes: 70 correct, 20 plausibly wrong, 10 hostile. */
export async function measureTakeHome(count = 100, shards = 4) {
  const { buildSubmission, loadCatalog, readFolder, writeZip } = require(path.join(root, 'dist/core.js'));
  const dir = mkdtempSync(path.join(tmpdir(), 'bench-take-home-'));
  const packDir = path.join(dir, 'pack');
  mkdirSync(path.join(packDir, 'labs'), { recursive: true });
  cpSync(LAB, path.join(packDir, 'labs', 'zero-memory'), { recursive: true });
  // Its related questions stay in the core pack, so name them by their qualified ids.
  const manifestFile = path.join(packDir, 'labs', 'zero-memory', 'lab.json');
  const manifest = JSON.parse(readFileSync(manifestFile, 'utf8'));
  writeFileSync(manifestFile, JSON.stringify({ ...manifest, $schema: undefined, questions: manifest.questions.map((q) => `core/${q}`) }));
  writeFileSync(
    path.join(packDir, 'pack.json'),
    JSON.stringify({
      id: 'bench',
      name: 'Bench take-home',
      version: '1.0.0',
      author: 'bench',
      description: 'zero-memory as a take-home',
      questions: [],
      labs: ['labs'],
    }),
  );
  const catalog = await loadCatalog([packDir]);
  const pack = catalog.packs.find((p) => p.id === 'bench');
  const lab = catalog.lab('bench/zero-memory');
  const starter = await readFolder(path.join(LAB, 'starter'));
  try {
    const started = new Date(EXPORTED.getTime() - 45 * 60_000);
    const record = { startedAt: started.toISOString(), hintsTaken: 0, attempts: 1, passed: false };
    mkdirSync(path.join(dir, 'submissions'));
    for (const folder of await writeSubmissionMix(path.join(dir, 'folders'), count)) {
      const current = await readFolder(path.join(folder, 'src'));
      const files = buildSubmission(pack, [{ lab, record, current, starter, attempts: [] }], '0.1.0', EXPORTED);
      await writeZip(files, path.join(dir, 'submissions', `${path.basename(folder)}.zip`));
    }

    const out = path.join(dir, 'out');
    const begun = performance.now();
    execFileSync(process.execPath, [path.join(root, 'dist/cli.js'), 'grade', '--pack', packDir, '--submissions', path.join(dir, 'submissions'), '--out', out], {
      cwd: root,
      stdio: 'ignore',
    });
    const seconds = (performance.now() - begun) / 1000;
    const gradebook = readFileSync(path.join(out, 'gradebook.csv'), 'utf8');
    const rows = gradebook.trimEnd().split('\n').length - 1;

    const cli = (args) => execFileSync(process.execPath, [path.join(root, 'dist/cli.js'), ...args], { cwd: root, stdio: 'ignore' });
    const shardSeconds = [];
    for (let i = 0; i < shards; i++) {
      const shardBegun = performance.now();
      cli(['grade', '--pack', packDir, '--submissions', path.join(dir, 'submissions'), '--shard', `${i}/${shards}`, '--out', path.join(dir, `shard-${i}`)]);
      shardSeconds.push((performance.now() - shardBegun) / 1000);
    }
    const mergeBegun = performance.now();
    cli(['gradebook', 'merge', ...Array.from({ length: shards }, (_, i) => path.join(dir, `shard-${i}`)), '--out', path.join(dir, 'merged')]);
    const mergeSeconds = (performance.now() - mergeBegun) / 1000;
    const merged = readFileSync(path.join(dir, 'merged', 'gradebook.csv'), 'utf8');
    const sharded = {
      shards,
      shardSeconds,
      mergeSeconds,
      seconds: shardSeconds.reduce((a, b) => a + b, 0) + mergeSeconds,
      sameGradebook: merged === gradebook,
    };
    return { seconds, rows, perSecond: rows / seconds, cores: availableParallelism(), sharded };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(await measureTakeHome());
}
