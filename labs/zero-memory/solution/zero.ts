/**
 * Reference solution for the zero-memory lab. Bytes are plain numbers; nothing is rounded until a caller
 * converts units.
 */

export type Stage = 0 | 1 | 2 | 3;

export interface ZeroConfig {
  /** Ψ: the number of model parameters. */
  parameters: number;
  /** N_d: the data-parallel degree (GPUs the states are sharded over). */
  dataParallel: number;
  /** 0 is plain data parallelism; 1, 2 and 3 are the ZeRO stages. */
  stage: Stage;
  /** K: optimizer-state bytes per parameter. Mixed-precision Adam keeps 12 (fp32 master weights, momentum, variance). */
  optimizerBytesPerParam?: number;
}

export interface ModelStateMemory {
  parameters: number;
  gradients: number;
  optimizer: number;
  total: number;
}

const DEFAULT_K = 12;

function positive(name: string, value: number): void {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) throw new RangeError(`${name} must be a positive finite number, got ${value}`);
}

function positiveInteger(name: string, value: number): void {
  if (!Number.isInteger(value) || value < 1) throw new RangeError(`${name} must be a positive integer, got ${value}`);
}

function checkStage(stage: number): void {
  if (![0, 1, 2, 3].includes(stage)) throw new RangeError(`stage must be 0, 1, 2 or 3, got ${stage}`);
}

function checkK(k: number): void {
  if (typeof k !== 'number' || !Number.isFinite(k) || k < 0) throw new RangeError(`optimizerBytesPerParam must be a finite number of at least 0, got ${k}`);
}

/** Bytes per parameter held on each GPU, by state, for a stage and data-parallel degree. */
function perParameter(stage: Stage, n: number, k: number): { parameters: number; gradients: number; optimizer: number } {
  return {
    parameters: stage >= 3 ? 2 / n : 2,
    gradients: stage >= 2 ? 2 / n : 2,
    optimizer: stage >= 1 ? k / n : k,
  };
}

/** Task 1: per-GPU memory of the model states (parameters, gradients, optimizer states), in bytes. */
export function modelStateMemory(config: ZeroConfig): ModelStateMemory {
  const k = config.optimizerBytesPerParam ?? DEFAULT_K;
  positive('parameters', config.parameters);
  positiveInteger('dataParallel', config.dataParallel);
  checkStage(config.stage);
  checkK(k);
  const per = perParameter(config.stage, config.dataParallel, k);
  const parameters = per.parameters * config.parameters;
  const gradients = per.gradients * config.parameters;
  const optimizer = per.optimizer * config.parameters;
  return { parameters, gradients, optimizer, total: parameters + gradients + optimizer };
}

/** Task 2: decimal gigabytes (10⁹ bytes), the unit of the ZeRO paper. */
export function toGB(bytes: number): number {
  if (!Number.isFinite(bytes) || bytes < 0) throw new RangeError(`bytes must be a finite number of at least 0, got ${bytes}`);
  return bytes / 1e9;
}

/** Task 2: binary gibibytes (2³⁰ bytes), the unit DeepSpeed's estimator prints as "GB". */
export function toGiB(bytes: number): number {
  if (!Number.isFinite(bytes) || bytes < 0) throw new RangeError(`bytes must be a finite number of at least 0, got ${bytes}`);
  return bytes / 2 ** 30;
}

export interface ClusterShape {
  /** P: total parameters. */
  totalParams: number;
  gpusPerNode: number;
  nodes: number;
  /** Headroom multiplier on CPU memory; DeepSpeed's default is 1.5. */
  bufferFactor?: number;
}

export interface Estimate {
  gpuBytes: number;
  cpuBytes: number;
}

function checkCluster(shape: ClusterShape): { p: number; n: number; total: number; buf: number } {
  positive('totalParams', shape.totalParams);
  positiveInteger('gpusPerNode', shape.gpusPerNode);
  positiveInteger('nodes', shape.nodes);
  const buf = shape.bufferFactor ?? 1.5;
  positive('bufferFactor', buf);
  return { p: shape.totalParams, n: shape.gpusPerNode, total: shape.gpusPerNode * shape.nodes, buf };
}

/** Task 3: DeepSpeed's ZeRO-2 estimate (current code), with or without optimizer offload to the CPU. */
export function estimateZero2(shape: ClusterShape & { offloadOptimizer: boolean }): Estimate {
  const { p, n, total, buf } = checkCluster(shape);
  if (shape.offloadOptimizer) return { gpuBytes: 2 * p, cpuBytes: p * Math.max(4 * total, 16) * buf };
  return { gpuBytes: 2 * p + Math.floor((18 * p) / total), cpuBytes: p * 4 * n * buf };
}

