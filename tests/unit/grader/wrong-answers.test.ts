/**
 * Plausible wrong answers for each shipped lab are graded as failures, on the test that catches them: the
 * hidden suites must tell a near miss from a solution.
 */
import { readdirSync } from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCatalog, type Catalog } from '../../../src/core/catalog';
import { Grader } from '../../../src/grader/grader';
import { HARNESS, ROOT } from './fixtures';

const WRONG = path.join(ROOT, 'tests/fixtures/wrong-answers');
/** The hidden test that must catch each mistake. */
const CAUGHT_BY: Record<string, Record<string, string>> = {
  'zero-memory': {
    'stage2-keeps-full-gradients': 'model states > shards the gradients at stage 2, not only the optimizer states',
    'gib-as-gb': 'units > tells decimal gigabytes from binary gibibytes',
    'old-estimator-formula': 'deepspeed estimator > uses the current 18 bytes per sharded parameter, not the older 4P + 16P/N',
    'nan-instead-of-range-error': 'model states > rejects invalid input with a RangeError, never NaN',
    'offload-per-node-gpus': 'deepspeed estimator > counts all GPUs across nodes for the offload CPU memory',
  },
};

let catalog: Catalog;
const grader = new Grader({ harness: HARNESS, warm: true });
beforeAll(async () => {
  catalog = await loadCatalog([ROOT]);
});
afterAll(() => grader.dispose());

describe.each(Object.keys(CAUGHT_BY))('wrong answers to %s', (labId) => {
  it('has at least three plausible mistakes on file, each with the test that catches it', () => {
    const onFile = readdirSync(path.join(WRONG, labId)).sort();
    expect(onFile).toEqual(Object.keys(CAUGHT_BY[labId] ?? {}).sort());
    expect(onFile.length).toBeGreaterThanOrEqual(3);
  });

  it.each(Object.entries(CAUGHT_BY[labId] ?? {}))('grades "%s" as a failure', async (mistake, catcher) => {
    const lab = catalog.lab(`core/${labId}`);
    expect(lab).toBeDefined();
    const report = await grader.grade({ lab: lab!, submissionDir: path.join(WRONG, labId, mistake), suite: 'hidden' });
    expect(report.status).toBe('fail');
    expect(report.points).toBeLessThan(report.maxPoints);
    expect(report.tests.find((t) => t.name === catcher)?.status).not.toBe('pass');
  });
});
