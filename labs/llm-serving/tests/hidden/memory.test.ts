import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { blocksForTokens, kvBytesPerToken, kvCacheCapacity, maxConcurrentSequences } from '../src/memory';

// The figures are LAB_FACTS §17's (vLLM's formulas, Llama-3 shapes from their configs); every one is a whole
// number of bytes or blocks, so the tests compare exactly.

const KiB = 1024;
const MiB = 1024 * KiB;
const GiB = 1024 * MiB;
const LLAMA3_8B = { layers: 32, kvHeads: 8, headDim: 128 };
const LLAMA3_70B = { layers: 80, kvHeads: 8, headDim: 128 };
const MHA_7B = { layers: 32, kvHeads: 32, headDim: 128 };
const H100 = { totalBytes: 80 * GiB, weightsBytes: 16 * GiB, peakActivationBytes: 4 * GiB };

describe('kv bytes', () => {
  it('gives 128 KiB per token for Llama-3-8B in bf16, 1 GiB for an 8,192-token context', () => {
    assert.equal(kvBytesPerToken(LLAMA3_8B), 131_072);
    assert.equal(kvBytesPerToken(LLAMA3_8B, { dtype: 'bf16' }), 131_072);
    assert.equal(kvBytesPerToken(LLAMA3_8B) * 8192, GiB);
  });

  it('gives 320 KiB per token for Llama-3-70B, 2.5 GiB at 8,192 tokens', () => {
    assert.equal(kvBytesPerToken(LLAMA3_70B), 327_680);
    assert.equal(kvBytesPerToken(LLAMA3_70B) * 8192, 2.5 * GiB);
  });

  it('counts every KV head: the MHA shape takes 512 KiB, four times the GQA figure', () => {
    assert.equal(kvBytesPerToken(MHA_7B), 512 * KiB);
    assert.equal(kvBytesPerToken({ layers: 1, kvHeads: 1, headDim: 1 }), 4);
    assert.equal(kvBytesPerToken({ layers: 3, kvHeads: 5, headDim: 7 }), 2 * 3 * 5 * 7 * 2);
  });

  it('halves the bytes for an fp8 cache and doubles them for fp32', () => {
    for (const dtype of ['fp8', 'fp8_e4m3', 'fp8_e5m2'] as const) assert.equal(kvBytesPerToken(LLAMA3_8B, { dtype }), 65_536, dtype);
    assert.equal(kvBytesPerToken(LLAMA3_8B, { dtype: 'fp16' }), 131_072);
    assert.equal(kvBytesPerToken(LLAMA3_8B, { dtype: 'fp32' }), 262_144);
    assert.equal(kvBytesPerToken(LLAMA3_70B, { dtype: 'fp8' }), 163_840);
  });

  it('splits the cache by KV head under tensor parallelism', () => {
    assert.equal(kvBytesPerToken(LLAMA3_70B, { tensorParallel: 1 }), 327_680);
    assert.equal(kvBytesPerToken(LLAMA3_70B, { tensorParallel: 2 }), 163_840);
    assert.equal(kvBytesPerToken(LLAMA3_70B, { tensorParallel: 4 }), 81_920);
    assert.equal(kvBytesPerToken(LLAMA3_70B, { tensorParallel: 8 }), 40_960);
    assert.equal(kvBytesPerToken(MHA_7B, { tensorParallel: 4, dtype: 'fp8' }), 65_536);
  });

  it('keeps one replicated KV head per GPU when the GPUs outnumber the KV heads', () => {
    assert.equal(kvBytesPerToken(LLAMA3_70B, { tensorParallel: 16 }), 40_960);
    assert.equal(kvBytesPerToken(LLAMA3_8B, { tensorParallel: 32 }), 16_384);
    assert.equal(kvBytesPerToken({ layers: 32, kvHeads: 1, headDim: 128 }, { tensorParallel: 4 }), 16_384);
    assert.equal(kvBytesPerToken({ layers: 10, kvHeads: 2, headDim: 64 }, { tensorParallel: 6 }), 2 * 10 * 64 * 2);
  });

  it('refuses a tensor-parallel degree that neither divides the KV heads nor is a multiple of them', () => {
    for (const tensorParallel of [3, 5, 6, 12, 20]) assert.throws(() => kvBytesPerToken(LLAMA3_70B, { tensorParallel }), RangeError, `TP ${tensorParallel}`);
    assert.throws(() => kvBytesPerToken({ layers: 4, kvHeads: 6, headDim: 64 }, { tensorParallel: 4 }), RangeError);
  });

  it('rejects shapes, degrees and dtypes that are not valid with a RangeError', () => {
    const bad: [object, object][] = [
      [{ layers: 0, kvHeads: 8, headDim: 128 }, {}],
      [{ layers: 32, kvHeads: 0, headDim: 128 }, {}],
      [{ layers: 32, kvHeads: 8, headDim: 0 }, {}],
      [{ layers: 32.5, kvHeads: 8, headDim: 128 }, {}],
      [{ layers: 32, kvHeads: 8, headDim: Number.NaN }, {}],
      [{ layers: -32, kvHeads: 8, headDim: 128 }, {}],
      [{ layers: 32, kvHeads: 8.5, headDim: 128 }, {}],
      [LLAMA3_8B, { tensorParallel: 0 }],
      [LLAMA3_8B, { tensorParallel: 2.5 }],
      [LLAMA3_8B, { dtype: 'int3' }],
      [LLAMA3_8B, { dtype: 'toString' }],
    ];
    for (const [model, options] of bad) assert.throws(() => kvBytesPerToken(model as never, options as never), RangeError, JSON.stringify([model, options]));
  });
});

