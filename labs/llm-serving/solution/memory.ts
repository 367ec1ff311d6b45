/**
 * KV-cache memory for LLM serving: bytes per token under grouped-query attention, and the number of paged
 * blocks a GPU holds after the weights. Sizes are bytes, as plain numbers.
 */

export interface ModelShape {
  /** Transformer layers, each with its own K and V cache. */
  layers: number;
  /** KV heads in the whole model: equal to the attention heads for MHA, fewer for GQA, 1 for MQA. */
  kvHeads: number;
  /** Elements per head. */
  headDim: number;
}

export type KvDtype = 'fp32' | 'fp16' | 'bf16' | 'fp8' | 'fp8_e4m3' | 'fp8_e5m2';

export interface KvOptions {
  /** Element type of the cache; defaults to 'bf16'. */
  dtype?: KvDtype;
  /** Tensor-parallel degree; defaults to 1. The result is per GPU. */
  tensorParallel?: number;
}

export const DEFAULT_BLOCK_SIZE = 16;
export const DEFAULT_GPU_MEMORY_UTILIZATION = 0.9;

const DTYPE_BYTES: Record<KvDtype, number> = { fp32: 4, fp16: 2, bf16: 2, fp8: 1, fp8_e4m3: 1, fp8_e5m2: 1 };

function positiveInteger(value: unknown): number {
  if (!Number.isInteger(value) || (value as number) < 1) throw new RangeError(`expected a positive integer, got ${String(value)}`);
  return value as number;
}

function nonNegative(value: unknown): number {
  if (!Number.isFinite(value) || (value as number) < 0) throw new RangeError(`expected a finite number ≥ 0, got ${String(value)}`);
  return value as number;
}

/** KV heads one GPU keeps under tensor parallelism: a share of them, or one replicated head when TP exceeds them. */
export function kvHeadsPerGpu(kvHeads: number, tensorParallel: number): number {
  positiveInteger(kvHeads);
  positiveInteger(tensorParallel);
  if (kvHeads % tensorParallel === 0) return kvHeads / tensorParallel;
  if (tensorParallel % kvHeads === 0) return 1;
  throw new RangeError(`${kvHeads} KV heads cannot be split evenly over ${tensorParallel} GPUs`);
}

/** Task 1: bytes of K and V one token takes on one GPU. */
export function kvBytesPerToken(model: ModelShape, options: KvOptions = {}): number {
  const layers = positiveInteger(model.layers);
  const headDim = positiveInteger(model.headDim);
  const heads = kvHeadsPerGpu(model.kvHeads, options.tensorParallel ?? 1);
  const dtype = options.dtype ?? 'bf16';
  if (!Object.hasOwn(DTYPE_BYTES, dtype)) throw new RangeError(`unknown KV dtype ${String(dtype)}`);
  return 2 * layers * heads * headDim * DTYPE_BYTES[dtype];
}

/** Task 2: blocks a sequence of `tokens` tokens holds. */
export function blocksForTokens(tokens: number, blockSize: number = DEFAULT_BLOCK_SIZE): number {
  positiveInteger(blockSize);
  if (!Number.isInteger(tokens) || tokens < 0) throw new RangeError(`tokens must be an integer ≥ 0, got ${tokens}`);
  return Math.ceil(tokens / blockSize);
}

export interface CapacityOptions extends KvOptions {
  model: ModelShape;
  /** Tokens per block; defaults to 16. */
  blockSize?: number;
  /** Total memory of one GPU. */
  totalBytes?: number;
  /** Weights held by that GPU. */
  weightsBytes?: number;
  /** Peak activation memory found by the profiling run. */
  peakActivationBytes?: number;
  /** Non-torch overhead (CUDA context, NCCL buffers…); defaults to 0. */
  otherBytes?: number;
  /** Fraction of the GPU this instance may use, in (0, 1]; defaults to 0.9. */
  gpuMemoryUtilization?: number;
  /** When set, the KV cache gets exactly this many bytes and the memory fields above are not used. */
  kvCacheMemoryBytes?: number;
}

export interface Capacity {
  bytesPerToken: number;
  blockBytes: number;
  kvBytes: number;
  numBlocks: number;
  tokenSlots: number;
}

/** Task 2: the KV memory left on one GPU and the number of blocks it holds. */
export function kvCacheCapacity(options: CapacityOptions): Capacity {
  const blockSize = positiveInteger(options.blockSize ?? DEFAULT_BLOCK_SIZE);
  const bytesPerToken = kvBytesPerToken(options.model, options);
  const blockBytes = bytesPerToken * blockSize;
  let kvBytes: number;
  if (options.kvCacheMemoryBytes !== undefined) {
    kvBytes = nonNegative(options.kvCacheMemoryBytes);
  } else {
    const util = options.gpuMemoryUtilization ?? DEFAULT_GPU_MEMORY_UTILIZATION;
    // A utilisation of 0 or below leaves no memory, which the block check below refuses; NaN fails this test.
    if (!(util <= 1)) throw new RangeError(`gpuMemoryUtilization must be in (0, 1], got ${String(util)}`);
    const total = nonNegative(options.totalBytes);
    const weights = nonNegative(options.weightsBytes);
    const activation = nonNegative(options.peakActivationBytes);
    const other = nonNegative(options.otherBytes ?? 0);
    kvBytes = Math.floor(util * total - weights - activation - other);
  }
  const numBlocks = Math.floor(kvBytes / blockBytes);
  if (numBlocks < 1) throw new RangeError(`no room for a single KV block: ${kvBytes} bytes left, a block takes ${blockBytes}`);
  return { bytesPerToken, blockBytes, kvBytes, numBlocks, tokenSlots: numBlocks * blockSize };
}

/** Task 2: how many sequences of `tokens` tokens fit in `numBlocks` blocks at once. */
export function maxConcurrentSequences(numBlocks: number, tokens: number, blockSize: number = DEFAULT_BLOCK_SIZE): number {
  if (!Number.isInteger(numBlocks) || numBlocks < 0) throw new RangeError(`numBlocks must be an integer ≥ 0, got ${numBlocks}`);
  positiveInteger(tokens);
  return Math.floor(numBlocks / blocksForTokens(tokens, blockSize));
}
