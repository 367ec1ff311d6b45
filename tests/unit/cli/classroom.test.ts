import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import {
  CLASSROOM_REPORTER_ACTION,
  CLASSROOM_RESULTS_ENV,
  CLASSROOM_RUNNERS_INPUT,
  CLASSROOM_STEP_ID,
  classroomResult,
  encodeClassroomResult,
  type ClassroomResult,
} from '../../../src/cli/classroom';
import type { CandidateResult } from '../../../src/cli/take-home-result';
import type { GradeReport, TaskScore, TestResult } from '../../../src/grader/types';
import { reportFixture } from '../helpers';

function report(labId: string, tasks: TaskScore[], tests: TestResult[], overrides: Partial<GradeReport> = {}): GradeReport {
  return reportFixture({
    status: tests.every((t) => t.status === 'pass') ? 'pass' : 'fail',
    tests,
    lab: { id: labId, version: '1.0.0' },
    points: tasks.reduce((sum, t) => sum + t.points, 0),
    maxPoints: tasks.reduce((sum, t) => sum + t.maxPoints, 0),
    tasks,
    ...overrides,
  });
}

const pass = (name: string, task: number, ms = 10): TestResult => ({ name, status: 'pass', message: null, output: null, task_id: task, duration_ms: ms });
const fail = (name: string, task: number, message: string): TestResult => ({ name, status: 'fail', message, output: null, task_id: task, duration_ms: 20 });

function candidate(overrides: Partial<CandidateResult> = {}): CandidateResult {
  const zero = report(
    'zero-memory',
    [
      { id: 1, title: 'Baseline', points: 10, maxPoints: 10, passed: 2, total: 2 },
      { id: 2, title: 'Stage 3', points: 6.67, maxPoints: 10, passed: 2, total: 3 },
    ],
    [pass('baseline a', 1, 5), pass('baseline b', 1, 7), pass('stage 3 a', 2), pass('stage 3 b', 2), fail('stage 3 c', 2, 'Expected 2 GB\nat line 3')],
  );
  const batching = report(
    'dynamic-batching',
    [{ id: 1, title: 'Queue', points: 0, maxPoints: 15, passed: 0, total: 1 }],
    [{ name: 'queue drains', status: 'error', message: 'Not run to the end: the run was stopped after 10000 ms.', output: null, task_id: 1 }],
    { status: 'error', message: 'the run was stopped after 10000 ms.' },
  );
  return {
    candidate: 'ada',
    submission: 'ada.zip',
    pack: { id: 'acme', version: '2.1.0' },
    late: false,
    tampered: false,
    flags: [],
    labs: [
      { id: 'zero-memory', title: 'ZeRO memory', report: zero, hints: [] },
      { id: 'dynamic-batching', title: 'Dynamic batching', report: batching, hints: [] },
    ],
    points: 16.67,
    maxPoints: 35,
    ...overrides,
  };
}

