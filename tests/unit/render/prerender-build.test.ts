import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCatalog } from '../../../src/core/catalog/catalog';
import { highlightCss } from '../../../src/render/highlighter';
import { buildPrerender, PRERENDER_FILE, renderInputHash, type PrerenderFile } from '../../../src/render/prerendered';
import { renderQuestion } from '../../../src/render/question-view';

const root = path.resolve(__dirname, '../../..');

// In the slow project: it reads the dist/ that global-setup.ts builds.
describe("the build's pre-rendered questions", () => {
  it('equal, byte for byte, a fresh renderQuestion of every built-in question', async () => {
    const text = await readFile(path.join(root, 'dist', PRERENDER_FILE), 'utf8');
    const built = JSON.parse(text) as PrerenderFile;
    const catalog = await loadCatalog([root]);
    const questions = catalog.questions.filter((q) => q.packId === 'core');
    expect(questions.length).toBeGreaterThan(50);
    expect(Object.keys(built.questions)).toEqual(questions.map((q) => q.qualifiedId));
    for (const q of questions) expect(built.questions[q.qualifiedId]?.hash, q.qualifiedId).toBe(renderInputHash(q));
    // The same questions in the same order through the renderer's sources: the same file, CSS included.
    const fresh = JSON.stringify(buildPrerender(questions, { renderQuestion, highlightCss }, built.rendererVersion));
    expect(fresh === text, 'dist/questions-rendered.json differs from a fresh rendering').toBe(true);
  });

  it("names the render bundle that made it as the renderer's version", async () => {
    const built = JSON.parse(await readFile(path.join(root, 'dist', PRERENDER_FILE), 'utf8')) as PrerenderFile;
    const bundle = await readFile(path.join(root, 'dist', 'render.js'));
    expect(built.rendererVersion).toBe(createHash('sha256').update(bundle).digest('hex').slice(0, 16));
  });
});
