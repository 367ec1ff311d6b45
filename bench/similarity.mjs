// Similarity at scale: 1,000 synthetic submissions of the shadow-deployment lab (a 334-line reference
// solution), each the solution with identifiers renamed and lines deleted, repeated and inserted at random,
// plus ten planted pairs (one submission copied from another, renamed and lightly edited), compared with
// `mlops-labs similarity <dir> --lab shadow-deployment` as lab workspaces. The figure is the command's whole
// run (process start, catalog, reading every folder, fingerprints, the index, the report).
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const LAB = path.join(root, 'labs/shadow-deployment');
const PLANTED = 10;

/** mulberry32: every run writes the same submissions. */
function random(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pick = (rng, list) => list[Math.floor(rng() * list.length)];

/** A statement of random shape, so each candidate's own additions fingerprint differently. */
function statement(rng, n) {
  const v = () => pick(rng, ['count', 'total', 'item', 'value', 'rows', 'this.seen', 'options.limit', 'x']);
  const op = () => pick(rng, ['+', '-', '*', '/', '%', '&&', '||', '??', '===', '<', '>=']);
  const shapes = [
    () => `  const t${n} = ${v()} ${op()} ${Math.floor(rng() * 100)};`,
    () => `  if (${v()} ${op()} ${v()}) { ${v()} = ${v()} ${op()} 1; }`,
    () => `  for (let i = 0; i < ${v()}.length; i++) ${v()}.push(${v()}[i] ${op()} ${Math.floor(rng() * 9)});`,
    () => `  log(\`step ${n}: \${${v()}}\`, [${v()}, ${v()}].map((q) => q ${op()} ${v()}));`,
    () => `  ${v()} = ${v()} ? ${v()} ${op()} ${v()} : (${v()} ${op()} ${v()}) ${op()} ${v()};`,
    () => `  while (${v()} ${op()} ${v()} && ${v()}) { ${v()}--; if (${v()}) break; }`,
  ];
  return Array.from({ length: 1 + Math.floor(rng() * 3) }, () => pick(rng, shapes)()).join(' ');
}

function rename(text, rng, suffix) {
  return text.replace(/\b[A-Za-z_]\w*\b/g, (w) => (/^[a-z]+$/.test(w) || rng() < 0.5 ? w : `${w}${suffix}`));
}

function edit(text, rng, rate) {
  const out = [];
  for (const [n, line] of text.split('\n').entries()) {
    const r = rng();
    if (r < rate / 3) continue;
    out.push(line);
    if (r < (2 * rate) / 3) out.push(line);
    else if (r < rate) out.push(statement(rng, n));
  }
  return out.join('\n');
}

export function writeSimilarityMix(dir, count = 1000) {
  const solution = readFileSync(path.join(LAB, 'solution/router.ts'), 'utf8');
  const rng = random(19);
  const texts = [];
  for (let i = 0; i < count; i++) {
    // Submissions 1, 3, …, 2·PLANTED−1 are copies of the one before them.
    texts.push(i % 2 === 1 && i < 2 * PLANTED ? edit(rename(texts[i - 1], rng, 'Z'), rng, 0.02) : edit(rename(solution, rng, `C${i}`), rng, 0.15));
  }
  const marker = JSON.stringify({ lab: 'core/shadow-deployment', version: '1.0.2', pack: 'core', startedAt: '2026-12-07T09:00:00.000Z' });
  texts.forEach((text, i) => {
    const folder = path.join(dir, `cand-${String(i).padStart(4, '0')}`);
    mkdirSync(path.join(folder, 'src'), { recursive: true });
    writeFileSync(path.join(folder, '.mlops-lab.json'), marker);
    writeFileSync(path.join(folder, 'src', 'router.ts'), text);
  });
  return texts.reduce((n, t) => n + t.split('\n').length, 0) / count;
}

export function measureSimilarity(count = 1000) {
  const dir = mkdtempSync(path.join(tmpdir(), 'bench-similarity-'));
  try {
    const lines = writeSimilarityMix(path.join(dir, 'subs'), count);
    const out = path.join(dir, 'out');
    const begun = performance.now();
    execFileSync(process.execPath, [path.join(root, 'dist/cli.js'), 'similarity', path.join(dir, 'subs'), '--lab', 'shadow-deployment', '--out', out], {
      cwd: root,
      stdio: 'ignore',
    });
    const seconds = (performance.now() - begun) / 1000;
    const report = JSON.parse(readFileSync(path.join(out, 'similarity.json'), 'utf8'));
    const name = (i) => `cand-${String(i).padStart(4, '0')}`;
    const planted = Array.from({ length: PLANTED }, (_, p) => [name(2 * p), name(2 * p + 1)]);
    const found = planted.filter(([a, b]) => report.pairs.some((pair) => pair.a === a && pair.b === b)).length;
    const copied = new Set(planted.flat());
    const otherBest = Math.max(0, ...Object.entries(report.best).flatMap(([who, best]) => (copied.has(who) ? [] : [best.score])));
    return {
      seconds,
      count,
      lines,
      listed: report.pairs.length,
      found,
      planted: PLANTED,
      otherBest,
      compared: report.pairsSharingCode,
      cores: availableParallelism(),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(measureSimilarity(Number(process.argv[2] ?? 1000)));
}