describe('capacity', () => {
  it('reproduces the H100 worked example: 52 GiB, 26,624 blocks of 2 MiB, 425,984 slots', () => {
    const c = kvCacheCapacity({ model: LLAMA3_8B, ...H100, gpuMemoryUtilization: 0.9 });
    assert.deepEqual(c, { bytesPerToken: 131_072, blockBytes: 2 * MiB, kvBytes: 52 * GiB, numBlocks: 26_624, tokenSlots: 425_984 });
  });

  it('fits 52 full 8k sequences and 103 sequences of 4,097 tokens, each needing 257 blocks', () => {
    assert.equal(maxConcurrentSequences(26_624, 8192), 52);
    assert.equal(blocksForTokens(8192), 512);
    assert.equal(blocksForTokens(4097), 257);
    assert.equal(blocksForTokens(4097) * 16 - 4097, 15);
    assert.equal(maxConcurrentSequences(26_624, 4097), 103);
    assert.equal(maxConcurrentSequences(26_624, 4096), 104);
    assert.equal(maxConcurrentSequences(100, 1), 100);
    assert.equal(maxConcurrentSequences(0, 16), 0);
  });

  it('rounds tokens up to whole blocks of 16, or of the block size given', () => {
    assert.deepEqual(
      [0, 1, 15, 16, 17, 32, 33].map((t) => blocksForTokens(t)),
      [0, 1, 1, 1, 2, 2, 3],
    );
    assert.deepEqual(
      [1, 32, 33].map((t) => blocksForTokens(t, 32)),
      [1, 1, 2],
    );
    assert.equal(blocksForTokens(5, 1), 5);
    assert.equal(maxConcurrentSequences(13_312, 8192, 32), 52);
    assert.equal(maxConcurrentSequences(10, 33, 32), 5);
  });

  it('uses 0.9 of the GPU when gpuMemoryUtilization is not given', () => {
    assert.equal(kvCacheCapacity({ model: LLAMA3_8B, ...H100 }).numBlocks, 26_624);
    const c = kvCacheCapacity({ model: LLAMA3_8B, ...H100, gpuMemoryUtilization: 0.5 });
    assert.equal(c.kvBytes, 20 * GiB);
    assert.equal(c.numBlocks, 10_240);
    assert.equal(kvCacheCapacity({ model: LLAMA3_8B, ...H100, gpuMemoryUtilization: 1 }).numBlocks, 30_720);
  });

  it('truncates the KV memory to whole bytes and the blocks to whole blocks', () => {
    const c = kvCacheCapacity({ model: LLAMA3_8B, ...H100, gpuMemoryUtilization: 0.92 });
    assert.equal(c.kvBytes, 57_552_561_766);
    assert.equal(c.numBlocks, 27_443);
    assert.equal(c.tokenSlots, 27_443 * 16);
    const d = kvCacheCapacity({ model: LLAMA3_8B, totalBytes: 10_000_001, weightsBytes: 0, peakActivationBytes: 0, gpuMemoryUtilization: 0.3 });
    assert.equal(d.kvBytes, 3_000_000);
    assert.equal(d.numBlocks, 1);
  });

  it('subtracts the weights, the peak activation and the other overhead', () => {
    const base = { model: LLAMA3_8B, totalBytes: 80 * GiB, gpuMemoryUtilization: 0.9 };
    assert.equal(kvCacheCapacity({ ...base, weightsBytes: 16 * GiB, peakActivationBytes: 2 * GiB, otherBytes: 2 * GiB }).kvBytes, 52 * GiB);
    assert.equal(kvCacheCapacity({ ...base, weightsBytes: 16 * GiB, peakActivationBytes: 4 * GiB, otherBytes: 2 * GiB }).numBlocks, 25_600);
    assert.equal(kvCacheCapacity({ ...base, weightsBytes: 0, peakActivationBytes: 0 }).kvBytes, 72 * GiB);
    assert.equal(kvCacheCapacity({ ...base, weightsBytes: 30 * GiB, peakActivationBytes: 2 * GiB }).numBlocks, 20_480);
  });

  it('gives kvCacheMemoryBytes exactly, ignoring the utilisation and the memory figures', () => {
    const c = kvCacheCapacity({ model: LLAMA3_8B, kvCacheMemoryBytes: 10 * GiB });
    assert.deepEqual(c, { bytesPerToken: 131_072, blockBytes: 2 * MiB, kvBytes: 10 * GiB, numBlocks: 5120, tokenSlots: 81_920 });
    assert.equal(kvCacheCapacity({ model: LLAMA3_8B, ...H100, gpuMemoryUtilization: 0.5, kvCacheMemoryBytes: 10 * GiB + 1 }).numBlocks, 5120);
    assert.equal(kvCacheCapacity({ model: LLAMA3_8B, ...H100, kvCacheMemoryBytes: 76 * GiB }).numBlocks, 38_912);
  });

  it('sizes blocks from the dtype, the tensor-parallel share and the block size', () => {
    assert.equal(kvCacheCapacity({ model: LLAMA3_8B, ...H100, dtype: 'fp8' }).numBlocks, 53_248);
    const tp4 = kvCacheCapacity({ model: LLAMA3_70B, tensorParallel: 4, totalBytes: 80 * GiB, weightsBytes: 35 * GiB, peakActivationBytes: 4 * GiB });
    assert.equal(tp4.blockBytes, 1.25 * MiB);
    assert.equal(tp4.numBlocks, 27_033);
    const big = kvCacheCapacity({ model: LLAMA3_8B, ...H100, blockSize: 32 });
    assert.deepEqual([big.blockBytes, big.numBlocks, big.tokenSlots], [4 * MiB, 13_312, 425_984]);
  });

  it('refuses a GPU with no room for one block, and invalid memory figures, with a RangeError', () => {
    const ok = { model: LLAMA3_8B, ...H100 };
    const bad = [
      { ...ok, weightsBytes: 70 * GiB },
      { ...ok, weightsBytes: 68 * GiB - 2 * MiB + 1 },
      { ...ok, kvCacheMemoryBytes: 2 * MiB - 1 },
      { ...ok, kvCacheMemoryBytes: -1 },
      { ...ok, gpuMemoryUtilization: 0 },
      { ...ok, gpuMemoryUtilization: 1.01 },
      { ...ok, gpuMemoryUtilization: -0.5 },
      { ...ok, gpuMemoryUtilization: Number.NaN },
      { ...ok, weightsBytes: -1 },
      { ...ok, peakActivationBytes: Number.NaN },
      { ...ok, otherBytes: -GiB },
      { ...ok, totalBytes: Number.POSITIVE_INFINITY },
      { model: LLAMA3_8B, weightsBytes: 0, peakActivationBytes: 0 },
      { ...ok, blockSize: 0 },
      { ...ok, blockSize: 12.5 },
    ];
    for (const options of bad) assert.throws(() => kvCacheCapacity(options as never), RangeError, JSON.stringify(options));
    assert.equal(kvCacheCapacity({ ...ok, kvCacheMemoryBytes: 2 * MiB }).numBlocks, 1);
    assert.equal(kvCacheCapacity({ ...ok, weightsBytes: 68 * GiB - 2 * MiB }).numBlocks, 1);
    for (const [blocks, tokens] of [
      [10, 0],
      [-1, 16],
      [1.5, 16],
      [10, 2.5],
    ])
      assert.throws(() => maxConcurrentSequences(blocks!, tokens!), RangeError, `${blocks} ${tokens}`);
    for (const [tokens, size] of [
      [-1, 16],
      [1.5, 16],
      [16, 0],
      [16, -16],
    ])
      assert.throws(() => blocksForTokens(tokens!, size!), RangeError, `${tokens} ${size}`);
  });
});
