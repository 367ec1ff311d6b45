/**
 * The hostile corpus (tests/fixtures/hostile/): one submission per attack class, graded in take-home mode against
 * the fixture lab in a real child. Every attempt scores exactly the points of the tests its code truly passes
 * (add and multiply are right in each; work() returns 42 only if the attack worked), never more.
 */
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Grader } from '../../../src/grader/grader';
import { fixtureLab, HARNESS, ROOT } from './fixtures';

const grader = new Grader({ harness: HARNESS, warm: true });
const lab = fixtureLab();
afterAll(() => grader.dispose());

const grade = (name: string) => grader.grade({ lab, submissionDir: path.join(ROOT, 'tests/fixtures/hostile', name), suite: 'hidden', mode: 'take-home' });
const statusOf = async (name: string, test: string) => (await grade(name)).tests.find((t) => t.name === test);

// [fixture, status, points, what the report says]: 13 points = add and multiply right (10) + the lab-data test (3).
const cases: [string, 'pass' | 'fail' | 'error', number, RegExp][] = [
  ['replace-test-api', 'error', 0, /import "node:test" is not allowed: Node's built-in modules/],
  ['dynamic-require', 'fail', 13, /Cannot use "node:test" while grading/],
  ['module-parent', 'fail', 13, /Cannot read properties of undefined/],
  ['require-cache', 'fail', 13, /Cannot convert undefined or null to object/],
  ['kill-parent', 'fail', 13, /Cannot read properties of undefined \(reading 'kill'\)/],
  ['stop-self', 'fail', 13, /Cannot read properties of undefined \(reading 'kill'\)/],
  ['function-constructor', 'fail', 13, /not a valid constructor|process is out of reach/],
  ['prototype-pollution', 'fail', 13, /Cannot assign to read only property 'includes'/],
  ['replace-globals', 'fail', 13, /0 !== 42|expected: 42/],
  ['getters-while-reporting', 'fail', 11, /strictly equal/],
  ['to-primitive', 'fail', 11, /strictly equal/],
  ['import-outside', 'error', 0, /import "\.\.\/tests\/arithmetic\.test" is not allowed: it leads out of src\//],
  ['import-attributes', 'error', 0, /import "\/etc\/hostname" is not allowed: import attributes/],
  ['glob-import', 'error', 0, /is not allowed: it is outside src\//],
  ['node-builtin', 'error', 0, /import "node:child_process" is not allowed/],
  ['link-inside-src', 'error', 0, /Could not resolve "\.\/secret\.json"/],
  ['symlink-src', 'error', 0, /src\/ is a link/],
  ['src-is-file', 'error', 0, /src is not a folder/],
  ['microtask-flood', 'error', 0, /stopped after 3000 ms/],
  ['output-flood-late', 'error', 10, /printed more than 1 MB/],
];

describe('the hostile corpus, graded in take-home mode', () => {
  it.each(cases)('%s: %s with %i points', async (name, status, points, says) => {
    const report = await grade(name);
    expect({ status: report.status, points: report.points }).toEqual({ status, points });
    const text = [report.message ?? '', ...report.tests.map((t) => t.message ?? '')].join('\n');
    expect(text).toMatch(says);
  });

  it('counts nothing a flooding submission finished after the output limit', async () => {
    const work = await statusOf('output-flood-late', 'work > returns the answer');
    expect(work).toMatchObject({ status: 'error', message: expect.stringMatching(/after the output limit/) });
  });

  it("points a failure in the candidate's code at its own file and line, through the bundle's source map", async () => {
    const report = await grader.grade({
      lab,
      submissionDir: path.join(ROOT, 'tests/fixtures/grader/submissions/throw-in-work'),
      suite: 'hidden',
      mode: 'take-home',
    });
    const work = report.tests.find((t) => t.name === 'work > returns the answer');
    expect(work).toMatchObject({ status: 'error', message: 'Error: the answer is not ready', location: { file: 'src/solution.ts', line: 4, column: 9 } });
  });

  it('keeps the grader standing: the same warm grader still grades a correct submission afterwards', async () => {
    const report = await grader.grade({ lab, submissionDir: path.join(ROOT, 'tests/fixtures/grader/submissions/correct'), suite: 'hidden', mode: 'take-home' });
    expect(report).toMatchObject({ status: 'pass', points: 16 });
  });
});
