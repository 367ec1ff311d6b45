/**
 * Turns what a grading run produced into a GradeReport. Pure: the rules for status, points and messages live
 * here and nowhere else. A test the suite should have run but that never reported is an error, never a pass.
 */
import type { FailureDetail } from './channel';
import { OUTPUT_KILL_BYTES, type RunOutcome } from './child-process';
import type { LabManifest } from '../core/catalog/types';
import type { GradeMode, GradeReport, Protections, Suite, TaskScore, TestResult } from './types';

export const REPORT_OUTPUT_CHARS = 16_000;

/**
 * The message of each test a failed run never reached. The reason is said once, in the report's own message
 * (a compile error, a missing export, a timeout), not repeated on every test.
 */
export const NOT_RUN = 'Not run: the run stopped before this test (see the error above).';

/** Whether a test result only says the run never reached it. */
/** The message of a test that finished after the submission passed the output limit. */
export const FLOODED = 'Finished after the output limit was passed: its result does not count. Remove the logging from hot loops.';

export const isNotRun = (test: { status: string; message: string | null }): boolean => test.status === 'error' && test.message === NOT_RUN;

/** A failed test's message, then both sides of a failed comparison in full (a diff cut short can hide the line that matters). */
export function failureText(t: Pick<TestResult, 'message' | 'expected' | 'actual'>): string[] {
  const lines = (t.message ?? '').split('\n');
  // assert.ok(x, message) compares with true: its message already says what went wrong.
  const okCheck = t.expected === 'true' && t.actual === 'false';
  if ((t.expected === undefined && t.actual === undefined) || okCheck) return lines;
  return [lines[0] ?? '', `expected: ${t.expected ?? '(nothing)'}`, `actual:   ${t.actual ?? '(nothing)'}`];
}

/** Each test's own time limit: half the run's, so one hung test fails alone and the others still run. */
export function testTimeoutMs(runTimeoutMs: number): number {
  return Math.max(500, Math.floor(runTimeoutMs / 2));
}

export interface ReportInput {
  lab: Pick<LabManifest, 'id' | 'version' | 'tasks' | 'runtime'>;
  suite: Suite;
  mode: GradeMode;
  protections: Protections;
  durationMs: number;
  /** Set when the run never started: a compile error or a bad submission. */
  setupError?: string;
  outcome?: RunOutcome;
}

/** The tests a suite must report, each with its task. */
export function expectedTests(lab: Pick<LabManifest, 'tasks'>, suite: Suite): Map<string, number> {
  const expected = new Map<string, number>();
  // A workspace run has no list: the candidate's own tests are found as they report.
  if (suite === 'workspace') return expected;
  for (const task of lab.tasks) for (const name of suite === 'hidden' ? task.tests : (task.publicTests ?? [])) expected.set(name, task.id);
  return expected;
}

export function buildReport(input: ReportInput): GradeReport {
  const { lab, suite, mode, outcome } = input;
  const expected = expectedTests(lab, suite);
  const tampering = tamperingSigns(outcome);
  const runError = input.setupError ?? runFailure(input);
  const printed = new Map<string, string>();
  for (const event of outcome?.events ?? []) if (event.kind === 'output') printed.set(event.test, (printed.get(event.test) ?? '') + event.text);
  const reported = new Map<string, TestResult>();
  for (const event of outcome?.events ?? []) {
    if (event.kind !== 'test') continue;
    // Past the output limit the run's output is no longer seen whole: a test that finished after it scores nothing.
    const flooded = event.afterOutputLimit === true;
    const taskId = expected.get(event.name);
    const passed = event.passed && !flooded;
    reported.set(event.name, {
      name: event.name,
      status: passed ? 'pass' : flooded ? 'error' : statusOf(event.error),
      message: passed ? null : flooded ? FLOODED : describeFailure(event.error, input.lab.runtime.timeoutMs),
      // Exercism caps a test's output at 500 characters.
      output: printed.has(event.name) ? (printed.get(event.name) ?? '').slice(0, 500) : null,
      ...(taskId !== undefined ? { task_id: taskId } : {}),
      duration_ms: Math.round(event.durationMs),
      ...(event.error?.expected !== undefined ? { expected: event.error.expected } : {}),
      ...(event.error?.actual !== undefined ? { actual: event.error.actual } : {}),
      ...locationOf(event.error),
    });
  }

  const missingMessage = runError ? NOT_RUN : 'This test never reported a result.';
  const tests: TestResult[] = [...expected].map(
    ([name, taskId]) => reported.get(name) ?? { name, status: 'error', message: missingMessage, output: null, task_id: taskId },
  );
  for (const [name, result] of reported) if (!expected.has(name)) tests.push(result);

  const tasks: TaskScore[] = lab.tasks.map((task) => {
    const mine = tests.filter((t) => t.task_id === task.id);
    const passed = mine.filter((t) => t.status === 'pass').length;
    const scoring = suite === 'hidden';
    return {
      id: task.id,
      title: task.title,
      maxPoints: scoring ? task.points : 0,
      points: scoring && mine.length ? round2((task.points * passed) / mine.length) : 0,
      passed,
      total: mine.length,
    };
  });

  const allPassed = tests.length > 0 && tests.every((t) => t.status === 'pass') && (expected.size > 0 || suite === 'workspace');
  const tampered = mode === 'take-home' && tampering.length > 0;
  // Results from a run that tampered with its own checks cannot be trusted: nothing scores.
  if (tampered) for (const task of tasks) task.points = 0;
  const missing = tests.some((t) => t.status === 'error' && !reported.has(t.name));
  const status: GradeReport['status'] = tampered || runError || missing ? 'error' : allPassed ? 'pass' : 'fail';
  const message = tampered ? `Tampering detected: ${tampering.join('; ')}` : (runError ?? (missing ? 'Some tests never reported a result.' : null));
  return {
    version: 3,
    status,
    message,
    tests,
    lab: { id: lab.id, version: lab.version },
    suite,
    mode,
    points: round2(tasks.reduce((sum, t) => sum + t.points, 0)),
    maxPoints: tasks.reduce((sum, t) => sum + t.maxPoints, 0),
    tasks,
    passed: status === 'pass',
    durationMs: Math.round(input.durationMs),
    protections: input.protections,
    output: capOutput(outcome),
    tampering,
  };
}

