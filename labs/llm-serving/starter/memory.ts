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

/** Task 1: KV heads one GPU keeps under tensor parallelism (see the README for the cases). */
export function kvHeadsPerGpu(kvHeads: number, tensorParallel: number): number {
  // TODO: kvHeads / TP when TP divides kvHeads; 1 (a replicated head) when kvHeads divides TP; otherwise a RangeError.
  throw new Error(`kvHeadsPerGpu is not implemented yet (${kvHeads}, ${tensorParallel})`);
}

/** Task 1: bytes of K and V one token takes on one GPU. */
export function kvBytesPerToken(model: ModelShape, options: KvOptions = {}): number {
  // TODO: 2 (K and V) × layers × KV heads on this GPU × headDim × bytes per element of the dtype (default 'bf16').
  throw new Error(`kvBytesPerToken is not implemented yet (${JSON.stringify(model)}, ${JSON.stringify(options)})`);
}

/** Task 2: blocks a sequence of `tokens` tokens holds. */
export function blocksForTokens(tokens: number, blockSize: number = DEFAULT_BLOCK_SIZE): number {
  // TODO: whole blocks, rounding up.
  throw new Error(`blocksForTokens is not implemented yet (${tokens}, ${blockSize})`);
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
  // TODO: KV = floor(util × total − weights − peak activation − other), or kvCacheMemoryBytes when given;
  // blocks = floor(KV / (blockSize × bytes per token)); fewer than one block is a RangeError.
  throw new Error(`kvCacheCapacity is not implemented yet (${JSON.stringify(options)})`);
}

/** Task 2: how many sequences of `tokens` tokens fit in `numBlocks` blocks at once. */
export function maxConcurrentSequences(numBlocks: number, tokens: number, blockSize: number = DEFAULT_BLOCK_SIZE): number {
  // TODO: every sequence holds whole blocks.
  throw new Error(`maxConcurrentSequences is not implemented yet (${numBlocks}, ${tokens}, ${blockSize})`);
}
