import { describe, expect, it } from 'vitest';
import { toTestUpdate } from '../../../src/grader/test-updates';

describe('grader events to test updates', () => {
  it('maps a start and a pass', () => {
    expect(toTestUpdate({ kind: 'test-start', name: 'a > b' }, 4000)).toEqual({ kind: 'started', name: 'a > b' });
    expect(toTestUpdate({ kind: 'test', name: 'a > b', passed: true, durationMs: 3 }, 4000)).toEqual({ kind: 'passed', name: 'a > b', durationMs: 3 });
  });

  it('maps an assertion failure to a failure with both sides of the diff and the place in the candidate file', () => {
    const update = toTestUpdate(
      {
        kind: 'test',
        name: 'units > gb',
        passed: false,
        durationMs: 2,
        error: {
          message: 'Expected values to be strictly equal:\n\n111.7 !== 120',
          expected: '120',
          actual: '111.7',
          stack: 'AssertionError [ERR_ASSERTION]: x\n    at toGB (/tmp/mlops-layout-9/src/zero.ts:58:10)',
        },
      },
      4000,
    );
    expect(update).toEqual({
      kind: 'failed',
      name: 'units > gb',
      durationMs: 2,
      message: 'Expected values to be strictly equal:\n\n111.7 !== 120',
      expected: '120',
      actual: '111.7',
      location: { file: 'src/zero.ts', line: 58, column: 10 },
    });
  });

  it('maps a thrown error to an error, and a timeout to a failure that says so', () => {
    expect(
      toTestUpdate(
        {
          kind: 'test',
          name: 'x',
          passed: false,
          durationMs: 1,
          error: { message: 'not implemented', stack: 'Error: not implemented\n    at f (/t/src/zero.ts:3:9)' },
        },
        4000,
      ),
    ).toMatchObject({
      kind: 'errored',
      message: 'Error: not implemented',
    });
    expect(
      toTestUpdate({ kind: 'test', name: 'x', passed: false, durationMs: 2000, error: { message: 'timed out', failureType: 'testTimeoutFailure' } }, 4000),
    ).toMatchObject({
      kind: 'failed',
      message: expect.stringMatching(/did not finish within 2000 ms/),
    });
  });

  it('turns run-level problems into output, and ignores bookkeeping', () => {
    expect(toTestUpdate({ kind: 'load-error', file: 'zero.test.js', error: { message: 'boom' } }, 4000)).toEqual({
      kind: 'problem',
      message: 'Loading zero.test.js failed: boom',
    });
    expect(toTestUpdate({ kind: 'tampering', what: 'assert replaced' }, 4000)).toEqual({ kind: 'problem', message: 'Tampering: assert replaced' });
    expect(toTestUpdate({ kind: 'done' }, 4000)).toEqual({ kind: 'none' });
  });
});
