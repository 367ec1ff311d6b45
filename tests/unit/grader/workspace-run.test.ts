/**
 * Workspace runs: the candidate's own tests (and the public tests as they have them) run in the grader's
 * sandbox, their own code in compartments; coverage of src/ comes back mapped to the candidate's lines; the
 * hidden suite never takes part and a grade is the same with or without their tests.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Grader } from '../../../src/grader/grader';
import type { GradeReport } from '../../../src/grader/types';
import { tempDir, writeTree } from '../helpers';
import { FIXTURES, fixtureLab, HARNESS, submission } from './fixtures';

const grader = new Grader({ harness: HARNESS, warm: true });
const lab = fixtureLab();
afterAll(() => grader.dispose());

const SOLUTION = readFileSync(path.join(submission('correct'), 'src/solution.ts'), 'utf8');
/** A module with one branch the tests below never take (line 3). */
const SIGN = ['export function sign(n: number): string {', '  if (n < 0) {', "    return 'negative';", '  }', "  return 'not negative';", '}', ''].join('\n');
const PUBLIC = readFileSync(path.join(FIXTURES, 'lab/tests/public/sample.test.ts'), 'utf8');

async function workspace(tests: Record<string, string>): Promise<string> {
  const dir = await tempDir();
  await writeTree(dir, { 'src/solution.ts': SOLUTION, 'src/sign.ts': SIGN, ...Object.fromEntries(Object.entries(tests).map(([k, v]) => [`tests/${k}`, v])) });
  return dir;
}

const byName = (report: GradeReport) => Object.fromEntries(report.tests.map((t) => [t.name, t]));
const HEAD = "import assert from 'node:assert/strict';\nimport { describe, it, test } from 'node:test';\n";

describe('a workspace run', () => {
  it("runs the public tests as the candidate has them and the candidate's own tests, with a diff for a failure", async () => {
    const dir = await workspace({
      'sample.test.ts': PUBLIC,
      'mine.test.ts': `${HEAD}import { sign } from '../src/sign';\nimport { twice } from './helpers';\ndescribe('mine', () => {\n  it('positive', () => assert.equal(sign(2), 'not negative'));\n  test('wrong on purpose', () => assert.deepEqual({ n: twice(2) }, { n: 5 }));\n});\nfor (const n of [1, 2]) it(\`loop \${n}\`, () => assert.ok(n));\n`,
      'helpers.ts': 'export const twice = (n: number) => n * 2;\n',
    });
    const report = await grader.grade({ lab, submissionDir: dir, suite: 'workspace' });
    const tests = byName(report);
    expect(Object.keys(tests).sort()).toEqual(['loop 1', 'loop 2', 'mine > positive', 'mine > wrong on purpose', 'sample > adds two numbers']);
    expect(tests['mine > positive']?.status).toBe('pass');
    expect(tests['sample > adds two numbers']?.status).toBe('pass');
    expect(tests['mine > wrong on purpose']).toMatchObject({ status: 'fail', expected: expect.stringContaining('5'), actual: expect.stringContaining('4') });
    expect(report.suite).toBe('workspace');
    // Nothing of the hidden suite ran.
    expect(report.tests.some((t) => t.name.startsWith('arithmetic') || t.name.startsWith('work'))).toBe(false);
  });

  it('runs only the test files asked for', async () => {
    const dir = await workspace({ 'sample.test.ts': PUBLIC, 'mine.test.ts': `${HEAD}it('mine', () => {});\n` });
    const report = await grader.grade({ lab, submissionDir: dir, suite: 'workspace', testFiles: ['mine.test.ts'] });
    expect(report.tests.map((t) => t.name)).toEqual(['mine']);
  });

  it("confines the candidate's tests: no files beyond the lab's assets, no imports out of the workspace, no process", async () => {
    const dir = await workspace({
      'reads.test.ts': `${HEAD}import { readFileSync } from 'node:fs';\nit('assets', () => assert.equal(JSON.parse(readFileSync(process.env.MLOPS_LAB_ASSETS + '/data.json', 'utf8')).answer, 42));\nit('passwd', () => readFileSync('/etc/passwd', 'utf8'));\nit('process', () => (globalThis as any).process.env);\n`,
    });
    const tests = byName(await grader.grade({ lab, submissionDir: dir, suite: 'workspace' }));
    expect(tests['assets']?.status).toBe('pass');
    expect(tests['passwd']?.status).not.toBe('pass');
    expect(tests['passwd']?.message).toMatch(/can read only the lab's assets/);
    expect(tests['process']?.status).not.toBe('pass');

    const outside = await workspace({ 'out.test.ts': `${HEAD}import secret from '../../../etc/hosts';\nit('x', () => assert.ok(secret));\n` });
    const refused = await grader.grade({ lab, submissionDir: outside, suite: 'workspace' });
    expect(refused.status).toBe('error');
    expect(refused.message).toMatch(/leads out of the workspace's tests\/ and src\//);

    const child = await workspace({ 'spawn.test.ts': `${HEAD}import { execSync } from 'node:child_process';\nit('x', () => execSync('id'));\n` });
    expect((await grader.grade({ lab, submissionDir: child, suite: 'workspace' })).message).toMatch(/import "node:child_process" is not allowed/);
  });

  it('reports coverage of src/ mapped to the lines of the candidate’s files, the branch never taken included', async () => {
    const dir = await workspace({
      'mine.test.ts': `${HEAD}import { sign } from '../src/sign';\nit('positive', () => assert.equal(sign(3), 'not negative'));\n`,
    });
    const report = await grader.grade({ lab, submissionDir: dir, suite: 'workspace', coverage: true });
    expect(report.tests.map((t) => [t.name, t.status])).toEqual([['positive', 'pass']]);
    const sign = report.coverage?.['src/sign.ts'];
    expect(sign).toBeDefined();
    if (!sign) return;
    const countAtLine = (line: number) =>
      Object.entries(sign.statementMap)
        .filter(([, loc]) => loc.start.line === line)
        .map(([id]) => sign.s[id]);
    expect(countAtLine(3)).toEqual([0]);
    expect(countAtLine(5)).toEqual([1]);
    // The if has two paths: taken once, the other never.
    const branch = Object.values(sign.branchMap).find((b) => b.loc.start.line === 2);
    const branchId = Object.entries(sign.branchMap).find(([, b]) => b === branch)?.[0] ?? '';
    expect(sign.b[branchId]).toContain(0);
    expect(Object.values(sign.f).every((count) => count >= 1)).toBe(true);
    // A module no test imported is there with nothing covered.
    const solution = report.coverage?.['src/solution.ts'];
    if (solution) expect(Object.values(solution.s).filter((n) => n > 0).length).toBeLessThan(Object.keys(solution.s).length);
  });

  it("leaves a grade exactly as it is without the candidate's tests", async () => {
    const plain = await workspace({});
    const withTests = await workspace({ 'mine.test.ts': `${HEAD}it('always fails', () => assert.fail('no'));\n`, 'sample.test.ts': PUBLIC });
    const [a, b] = [await grader.grade({ lab, submissionDir: plain, suite: 'hidden' }), await grader.grade({ lab, submissionDir: withTests, suite: 'hidden' })];
    expect(b.points).toBe(a.points);
    expect(b.tests.map((t) => [t.name, t.status])).toEqual(a.tests.map((t) => [t.name, t.status]));
    expect(a.points).toBe(a.maxPoints);
  });

  it('says so when the workspace has no test files', async () => {
    const report = await grader.grade({ lab, submissionDir: await workspace({}), suite: 'workspace' });
    expect(report.message).toMatch(/no test files/);
  });
});
