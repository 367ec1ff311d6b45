import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PACK_TEMPLATE_DIR, packTemplate, type PackTemplateOptions } from '../../../src/cli/pack-template';
import { checkLab } from '../../../src/cli/validate';
import { loadCatalog } from '../../../src/core/catalog/catalog';
import { readFolder } from '../../../src/core/io/files';
import { Grader } from '../../../src/grader/grader';
import { HARNESS } from '../grader/fixtures';
import { tempDir, writeTree } from '../helpers';
import { labTypeErrors } from '../lab-types';

const OPTIONS = { id: 'acme-bootcamp', name: 'Acme "MLOps" Bootcamp', author: 'Acme Training <labs@acme.example>' };
/** The template's own values, which a copy replaces. */
const PLACEHOLDERS = { id: 'example-pack', name: 'Example Pack', author: 'Your Bootcamp' };
/** Values that break naive substitution: JSON and regex escapes, replacement patterns, Markdown, the placeholders themselves. */
const UNUSUAL = {
  id: `z9-${'a'.repeat(61)}`,
  name: 'Example Pack\\n "v2" $& $1 $$ {{name}} **Ünïcödé** 🚀 — Your Bootcamp',
  author: "example-pack & Example Pack <a@b.example> `$'` \\",
};

async function writeTemplate(options: PackTemplateOptions = OPTIONS): Promise<string> {
  const dir = path.join(await tempDir(), 'my-pack');
  await writeTree(dir, Object.fromEntries(await packTemplate(options)));
  return dir;
}

const grader = new Grader({ harness: HARNESS, warm: true });
afterAll(() => grader.dispose());

/** Loads a pack folder and checks its one lab as validate does. */
async function expectValidPack(dir: string, options: PackTemplateOptions): Promise<void> {
  const catalog = await loadCatalog([dir]);
  expect(catalog.problems).toEqual([]);
  expect(catalog.packs.map(({ id, name, author, version }) => ({ id, name, author, version }))).toEqual([{ ...options, version: '0.1.0' }]);
  expect(catalog.questions).toHaveLength(1);
  expect(catalog.labs).toHaveLength(1);
  const [question] = catalog.questions;
  const [lab] = catalog.labs;
  expect(question?.labIds).toEqual([lab?.qualifiedId]);
  expect(catalog.labStatus(lab?.qualifiedId ?? '')).toBe('shipped');
  expect(lab?.questions).toEqual([question?.id]);
  const check = await checkLab(grader, lab!);
  expect(check.problems).toEqual([]);
  expect(check.counts).toEqual({
    public: lab!.tasks.flatMap((t) => t.publicTests ?? []).length,
    hidden: lab!.tasks.flatMap((t) => t.tests).length,
  });
}

describe('pack template', () => {
  it('loads with no problems: one question and one lab, linked both ways', async () => {
    const dir = await writeTemplate();
    const catalog = await loadCatalog([dir]);
    expect(catalog.problems).toEqual([]);
    expect(catalog.packs.map(({ id, name, author, version }) => ({ id, name, author, version }))).toEqual([{ ...OPTIONS, version: '0.1.0' }]);
    expect(catalog.questions).toHaveLength(1);
    expect(catalog.labs).toHaveLength(1);
    const [question] = catalog.questions;
    const [lab] = catalog.labs;
    expect(question?.labIds).toEqual([lab?.qualifiedId]);
    expect(catalog.labStatus(lab?.qualifiedId ?? '')).toBe('shipped');
    expect(lab?.questions).toEqual([question?.id]);
  });

  it('names the pack only in pack.json', async () => {
    const files = await packTemplate(OPTIONS);
    const naming = [...files].filter(([, content]) => content.includes(OPTIONS.id)).map(([rel]) => rel);
    expect(naming).toEqual(['pack.json']);
  });

  it('refuses a pack id that is not a local id, or the built-in one', async () => {
    for (const id of ['Acme', 'acme_bootcamp', 'acme--bootcamp', '', 'core', 'a'.repeat(65)]) {
      await expect(packTemplate({ ...OPTIONS, id }), id).rejects.toThrow(RangeError);
    }
  });

  it('grades the example lab as validate does: the solution passes every test, the starter fails every task', { timeout: 60_000 }, async () => {
    const dir = await writeTemplate();
    const catalog = await loadCatalog([dir]);
    const [lab] = catalog.labs;
    expect(lab).toBeDefined();
    const check = await checkLab(grader, lab!);
    expect(check.problems).toEqual([]);
    expect(check.counts).toEqual({
      public: lab!.tasks.flatMap((t) => t.publicTests ?? []).length,
      hidden: lab!.tasks.flatMap((t) => t.tests).length,
    });
  });

  it('lists the files in reading order, as pack init prints them', async () => {
    expect([...(await packTemplate(OPTIONS)).keys()]).toEqual([
      'pack.json',
      'README.md',
      'questions/05-serving/01-latency-slo-alerting.md',
      'labs/latency-slo/lab.json',
      'labs/latency-slo/README.md',
      'labs/latency-slo/starter/slo.ts',
      'labs/latency-slo/solution/slo.ts',
      'labs/latency-slo/tests/public/slo.test.ts',
      'labs/latency-slo/tests/hidden/slo.test.ts',
      'labs/latency-slo/mutants/floor-rank.patch',
      'labs/latency-slo/mutants/slow-at-threshold.patch',
      'labs/latency-slo/mutants/sorts-in-place.patch',
    ]);
  });
});

