import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { simulate } from '../src/scheduler';

describe('public: scheduler', () => {
  it('prefills two prompts in one step, then decodes one token each per step', () => {
    const result = simulate(
      [
        { id: 'a', arrival: 0, promptTokens: 10, maxTokens: 3 },
        { id: 'b', arrival: 0, promptTokens: 6, maxTokens: 2 },
      ],
      { numBlocks: 4, maxNumSeqs: 4, maxNumBatchedTokens: 32 },
    );
    assert.deepEqual(
      result.steps.map((s) => s.scheduled),
      [
        [
          { id: 'a', tokens: 10 },
          { id: 'b', tokens: 6 },
        ],
        [
          { id: 'a', tokens: 1 },
          { id: 'b', tokens: 1 },
        ],
        [{ id: 'a', tokens: 1 }],
      ],
    );
    assert.deepEqual(result.steps[1]!.finished, ['b']);
  });
});

describe('public: preemption and traces', () => {
  it('out of blocks, the latest running request is preempted and later recomputed', () => {
    const result = simulate(
      [
        { id: 'A', arrival: 0, promptTokens: 6, maxTokens: 5 },
        { id: 'B', arrival: 0, promptTokens: 5, maxTokens: 4 },
      ],
      { numBlocks: 4, blockSize: 4, maxNumSeqs: 4, maxNumBatchedTokens: 16 },
    );
    assert.deepEqual(result.steps[3]!.preempted, ['B']);
    assert.equal(result.requests[1]!.outputTokens, 4);
  });
});
