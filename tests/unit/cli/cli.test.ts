/** The mlops-labs command as a user runs it: the built dist/cli.js in a child process. */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../helpers';

const ROOT = path.resolve(__dirname, '../../..');
const FIXTURE_LAB = path.join(ROOT, 'tests/fixtures/grader/lab');
const SUBMISSIONS = path.join(ROOT, 'tests/fixtures/grader/submissions');

function cli(...args: string[]) {
  const result = spawnSync(process.execPath, [path.join(ROOT, 'dist/cli.js'), ...args], { encoding: 'utf8', timeout: 60_000 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('mlops-labs', () => {
  it('prints help for every command', () => {
    for (const command of [[], ['list'], ['validate'], ['grade']]) {
      const { code, stdout } = cli(...command, '--help');
      expect(code, command.join(' ')).toBe(0);
      expect(stdout).toMatch(/^Usage: mlops-labs/);
    }
  });

  it('pack init ends with a validate command that works where it ran (node and the script, in a checkout)', async () => {
    const work = await tempDir();
    const result = spawnSync(process.execPath, [path.join(ROOT, 'dist/cli.js'), 'pack', 'init', 'my-pack'], { cwd: work, encoding: 'utf8', timeout: 60_000 });
    expect(result.status).toBe(0);
    const next = /^Next: (.+)$/m.exec(result.stdout)?.[1] ?? '';
    expect(next).toBe(`node ${path.relative(work, path.join(ROOT, 'dist/cli.js'))} validate my-pack`);
    const [, script, ...args] = next.split(' ');
    const validated = spawnSync(process.execPath, [script as string, ...args], { cwd: work, encoding: 'utf8', timeout: 120_000 });
    expect(validated.status, validated.stdout + validated.stderr).toBe(0);
  });

  it('says mlops-labs when that name on PATH is this script', async () => {
    const { selfCommand } = await import('../../../src/cli/context');
    const bin = await tempDir();
    const { symlinkSync } = await import('node:fs');
    symlinkSync(path.join(ROOT, 'dist/cli.js'), path.join(bin, 'mlops-labs'));
    expect(selfCommand(path.join(bin, 'mlops-labs'), '/', `/nowhere${path.delimiter}${bin}`)).toBe('mlops-labs');
    expect(selfCommand(path.join(ROOT, 'dist/cli.js'), ROOT, '/nowhere')).toBe('node dist/cli.js');
  });

  it('lists the built-in pack, its labs and its questions as JSON', () => {
    const { code, stdout } = cli('list', '--json');
    expect(code).toBe(0);
    const listed = JSON.parse(stdout);
    expect(listed.packs.map((p: { id: string }) => p.id)).toEqual(['core']);
    expect(listed.labs.map((l: { id: string }) => l.id)).toContain('core/zero-memory');
    expect(listed.questions.length).toBeGreaterThanOrEqual(52);
  });

  it('grades one submission: exit 0 on a pass, 1 on a fail, in each format', () => {
    const pass = cli('grade', FIXTURE_LAB, path.join(SUBMISSIONS, 'correct'), '--format', 'json');
    expect(pass.code).toBe(0);
    expect(JSON.parse(pass.stdout)).toMatchObject({ version: 3, status: 'pass', points: 16 });

    const fail = cli('grade', FIXTURE_LAB, path.join(SUBMISSIONS, 'wrong'), '--format', 'text');
    expect(fail.code).toBe(1);
    expect(fail.stdout).toMatch(/FAIL, 8\/16 points/);
    expect(fail.stdout).toMatch(/✗ arithmetic > multiplies/);

    const junit = cli('grade', FIXTURE_LAB, path.join(SUBMISSIONS, 'wrong'), '--format', 'junit');
    expect(junit.code).toBe(1);
    expect(junit.stdout).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<testsuites name="fixture-lab" tests="4" failures="2" errors="0"/);
    expect(junit.stdout).toContain('<testcase classname="fixture-lab.task1" name="arithmetic &gt; multiplies"');
    expect(junit.stdout).toMatch(/<failure message="Expected values to be strictly equal:">/);
  });

  it('grades the public suite on request, and writes the report to a file', async () => {
    const out = path.join(await tempDir(), 'report.json');
    const { code } = cli('grade', FIXTURE_LAB, path.join(SUBMISSIONS, 'correct'), '--suite', 'public', '--format', 'json', '--out', out);
    expect(code).toBe(0);
    expect(JSON.parse(readFileSync(out, 'utf8'))).toMatchObject({ suite: 'public', maxPoints: 0 });
  });

  it('exits 2 with a clear message on usage errors', () => {
    expect(cli('grade', 'no-such-lab', '.')).toMatchObject({ code: 2, stderr: expect.stringMatching(/no lab "no-such-lab"/) });
    expect(cli('grade', FIXTURE_LAB)).toMatchObject({ code: 2, stderr: expect.stringMatching(/needs a lab and a submission folder/) });
    expect(cli('grade', FIXTURE_LAB, '.', '--format', 'pdf').code).toBe(2);
    expect(cli('frobnicate').code).toBe(2);
  });

  it('suggests the nearest lab id for a typo', () => {
    expect(cli('grade', 'zero-memry', '.')).toMatchObject({ code: 2, stderr: expect.stringMatching(/no lab "zero-memry". Did you mean "zero-memory"\?/) });
  });

  it('refuses a folder without src/, saying where it looked, what it found and what to move', async () => {
    const dir = await tempDir();
    writeFileSync(path.join(dir, 'calc.ts'), 'export const x = 1;\n');
    writeFileSync(path.join(dir, 'notes.md'), '# notes\n');
    const run = cli('grade', FIXTURE_LAB, dir);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`${dir} has no src/ folder`);
    expect(run.stderr).toMatch(/it holds (calc\.ts, notes\.md|notes\.md, calc\.ts)/);
    expect(run.stderr).toContain('calc.ts is at the top level; move it into src/');
  });

  it('says a compile error once, with one not-run line per task, and explains its markers', () => {
    const run = cli('grade', FIXTURE_LAB, path.join(SUBMISSIONS, 'syntax-error'), '--format', 'text');
    expect(run.code).toBe(1);
    expect(run.stdout.match(/does not compile/g)).toHaveLength(1);
    expect(run.stdout).toMatch(/! \d+ tests? not run \(see above\)/);
    expect(run.stdout).toContain('✓ passed   ✗ failed: a wrong answer   ! error: it threw, timed out or did not run');
    const junit = cli('grade', FIXTURE_LAB, path.join(SUBMISSIONS, 'syntax-error'), '--format', 'junit').stdout;
    expect(junit.match(/does not compile/g)).toHaveLength(1);
    expect(junit).toMatch(/<error message="not run: see the suite's system-err"\/>/);
  });

  it('batch-grades a folder of submissions into a CSV gradebook and a JSON report each', async () => {
    const dir = await tempDir();
    for (const name of ['correct', 'wrong', 'exit-mid-suite']) cpSync(path.join(SUBMISSIONS, name), path.join(dir, 'in', name), { recursive: true });
    const { code, stdout } = cli('grade', '--batch', path.join(dir, 'in'), '--lab', FIXTURE_LAB, '--out', path.join(dir, 'out'), '--jobs', '2');
    expect(code).toBe(0);
    expect(stdout).toMatch(/graded 3 submissions in [\d.]+ s: 1 passed/);
    expect(readdirSync(path.join(dir, 'out/reports')).sort()).toEqual(['correct.json', 'exit-mid-suite.json', 'wrong.json']);
    const csv = readFileSync(path.join(dir, 'out/gradebook.csv'), 'utf8').trim().split('\n');
    expect(csv[0]).toBe('submission,status,points,maxPoints,task 1: Arithmetic,task 2: Work,durationMs,message');
    expect(csv[1]).toMatch(/^correct,pass,16,16,10,6,\d+,$/);
    // The sandbox has no process to exit: only the test that called it fails.
    expect(csv[2]).toMatch(/^exit-mid-suite,fail,13,16,10,3,\d+,$/);
    expect(csv[3]).toMatch(/^wrong,fail,8,16,5,3,\d+,$/);
  });

  it('goes on past submissions whose src/ is a file or a link, recording each in the gradebook', async () => {
    const dir = await tempDir();
    cpSync(path.join(SUBMISSIONS, 'correct'), path.join(dir, 'in', 'a-correct'), { recursive: true });
    mkdirSync(path.join(dir, 'in', 'b-file'));
    writeFileSync(path.join(dir, 'in', 'b-file', 'src'), 'export const add = 1;\n');
    mkdirSync(path.join(dir, 'in', 'c-link'));
    symlinkSync(path.join(SUBMISSIONS, 'correct', 'src'), path.join(dir, 'in', 'c-link', 'src'));
    const { code, stdout } = cli('grade', '--batch', path.join(dir, 'in'), '--lab', FIXTURE_LAB, '--out', path.join(dir, 'out'), '--jobs', '2');
    expect(code).toBe(0);
    expect(stdout).toMatch(/graded 3 submissions/);
    const csv = readFileSync(path.join(dir, 'out/gradebook.csv'), 'utf8').trim().split('\n');
    expect(csv[1]).toMatch(/^a-correct,pass,16,16/);
    expect(csv[2]).toMatch(/^b-file,error,0,16,0,0,\d+,src is not a folder/);
    expect(csv[3]).toMatch(/^c-link,error,0,16,0,0,\d+,src\/ is a link/);
  });

  it('validates a lab: catches a reference solution that fails and a starter that passes', async () => {
    const lab = path.join(await tempDir(), 'fixture-lab');
    cpSync(FIXTURE_LAB, lab, { recursive: true });
    writeFileSync(path.join(lab, 'README.md'), '# Fixture\n');
    mkdirSync(path.join(lab, 'solution'));
    mkdirSync(path.join(lab, 'starter'));
    cpSync(path.join(SUBMISSIONS, 'wrong/src/solution.ts'), path.join(lab, 'solution/solution.ts'));
    cpSync(path.join(SUBMISSIONS, 'correct/src/solution.ts'), path.join(lab, 'starter/solution.ts'));
    const bad = cli('validate', lab);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toMatch(/the reference solution does not pass the hidden suite/);
    expect(bad.stdout).toMatch(/the starter already passes task 1 \("Arithmetic"\)/);

    cpSync(path.join(SUBMISSIONS, 'correct/src/solution.ts'), path.join(lab, 'solution/solution.ts'));
    cpSync(path.join(SUBMISSIONS, 'throw-at-import/src/solution.ts'), path.join(lab, 'starter/solution.ts'));
    const good = cli('validate', lab);
    expect(good.stdout).toMatch(/✓ local\/fixture-lab: solution passes 1 public and 4 hidden tests; the starter fails all 2 tasks/);
    expect(good.code).toBe(0);
  });

  it("validates the suite's strength: every mutant must lose points, every alternative right answer must score full marks", async () => {
    const work = await tempDir();
    const lab = path.join(work, 'fixture-lab');
    cpSync(FIXTURE_LAB, lab, { recursive: true });
    writeFileSync(path.join(lab, 'README.md'), '# Fixture\n');
    cpSync(path.join(SUBMISSIONS, 'correct/src'), path.join(lab, 'solution'), { recursive: true });
    cpSync(path.join(SUBMISSIONS, 'throw-at-import/src'), path.join(lab, 'starter'), { recursive: true });
    const mutant = (mistake: string, from: string, to: string) =>
      `${mistake}\n--- a/solution.ts\n+++ b/solution.ts\n@@ -1,2 +1,2 @@\n ${from}\n-${to.split('|')[0]}\n+${to.split('|')[1]}\n`;
    const add = 'export const add = (a: number, b: number): number => a + b;';
    const times = 'export const multiply = (a: number, b: number): number => a * b;';
    mkdirSync(path.join(lab, 'mutants'));
    writeFileSync(path.join(lab, 'mutants/multiply-adds.patch'), mutant('multiply adds instead', add, `${times}|${times.replace('a * b', 'a + b')}`));
    const killedOnly = cli('validate', lab, '--min-mutants', '1');
    expect(killedOnly.stdout).toMatch(/the starter fails all 2 tasks; mutants killed 1\/1 \(100%\)/);
    expect(killedOnly.code).toBe(0);
    expect(cli('validate', lab, '--min-mutants', '2').stdout).toMatch(/mutants\/ holds 1 mutant; this pack asks for at least 2/);

    // Swapping the operands of a product changes nothing: the suite cannot (and need not) catch it, and validate says so.
    writeFileSync(path.join(lab, 'mutants/operands-swapped.patch'), mutant('the operands swapped', add, `${times}|${times.replace('a * b', 'b * a')}`));
    writeFileSync(path.join(lab, 'mutants/stale.patch'), mutant('a line the solution no longer has', add, `export const gone = 1;|export const gone = 2;`));
    const weak = cli('validate', lab);
    expect(weak.code).toBe(1);
    expect(weak.stdout).toMatch(/mutant "operands-swapped" scores 16\/16: the hidden suite does not catch "the operands swapped"/);
    expect(weak.stdout).toMatch(/mutant "stale": its diff no longer applies to solution\/solution.ts/);

    rmSync(path.join(lab, 'mutants/operands-swapped.patch'));
    rmSync(path.join(lab, 'mutants/stale.patch'));
    const alternatives = path.join(work, 'alternatives');
    mkdirSync(path.join(alternatives, 'fixture-lab/reduce-style'), { recursive: true });
    writeFileSync(
      path.join(alternatives, 'fixture-lab/reduce-style/solution.ts'),
      'export const add = (...xs: number[]) => xs.reduce((s, x) => s + x, 0);\nexport function multiply(a: number, b: number) {\n  return [a, b].reduce((p, x) => p * x, 1);\n}\nexport const work = () => Promise.resolve(6 * 7);\n',
    );
    cpSync(path.join(SUBMISSIONS, 'wrong/src'), path.join(alternatives, 'fixture-lab/not-right'), { recursive: true });
    const judged = cli('validate', lab, '--alternatives', alternatives);
    expect(judged.stdout).toMatch(/alternative solutions passing 1\/2 \(50%\)|the alternative solution "not-right" scores \d+\/16/);
    expect(judged.stdout).toMatch(/the alternative solution "not-right" scores \d+\/16: a right answer must not lose points/);
    expect(judged.code).toBe(1);
    rmSync(path.join(alternatives, 'fixture-lab/not-right'), { recursive: true });
    const fair = cli('validate', lab, '--alternatives', alternatives);
    expect(fair.stdout).toMatch(/mutants killed 1\/1 \(100%\); alternative solutions passing 1\/1 \(100%\)/);
    expect(fair.code).toBe(0);
  });
});
