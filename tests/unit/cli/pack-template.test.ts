import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { packTemplate } from '../../../src/cli/pack-template';
import { checkLab } from '../../../src/cli/validate';
import { loadCatalog } from '../../../src/core/catalog/catalog';
import { Grader } from '../../../src/grader/grader';
import { HARNESS } from '../grader/fixtures';
import { tempDir, writeTree } from '../helpers';

const OPTIONS = { id: 'acme-bootcamp', name: 'Acme "MLOps" Bootcamp', author: 'Acme Training <labs@acme.example>' };

async function writeTemplate(): Promise<string> {
  const dir = path.join(await tempDir(), 'my-pack');
  await writeTree(dir, Object.fromEntries(packTemplate(OPTIONS)));
  return dir;
}

const grader = new Grader({ harness: HARNESS, warm: true });
afterAll(() => grader.dispose());

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
    const files = packTemplate(OPTIONS);
    const naming = [...files].filter(([, content]) => content.includes(OPTIONS.id)).map(([rel]) => rel);
    expect(naming).toEqual(['pack.json']);
  });

  it('refuses a pack id that is not a local id, or the built-in one', () => {
    for (const id of ['Acme', 'acme_bootcamp', 'acme--bootcamp', '', 'core', 'a'.repeat(65)]) {
      expect(() => packTemplate({ ...OPTIONS, id }), id).toThrow(RangeError);
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
});
