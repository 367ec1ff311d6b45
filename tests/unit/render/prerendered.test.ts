import { readFile, readdir, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import type { Question } from '../../../src/core/catalog/types';
import { buildPrerender, PRERENDER_FILE, QuestionRenders, renderInputHash, type PrerenderFile } from '../../../src/render/prerendered';
import type { RenderedQuestion } from '../../../src/render/question-view';
import { questionFixture, tempDir } from '../helpers';

/** A stand-in renderer that says which question and call made each rendering, so tests see where a result came from. */
function fakeRenderer() {
  let calls = 0;
  const renderQuestion = vi.fn((q: Question): RenderedQuestion => {
    calls += 1;
    const html = `<p>${q.body.answer} (render ${calls})</p>`;
    return { context: '', shortAnswer: '', keyPoints: '', answer: html, pitfalls: '', followUps: '', sources: '', keyPointItems: [], css: '.hl-x{}' };
  });
  return { renderQuestion, highlightCss: () => '.hl-all{}' };
}

async function setUp(questions: Question[], version = 'v1') {
  const dir = await tempDir();
  const prerenderFile = path.join(dir, PRERENDER_FILE);
  const built = buildPrerender(questions, fakeRenderer(), version);
  await writeFile(prerenderFile, JSON.stringify(built));
  const cacheDir = path.join(dir, 'cache');
  const renders = (renderer = fakeRenderer()) => ({ renderer, lookup: new QuestionRenders({ prerenderFile, cacheDir, renderer: () => renderer }) });
  return { dir, prerenderFile, cacheDir, built, renders };
}

const pack = (id: string, answer: string): Question => ({ ...questionFixture({ id, answer }), qualifiedId: `acme/${id}`, packId: 'acme' });

describe('QuestionRenders', () => {
  it('serves a built-in question from the pre-render, with its shared CSS, without loading the renderer', async () => {
    const q = questionFixture({ id: 'a', answer: 'built' });
    const { prerenderFile, cacheDir, built } = await setUp([q]);
    const loader = vi.fn(fakeRenderer);
    const rendered = await new QuestionRenders({ prerenderFile, cacheDir, renderer: loader }).get(q);
    expect(loader).not.toHaveBeenCalled();
    expect(rendered).toEqual({ ...built.questions['core/a']?.parts, css: '.hl-all{}' });
    expect(rendered.answer).toBe('<p>built (render 1)</p>');
  });

  it('renders a built-in question whose file changed since the build (hash mismatch)', async () => {
    const q = questionFixture({ id: 'a', answer: 'built' });
    const { renders } = await setUp([q]);
    const { renderer, lookup } = renders();
    const edited = { ...q, body: { ...q.body, answer: 'edited' } };
    expect((await lookup.get(edited)).answer).toBe('<p>edited (render 1)</p>');
    expect(renderer.renderQuestion).toHaveBeenCalledTimes(1);
  });

  it('renders a pack question once, then serves it from the disk cache in a later window', async () => {
    const q = pack('p', 'pack text');
    const { renders, cacheDir } = await setUp([]);
    const first = renders();
    expect((await first.lookup.get(q)).answer).toBe('<p>pack text (render 1)</p>');
    expect(await readdir(cacheDir)).toEqual([`${renderInputHash(q)}.json`]);
    const second = renders();
    expect((await second.lookup.get(q)).answer).toBe('<p>pack text (render 1)</p>');
    expect(second.renderer.renderQuestion).not.toHaveBeenCalled();
  });

  it('keeps a rendering in memory: the same question again is not read or rendered again', async () => {
    const q = pack('p', 'pack text');
    const { renders } = await setUp([]);
    const { renderer, lookup } = renders();
    const first = await lookup.get(q);
    expect(await lookup.get(q)).toBe(first);
    expect(renderer.renderQuestion).toHaveBeenCalledTimes(1);
    // Changed content is a miss, in memory too.
    expect((await lookup.get({ ...q, keyPoints: ['new'] })).answer).toBe('<p>pack text (render 2)</p>');
  });

  it('ignores a corrupt or malformed cache entry: renders again and rewrites it', async () => {
    const q = pack('p', 'pack text');
    const { renders, cacheDir } = await setUp([]);
    await renders().lookup.get(q);
    const file = path.join(cacheDir, `${renderInputHash(q)}.json`);
    for (const broken of ['{"rendererVersion":"v1", trunc', JSON.stringify({ rendererVersion: 'v1', hash: renderInputHash(q), rendered: { answer: 3 } })]) {
      await writeFile(file, broken);
      const { renderer, lookup } = renders();
      expect((await lookup.get(q)).answer).toBe('<p>pack text (render 1)</p>');
      expect(renderer.renderQuestion).toHaveBeenCalledTimes(1);
      expect(JSON.parse(await readFile(file, 'utf8'))).toMatchObject({ rendererVersion: 'v1', hash: renderInputHash(q) });
    }
  });

  it('does not serve a cache entry made by another renderer version', async () => {
    const q = pack('p', 'pack text');
    const setup = await setUp([], 'v1');
    await setup.renders().lookup.get(q);
    const rebuilt: PrerenderFile = { ...setup.built, rendererVersion: 'v2' };
    await writeFile(setup.prerenderFile, JSON.stringify(rebuilt));
    const { renderer, lookup } = setup.renders();
    await lookup.get(q);
    expect(renderer.renderQuestion).toHaveBeenCalledTimes(1);
    const entry = JSON.parse(await readFile(path.join(setup.cacheDir, `${renderInputHash(q)}.json`), 'utf8')) as { rendererVersion: string };
    expect(entry.rendererVersion).toBe('v2');
  });

  it('renders every time when the build left no pre-render file, and caches nothing', async () => {
    const dir = await tempDir();
    const renderer = fakeRenderer();
    const lookup = new QuestionRenders({ prerenderFile: path.join(dir, 'missing.json'), cacheDir: path.join(dir, 'cache'), renderer: () => renderer });
    expect((await lookup.get(pack('p', 'x'))).answer).toBe('<p>x (render 1)</p>');
    await expect(readdir(path.join(dir, 'cache'))).rejects.toThrow();
  });

  it('still shows the question when the cache cannot be written', async () => {
    const dir = await tempDir();
    const { prerenderFile } = await setUp([]);
    // A file where the cache folder should be: mkdir fails.
    await writeFile(path.join(dir, 'blocked'), '');
    const onCacheError = vi.fn();
    const renderer = fakeRenderer();
    const lookup = new QuestionRenders({ prerenderFile, cacheDir: path.join(dir, 'blocked', 'cache'), renderer: () => renderer, onCacheError });
    expect((await lookup.get(pack('p', 'x'))).answer).toBe('<p>x (render 1)</p>');
    expect(onCacheError).toHaveBeenCalledTimes(1);
  });

  it('hashes exactly what renderQuestion reads', () => {
    const q = questionFixture({ id: 'a', answer: 'x' });
    const hash = renderInputHash(q);
    const other: Question = { ...q, title: 'Another title', tags: ['other'], qualifiedId: 'core/b' };
    expect(renderInputHash(other)).toBe(hash);
    expect(renderInputHash({ ...q, sources: ['https://example.org'] })).not.toBe(hash);
    expect(renderInputHash({ ...q, keyPoints: ['one'] })).not.toBe(hash);
    expect(renderInputHash({ ...q, body: { ...q.body, pitfalls: 'p' } })).not.toBe(hash);
    // A part's text moving to its neighbour is a different question.
    expect(renderInputHash({ ...q, body: { ...q.body, answer: '', pitfalls: 'x' } })).not.toBe(hash);
  });
});
