/** The lab's test bundles are built once per suite content and candidate shape, then reused; src/ is bundled every grade. */
import { cp, readdir, rm } from 'node:fs/promises';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { bundleTests, suiteCacheStats } from '../../../src/grader/bundle';
import { layOut } from '../../../src/grader/layout';
import { suiteKeyOf, warmSuiteBundles } from '../../../src/grader/suite-warmup';
import { tempDir, writeTree } from '../helpers';
import { FIXTURES, fixtureLab, submission } from './fixtures';

const lab = fixtureLab();
const options = { assetsDir: path.join(FIXTURES, 'lab/assets'), aliases: {} };
const made: string[] = [];

async function bundled(submissionDir: string, suiteKey: string | undefined, candidateTests = false) {
  const layout = await layOut(lab.dir, submissionDir, candidateTests ? 'workspace' : 'hidden');
  made.push(layout.dir);
  const before = { ...suiteCacheStats };
  const result = await bundleTests(layout.dir, layout.testFiles, { ...options, candidateTests }, suiteKey);
  return { layout, result, built: suiteCacheStats.built - before.built, reused: suiteCacheStats.reused - before.reused };
}

afterEach(async () => {
  await Promise.all(made.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

describe('the suite bundle cache', () => {
  it('bundles the suite once for submissions of the same shape, and the candidate each time', async () => {
    const key = `suite-cache-test-${Math.random()}`;
    const first = await bundled(submission('correct'), key);
    const second = await bundled(submission('wrong'), key);
    expect([first.built, first.reused, second.built, second.reused]).toEqual([1, 0, 0, 1]);
    if (!first.result.ok || !second.result.ok) throw new Error('both should bundle');
    expect(second.result.modules.map((m) => m.code)).toEqual(first.result.modules.map((m) => m.code));
    // Each module is placed in this grade's own layout, and the candidate bundle is this submission's.
    expect(second.result.modules[0]?.file.startsWith(second.layout.dir + path.sep)).toBe(true);
    expect(second.result.candidate.code).not.toEqual(first.result.candidate.code);
  });

  it('builds again when the candidate exports other names, so a missing export is still named', async () => {
    const key = `suite-cache-test-${Math.random()}`;
    await bundled(submission('correct'), key);
    const dir = await tempDir();
    await writeTree(dir, {
      'src/solution.ts': 'export const add = (a: number, b: number) => a + b;\nexport const multiply = (a: number, b: number) => a * b;\n',
    });
    const missing = await bundled(dir, key);
    expect(missing.built).toBe(1);
    expect(missing.result.ok).toBe(false);
    if (!missing.result.ok) expect(missing.result.errors.join('\n')).toMatch(/No matching export in "[^"]*src\/solution\.ts" for import "work"/);
    // The failure is cached for that shape too, with the same words.
    const again = await bundled(dir, key);
    expect([again.built, again.reused]).toEqual([0, 1]);
    expect(again.result).toEqual(missing.result);
  });

  it('builds again for other suite content, and never caches the candidate’s own tests', async () => {
    const key = `suite-cache-test-${Math.random()}`;
    await bundled(submission('correct'), key);
    expect((await bundled(submission('correct'), `${key}-changed`)).built).toBe(1);
    const workspace = await tempDir();
    await writeTree(workspace, {
      'src/solution.ts': 'export const add = (a: number, b: number) => a + b;\n',
      'tests/add.test.ts':
        "import assert from 'node:assert/strict';\nimport { it } from 'node:test';\nimport { add } from '../src/solution';\nit('adds', () => assert.equal(add(1, 2), 3));\n",
    });
    for (let i = 0; i < 2; i++) {
      const run = await bundled(workspace, key, true);
      expect([run.built, run.reused]).toEqual([0, 0]);
      expect(run.result.ok).toBe(true);
    }
  });

  it('is filled ahead of need when a warm grader prepares a lab: the first grade of a starter-shaped submission builds no suite', async () => {
    // The fixture lab with a starter (the correct submission's files): its exports are what the warm-up bundles against.
    const dir = await tempDir();
    await cp(lab.dir, dir, { recursive: true });
    await cp(path.join(submission('correct'), 'src'), path.join(dir, 'starter'), { recursive: true });
    const warmLab = { ...lab, dir, version: `${lab.version}-warm-${Math.random()}` };
    const before = { ...suiteCacheStats };
    const workDir = await tempDir();
    await warmSuiteBundles(warmLab, () => ({}), workDir);
    expect(suiteCacheStats.built - before.built).toBe(2);
    // Its scratch and layouts were made in the grader's work folder and are gone.
    expect(await readdir(workDir)).toEqual([]);
    // A second prepare of the same lab (another batch worker) bundles nothing more.
    await warmSuiteBundles(warmLab, () => ({}), workDir);
    expect(suiteCacheStats.built - before.built).toBe(2);
    // Graded as the grader grades it: this lab's assets, its suite key.
    const layout = await layOut(warmLab.dir, submission('wrong'), 'hidden');
    made.push(layout.dir);
    const counted = { ...suiteCacheStats };
    const result = await bundleTests(
      layout.dir,
      layout.testFiles,
      { assetsDir: path.join(warmLab.dir, 'assets'), aliases: {}, candidateTests: false },
      suiteKeyOf(warmLab, 'hidden', layout.testsDigest),
    );
    expect([suiteCacheStats.built - counted.built, suiteCacheStats.reused - counted.reused]).toEqual([0, 1]);
    expect(result.ok).toBe(true);
  });
});
