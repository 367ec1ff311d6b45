// `npm run mutation [lab…]`: StrykerJS mutates each lab's reference solution and scores every generated mutant
// with the lab's hidden suite through the project's grader (grader-runner.mjs). Prints the mutation score per
// lab beside the 90% target and lists the survivors; reports land in reports/mutation/<lab>.json.
// Slow (minutes per lab), so it is not part of npm test.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Stryker } from '@stryker-mutator/core';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const TARGET = 90;
process.chdir(ROOT);
execFileSync(process.execPath, ['esbuild.config.mjs'], { stdio: 'inherit' });

const labs = process.argv.slice(2).length
  ? process.argv.slice(2)
  : readdirSync('labs', { withFileTypes: true })
      .filter((e) => e.isDirectory())
      .map((e) => e.name);
const rows = [];
for (const lab of labs) {
  const started = Date.now();
  process.env.MLOPS_MUTATION_LAB = lab;
  const stryker = new Stryker({
    mutate: [`labs/${lab}/solution/**/*.ts`],
    testRunner: 'mlops-grader',
    ignorers: ['error-messages'],
    plugins: [path.join(ROOT, 'scripts/mutation/grader-runner.mjs')],
    coverageAnalysis: 'off',
    checkers: [],
    // Only the files to mutate go to Stryker's sandbox; the runner grades from the repository's own lab.
    ignorePatterns: ['/*', '!/labs', '/labs/*', `!/labs/${lab}`, `/labs/${lab}/*`, `!/labs/${lab}/solution`],
    reporters: ['clear-text', 'json'],
    jsonReporter: { fileName: `reports/mutation/${lab}.json` },
    clearTextReporter: { allowColor: false, logTests: false, reportScoreTable: true, reportMutants: false },
    concurrency: 2,
    timeoutMS: 20_000,
    tempDirName: '.stryker-tmp',
    logLevel: 'warn',
  });
  const results = await stryker.runMutationTest();
  const detected = results.filter((m) => m.status === 'Killed' || m.status === 'Timeout');
  const survived = results.filter((m) => m.status === 'Survived' || m.status === 'NoCoverage');
  const valid = detected.length + survived.length;
  const score = valid ? (100 * detected.length) / valid : 100;
  rows.push({ lab, score, detected: detected.length, valid, minutes: (Date.now() - started) / 60_000 });
  const source = (file) => readFileSync(file, 'utf8').split('\n');
  for (const m of survived) {
    const line = source(path.join(ROOT, 'labs', lab, 'solution', path.basename(m.fileName)))[m.location.start.line - 1]?.trim();
    console.log(`  survived ${lab} ${path.basename(m.fileName)}:${m.location.start.line} ${m.mutatorName}: ${line} → ${m.replacement}`);
  }
}
console.log('\nmutation score per lab (target ≥ 90%):');
for (const r of rows) {
  console.log(
    `  ${r.lab.padEnd(20)} ${r.score.toFixed(1).padStart(5)}%  (${r.detected}/${r.valid} detected, ${r.minutes.toFixed(1)} min)  ${r.score >= TARGET ? 'meets the target' : 'BELOW the target'}`,
  );
}