describe('the template folder (templates/pack)', () => {
  it('is a valid pack as it stands: it loads, and its lab passes validate', { timeout: 60_000 }, async () => {
    await expectValidPack(PACK_TEMPLATE_DIR, PLACEHOLDERS);
  });

  it("type-checks its lab: starter and solution, each with both suites, under the workspace's tsconfig", { timeout: 60_000 }, async () => {
    const catalog = await loadCatalog([PACK_TEMPLATE_DIR]);
    for (const lab of catalog.labs) expect(await labTypeErrors(lab.dir), lab.id).toEqual([]);
  });

  it('holds its placeholders only where a copy replaces them: the id in pack.json, name and author in pack.json and Markdown', async () => {
    const files = await readFolder(PACK_TEMPLATE_DIR);
    const holding = (text: string) => [...files].filter(([, content]) => content.toString('utf8').includes(text)).map(([rel]) => rel);
    expect(holding(PLACEHOLDERS.id)).toEqual(['pack.json']);
    for (const text of [PLACEHOLDERS.name, PLACEHOLDERS.author])
      expect(
        holding(text).filter((rel) => rel !== 'pack.json' && !rel.endsWith('.md')),
        text,
      ).toEqual([]);
  });

  it('copied with its own values is itself, byte for byte', async () => {
    const files = await packTemplate(PLACEHOLDERS);
    const template = await readFolder(PACK_TEMPLATE_DIR);
    expect(new Map([...files].map(([rel, text]) => [rel, Buffer.from(text)]))).toEqual(template);
  });

  it('copies unusual values exactly once, escaped in pack.json and verbatim in Markdown, into a pack that still validates', { timeout: 60_000 }, async () => {
    const dir = await writeTemplate(UNUSUAL);
    const manifest = JSON.parse(await readFile(path.join(dir, 'pack.json'), 'utf8')) as Record<string, unknown>;
    expect(manifest).toMatchObject({ ...UNUSUAL, description: `${UNUSUAL.name}: interview questions and hands-on labs.` });
    const readme = await readFile(path.join(dir, 'README.md'), 'utf8');
    expect(readme.startsWith(`# ${UNUSUAL.name}\n\nA lab pack for MLOps Interview Labs by ${UNUSUAL.author}. `)).toBe(true);
    await expectValidPack(dir, UNUSUAL);
  });

  it('says what is wrong with a template whose pack.json is missing or has no placeholder', async () => {
    const dir = await tempDir();
    await expect(packTemplate(OPTIONS, dir)).rejects.toThrow(/pack\.json is missing/);
    await writeTree(dir, { 'pack.json': JSON.stringify({ id: 'x', name: 'X' }) });
    await expect(packTemplate(OPTIONS, dir)).rejects.toThrow(/"author" must be a non-empty string/);
  });
});