function runFailure(input: ReportInput): string | undefined {
  const outcome = input.outcome;
  if (!outcome) return undefined;
  const loadErrors = outcome.events.filter((e) => e.kind === 'load-error');
  switch (outcome.killedFor) {
    case 'timeout':
      return `the run was stopped after ${input.lab.runtime.timeoutMs} ms. Look for an infinite loop or a promise that never settles.`;
    case 'memory':
      return `the run used more memory than the lab allows (${input.protections.rssWatchdogMb} MB) and was stopped. Look for unbounded allocation.`;
    case 'output':
      return `the submission wrote more than ${OUTPUT_KILL_BYTES / 1024 / 1024} MB of output and was stopped.`;
    case 'cancelled':
      return 'the run was cancelled.';
    default:
      break;
  }
  const flood = outcome.events.find((e) => e.kind === 'output-limit');
  if (flood)
    return `the submission printed more than ${input.protections.outputCapBytes / 1024 / 1024} MB; output past that was dropped. Remove the logging from hot loops.`;
  const first = loadErrors[0];
  if (first && first.kind === 'load-error') return `loading ${first.file} failed: ${firstLine(first.error.message)}`;
  if (!outcome.events.some((e) => e.kind === 'done')) {
    if (/heap out of memory|Allocation failed/i.test(outcome.output)) {
      return `the run ran out of memory (the lab allows a ${input.protections.heapMb} MB heap) and was stopped. Look for unbounded allocation.`;
    }
    return outcome.signal
      ? `the test process was killed by ${outcome.signal}.`
      : `the test process exited early (code ${outcome.exitCode}). Does the code call process.exit()?`;
  }
  return undefined;
}

function tamperingSigns(outcome: RunOutcome | undefined): string[] {
  if (!outcome) return [];
  const signs = outcome.events.flatMap((e) => (e.kind === 'tampering' ? [e.what] : []));
  if (outcome.forged > 0) signs.push(`${outcome.forged} forged message${outcome.forged === 1 ? '' : 's'} on the results channel`);
  return signs;
}

export function statusOf(error: FailureDetail | undefined): 'fail' | 'error' {
  if (!error) return 'error';
  return error.expected !== undefined || error.failureType === 'testTimeoutFailure' || /AssertionError/.test(error.stack ?? '') ? 'fail' : 'error';
}

export function describeFailure(error: FailureDetail | undefined, timeoutMs: number): string {
  if (!error) return 'Failed without an error message.';
  if (error.failureType === 'testTimeoutFailure')
    return `Timed out: the test did not finish within ${testTimeoutMs(timeoutMs)} ms. Look for a promise that never settles.`;
  const name = /^(\w*Error)\b/.exec(error.stack ?? '')?.[1];
  const message = error.message.trim();
  return name && name !== 'AssertionError' && !message.startsWith(name) ? `${name}: ${message}` : message;
}

/** The first stack frame in the submission's src/, as the candidate's file, line and column. */
export function locationOf(error: FailureDetail | undefined): { location?: TestResult['location'] } {
  for (const line of (error?.stack ?? '').split('\n')) {
    const match = /[(\s](?:file:\/\/)?([^()\s]*\/src\/[^():\s]+):(\d+):(\d+)\)?$/.exec(line);
    if (match?.[1]) return { location: { file: `src/${match[1].split('/src/').pop()}`, line: Number(match[2]), column: Number(match[3]) } };
  }
  return {};
}

function capOutput(outcome: RunOutcome | undefined): string {
  if (!outcome?.output) return '';
  const text = outcome.output.slice(0, REPORT_OUTPUT_CHARS);
  const dropped = outcome.outputBytes - Buffer.byteLength(text);
  return dropped > 0 ? `${text}\n… ${dropped} more bytes of output not kept` : text;
}

function firstLine(text: string): string {
  return text.split('\n')[0] ?? text;
}

function round2(value: number): number {
  return Math.round(value * 100) / 100;
}
