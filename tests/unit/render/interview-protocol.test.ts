import { describe, expect, it } from 'vitest';
import { parseInterviewMessage } from '../../../src/render/interview-protocol';
import { MAX_ANSWER_LENGTH, MAX_KEY_POINTS } from '../../../src/render/protocol';

describe('mock interview messages', () => {
  it.each([
    [{ type: 'ready' }],
    [{ type: 'finish' }],
    [{ type: 'draft', text: 'batching trades latency' }],
    [{ type: 'check', answer: '' }],
    [{ type: 'ticks', ticked: [0, 2] }],
    [{ type: 'go', direction: 1 }],
    [{ type: 'go', direction: -1 }],
    [{ type: 'openQuestion', questionId: 'core/dynamic-batching' }],
    [{ type: 'startLab', labId: 'core/dynamic-batching' }],
  ])('accepts %j', (message) => {
    expect(parseInterviewMessage(message)).toEqual(message);
  });

  it('drops extra fields', () => {
    expect(parseInterviewMessage({ type: 'finish', evil: true })).toEqual({ type: 'finish' });
    expect(parseInterviewMessage({ type: 'ticks', ticked: [1], spentMs: 0 })).toEqual({ type: 'ticks', ticked: [1] });
  });

  it.each([
    [null],
    ['finish'],
    [[]],
    [{ type: 'unknown' }],
    [{ type: 'draft' }],
    [{ type: 'draft', text: 'x'.repeat(MAX_ANSWER_LENGTH + 1) }],
    [{ type: 'check' }],
    [{ type: 'ticks', ticked: [1, 1] }],
    [{ type: 'ticks', ticked: [MAX_KEY_POINTS] }],
    [{ type: 'ticks', ticked: [0.5] }],
    [{ type: 'ticks', ticked: '0' }],
    [{ type: 'go', direction: 2 }],
    [{ type: 'go', direction: '1' }],
    [{ type: 'openQuestion', questionId: '../../etc/passwd' }],
    [{ type: 'openQuestion', questionId: 'no-pack' }],
    [{ type: 'startLab', labId: 'core/Bad Id' }],
    [{ type: '__proto__' }],
  ])('rejects %j', (message) => {
    expect(parseInterviewMessage(message)).toBeUndefined();
  });
});
