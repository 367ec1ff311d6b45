import { readdir, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCatalog, type Catalog } from '../../../../src/core/catalog/catalog';
import { questionCachesWritten } from '../../../../src/core/catalog/question-cache';
import { writeSyntheticPack } from '../../../../bench/catalog-pack.mjs';
import { packJson, questionFile, tempDir, writeTree } from '../../helpers';

const REPO = path.resolve(__dirname, '../../../..');

/** The catalog's data, without its lookup functions, for deep comparison. */
const data = (c: Catalog) => ({ packs: c.packs, questions: c.questions, labs: c.labs, problems: c.problems });

/** The cache's index file, once the writes the loads so far started are done (a load hands its catalog back first). */
async function cacheFile(cacheDir: string): Promise<string> {
  await questionCachesWritten();
  const names = (await readdir(cacheDir)).filter((n) => n.endsWith('.json') && !n.endsWith('.bodies.json'));
  expect(names).toHaveLength(1);
  return path.join(cacheDir, names[0] ?? '');
}

/** Rewrites the cached title of one question, so a load that shows it must have come from the cache. */
async function tamper(file: string, id: string, title: string, version?: string): Promise<void> {
  const cache = JSON.parse(await readFile(file, 'utf8')) as {
    version: string;
    files: Record<string, { result: { question?: { id: string; title: string } } }>;
  };
  for (const entry of Object.values(cache.files)) if (entry.result.question?.id === id) entry.result.question.title = title;
  if (version) cache.version = version;
  await writeFile(file, JSON.stringify(cache));
}

async function smallPack() {
  const root = await tempDir();
  const cacheDir = await tempDir();
  await writeTree(root, {
    'pack.json': packJson(),
    'questions/01-training-frameworks/01-a.md': questionFile({ id: 'a', title: 'What is A?' }),
    'questions/05-serving/01-b.md': questionFile({ id: 'b', section: 'serving' }),
    'questions/05-serving/02-bad.md': '---\ntitle: [\n---\n',
  });
  return { root, cacheDir, file: path.join(root, 'questions/01-training-frameworks/01-a.md') };
}

describe('parsed-question cache', () => {
  it('answers an unchanged file from the cache, bad files and their problems included', async () => {
    const { root, cacheDir } = await smallPack();
    const fresh = await loadCatalog([root]);
    const first = await loadCatalog([root], [], { cacheDir });
    await tamper(await cacheFile(cacheDir), 'a', 'From the cache');
    const second = await loadCatalog([root], [], { cacheDir });
    expect(data(first)).toEqual(data(fresh));
    expect(second.question('core/a')?.title).toBe('From the cache');
    expect(second.problems).toEqual(fresh.problems);
  });

  it('parses a file again when its content changed, and only reuses a touched file whose content did not', async () => {
    const { root, cacheDir, file } = await smallPack();
    await loadCatalog([root], [], { cacheDir });
    await tamper(await cacheFile(cacheDir), 'a', 'From the cache');
    const later = new Date(Date.now() + 60_000);
    await utimes(file, later, later);
    expect((await loadCatalog([root], [], { cacheDir })).question('core/a')?.title).toBe('From the cache');

    await writeFile(file, questionFile({ id: 'a', title: 'What is A, rewritten?' }));
    expect((await loadCatalog([root], [], { cacheDir })).question('core/a')?.title).toBe('What is A, rewritten?');
  });

  it('ignores a corrupt or foreign cache and writes a good one', async () => {
    const { root, cacheDir } = await smallPack();
    const fresh = await loadCatalog([root]);
    await loadCatalog([root], [], { cacheDir });
    const file = await cacheFile(cacheDir);
    for (const junk of ['{"version": tru', 'null', '[]', '{"version":"x"}']) {
      await writeFile(file, junk);
      expect(data(await loadCatalog([root], [], { cacheDir }))).toEqual(data(fresh));
    }
    // A cache of the right version whose entries are not parse results is ignored entry by entry.
    const good = JSON.parse(await readFile(file, 'utf8')) as { files: Record<string, unknown> };
    for (const key of Object.keys(good.files)) good.files[key] = { result: 'nonsense' };
    await writeFile(file, JSON.stringify(good));
    expect(data(await loadCatalog([root], [], { cacheDir }))).toEqual(data(fresh));
    expect(JSON.parse(await readFile(file, 'utf8'))).toMatchObject({ files: expect.any(Object) as unknown });
  });

  it('reads bodies from the bodies file only when one is asked for, and parses them again when that file is lost or corrupt', async () => {
    const { root, cacheDir } = await smallPack();
    const fresh = await loadCatalog([root]);
    await loadCatalog([root], [], { cacheDir });
    const bodiesFile = (await cacheFile(cacheDir)).replace(/\.json$/, '.bodies.json');
    const stored = JSON.parse(await readFile(bodiesFile, 'utf8')) as { bodies: Record<string, { answer: string }> };
    for (const body of Object.values(stored.bodies)) body.answer = 'From the bodies file';
    await writeFile(bodiesFile, JSON.stringify(stored));
    const cached = await loadCatalog([root], [], { cacheDir });
    expect(cached.question('core/a')?.body.answer).toBe('From the bodies file');
    // Read on first use, not at load: a body asked for after the file is gone is parsed from its question file.
    const later = await loadCatalog([root], [], { cacheDir });
    await rm(bodiesFile);
    expect(data(later)).toEqual(data(fresh));
    expect(data(await loadCatalog([root], [], { cacheDir }))).toEqual(data(fresh));
    await writeFile(bodiesFile, '{"bodies": ');
    const again = await loadCatalog([root], [], { cacheDir });
    expect(again.question('core/b')?.body).toEqual(fresh.question('core/b')?.body);
  });

  it('is invalidated by another parser or schema version', async () => {
    const { root, cacheDir } = await smallPack();
    await loadCatalog([root], [], { cacheDir });
    await tamper(await cacheFile(cacheDir), 'a', 'From an older parser', '0:older');
    expect((await loadCatalog([root], [], { cacheDir })).question('core/a')?.title).toBe('What is A?');
  });

  it('forgets deleted files', async () => {
    const { root, cacheDir, file } = await smallPack();
    await loadCatalog([root], [], { cacheDir });
    await rm(file);
    expect((await loadCatalog([root], [], { cacheDir })).question('core/a')).toBeUndefined();
    const cache = JSON.parse(await readFile(await cacheFile(cacheDir), 'utf8')) as { files: Record<string, unknown> };
    expect(Object.keys(cache.files)).not.toContain(file);
  });

  it('gives the built-in questions exactly as a fresh load does', async () => {
    const cacheDir = await tempDir();
    const fresh = await loadCatalog([REPO]);
    expect(fresh.questions.length).toBeGreaterThan(100);
    await loadCatalog([REPO], [], { cacheDir });
    expect(data(await loadCatalog([REPO], [], { cacheDir }))).toEqual(data(fresh));
  });

  it('gives a generated pack exactly as a fresh load does', async () => {
    const cacheDir = await tempDir();
    const pack = writeSyntheticPack(REPO, 300, path.join(await tempDir(), 'pack'));
    const fresh = await loadCatalog([REPO, pack]);
    expect(fresh.questions.length).toBeGreaterThan(400);
    await loadCatalog([REPO, pack], [], { cacheDir });
    const cached = await loadCatalog([REPO, pack], [], { cacheDir });
    expect(data(cached)).toEqual(data(fresh));
    expect(cached.question(fresh.questions.at(-1)?.qualifiedId ?? '')).toEqual(fresh.questions.at(-1));
  });
});
