import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { activationMemory, estimateZero2, estimateZero3, fewestGpus, largestModel, modelStateMemory, toGB, toGiB } from '../src/zero';

const B = 1e9;
/** Equal to within a relative 1e-9: the formulas are exact, floating point is not. */
function close(actual: number, expected: number, message?: string): void {
  assert.ok(Number.isFinite(actual), `expected a finite number, got ${actual}`);
  assert.ok(Math.abs(actual - expected) <= Math.abs(expected) * 1e-9 + 1e-9, message ?? `expected ${expected}, got ${actual}`);
}
const gib2 = (bytes: number) => Math.round(toGiB(bytes) * 100) / 100;

describe('model states', () => {
  it('matches the paper at 7.5B parameters on 64 GPUs for every stage', () => {
    const at = (stage: 0 | 1 | 2 | 3) => toGB(modelStateMemory({ parameters: 7.5 * B, dataParallel: 64, stage }).total);
    close(at(0), 120);
    close(at(1), 31.40625);
    close(at(2), 16.640625);
    close(at(3), 1.875);
  });

  it('shards the gradients at stage 2, not only the optimizer states', () => {
    const m = modelStateMemory({ parameters: 7.5 * B, dataParallel: 64, stage: 2 });
    close(m.parameters, 15 * B);
    close(m.gradients, (15 * B) / 64);
    close(m.optimizer, (90 * B) / 64);
  });

  it('keeps full fp16 parameters and gradients at stage 1', () => {
    const m = modelStateMemory({ parameters: 2 * B, dataParallel: 8, stage: 1 });
    close(m.parameters, 4 * B);
    close(m.gradients, 4 * B);
    close(m.optimizer, 3 * B);
    close(m.total, 11 * B);
  });

  it('shards everything at stage 3', () => {
    const m = modelStateMemory({ parameters: 3 * B, dataParallel: 6, stage: 3 });
    close(m.parameters, 1 * B);
    close(m.gradients, 1 * B);
    close(m.optimizer, 6 * B);
  });

  it('reproduces the Table 1 cells that fit a 32 GB V100', () => {
    close(toGB(modelStateMemory({ parameters: 7.5 * B, dataParallel: 4, stage: 3 }).total), 30);
    close(toGB(modelStateMemory({ parameters: 7.5 * B, dataParallel: 16, stage: 2 }).total), 21.5625);
    close(toGB(modelStateMemory({ parameters: 128 * B, dataParallel: 64, stage: 3 }).total), 32);
    close(toGB(modelStateMemory({ parameters: 1000 * B, dataParallel: 1024, stage: 3 }).total), 15.625);
  });

  it('reproduces the 1024-GPU cells of Table 1', () => {
    const at = (params: number, stage: 1 | 2 | 3) => Math.round(toGB(modelStateMemory({ parameters: params, dataParallel: 1024, stage }).total) * 10) / 10;
    assert.deepEqual([at(7.5 * B, 1), at(7.5 * B, 2), at(7.5 * B, 3)], [30.1, 15.1, 0.1]);
    assert.deepEqual([at(128 * B, 1), at(128 * B, 2), at(128 * B, 3)], [513.5, 257.8, 2]);
  });

  it('uses the optimizer bytes it is given instead of always 12', () => {
    close(modelStateMemory({ parameters: 1 * B, dataParallel: 4, stage: 1, optimizerBytesPerParam: 4 }).total, 5 * B);
    close(modelStateMemory({ parameters: 1 * B, dataParallel: 1, stage: 0, optimizerBytesPerParam: 0 }).total, 4 * B);
  });

  it('rejects invalid input with a RangeError, never NaN', () => {
    const bad = [
      { parameters: -1, dataParallel: 8, stage: 1 },
      { parameters: 0, dataParallel: 8, stage: 1 },
      { parameters: Number.NaN, dataParallel: 8, stage: 1 },
      { parameters: 1e9, dataParallel: 0, stage: 1 },
      { parameters: 1e9, dataParallel: 2.5, stage: 1 },
      { parameters: 1e9, dataParallel: 8, stage: 4 },
      { parameters: 1e9, dataParallel: 8, stage: 2, optimizerBytesPerParam: -12 },
      { parameters: Number.POSITIVE_INFINITY, dataParallel: 8, stage: 3 },
    ];
    for (const config of bad) assert.throws(() => modelStateMemory(config as never), RangeError, JSON.stringify(config));
  });
});

describe('units', () => {
  it('tells decimal gigabytes from binary gibibytes', () => {
    close(toGB(16.64 * B), 16.64);
    close(toGiB(2 ** 31), 2);
    close(toGiB(120 * B), 111.75870895385742);
  });

  it('rejects negative and non-finite byte counts', () => {
    for (const bytes of [-1, Number.NaN, Number.POSITIVE_INFINITY]) {
      assert.throws(() => toGB(bytes), RangeError);
      assert.throws(() => toGiB(bytes), RangeError);
    }
  });
});

