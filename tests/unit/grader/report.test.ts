import { describe, expect, it } from 'vitest';
import type { ChildEvent } from '../../../src/grader/channel';
import type { RunOutcome } from '../../../src/grader/child-process';
import { compileError } from '../../../src/grader/grader';
import { buildReport, expectedTests, failureText, isNotRun } from '../../../src/grader/report';
import type { Protections } from '../../../src/grader/types';

const lab = {
  id: 'demo',
  version: '1.2.0',
  runtime: { onnxruntime: false, timeoutMs: 4000, memoryMb: 128 },
  tasks: [
    { id: 1, title: 'One', points: 10, tests: ['a > 1', 'a > 2', 'a > 3'], publicTests: ['p > 1'] },
    { id: 2, title: 'Two', points: 5, tests: ['b > 1'] },
  ],
};
const protections: Protections = {
  permissionModel: 'enforced',
  nodeVersion: 'v20.20.2',
  timeoutMs: 4000,
  heapMb: 128,
  rssWatchdogMb: 384,
  outputCapBytes: 1 << 20,
  addons: false,
  childProcesses: false,
};

function outcome(events: ChildEvent[], extra: Partial<RunOutcome> = {}): RunOutcome {
  return { events, forged: 0, exitCode: 0, signal: null, output: '', outputBytes: 0, peakRssMb: 50, ...extra };
}
const pass = (name: string): ChildEvent => ({ kind: 'test', name, passed: true, durationMs: 1 });
const fail = (name: string): ChildEvent => ({ kind: 'test', name, passed: false, durationMs: 1, error: { message: 'nope', expected: '1', actual: '2' } });
const report = (events: ChildEvent[], extra: Partial<RunOutcome> = {}, mode: 'practice' | 'take-home' = 'practice') =>
  buildReport({ lab, suite: 'hidden', mode, protections, durationMs: 12.4, outcome: outcome(events, extra) });

describe('grade reports', () => {
  it('knows which tests each suite must report', () => {
    expect([...expectedTests(lab, 'hidden')]).toEqual([
      ['a > 1', 1],
      ['a > 2', 1],
      ['a > 3', 1],
      ['b > 1', 2],
    ]);
    expect([...expectedTests(lab, 'public')]).toEqual([['p > 1', 1]]);
  });

  it('earns a task its points in proportion to its passing tests, rounded to two decimals', () => {
    const r = report([pass('a > 1'), pass('a > 2'), fail('a > 3'), pass('b > 1'), { kind: 'done' }]);
    expect(r.tasks.map((t) => t.points)).toEqual([6.67, 5]);
    expect(r.points).toBe(11.67);
    expect(r.maxPoints).toBe(15);
    expect(r.status).toBe('fail');
    expect(r.passed).toBe(false);
  });

  it('is a pass only when every expected test passed', () => {
    const r = report([pass('a > 1'), pass('a > 2'), pass('a > 3'), pass('b > 1'), { kind: 'done' }]);
    expect(r).toMatchObject({ status: 'pass', passed: true, points: 15, message: null, durationMs: 12 });
  });

  it('treats a test that never reported as an error, never a pass', () => {
    const r = report([pass('a > 1'), pass('a > 2'), pass('a > 3'), { kind: 'done' }]);
    expect(r.status).toBe('error');
    expect(r.tests.find((t) => t.name === 'b > 1')).toMatchObject({ status: 'error', message: 'This test never reported a result.', task_id: 2 });
    expect(r.points).toBe(10);
  });

  it('lists a test no task names, without scoring it', () => {
    const r = report([pass('a > 1'), pass('a > 2'), pass('a > 3'), pass('b > 1'), pass('extra > x'), { kind: 'done' }]);
    expect(r.tests.at(-1)).toMatchObject({ name: 'extra > x', status: 'pass' });
    expect(r.tests.at(-1)?.task_id).toBeUndefined();
    expect(r.points).toBe(15);
  });

  it('gives a thrown non-assertion error the status "error" and names the error', () => {
    const r = report([
      {
        kind: 'test',
        name: 'a > 1',
        passed: false,
        durationMs: 1,
        error: { message: 'x is not a function', stack: 'TypeError: x is not a function\n    at f (/tmp/mlops-layout-1/src/zero.ts:12:5)' },
      },
      { kind: 'done' },
    ]);
    expect(r.tests[0]).toMatchObject({ status: 'error', message: 'TypeError: x is not a function', location: { file: 'src/zero.ts', line: 12, column: 5 } });
  });

  it('zeroes the points of a take-home run that tampered, and only notes it in practice', () => {
    const events: ChildEvent[] = [pass('a > 1'), pass('a > 2'), pass('a > 3'), pass('b > 1'), { kind: 'done' }];
    const takeHome = report(events, { forged: 3 }, 'take-home');
    expect(takeHome).toMatchObject({ status: 'error', points: 0, tampering: ['3 forged messages on the results channel'] });
    const practice = report(events, { forged: 3 }, 'practice');
    expect(practice).toMatchObject({ status: 'pass', points: 15 });
  });

  it('explains a timeout, a memory stop and a crash in words a candidate can act on', () => {
    expect(report([pass('a > 1')], { killedFor: 'timeout', signal: 'SIGKILL', exitCode: null }).message).toMatch(/stopped after 4000 ms/);
    expect(report([], { killedFor: 'memory' }).message).toMatch(/more memory than the lab allows \(384 MB\)/);
    expect(report([], { signal: 'SIGSEGV', exitCode: null }).message).toBe('the test process was killed by SIGSEGV.');
  });

  it('caps the output it keeps', () => {
    const r = report([{ kind: 'done' }], { output: 'x'.repeat(20_000), outputBytes: 5_000_000 });
    expect(r.output.length).toBeLessThan(16_100);
    expect(r.output).toMatch(/more bytes of output not kept$/);
  });

  it('says a setup error once, in the report, and marks every expected test as not run', () => {
    const r = buildReport({
      lab,
      suite: 'hidden',
      mode: 'practice',
      protections,
      durationMs: 3,
      setupError: 'the code does not compile:\n  src/a.ts:1:1: Unexpected "}"',
    });
    expect(r.status).toBe('error');
    expect(r.message).toMatch(/^the code does not compile/);
    expect(r.tests).toHaveLength(4);
    expect(r.tests.every((t) => isNotRun(t))).toBe(true);
    expect(r.tests.some((t) => t.message?.includes('Unexpected'))).toBe(false);
  });

  it('shows both sides of a failed comparison in full, and not for assert.ok', () => {
    const long = Array.from({ length: 40 }, (_, i) => `line ${i}`).join('\n');
    expect(failureText({ message: 'Expected values to be strictly deep-equal:\n... Lines skipped', expected: long, actual: `${long}!` })).toEqual([
      'Expected values to be strictly deep-equal:',
      `expected: ${long}`,
      `actual:   ${long}!`,
    ]);
    expect(failureText({ message: 'expected 120, got 150', expected: 'true', actual: 'false' })).toEqual(['expected 120, got 150']);
  });

  it('turns a missing export into words about exporting it', () => {
    expect(compileError(['tests/zero.test.ts:3:108: No matching export in "candidate:src/zero.ts" for import "toGiB"'])).toBe(
      'src/zero.ts does not export "toGiB", which the tests import. Keep the starter\'s exported names and signatures.',
    );
    expect(compileError(['src/a.ts:1:1: Unexpected "}"'])).toBe('the code does not compile:\n  src/a.ts:1:1: Unexpected "}"');
  });
});