/** Task 3: DeepSpeed's ZeRO-3 estimate: the largest layer is gathered whole on one GPU. */
export function estimateZero3(
  shape: ClusterShape & { largestLayerParams: number; offloadOptimizer: boolean; offloadParams: boolean; zeroInit: boolean },
): Estimate {
  const { p, n, total, buf } = checkCluster(shape);
  positive('largestLayerParams', shape.largestLayerParams);
  if (shape.offloadParams && !shape.offloadOptimizer) throw new RangeError('offloading parameters requires offloading the optimizer as well');
  const largestLayer = 4 * shape.largestLayerParams;
  const gf = 1 / shape.nodes;
  if (shape.offloadOptimizer && shape.offloadParams) {
    return { gpuBytes: largestLayer, cpuBytes: shape.zeroInit ? p * 18 * gf * buf : p * Math.max(4 * n, 18 * gf) * buf };
  }
  if (shape.offloadOptimizer) {
    return { gpuBytes: largestLayer + Math.floor((2 * p) / total), cpuBytes: shape.zeroInit ? p * 16 * gf * buf : p * Math.max(4 * n, 16 * gf) * buf };
  }
  return { gpuBytes: largestLayer + Math.floor((18 * p) / total), cpuBytes: shape.zeroInit ? shape.largestLayerParams * 4 * n * buf : p * 4 * n * buf };
}

export interface ActivationConfig {
  hidden: number;
  layers: number;
  seqLen: number;
  batch: number;
  /** 2 for fp16/bf16 activations. */
  bytesPerElement?: number;
  /** Full activation checkpointing: keep each layer's input, recompute one layer at a time. */
  checkpointing?: boolean;
}

/** Task 4: activation memory of a GPT-style transformer, in bytes. */
export function activationMemory(config: ActivationConfig): number {
  for (const key of ['hidden', 'layers', 'seqLen', 'batch'] as const) positiveInteger(key, config[key]);
  const bytes = config.bytesPerElement ?? 2;
  positive('bytesPerElement', bytes);
  const perLayerInput = config.seqLen * config.batch * config.hidden;
  if (config.checkpointing) return (config.layers + 12) * perLayerInput * bytes;
  return 12 * config.layers * perLayerInput * bytes;
}

export interface Budget {
  gpuMemoryBytes: number;
  stage: Stage;
  optimizerBytesPerParam?: number;
}

/** Task 5: the largest whole number of parameters whose model states fit in one GPU's memory. */
export function largestModel(budget: Budget & { dataParallel: number }): number {
  const k = budget.optimizerBytesPerParam ?? DEFAULT_K;
  positive('gpuMemoryBytes', budget.gpuMemoryBytes);
  positiveInteger('dataParallel', budget.dataParallel);
  checkStage(budget.stage);
  checkK(k);
  const per = perParameter(budget.stage, budget.dataParallel, k);
  let params = Math.floor(budget.gpuMemoryBytes / (per.parameters + per.gradients + per.optimizer));
  // Guard against floating-point rounding at the boundary.
  const fits = (x: number) => modelStateMemory({ parameters: x, dataParallel: budget.dataParallel, stage: budget.stage, optimizerBytesPerParam: k }).total <= budget.gpuMemoryBytes;
  while (params > 0 && !fits(params)) params--;
  while (fits(params + 1)) params++;
  return params;
}

/** Task 5: the fewest GPUs (data-parallel degree) that fit a model, or null when no degree can. */
export function fewestGpus(budget: Budget & { parameters: number }): number | null {
  const k = budget.optimizerBytesPerParam ?? DEFAULT_K;
  positive('gpuMemoryBytes', budget.gpuMemoryBytes);
  positive('parameters', budget.parameters);
  checkStage(budget.stage);
  checkK(k);
  const psi = budget.parameters;
  const m = budget.gpuMemoryBytes;
  const total = (n: number) => modelStateMemory({ parameters: psi, dataParallel: n, stage: budget.stage, optimizerBytesPerParam: k }).total;
  // What never shrinks with N_d: nothing at stage 3, the fp16 parameters at stage 2, parameters and gradients at stage 1.
  const fixed = budget.stage === 3 ? 0 : budget.stage === 2 ? 2 * psi : budget.stage === 1 ? 4 * psi : (4 + k) * psi;
  const sharded = budget.stage === 0 ? 0 : (budget.stage === 3 ? 4 + k : budget.stage === 2 ? 2 + k : k) * psi;
  if (budget.stage === 0) return total(1) <= m ? 1 : null;
  // The unsharded part alone must leave room for the sharded part.
  if (fixed > m || (fixed === m && sharded > 0)) return null;
  let n = Math.max(1, Math.ceil(sharded / (m - fixed)));
  while (total(n) > m) n++;
  while (n > 1 && total(n - 1) <= m) n--;
  return n;
}
