// Times the question panel's rendering the way the extension does it, each cold case in a fresh process (the catalog
// is loaded first, outside the timing, as the Questions view has it before a question opens):
// - built-in, cold: require dist/pages.js, look the longest question up in the build's pre-render, build the page;
// - later questions: every other built-in question through the same lookup afterwards (median);
// - built-in with an answer attempt, cold: the same, plus the attempt (prose and math) rendered by dist/markdown.js;
// - pack question, cold, cache miss: the longest question as a pack question never seen: dist/render.js loads and
//   renders it, and the rendering is written to the cache;
// - pack question, cold, cache hit: the same in a fresh process, read back from that cache.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SAMPLES = 7;

const ATTEMPT = 'I would **shadow** the new model: mirror traffic, compare $p_{99}$ latency and the *disagreement rate*, then promote.';

const probe = (mode, cacheDir) => `
(async () => {
  const ATTEMPT = ${JSON.stringify(ATTEMPT)};
  const core = require(${JSON.stringify(path.join(root, 'dist/core.js'))});
  const catalog = await core.loadCatalog([${JSON.stringify(root)}]);
  const size = (q) => Object.values(q.body).join('').length;
  const [longest, ...rest] = [...catalog.questions].sort((a, b) => size(b) - size(a));
  // As a pack's question: not in the pre-render, so the cache or the renderer must serve it.
  const question = ${JSON.stringify(mode)} !== 'pack' ? longest : { ...longest, qualifiedId: 'bench-pack/' + longest.id, packId: 'bench-pack' };
  // As the panel's answerPage does it: an attempt with no code to highlight needs markdown-it and KaTeX, not shiki.
  const answer = () => ${JSON.stringify(mode)} !== 'attempt' ? undefined : { draft: '', attempts: [{ at: '2026-12-07T10:00:00Z', when: 'Dec 7',
    html: require(${JSON.stringify(path.join(root, 'dist/markdown.js'))}).renderWithoutHighlighter(ATTEMPT) }] };
  const page = async (pages, renders, q) => pages.buildQuestionPage({ questionId: q.qualifiedId, title: q.title, sectionTitle: q.section,
    difficulty: q.difficulty, tags: q.tags, state: 'new', position: { index: 0, total: 1 }, labs: [], revealed: false, pinned: false, answer: answer() },
    await renders.get(q), { nonce: pages.createNonce(), cspSource: 'x', styleUri: 'x', scriptUri: 'x' });
  const t0 = process.hrtime.bigint();
  const pages = require(${JSON.stringify(path.join(root, 'dist/pages.js'))});
  const renders = new pages.QuestionRenders({ prerenderFile: ${JSON.stringify(path.join(root, 'dist/questions-rendered.json'))},
    cacheDir: ${JSON.stringify(cacheDir)}, renderer: () => require(${JSON.stringify(path.join(root, 'dist/render.js'))}) });
  await page(pages, renders, question);
  const cold = Number(process.hrtime.bigint() - t0) / 1e6;
  const rendererLoaded = Object.keys(require.cache).some((f) => f.endsWith('render.js'));
  const warm = [];
  if (${JSON.stringify(mode)} === 'builtin')
    for (const q of rest) { const t = process.hrtime.bigint(); await page(pages, renders, q); warm.push(Number(process.hrtime.bigint() - t) / 1e6); }
  console.log(JSON.stringify({ cold, warm, rendererLoaded, longest: longest.id, chars: size(longest) }));
})();
`;

const run = (mode, cacheDir) => JSON.parse(execFileSync(process.execPath, ['-e', probe(mode, cacheDir)], { encoding: 'utf8' }));
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

export function measureRender() {
  const builtIn = [];
  const miss = [];
  const hit = [];
  const attempt = [];
  for (let i = 0; i < SAMPLES; i++) {
    const cacheDir = mkdtempSync(path.join(tmpdir(), 'mlops-bench-render-'));
    try {
      builtIn.push(run('builtin', cacheDir));
      miss.push(run('pack', cacheDir));
      hit.push(run('pack', cacheDir));
      attempt.push(run('attempt', cacheDir));
    } finally {
      rmSync(cacheDir, { recursive: true, force: true });
    }
  }
  return {
    longest: builtIn[0].longest,
    chars: builtIn[0].chars,
    cold: median(builtIn.map((r) => r.cold)),
    warm: median(builtIn.flatMap((r) => r.warm)),
    packMiss: median(miss.map((r) => r.cold)),
    packHit: median(hit.map((r) => r.cold)),
    withAttempt: median(attempt.map((r) => r.cold)),
    // Which runs loaded markdown-it, KaTeX and shiki: only the cache misses should.
    rendererLoaded: {
      builtIn: builtIn.some((r) => r.rendererLoaded),
      packMiss: miss.every((r) => r.rendererLoaded),
      packHit: hit.some((r) => r.rendererLoaded),
      withAttempt: attempt.some((r) => r.rendererLoaded),
    },
  };
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(measureRender());
