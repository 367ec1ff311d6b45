// Pre-renders the built-in questions (pack "core") with the real renderer into dist/questions-rendered.json, so the
// first question panel needs neither markdown-it, KaTeX nor shiki (src/render/prerendered.ts reads it). Run by
// esbuild.config.mjs after bundling; the renderer's version is a hash of the render bundle that made the fragments.
import { createHash } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);

export async function prerender(dist = path.join(root, 'dist')) {
  const core = require(path.join(dist, 'core.js'));
  const render = require(path.join(dist, 'render.js'));
  const pages = require(path.join(dist, 'pages.js'));
  const problems = [];
  const catalog = await core.loadCatalog([root], problems);
  const builtIn = catalog.questions.filter((q) => q.packId === 'core');
  const version = createHash('sha256')
    .update(await readFile(path.join(dist, 'render.js')))
    .digest('hex')
    .slice(0, 16);
  const file = pages.buildPrerender(builtIn, render, version);
  await writeFile(path.join(dist, pages.PRERENDER_FILE), JSON.stringify(file));
  return { questions: builtIn.length, problems };
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(await prerender());
