/**
 * One hanging test costs one test. A test awaiting a promise that never settles, with nothing else keeping the
 * child busy, must fail on its own timeout; the tests after it must still run and keep their points.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { Grader } from '../../../src/grader/grader';
import { fixtureLab, HARNESS, submission } from './fixtures';

const grader = new Grader({ harness: HARNESS, warm: true });
afterAll(() => grader.dispose());

describe('a test that hangs on an idle event loop', () => {
  it('fails alone: the correct pure functions and the tests after it keep their points', async () => {
    const report = await grader.grade({ lab: fixtureLab(), submissionDir: submission('idle-promise'), suite: 'hidden' });
    const status = Object.fromEntries(report.tests.map((t) => [t.name, t.status]));
    expect(status).toEqual({
      'arithmetic > adds': 'pass',
      'arithmetic > multiplies': 'pass',
      'work > returns the answer': 'fail',
      'work > reads the lab data': 'pass',
    });
    expect(report.tests.find((t) => t.name === 'work > returns the answer')?.message).toMatch(/did not finish within \d+ ms/);
    expect(report.points).toBe(13);
  });
});
