// Times the catalog API on synthetic packs of 1,000 and 5,000 questions (bench/catalog-pack.mjs), each figure in
// fresh Node processes: loading the pack with no parsed-question cache (first start), loading it again with the
// cache the first load wrote (every later start), building the search index, and one search (median over varied
// queries: whole words, prefixes as typed, two-word queries, words found only in answers).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import * as path from 'node:path';
import { writeSyntheticPack } from './catalog-pack.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SAMPLES = 3;

const probe = (pack, cacheDir) => `
(async () => {
  const core = require(${JSON.stringify(path.join(root, 'dist/core.js'))});
  const t0 = performance.now();
  const catalog = await core.loadCatalog([${JSON.stringify(pack)}], [], { cacheDir: ${JSON.stringify(cacheDir)} });
  const load = performance.now() - t0;
  const t1 = performance.now();
  const index = core.buildSearchIndex(catalog.questions);
  const index0 = performance.now() - t1;
  // Queries drawn from the pack itself, the same ones every run: a title word, its first letters as typed, two words.
  const words = catalog.questions.flatMap((q) => q.title.toLowerCase().split(/[^a-z]+/).filter((w) => w.length > 3));
  const bodyWords = catalog.questions.flatMap((q) => q.body.answer.toLowerCase().split(/[^a-z]+/).filter((w) => w.length > 5));
  const at = (xs, i) => xs[(i * 7919) % xs.length];
  const queries = Array.from({ length: 10 }, (_, i) => [at(words, i), at(words, i).slice(0, 3), at(words, i) + ' ' + at(words, i + 3), at(bodyWords, i)]).flat();
  const searches = [];
  for (const query of queries) {
    // As typed: every prefix of the query is searched, the way the quick pick searches on each keystroke.
    for (let n = 1; n <= query.length; n++) {
      const t = performance.now();
      core.searchQuestions(index, query.slice(0, n), 60);
      searches.push(performance.now() - t);
    }
  }
  console.log(JSON.stringify({ load, index: index0, searches, questions: catalog.questions.length, problems: catalog.problems.length }));
})();
`;

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const run = (pack, cacheDir) => JSON.parse(execFileSync(process.execPath, ['-e', probe(pack, cacheDir)], { encoding: 'utf8' }));

/** Figures for a pack of `count` questions: load without and with the cache, index build, search median and slowest. */
export function measureCatalog(count) {
  const pack = writeSyntheticPack(root, count);
  try {
    const fresh = [];
    const cached = [];
    for (let i = 0; i < SAMPLES; i++) {
      const cacheDir = mkdtempSync(path.join(tmpdir(), 'mlops-catalog-cache-'));
      try {
        fresh.push(run(pack, cacheDir));
        cached.push(run(pack, cacheDir));
      } finally {
        rmSync(cacheDir, { recursive: true, force: true });
      }
    }
    const all = [...fresh, ...cached];
    const searches = all.flatMap((r) => r.searches);
    return {
      count,
      questions: fresh[0].questions,
      problems: fresh[0].problems,
      fresh: median(fresh.map((r) => r.load)),
      cached: median(cached.map((r) => r.load)),
      index: median(all.map((r) => r.index)),
      search: median(searches),
      slowest: median(all.map((r) => Math.max(...r.searches))),
    };
  } finally {
    rmSync(pack, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  if (!existsSync(path.join(root, 'dist/core.js'))) execFileSync(process.execPath, ['esbuild.config.mjs'], { cwd: root, stdio: 'inherit' });
  for (const count of [1000, 5000]) console.log(measureCatalog(count));
}