describe('classroomResult', () => {
  it('has one entry per task, scored with the task points, out of the candidate total', () => {
    const result = classroomResult(candidate());
    expect(result.version).toBe(1);
    expect(result.max_score).toBe(35);
    expect(result.tests.map((t) => t.name)).toEqual(['zero-memory task 1: Baseline', 'zero-memory task 2: Stage 3', 'dynamic-batching task 1: Queue']);
    expect(result.tests.map((t) => t.score)).toEqual([10, 6.67, 0]);
    // The sum the reporter sends to Classroom.
    expect(result.tests.reduce((sum, t) => sum + t.score, 0)).toBeCloseTo(16.67, 10);
    expect(result.tests.map((t) => t.status)).toEqual(['pass', 'fail', 'error']);
    expect(result.status).toBe('error');
    for (const t of result.tests) {
      expect(t).toMatchObject({ test_code: '', filename: '', line_no: 0 });
      expect(t.execution_time).toMatch(/^\d+(\.\d+)?s$/);
    }
    expect(result.tests[0]?.execution_time).toBe('0.012s');
  });

  it('says what failed, and why a run stopped', () => {
    const [baseline, stage3, queue] = classroomResult(candidate()).tests;
    expect(baseline?.message).toBeNull();
    expect(stage3?.message).toBe('2 of 3 tests passed.\nfail: stage 3 c — Expected 2 GB');
    expect(queue?.message).toContain('the run was stopped after 10000 ms.');
    expect(queue?.message).toContain('error: queue drains');
  });

  it('passes only when every task passed, and errors when the submission was tampered with', () => {
    const allPassed = candidate();
    const zero = allPassed.labs[0];
    if (!zero) throw new Error('fixture');
    allPassed.labs = [zero];
    zero.report.tasks = [{ id: 1, title: 'Baseline', points: 10, maxPoints: 10, passed: 2, total: 2 }];
    expect(classroomResult(allPassed).status).toBe('pass');
    expect(classroomResult({ ...allPassed, tampered: true }).status).toBe('error');
    expect(classroomResult(candidate({ labs: candidate().labs.slice(0, 1) })).status).toBe('fail');
  });

  it('keeps workflow commands and escape sequences from candidate messages out of the log', () => {
    const hostile = candidate();
    const test = hostile.labs[0]?.report.tests[4];
    if (!test) throw new Error('fixture');
    test.message = '::add-mask::x\u001b[31mred\u001b[0m\r::error::forged';
    const message = classroomResult(hostile).tests[1]?.message ?? '';
    expect(message).not.toMatch(/^\s*::/m);
    expect(message).not.toContain('\u001b');
    expect(message).not.toContain('\r');
    expect(message).toContain('red');
  });

  it('encodes as base64 JSON with the fields the reporter reads', () => {
    const decoded = JSON.parse(Buffer.from(encodeClassroomResult(classroomResult(candidate())), 'base64').toString('utf8')) as ClassroomResult;
    expect(decoded).toEqual(classroomResult(candidate()));
    expect(Object.keys(decoded).sort()).toEqual(['max_score', 'status', 'tests', 'version']);
    for (const t of decoded.tests) {
      expect(typeof t.name).toBe('string');
      expect(['pass', 'fail', 'error']).toContain(t.status);
      expect(typeof t.score).toBe('number');
      expect(Object.keys(t).sort()).toEqual(['execution_time', 'filename', 'line_no', 'message', 'name', 'score', 'status', 'test_code']);
    }
  });
});

describe('the GitHub Classroom workflow in docs/grading.md', () => {
  const doc = readFileSync(path.resolve(__dirname, '../../../docs/grading.md'), 'utf8');
  const section = doc.slice(doc.indexOf('## Grading on GitHub Actions / GitHub Classroom'));
  const yamlText = /```yaml\n([\s\S]*?)```/.exec(section)?.[1] ?? '';

  interface Step {
    id?: string;
    uses?: string;
    run?: string;
    if?: string;
    env?: Record<string, string>;
    with?: Record<string, string | number | boolean>;
  }
  const workflow = parse(yamlText) as { on: Record<string, unknown>; permissions: Record<string, string>; jobs: Record<string, { steps: Step[] }> };
  const steps = Object.values(workflow.jobs ?? {}).flatMap((job) => job.steps);

  it('is in the section, and parses', () => {
    expect(section.length).toBeGreaterThan(0);
    expect(Object.keys(workflow.on)).toContain('push');
    expect(workflow.permissions.checks).toBe('write');
  });

  it('runs mlops-labs grade with --classroom-result in the step the reporter names', () => {
    const grader = steps.find((s) => s.id === CLASSROOM_STEP_ID);
    expect(grader?.run).toMatch(/mlops-labs grade .*--classroom-result (\S+)/);
    const file = /--classroom-result (\S+)/.exec(grader?.run ?? '')?.[1] ?? '';
    expect(grader?.run).toContain(`echo "result=$(cat ${file})" >> "$GITHUB_OUTPUT"`);
  });

  it('hands the result to the reporter under the env var and input it reads', () => {
    const reporter = steps.find((s) => s.uses === CLASSROOM_REPORTER_ACTION);
    expect(reporter).toBeDefined();
    expect(reporter?.with?.[CLASSROOM_RUNNERS_INPUT]).toBe(CLASSROOM_STEP_ID);
    expect(reporter?.env?.[CLASSROOM_RESULTS_ENV]).toBe(`\${{ steps.${CLASSROOM_STEP_ID}.outputs.result }}`);
    expect(CLASSROOM_RESULTS_ENV).toBe(`${CLASSROOM_STEP_ID.toUpperCase()}_RESULTS`);
  });

  it('fetches the pack with a secret token and uploads the grades', () => {
    const pack = steps.find((s) => s.uses?.startsWith('actions/checkout@') && s.with?.path === 'grader-pack');
    expect(String(pack?.with?.token)).toMatch(/\$\{\{ secrets\.\w+ \}\}/);
    expect(steps.find((s) => s.uses?.startsWith('actions/setup-node@'))?.with?.['node-version']).toBe(20);
    expect(steps.find((s) => s.uses?.startsWith('actions/upload-artifact@'))?.with?.path).toBe('grades/');
  });
});
