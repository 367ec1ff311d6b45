import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { blocksForTokens, kvBytesPerToken, kvCacheCapacity } from '../src/memory';

const GiB = 2 ** 30;

describe('public: kv bytes', () => {
  it('Llama-3-8B in bf16 takes 128 KiB of K and V per token', () => {
    assert.equal(kvBytesPerToken({ layers: 32, kvHeads: 8, headDim: 128 }), 131_072);
  });
});

describe('public: capacity', () => {
  it('the H100 example leaves 52 GiB, which is 26,624 blocks of 16 tokens', () => {
    const c = kvCacheCapacity({
      model: { layers: 32, kvHeads: 8, headDim: 128 },
      totalBytes: 80 * GiB,
      weightsBytes: 16 * GiB,
      peakActivationBytes: 4 * GiB,
      gpuMemoryUtilization: 0.9,
    });
    assert.equal(c.kvBytes, 52 * GiB);
    assert.equal(c.numBlocks, 26_624);
  });

  it('a 4,097-token sequence needs 257 blocks', () => {
    assert.equal(blocksForTokens(4097), 257);
  });
});
