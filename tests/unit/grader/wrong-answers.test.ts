/**
 * Plausible wrong answers for each shipped lab are graded as failures, on the test that catches them: the
 * hidden suites must tell a near miss from a solution.
 */
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCatalog, type Catalog } from '../../../src/core/catalog/catalog';
import { Grader } from '../../../src/grader/grader';
// @ts-expect-error: a plain .mjs helper shared with the benchmarks
import { materialize, wrongAnswers } from '../../fixtures/wrong-answers/materialize.mjs';
import { tempDir } from '../helpers';
import { HARNESS, ROOT } from './fixtures';

interface Mistake {
  name: string;
  mistake: string;
  file: string;
  replace: string;
  with: string;
  caughtBy: string;
}
const fixtures = wrongAnswers() as { lab: string; mistakes: Mistake[] }[];

let catalog: Catalog;
const grader = new Grader({ harness: HARNESS, warm: true });
beforeAll(async () => {
  catalog = await loadCatalog([ROOT]);
});
afterAll(() => grader.dispose());

describe.each(fixtures.map((f) => [f.lab, f] as const))('wrong answers to %s', (labId, fixture) => {
  it('has at least three plausible mistakes on file', () => {
    expect(fixture.mistakes.length).toBeGreaterThanOrEqual(3);
  });

  it.each(fixture.mistakes.map((m) => [m.name, m] as const))('grades "%s" as a failure, caught by its test', async (_name, mistake) => {
    const lab = catalog.lab(`core/${labId}`);
    expect(lab).toBeDefined();
    const submission = materialize(labId, mistake, path.join(await tempDir(), mistake.name));
    const report = await grader.grade({ lab: lab!, submissionDir: submission, suite: 'hidden' });
    expect(report.status).toBe('fail');
    expect(report.points).toBeLessThan(report.maxPoints);
    const catcher = report.tests.find((t) => t.name === mistake.caughtBy);
    expect(catcher, mistake.caughtBy).toBeDefined();
    expect(catcher?.status).not.toBe('pass');
  });
});