describe('deepspeed estimator', () => {
  const t5 = { totalParams: 2851e6, gpusPerNode: 8, nodes: 1 };

  it('gives the documented ZeRO-2 figures for t5-3b on one node of 8 GPUs, in GiB', () => {
    const offload = estimateZero2({ ...t5, offloadOptimizer: true });
    assert.deepEqual([gib2(offload.cpuBytes), gib2(offload.gpuBytes)], [127.45, 5.31]);
    const none = estimateZero2({ ...t5, offloadOptimizer: false });
    assert.deepEqual([gib2(none.cpuBytes), gib2(none.gpuBytes)], [127.45, 11.28]);
  });

  it('uses the current 18 bytes per sharded parameter, not the older 4P + 16P/N', () => {
    const none = estimateZero2({ totalParams: 8e9, gpusPerNode: 8, nodes: 2, offloadOptimizer: false });
    assert.equal(none.gpuBytes, 16e9 + 9e9);
  });

  it('counts all GPUs across nodes for the offload CPU memory', () => {
    const offload = estimateZero2({ totalParams: 1e9, gpusPerNode: 8, nodes: 4, offloadOptimizer: true, bufferFactor: 1 });
    assert.equal(offload.cpuBytes, 1e9 * 128);
  });

  it('gives the documented ZeRO-3 figures for t5-3b, row by row', () => {
    const rows = [
      [true, true, true, 71.69, 0.12],
      [true, true, false, 127.45, 0.12],
      [true, false, true, 63.72, 0.78],
      [true, false, false, 127.45, 0.78],
      [false, false, true, 1.43, 6.09],
      [false, false, false, 127.45, 6.09],
    ] as const;
    for (const [offloadOptimizer, offloadParams, zeroInit, cpu, gpu] of rows) {
      const e = estimateZero3({ ...t5, largestLayerParams: 32e6, offloadOptimizer, offloadParams, zeroInit });
      assert.deepEqual([gib2(e.cpuBytes), gib2(e.gpuBytes)], [cpu, gpu], JSON.stringify({ offloadOptimizer, offloadParams, zeroInit }));
    }
  });

  // An independent oracle: DeepSpeed's estimator formulas (LAB_FACTS §1.3, from deepspeed/runtime/zero/stage_1_and_2.py
  // and stage3.py, estimate_zero{2,3}_model_states_mem_needs) worked by hand for t5-3b (P = 2851e6, L = 32e6) on
  // 2 nodes of 8 GPUs: n = 8, N = 16, gpus_factor = 1/2, additional_buffer_factor = 1.5.
  it('gives DeepSpeed\'s figures for t5-3b on 2 nodes of 8 GPUs, row by row', () => {
    const two = { totalParams: 2851e6, gpusPerNode: 8, nodes: 2 };
    const z2 = (offloadOptimizer: boolean) => estimateZero2({ ...two, offloadOptimizer });
    // ZeRO-2, offload: GPU 2P = 5.702e9; CPU P * max(4N, 16) * 1.5 = 2851e6 * 64 * 1.5 = 273.696e9.
    assert.equal(z2(true).gpuBytes, 5_702_000_000);
    close(z2(true).cpuBytes, 273_696_000_000, 'ZeRO-2 offload CPU: P * max(4 * 16, 16) * 1.5');
    // ZeRO-2, no offload: GPU 2P + int(18P / 16) = 5.702e9 + 3.207375e9; CPU P * 4n * 1.5 = 2851e6 * 48 (n per node).
    assert.equal(z2(false).gpuBytes, 8_909_375_000);
    close(z2(false).cpuBytes, 136_848_000_000, 'ZeRO-2 CPU without offload: P * 4 * 8 * 1.5, with n the GPUs of one node');
    const rows = [
      // [offloadOptimizer, offloadParams, zeroInit, GPU bytes, CPU bytes]
      [true, true, true, 128_000_000, 38_488_500_000], // 4L; P * 18 * (1/2) * 1.5
      [true, true, false, 128_000_000, 136_848_000_000], // 4L; P * max(4 * 8, 18 / 2) * 1.5
      [true, false, true, 484_375_000, 34_212_000_000], // 4L + int(2P / 16) = 128e6 + 356.375e6; P * 16 * (1/2) * 1.5
      [true, false, false, 484_375_000, 136_848_000_000], // P * max(4 * 8, 16 / 2) * 1.5
      [false, false, true, 3_335_375_000, 1_536_000_000], // 4L + int(18P / 16) = 128e6 + 3207.375e6; L * 4 * 8 * 1.5
      [false, false, false, 3_335_375_000, 136_848_000_000], // P * 4 * 8 * 1.5
    ] as const;
    for (const [offloadOptimizer, offloadParams, zeroInit, gpu, cpu] of rows) {
      const label = JSON.stringify({ offloadOptimizer, offloadParams, zeroInit });
      const e = estimateZero3({ ...two, largestLayerParams: 32e6, offloadOptimizer, offloadParams, zeroInit });
      assert.equal(e.gpuBytes, gpu, `GPU bytes ${label}`);
      close(e.cpuBytes, cpu, `CPU bytes ${label}: expected ${cpu}, got ${e.cpuBytes}`);
    }
  });

  it('truncates the sharded bytes like int() when the GPUs do not divide them', () => {
    // P = 6,738,415,616 (a 7B model) on 5 nodes of 8 GPUs (N = 40): 18P / 40 = 3,032,287,027.2 and 2P / 40 = 336,920,780.8.
    const shape = { totalParams: 6_738_415_616, gpusPerNode: 8, nodes: 5 };
    assert.equal(estimateZero2({ ...shape, offloadOptimizer: false }).gpuBytes, 13_476_831_232 + 3_032_287_027);
    const z3 = (offloadOptimizer: boolean) => estimateZero3({ ...shape, largestLayerParams: 131_072_000, offloadOptimizer, offloadParams: false, zeroInit: true }).gpuBytes;
    assert.equal(z3(true), 524_288_000 + 336_920_780);
    assert.equal(z3(false), 524_288_000 + 3_032_287_027);
  });

  it('uses the buffer factor it is given for ZeRO-3 as well', () => {
    const t5one = { ...t5, largestLayerParams: 32e6, bufferFactor: 1 };
    close(estimateZero3({ ...t5one, offloadOptimizer: true, offloadParams: true, zeroInit: true }).cpuBytes, 2851e6 * 18);
    close(estimateZero3({ ...t5one, offloadOptimizer: false, offloadParams: false, zeroInit: false }).cpuBytes, 2851e6 * 4 * 8);
    close(estimateZero3({ ...t5, largestLayerParams: 32e6, bufferFactor: 2, offloadOptimizer: true, offloadParams: false, zeroInit: true }).cpuBytes, 2851e6 * 16 * 2);
  });

  it('weighs the per-node share 16/nodes and 18/nodes against 4n when zero.Init is off', () => {
    // 2 nodes of 1 GPU: n = 1, g = 1/2. With buffer 1: P * max(4 * 1, 16 / 2) = 8P and P * max(4 * 1, 18 / 2) = 9P.
    const shape = { totalParams: 1e9, gpusPerNode: 1, nodes: 2, largestLayerParams: 1e6, bufferFactor: 1, zeroInit: false, offloadOptimizer: true };
    close(estimateZero3({ ...shape, offloadParams: false }).cpuBytes, 8e9);
    close(estimateZero3({ ...shape, offloadParams: true }).cpuBytes, 9e9);
  });

  it('rejects a cluster that is not whole, positive numbers of GPUs and nodes', () => {
    const bad = [
      { totalParams: 1e9, gpusPerNode: 2.5, nodes: 1 },
      { totalParams: 1e9, gpusPerNode: 8, nodes: 0 },
      { totalParams: 1e9, gpusPerNode: 8, nodes: 1.5 },
      { totalParams: Number.NaN, gpusPerNode: 8, nodes: 1 },
    ];
    for (const shape of bad) {
      assert.throws(() => estimateZero2({ ...shape, offloadOptimizer: false }), RangeError, JSON.stringify(shape));
      assert.throws(() => estimateZero3({ ...shape, largestLayerParams: 1e6, offloadOptimizer: false, offloadParams: false, zeroInit: false }), RangeError, JSON.stringify(shape));
    }
  });

  it('rejects offloading parameters without offloading the optimizer', () => {
    assert.throws(() => estimateZero3({ ...t5, largestLayerParams: 32e6, offloadOptimizer: false, offloadParams: true, zeroInit: true }), RangeError);
  });
});

