#!/usr/bin/env node
// CI check for the generated lab models: regenerates every asset into a temp folder with
// scripts/models/generate.mjs and compares it with the committed files and checksums.
//
//   node scripts/models/check.mjs
//
// Exits 0 when every committed asset is byte-identical to a fresh generation, 1 otherwise.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createHash } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const REPO_ROOT = path.resolve(HERE, '../..');
const LABS = ['quantization', 'shadow-deployment', 'dynamic-batching', 'behavioural-testing'];

const sha256 = (bytes) => createHash('sha256').update(bytes).digest('hex');

function readChecksums(file) {
  if (!existsSync(file)) return { error: 'missing' };
  try {
    const parsed = JSON.parse(readFileSync(file, 'utf8'));
    if (parsed.algorithm !== 'sha256' || typeof parsed.files !== 'object' || parsed.files === null) return { error: 'not a sha256 checksums file' };
    return { files: parsed.files };
  } catch (error) {
    return { error: `not valid JSON (${error.message})` };
  }
}

function compareLab(lab, freshRoot) {
  const problems = [];
  const rel = (name) => path.posix.join('labs', lab, 'assets', name);
  const committedDir = path.join(REPO_ROOT, 'labs', lab, 'assets');
  const freshDir = path.join(freshRoot, 'labs', lab, 'assets');
  const fresh = readChecksums(path.join(freshDir, 'checksums.json'));
  if (fresh.error) return [`${rel('checksums.json')}: the generator did not write it (${fresh.error})`];
  const committed = readChecksums(path.join(committedDir, 'checksums.json'));
  if (committed.error) problems.push(`${rel('checksums.json')}: ${committed.error} in the repository`);
  const committedFiles = committed.files ?? {};
  for (const [name, hash] of Object.entries(fresh.files)) {
    const file = path.join(committedDir, name);
    if (!existsSync(file)) {
      problems.push(`${rel(name)}: generated but not committed`);
      continue;
    }
    const actual = sha256(readFileSync(file));
    if (actual !== hash) problems.push(`${rel(name)}: committed file has sha256 ${actual}, a fresh generation gives ${hash}`);
    if (committed.files && committedFiles[name] !== hash) {
      problems.push(`${rel('checksums.json')}: lists ${name} as ${committedFiles[name] ?? '(absent)'}, a fresh generation gives ${hash}`);
    }
  }
  for (const name of Object.keys(committedFiles)) {
    if (!(name in fresh.files)) problems.push(`${rel('checksums.json')}: lists ${name}, which the generator no longer writes`);
  }
  const committedChecksums = path.join(committedDir, 'checksums.json');
  if (existsSync(committedChecksums) && problems.length === 0) {
    const a = readFileSync(committedChecksums);
    const b = readFileSync(path.join(freshDir, 'checksums.json'));
    if (!a.equals(b)) problems.push(`${rel('checksums.json')}: same hashes but different bytes from a fresh generation`);
  }
  return problems;
}

function main() {
  const started = performance.now();
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'mlops-models-check-'));
  try {
    const result = spawnSync(process.execPath, [path.join(HERE, 'generate.mjs'), '--out', tmp], { encoding: 'utf8' });
    if (result.status !== 0) {
      process.stdout.write(result.stdout ?? '');
      process.stderr.write(result.stderr ?? '');
      console.error(`models:check: the generator failed (exit ${result.status ?? result.signal}); see its output above`);
      return 1;
    }
    const problems = LABS.flatMap((lab) => compareLab(lab, tmp));
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    if (problems.length) {
      process.stdout.write(result.stdout);
      console.error(`\nmodels:check: ${problems.length} difference(s) between the committed lab assets and a fresh generation (Node ${process.version}):`);
      for (const p of problems) console.error(`  ✗ ${p}`);
      console.error('\nIf the generator or its settings changed on purpose, run `node scripts/models/generate.mjs` and commit the assets.');
      console.error(
        'If nothing changed, the difference comes from the platform (Node.js version or Math functions); compare with the Node version that made them.',
      );
      return 1;
    }
    const count = LABS.reduce((n, lab) => n + Object.keys(readChecksums(path.join(tmp, 'labs', lab, 'assets', 'checksums.json')).files).length + 1, 0);
    console.log(`models:check: ${count} generated files in ${LABS.length} labs match the committed ones (${seconds}s, Node ${process.version})`);
    return 0;
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

process.exitCode = main();
