import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { activationMemory, estimateZero2, fewestGpus, modelStateMemory, toGB } from '../src/zero';

describe('public: model states', () => {
  it('plain data parallelism keeps 16 bytes per parameter on every GPU', () => {
    assert.equal(modelStateMemory({ parameters: 1e9, dataParallel: 8, stage: 0 }).total, 16e9);
  });

  it('stage 3 on one GPU saves nothing', () => {
    assert.equal(modelStateMemory({ parameters: 1e9, dataParallel: 1, stage: 3 }).total, 16e9);
  });
});

describe('public: units', () => {
  it('converts bytes to decimal gigabytes', () => {
    assert.equal(toGB(2.5e9), 2.5);
  });
});

describe('public: estimator', () => {
  it('offloading the optimizer leaves the fp16 weights on the GPU', () => {
    assert.equal(estimateZero2({ totalParams: 1e9, gpusPerNode: 4, nodes: 1, offloadOptimizer: true }).gpuBytes, 2e9);
  });
});

describe('public: activations', () => {
  it('counts 12 elements per hidden unit, token and layer without checkpointing', () => {
    assert.equal(activationMemory({ hidden: 1, layers: 1, seqLen: 1, batch: 1, bytesPerElement: 1 }), 12);
  });
});

describe('public: planning', () => {
  it('a model that fits on one GPU needs one', () => {
    assert.equal(fewestGpus({ parameters: 1e9, gpuMemoryBytes: 80e9, stage: 3 }), 1);
  });
});