describe('activations', () => {
  const gpt2 = { hidden: 1600, layers: 48, seqLen: 1024, batch: 32 };

  it('gives about 60 GB for GPT-2 1.5B at batch 32 and sequence 1K', () => {
    assert.equal(activationMemory(gpt2), 2 * 12 * 1600 * 32 * 1024 * 48);
    assert.equal(Math.round(toGB(activationMemory(gpt2)) * 10) / 10, 60.4);
  });

  it('keeps only layer inputs plus one recomputed layer with checkpointing', () => {
    assert.equal(activationMemory({ ...gpt2, checkpointing: true }), (48 + 12) * 1600 * 32 * 1024 * 2);
  });

  it('scales with the bytes per element', () => {
    assert.equal(activationMemory({ ...gpt2, bytesPerElement: 4 }), 2 * activationMemory(gpt2));
    assert.equal(activationMemory({ ...gpt2, checkpointing: true, bytesPerElement: 4 }), (48 + 12) * 1600 * 32 * 1024 * 4);
  });

  it('rejects a fractional or zero size', () => {
    assert.throws(() => activationMemory({ ...gpt2, layers: 0 }), RangeError);
    assert.throws(() => activationMemory({ ...gpt2, batch: 1.5 }), RangeError);
  });
});

describe('planning', () => {
  const v100 = 32 * B;

  it('finds the largest model that fits, as a whole number of parameters', () => {
    assert.equal(largestModel({ gpuMemoryBytes: v100, dataParallel: 64, stage: 3 }), 128 * B);
    assert.equal(largestModel({ gpuMemoryBytes: v100, dataParallel: 1, stage: 0 }), 2 * B);
    assert.equal(largestModel({ gpuMemoryBytes: 1000, dataParallel: 3, stage: 1 }), 125);
    // 1000 / 16 = 62.5 parameters: 63 would need 1008 bytes.
    assert.equal(largestModel({ gpuMemoryBytes: 1000, dataParallel: 1, stage: 0 }), 62);
  });

  it('finds the fewest GPUs for 7.5B parameters on 32 GB cards at each stage', () => {
    assert.equal(fewestGpus({ parameters: 7.5 * B, gpuMemoryBytes: v100, stage: 3 }), 4);
    assert.equal(fewestGpus({ parameters: 7.5 * B, gpuMemoryBytes: v100, stage: 2 }), 7);
    assert.equal(fewestGpus({ parameters: 7.5 * B, gpuMemoryBytes: v100, stage: 1 }), 45);
  });

  it('counts a model that fills the memory exactly as fitting', () => {
    // 7.5B at stage 3 on 4 GPUs is exactly 30 GB; 8B at stage 1 on 16 GPUs is 32 GB + 96 GB / 16 = 38 GB.
    assert.equal(fewestGpus({ parameters: 7.5 * B, gpuMemoryBytes: 30 * B, stage: 3 }), 4);
    assert.equal(fewestGpus({ parameters: 8 * B, gpuMemoryBytes: 38 * B, stage: 1 }), 16);
    assert.equal(largestModel({ gpuMemoryBytes: 30 * B, dataParallel: 4, stage: 3 }), 7.5 * B);
  });

  it('needs one GPU at any stage, stage 0 included, when one GPU holds the model', () => {
    for (const stage of [0, 1, 2, 3] as const) assert.equal(fewestGpus({ parameters: 1 * B, gpuMemoryBytes: 16 * B, stage }), 1, `stage ${stage}`);
  });

  it('finds a degree when the unsharded part takes most of the card', () => {
    // Stage 2, 10B on 32 GB: 20 GB of fp16 weights stay whole, 140 GB / N_d must fit in the other 12 GB: N_d = 12.
    assert.equal(fewestGpus({ parameters: 10 * B, gpuMemoryBytes: 32 * B, stage: 2 }), 12);
  });

  it('plans with the optimizer bytes it is given', () => {
    // K = 4: 8 bytes a parameter at stage 0; 7.5B at stage 3 needs 60 GB / N_d <= 32 GB, so 2 GPUs.
    assert.equal(largestModel({ gpuMemoryBytes: 32 * B, dataParallel: 1, stage: 0, optimizerBytesPerParam: 4 }), 4 * B);
    assert.equal(fewestGpus({ parameters: 7.5 * B, gpuMemoryBytes: 32 * B, stage: 3, optimizerBytesPerParam: 4 }), 2);
  });

  it('answers null when no number of GPUs can fit the model', () => {
    assert.equal(fewestGpus({ parameters: 7.5 * B, gpuMemoryBytes: v100, stage: 0 }), null);
    assert.equal(fewestGpus({ parameters: 20 * B, gpuMemoryBytes: v100, stage: 2 }), null);
  });

  it('answers null when the states kept whole fill the card exactly', () => {
    // Stage 1 keeps 4 bytes a parameter whole: 8B take all 32 GB and leave nothing for 96 GB / N_d, at any N_d.
    assert.equal(fewestGpus({ parameters: 8 * B, gpuMemoryBytes: v100, stage: 1 }), null);
    // Stage 2 keeps the 2-byte fp16 weights whole: 16B take all 32 GB.
    assert.equal(fewestGpus({ parameters: 16 * B, gpuMemoryBytes: v100, stage: 2 }), null);
  });

  it('rejects a non-positive memory budget', () => {
    assert.throws(() => largestModel({ gpuMemoryBytes: 0, dataParallel: 8, stage: 3 }), RangeError);
    assert.throws(() => fewestGpus({ parameters: 1e9, gpuMemoryBytes: -5, stage: 3 }), RangeError);
  });
});
