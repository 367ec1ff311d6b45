// Times rendering the longest question cold (fresh process: load the render bundle, start the highlighter, render)
// and warm (every other question rendered once afterwards, median), the way the question panel does it.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import * as path from 'node:path';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SAMPLES = 7;

const probe = `
(async () => {
  const core = require(${JSON.stringify(path.join(root, 'dist/core.js'))});
  const catalog = await core.loadCatalog([${JSON.stringify(root)}]);
  const size = (q) => Object.values(q.body).join('').length;
  const [longest, ...rest] = [...catalog.questions].sort((a, b) => size(b) - size(a));
  const page = (render, q) => render.buildQuestionPage({ questionId: q.qualifiedId, title: q.title, sectionTitle: q.section, difficulty: q.difficulty,
    tags: q.tags, state: 'new', position: { index: 0, total: 1 }, labs: [], revealed: false, pinned: false },
    render.renderQuestion(q), { nonce: render.createNonce(), cspSource: 'x', styleUri: 'x', scriptUri: 'x' });
  const t0 = process.hrtime.bigint();
  const render = require(${JSON.stringify(path.join(root, 'dist/render.js'))});
  page(render, longest);
  const cold = Number(process.hrtime.bigint() - t0) / 1e6;
  const warm = rest.map((q) => { const t = process.hrtime.bigint(); page(render, q); return Number(process.hrtime.bigint() - t) / 1e6; });
  console.log(JSON.stringify({ cold, warm, longest: longest.id, chars: size(longest) }));
})();
`;

export function measureRender() {
  const runs = Array.from({ length: SAMPLES }, () => JSON.parse(execFileSync(process.execPath, ['-e', probe], { encoding: 'utf8' })));
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  return { cold: median(runs.map((r) => r.cold)), warm: median(runs.flatMap((r) => r.warm)), longest: runs[0].longest, chars: runs[0].chars };
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(measureRender());
