/**
 * ZeRO memory planner. Implement each function; the README gives the formulas and units.
 * Bytes are plain numbers; do not round until you convert units.
 * Invalid input (a non-positive count, a non-integer degree, an unknown stage, NaN) throws a RangeError.
 */

export type Stage = 0 | 1 | 2 | 3;

export interface ZeroConfig {
  /** Ψ: the number of model parameters. */
  parameters: number;
  /** N_d: the data-parallel degree (GPUs the states are sharded over). */
  dataParallel: number;
  /** 0 is plain data parallelism; 1, 2 and 3 are the ZeRO stages. */
  stage: Stage;
  /** K: optimizer-state bytes per parameter. Defaults to 12 (mixed-precision Adam). */
  optimizerBytesPerParam?: number;
}

export interface ModelStateMemory {
  parameters: number;
  gradients: number;
  optimizer: number;
  total: number;
}

/** Task 1: per-GPU memory of the model states, in bytes. */
export function modelStateMemory(config: ZeroConfig): ModelStateMemory {
  // TODO: fp16 parameters and gradients take 2 bytes each per parameter; the optimizer takes K.
  // Stage 1 shards the optimizer states over N_d, stage 2 also the gradients, stage 3 also the parameters.
  throw new Error(`modelStateMemory is not implemented yet (${JSON.stringify(config)})`);
}

/** Task 2: decimal gigabytes (10⁹ bytes), the unit of the ZeRO paper. */
export function toGB(bytes: number): number {
  throw new Error(`toGB is not implemented yet (${bytes})`);
}

/** Task 2: binary gibibytes (2³⁰ bytes), the unit DeepSpeed's estimator prints as "GB". */
export function toGiB(bytes: number): number {
  throw new Error(`toGiB is not implemented yet (${bytes})`);
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

/** Task 3: DeepSpeed's ZeRO-2 estimate, with or without optimizer offload to the CPU. */
export function estimateZero2(shape: ClusterShape & { offloadOptimizer: boolean }): Estimate {
  // TODO: see the README's table; N is the total number of GPUs, n the GPUs per node.
  throw new Error(`estimateZero2 is not implemented yet (${JSON.stringify(shape)})`);
}

/** Task 3: DeepSpeed's ZeRO-3 estimate; the largest layer is gathered whole on one GPU. */
export function estimateZero3(
  shape: ClusterShape & { largestLayerParams: number; offloadOptimizer: boolean; offloadParams: boolean; zeroInit: boolean },
): Estimate {
  throw new Error(`estimateZero3 is not implemented yet (${JSON.stringify(shape)})`);
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
  throw new Error(`activationMemory is not implemented yet (${JSON.stringify(config)})`);
}

export interface Budget {
  gpuMemoryBytes: number;
  stage: Stage;
  optimizerBytesPerParam?: number;
}

/** Task 5: the largest whole number of parameters whose model states fit in one GPU's memory. */
export function largestModel(budget: Budget & { dataParallel: number }): number {
  throw new Error(`largestModel is not implemented yet (${JSON.stringify(budget)})`);
}

/** Task 5: the fewest GPUs (data-parallel degree) that fit the model, or null when no degree can. */
export function fewestGpus(budget: Budget & { parameters: number }): number | null {
  throw new Error(`fewestGpus is not implemented yet (${JSON.stringify(budget)})`);
}
