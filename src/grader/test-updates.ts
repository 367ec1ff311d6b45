/**
 * Maps the grader's stream of child events to updates a test UI applies (the Testing view in VS Code).
 * Pure, so the mapping is unit-tested without an editor.
 */
import type { ChildEvent } from './channel';
import { describeFailure, locationOf, statusOf } from './report';
import type { TestResult } from './types';

export type TestUpdate =
  | { kind: 'started'; name: string }
  | { kind: 'passed'; name: string; durationMs: number }
  | {
      kind: 'failed' | 'errored';
      name: string;
      durationMs: number;
      message: string;
      expected?: string;
      actual?: string;
      location?: TestResult['location'];
    }
  | { kind: 'problem'; message: string }
  | { kind: 'output'; name: string; text: string }
  | { kind: 'none' };

export function toTestUpdate(event: ChildEvent, runTimeoutMs: number): TestUpdate {
  switch (event.kind) {
    case 'test-start':
      return { kind: 'started', name: event.name };
    case 'test': {
      if (event.passed) return { kind: 'passed', name: event.name, durationMs: event.durationMs };
      const error = event.error;
      return {
        kind: statusOf(error) === 'fail' ? 'failed' : 'errored',
        name: event.name,
        durationMs: event.durationMs,
        message: describeFailure(error, runTimeoutMs),
        ...(error?.expected !== undefined ? { expected: error.expected } : {}),
        ...(error?.actual !== undefined ? { actual: error.actual } : {}),
        ...locationOf(error),
      };
    }
    case 'load-error':
      return { kind: 'problem', message: `Loading ${event.file} failed: ${event.error.message}` };
    case 'output-limit':
      return { kind: 'problem', message: `The code printed more than ${(event.bytes / 1024 / 1024).toFixed(1)} MB; output past 1 MB was dropped.` };
    case 'tampering':
      return { kind: 'problem', message: `Tampering: ${event.what}` };
    case 'output':
      return { kind: 'output', name: event.test, text: event.text };
    case 'ready':
    case 'done':
    case 'stdio':
      return { kind: 'none' };
    default: {
      const unreachable: never = event;
      return unreachable;
    }
  }
}
