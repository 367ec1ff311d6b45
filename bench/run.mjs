// `npm run bench`: each figure beside its DESIGN.md budget (the table "Performance budgets"; keep the two the same). Figures are printed, never asserted: machines are noisy.
import { execFileSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as path from 'node:path';
import { measureActivation } from './activate.mjs';
import { measureRender } from './render.mjs';
import { measureBatching } from './batching.mjs';
import { measureJoin } from './join.mjs';
import { measureLlmServing } from './llm-serving.mjs';
import { measureBatch, measureVitest, measureWarmGrade } from './grade.mjs';
import { measureTakeHome } from './take-home.mjs';
import { measureSimilarity } from './similarity.mjs';
import { editorTimingRows } from './editor-timings.mjs';
import { measureCatalog } from './catalog.mjs';
import { measureQuestionsView } from './questions-view.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
process.chdir(root);
execFileSync(process.execPath, ['esbuild.config.mjs', '--release'], { stdio: 'inherit' });

const rows = [];
const row = (what, figure, budget, ok) => rows.push({ what, figure, budget, verdict: ok ? 'within' : 'OVER' });

const activation = measureActivation();
row('activate(): require + activate, median of 15 cold processes', `${activation.total.toFixed(1)} ms`, '< 10 ms', activation.total < 10);
row('heavy modules loaded at activation', activation.heavy.length ? activation.heavy.join(', ') : 'none', 'none', activation.heavy.length === 0);

const render = measureRender();
row(
  `first question panel page, cold: light bundle + pre-render lookup + page (longest: ${render.longest}, ${render.chars} chars; full render was 187 ms)`,
  `${render.cold.toFixed(1)} ms`,
  '< 50 ms',
  render.cold < 50 && !render.rendererLoaded.builtIn,
);
row('later questions rendered, median', `${render.warm.toFixed(2)} ms`, '< 10 ms', render.warm < 10);
row(
  'first question panel page with an answer attempt (prose and math), cold: + dist/markdown.js, no shiki',
  `${render.withAttempt.toFixed(1)} ms`,
  '< 50 ms',
  render.withAttempt < 50 && !render.rendererLoaded.withAttempt,
);
row(
  'pack question never seen, cold: renderer loaded, full render, cached',
  `${render.packMiss.toFixed(1)} ms`,
  'reported, no budget',
  render.rendererLoaded.packMiss,
);
row(
  'pack question seen before, cold: light bundle + disk cache + page',
  `${render.packHit.toFixed(1)} ms`,
  '< 50 ms',
  render.packHit < 50 && !render.rendererLoaded.packHit,
);

const view = measureQuestionsView();
// Issue 25: the Questions view filled ≤ 300 ms after the workbench is ready. Measured here on the extension side only (stub vscode).
row(
  `Questions view filled: require + activate() to the ${view.rows} root rows and the first group's ${view.firstGroup} rows, stub vscode, first start, median of 5`,
  `${view.first.toFixed(0)} ms`,
  'reported (the first start writes the parsed-question cache)',
  true,
);
row('Questions view filled, as above, later starts (parsed-question cache warm), median of 5', `${view.later.toFixed(0)} ms`, '≤ 300 ms', view.later <= 300);
for (const count of [1000, 5000]) {
  // Issue 25's goals: a 5,000-question pack loads in ≤ 1 s and searches in ≤ 5 ms; 1,000 questions are reported beside them.
  const c = measureCatalog(count);
  const goal = count === 5000;
  const k = `${count / 1000}k`;
  row(
    `catalog ${k} questions: load, first start (no parsed-question cache), median of 3`,
    `${c.fresh.toFixed(0)} ms`,
    goal ? '≤ 1 s' : 'reported',
    !goal || c.fresh <= 1000,
  );
  row(
    `catalog ${k} questions: load, later starts (cache warm), median of 3`,
    `${c.cached.toFixed(0)} ms`,
    goal ? '≤ 1 s' : 'reported',
    !goal || c.cached <= 1000,
  );
  row(
    `catalog ${k} questions: build the search index on the first search (after a cached load: reading the bodies too)`,
    `${c.index.toFixed(0)} ms`,
    'reported',
    true,
  );
  row(
    `catalog ${k} questions: one search, median over every prefix of 40 queries as typed (slowest ${c.slowest.toFixed(1)} ms)`,
    `${c.search.toFixed(2)} ms`,
    goal ? '≤ 5 ms' : 'reported',
    !goal || c.search <= 5,
  );
}

const warm = await measureWarmGrade();
const warmOnePerGrade = await measureWarmGrade(15, 'zero-memory', 1);
const vitest = measureVitest();
// 89 ms was the figure before the sandbox (lockdown + compartment + two bundles), 82-101 ms before a warm child graded
// several submissions in turn (issue 25); the budget is DESIGN.md's.
row(
  'grade zero-memory hidden suite (23 tests) in the sandbox, warm grader (kept child), median of 15 (82-101 ms with a child per grade)',
  `${warm.toFixed(0)} ms`,
  '< 40 ms',
  warm < 40,
);
row('the same, a fresh child per grade (as before issue 25), same run', `${warmOnePerGrade.toFixed(0)} ms`, 'reported, no budget', true);
row(
  '`vitest run` on the same assertions, median of 5',
  `${vitest.toFixed(0)} ms (${(vitest / warm).toFixed(1)}× slower)`,
  'grader ≥ 15× faster',
  vitest / warm >= 15,
);
for (const labId of ['quantization', 'dynamic-batching']) {
  const onnx = await measureWarmGrade(7, labId);
  row(`grade ${labId} hidden suite (real ONNX Runtime sessions), warm grader, median of 7`, `${onnx.toFixed(0)} ms`, '< 500 ms', onnx < 500);
}
const batching = await measureBatching();
row(
  `dynamic-batching reference batcher vs one request per session call (${batching.rows} concurrent rows)`,
  `${Math.round(batching.batched)} vs ${Math.round(batching.oneAtATime)} rows/s (${batching.speedup.toFixed(1)}×)`,
  'reported, no budget',
  true,
);
const join = await measureJoin();
row(
  `point-in-time-join reference join, ${join.rows / 1000}k entity rows × ${join.featureRows / 1000}k feature rows, vs a nested loop (sampled, scaled)`,
  `${Math.round(join.joinMs)} ms vs ${Math.round(join.nestedMs / 1000)} s (${Math.round(join.ratio)}× faster)`,
  'reported, no budget',
  true,
);
const llm = await measureLlmServing();
row(
  `llm-serving reference scheduler, continuous vs static batching on ${llm.requests} mixed-length requests (simulated steps)`,
  `${llm.continuous.toFixed(1)} vs ${llm.static.toFixed(1)} tokens/step (${llm.ratio.toFixed(1)}×, ${llm.preemptions} preemptions)`,
  'reported, no budget',
  true,
);
const batch = await measureBatch();
row(
  `batch-grade ${batch.rows} submissions (70 correct, 20 wrong, 10 hostile, ${batch.loops} of them loops to the 5 s limit) on ${batch.cores} cores, kept children (26.9-27.5 s with a child per grade)`,
  `${batch.seconds.toFixed(1)} s`,
  '< 16 s',
  batch.seconds < 16,
);
const takeHome = await measureTakeHome();
row(
  `take-home grade ${takeHome.rows} zero-memory submission zips (70 correct, 20 wrong, 10 hostile) on ${takeHome.cores} cores`,
  `${takeHome.seconds.toFixed(1)} s (${takeHome.perSecond.toFixed(1)} submissions/s)`,
  "reported, no budget (batch grading's is < 16 s)",
  takeHome.rows === 100,
);
const { sharded } = takeHome;
row(
  `take-home grade the same ${takeHome.rows} zips as ${sharded.shards} shards one after another, then gradebook merge, beside the unsharded run`,
  `${sharded.seconds.toFixed(1)} s (shards ${sharded.shardSeconds.map((s) => s.toFixed(1)).join(' + ')} s, merge ${sharded.mergeSeconds.toFixed(2)} s) vs ${takeHome.seconds.toFixed(1)} s unsharded; merged gradebook ${sharded.sameGradebook ? 'identical' : 'DIFFERS'}`,
  'reported, no budget; the merged gradebook.csv must equal the unsharded one',
  sharded.sameGradebook,
);
const similarity = measureSimilarity();
row(
  `similarity across ${similarity.count} synthetic ${Math.round(similarity.lines)}-line submissions on ${similarity.cores} cores (${similarity.found} of ${similarity.planted} planted copies listed, ${similarity.listed} pairs listed; best other pair ${Math.round(similarity.otherBest * 100)}%)`,
  `${similarity.seconds.toFixed(1)} s`,
  '< 60 s',
  similarity.seconds < 60,
);
for (const r of editorTimingRows(root)) row(r.what, r.figure, r.budget, r.ok);

execFileSync(process.execPath, ['scripts/package.mjs'], { stdio: 'ignore' });
for (const file of readdirSync(root).filter((f) => f.endsWith('.vsix'))) {
  const mb = statSync(file).size / 1024 / 1024;
  // DESIGN.md budgets the packaged linux-x64 build; the others are reported beside it.
  const budgeted = file.includes('-linux-x64-');
  row(`.vsix size (${file})`, `${mb.toFixed(2)} MB`, budgeted ? '< 25 MB' : 'reported, no budget', !budgeted || mb < 25);
}

const width = (key) => Math.max(key.length, ...rows.map((r) => String(r[key]).length));
const cols = ['what', 'figure', 'budget', 'verdict'];
console.log(`\n${cols.map((c) => c.padEnd(width(c))).join(' | ')}`);
console.log(cols.map((c) => '-'.repeat(width(c))).join('-|-'));
for (const r of rows) console.log(cols.map((c) => String(r[c]).padEnd(width(c))).join(' | '));
