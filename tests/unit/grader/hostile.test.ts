/**
 * Hostile and broken submissions are graded, never fatal: each fixture in tests/fixtures/grader/submissions is
 * run against the fixture lab's hidden suite in a real child process, and the report says what went wrong.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { Grader } from '../../../src/grader/grader';
import type { GradeReport } from '../../../src/grader/types';
import { fixtureLab, HARNESS, submission } from './fixtures';

const grader = new Grader({ harness: HARNESS, warm: true });
const lab = fixtureLab();
afterAll(() => grader.dispose());

const grade = (name: string, mode: 'practice' | 'take-home' = 'practice') => grader.grade({ lab, submissionDir: submission(name), suite: 'hidden', mode });
const byName = (report: GradeReport) => Object.fromEntries(report.tests.map((t) => [t.name, t]));

/** Pids of this process's children that run the grading harness (read from /proc, so Linux only). */
function harnessChildren(): number[] {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .map(Number)
    .filter((pid) => {
      try {
        const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
        const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
        return parent === process.pid && readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(HARNESS);
      } catch {
        return false;
      }
    });
}

/** Whether any process of the group `pid` leads is still running. */
function groupAlive(pid: number): boolean {
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('grading real submissions in an isolated child', () => {
  it('passes a correct submission with full points', async () => {
    const report = await grade('correct');
    expect(report).toMatchObject({ version: 3, status: 'pass', passed: true, points: 16, maxPoints: 16, message: null, tampering: [] });
    expect(report.tasks.map((t) => [t.id, t.points, t.passed, t.total])).toEqual([
      [1, 10, 2, 2],
      [2, 6, 2, 2],
    ]);
    expect(report.tests.every((t) => t.status === 'pass' && t.task_id !== undefined)).toBe(true);
  });

  it('scores a wrong submission by the share of each task it passes, with the assertion diff', async () => {
    const report = await grade('wrong');
    expect(report.status).toBe('fail');
    expect(report.tasks.map((t) => t.points)).toEqual([5, 3]);
    expect(report.points).toBe(8);
    expect(byName(report)['arithmetic > multiplies']).toMatchObject({ status: 'fail', expected: '20', actual: '9', task_id: 1 });
  });

  it('stops an infinite loop at the lab timeout; the tests it never reached are errors, not passes', async () => {
    const report = await grade('infinite-loop');
    expect(report.status).toBe('error');
    expect(report.message).toMatch(/stopped after 3000 ms.*infinite loop/);
    expect(report.tests.filter((t) => t.status === 'pass')).toEqual([]);
    expect(report.points).toBe(0);
  });

  it('fails a promise that never settles on its own, and still runs the other tests', async () => {
    // Each test's limit is half the lab's: a 1.6 s lab gives 800 ms, so the test does not wait out the fixture's 1.5 s.
    const quick = new Grader({ harness: HARNESS });
    const report = await quick.grade({
      lab: fixtureLab({ runtime: { ...lab.runtime, timeoutMs: 1600 } }),
      submissionDir: submission('endless-promise'),
      suite: 'hidden',
    });
    expect(byName(report)['work > returns the answer']).toMatchObject({ status: 'fail', message: expect.stringMatching(/did not finish within 800 ms/) });
    expect(byName(report)['work > reads the lab data']?.status).toBe('pass');
    expect(report.points).toBe(13);
  });

  it('reports an error thrown while the code loads', async () => {
    const report = await grade('throw-at-import');
    expect(report.status).toBe('error');
    expect(report.message).toBe('loading src/ failed: configuration file not found');
    expect(report.points).toBe(0);
  });

  it('reports a syntax error with its file and position, without running anything', async () => {
    const report = await grade('syntax-error');
    expect(report.status).toBe('error');
    expect(report.message).toMatch(/the code does not compile:\n\s+src\/solution\.ts:3:1: Unexpected "export"/);
    expect(report.tests.every((t) => t.status === 'error')).toBe(true);
  });

  it('never lets process.exit(0) end the suite: the sandbox has no process, so only that test fails', async () => {
    const report = await grade('exit-mid-suite');
    expect(report.status).toBe('fail');
    expect(byName(report)['work > returns the answer']?.status).toBe('error');
    expect(report.points).toBe(13);
  });

  it('drops output past the limit and says so', async () => {
    const report = await grade('output-flood');
    expect(report.status).toBe('error');
    expect(report.message).toMatch(/printed more than 1 MB/);
    expect(report.output.length).toBeLessThan(20_000);
  });

  it('stops unbounded allocation on the heap', async () => {
    const report = await grade('heap-allocation');
    expect(report.status).toBe('error');
    expect(report.message).toMatch(/ran out of memory \(the lab allows a 96 MB heap\)|more memory than the lab allows/);
  });

  it('stops typed-array allocation, which escapes the heap cap, with the RSS watchdog', async () => {
    const report = await grade('typed-array-allocation');
    expect(report.status).toBe('error');
    expect(report.message).toMatch(/more memory than the lab allows \(352 MB\)/);
    expect(report.protections.rssWatchdogMb).toBe(352);
  });

  it('refuses the file system to the submission at compile time, with the permission model still in force', async () => {
    const report = await grade('read-outside');
    expect(report.protections.permissionModel).toBe('enforced');
    expect(report).toMatchObject({ status: 'error', points: 0, message: expect.stringMatching(/import "node:fs" is not allowed/) });
  });

  it('never lets the submission reach assert, in either mode', async () => {
    for (const mode of ['take-home', 'practice'] as const) {
      const report = await grade('patch-assert', mode);
      expect(report).toMatchObject({ status: 'error', points: 0, message: expect.stringMatching(/import "node:assert\/strict" is not allowed/) });
    }
  });

  it('leaves the submission no channel to forge results on', async () => {
    const report = await grade('forge-results', 'take-home');
    expect(report.status).toBe('fail');
    expect(report.tampering).toEqual([]);
    expect(byName(report)['arithmetic > multiplies']?.status).toBe('fail');
    expect(byName(report)['work > returns the answer']?.status).toBe('error');
    expect(report.points).toBe(8);
  });

  it('ties what each test printed to that test, across awaits', async () => {
    const report = await grade('prints');
    expect(report.status).toBe('pass');
    const tests = byName(report);
    expect(tests['arithmetic > adds']?.output).toBe('adding 2 and 3\n');
    expect(tests['work > returns the answer']?.output).toBe('working asynchronously\n');
    expect(tests['arithmetic > multiplies']?.output).toBeNull();
  });

  it('says which protections were in force', async () => {
    const report = await grade('correct');
    expect(report.protections).toMatchObject({
      permissionModel: 'enforced',
      permissionFlag: process.version.startsWith('v20') ? '--experimental-permission' : '--permission',
      heapMb: 96,
      timeoutMs: 3000,
      addons: false,
      childProcesses: false,
    });
  });

  it('runs the public suite for feedback: results, no points', async () => {
    const report = await grader.grade({ lab, submissionDir: submission('correct'), suite: 'public' });
    expect(report.status).toBe('pass');
    expect(report.tests.map((t) => [t.name, t.task_id])).toEqual([['sample > adds two numbers', 1]]);
    expect(report.maxPoints).toBe(0);
  });

  it('reports a submission without src/ clearly', async () => {
    const report = await grader.grade({ lab, submissionDir: submission('no-such-folder'), suite: 'hidden' });
    expect(report).toMatchObject({ status: 'error', message: 'src/ is missing' });
  });

  it('streams each result as it happens', async () => {
    const seen: string[] = [];
    await grader.grade({ lab, submissionDir: submission('correct'), suite: 'hidden', onEvent: (e) => e.kind === 'test' && seen.push(e.name) });
    expect(seen).toEqual(['arithmetic > adds', 'arithmetic > multiplies', 'work > returns the answer', 'work > reads the lab data']);
  });

  it('can be cancelled: nothing scores and the child is gone', async () => {
    // Its own grader, kept cold, so the only harness child it adds is the one running this submission.
    const cold = new Grader({ harness: HARNESS });
    const before = new Set(process.platform === 'linux' ? harnessChildren() : []);
    const controller = new AbortController();
    const running = new Set<number>();
    const watch = setInterval(() => {
      if (process.platform === 'linux') for (const pid of harnessChildren()) if (!before.has(pid)) running.add(pid);
    }, 20);
    setTimeout(() => controller.abort(), 300);
    const report = await cold
      .grade({ lab, submissionDir: submission('infinite-loop'), suite: 'hidden', signal: controller.signal })
      .finally(() => clearInterval(watch));
    expect(report).toMatchObject({ status: 'error', message: 'the run was cancelled.', points: 0, passed: false });
    expect(report.tests.filter((t) => t.status === 'pass')).toEqual([]);
    if (process.platform === 'linux') {
      expect(running.size, 'the grading child was never seen running').toBe(1);
      for (const pid of running) expect(groupAlive(pid), `grading child ${pid} or a process it started still runs`).toBe(false);
    }
  });

  it('cancels a run whose cancel came before the child started it', async () => {
    const controller = new AbortController();
    controller.abort();
    const report = await grader.grade({ lab, submissionDir: submission('infinite-loop'), suite: 'hidden', signal: controller.signal });
    expect(report).toMatchObject({ status: 'error', message: 'the run was cancelled.', points: 0 });
  });
});
