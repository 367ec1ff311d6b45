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

type Check = (value: number) => boolean;
const positiveNumber: Check = (v) => Number.isFinite(v) && v > 0;
const wholeCount: Check = (v) => Number.isInteger(v) && v >= 1;
const atLeastZero: Check = (v) => Number.isFinite(v) && v >= 0;
const knownStage: Check = (v) => [0, 1, 2, 3].includes(v);

/** Throws a RangeError naming the first of `keys` whose value in `fields` fails `ok`. */
function check<T extends object>(fields: T, ok: Check, ...keys: (keyof T & string)[]): void {
  for (const key of keys) if (!ok(fields[key] as number)) throw new RangeError(`${key} is out of range: ${String(fields[key])}`);
}

type State = 'parameters' | 'gradients' | 'optimizer';

/** Bytes per parameter of each state (fp16 weights, fp16 gradients, K of optimizer state) and whether the stage divides it by N_d. */
function layout(stage: Stage, k: number): Record<State, { bytes: number; sharded: boolean }> {
  return {
    parameters: { bytes: 2, sharded: stage >= 3 },
    gradients: { bytes: 2, sharded: stage >= 2 },
    optimizer: { bytes: k, sharded: stage >= 1 },
  };
}

/** Per parameter: the bytes every GPU keeps whole, and the bytes divided by N_d. Per GPU: whole·Ψ + sharded·Ψ / N_d. */
function wholeAndSharded(stage: Stage, k: number): { whole: number; sharded: number } {
  let whole = 0;
  let sharded = 0;
  for (const state of Object.values(layout(stage, k))) {
    if (state.sharded) sharded += state.bytes;
    else whole += state.bytes;
  }
  return { whole, sharded };
}

/** Validates a config with Ψ, N_d, the stage and an optional K; returns K. */
function checkStates(config: { stage: number; optimizerBytesPerParam?: number }): number {
  const k = config.optimizerBytesPerParam ?? DEFAULT_K;
  check(config, knownStage, 'stage');
  check({ optimizerBytesPerParam: k }, atLeastZero, 'optimizerBytesPerParam');
  return k;
}

/** Task 1: per-GPU memory of the model states (parameters, gradients, optimizer states), in bytes. */
export function modelStateMemory(config: ZeroConfig): ModelStateMemory {
  check(config, positiveNumber, 'parameters');
  check(config, wholeCount, 'dataParallel');
  const states = layout(config.stage, checkStates(config));
  const perGpu = (state: State) => (states[state].bytes * config.parameters) / (states[state].sharded ? config.dataParallel : 1);
  const parameters = perGpu('parameters');
  const gradients = perGpu('gradients');
  const optimizer = perGpu('optimizer');
  return { parameters, gradients, optimizer, total: parameters + gradients + optimizer };
}

/** Task 2: decimal gigabytes (10⁹ bytes), the unit of the ZeRO paper. */
export function toGB(bytes: number): number {
  check({ bytes }, atLeastZero, 'bytes');
  return bytes / 1e9;
}

/** Task 2: binary gibibytes (2³⁰ bytes), the unit DeepSpeed's estimator prints as "GB". */
export function toGiB(bytes: number): number {
  check({ bytes }, atLeastZero, 'bytes');
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
  const sized = { ...shape, bufferFactor: shape.bufferFactor ?? 1.5 };
  check(sized, positiveNumber, 'totalParams', 'bufferFactor');
  check(sized, wholeCount, 'gpusPerNode', 'nodes');
  return { p: sized.totalParams, n: sized.gpusPerNode, total: sized.gpusPerNode * sized.nodes, buf: sized.bufferFactor };
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
  check(shape, positiveNumber, 'largestLayerParams');
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
  check(config, wholeCount, 'hidden', 'layers', 'seqLen', 'batch');
  const bytes = config.bytesPerElement ?? 2;
  check({ bytesPerElement: bytes }, positiveNumber, 'bytesPerElement');
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
  check(budget, positiveNumber, 'gpuMemoryBytes');
  check(budget, wholeCount, 'dataParallel');
  const { whole, sharded } = wholeAndSharded(budget.stage, checkStates(budget));
  const n = budget.dataParallel;
  // Ψ fits when whole·Ψ + sharded·Ψ / n ≤ M, that is Ψ ≤ M·n / (whole·n + sharded): whole numbers, so no rounding surprise.
  return Math.floor((budget.gpuMemoryBytes * n) / (whole * n + sharded));
}

/** Task 5: the fewest GPUs (data-parallel degree) that fit a model, or null when no degree can. */
export function fewestGpus(budget: Budget & { parameters: number }): number | null {
  check(budget, positiveNumber, 'gpuMemoryBytes', 'parameters');
  const { whole, sharded } = wholeAndSharded(budget.stage, checkStates(budget));
  // What each GPU has left for the sharded states once the states it keeps whole are in.
  const room = budget.gpuMemoryBytes - whole * budget.parameters;
  // Nothing shrinks with N_d (stage 0, or stage 1 with K = 0): one GPU holds the model or none does.
  if (sharded === 0) return room >= 0 ? 1 : null;
  // sharded·Ψ / N_d only reaches 0 as N_d grows without end, so it needs room that is strictly positive.
  if (room <= 0) return null;
  return Math.ceil((sharded * budget.parameters) / room);
}
