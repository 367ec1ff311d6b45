/**
 * Int8 quantization, graded against ONNX Runtime's own QuantizeLinear / DequantizeLinear.
 * Implement each function; the README gives the formulas, the rounding rule and the size budget.
 * Invalid input (an empty tensor, NaN, a shape that does not hold the values, an unknown option) throws a RangeError.
 */
import * as ort from 'onnxruntime-node';

export type Scheme = 'symmetric' | 'asymmetric';
export type QuantType = 'int8' | 'uint8';

export interface QParamsOptions {
  scheme: Scheme;
  dtype: QuantType;
  /** Per-channel: the axis of `shape` whose every index gets its own scale and zero point. Omit for per-tensor. */
  axis?: number;
  /** Row-major shape of the values; required with `axis`. */
  shape?: readonly number[];
}

export interface QParams {
  dtype: QuantType;
  /** float32 scales: one for per-tensor, one per index along `axis` for per-channel. */
  scale: number[];
  /** Integer zero points inside the dtype's range, as many as scales. */
  zeroPoint: number[];
  /** Set (0..rank-1) for per-channel parameters only. */
  axis?: number;
  /** The shape the per-channel parameters were computed for. */
  shape?: number[];
}

export interface FloatTensor {
  name: string;
  shape: number[];
  values: Float32Array;
}

export interface QuantizedWeight {
  name: string;
  /** [in, out], as in weights.json. */
  shape: number[];
  values: Int8Array;
  params: QParams;
}

export interface QuantizedModel {
  weights: QuantizedWeight[];
  biases: FloatTensor[];
}

/** The parts of assets/weights.json this module reads. */
export interface WeightsFile {
  input: { name: string; shape: (string | number)[] };
  output: { name: string; shape: (string | number)[] };
  layers: { weight: string; bias: string; activation: string }[];
  tensors: { name: string; shape: number[]; values: number[] }[];
}

/** The parts of assets/heldout.json this module reads. */
export interface Heldout {
  inputName: string;
  outputName: string;
  numFeatures: number;
  numClasses: number;
  features: number[][];
  labels: number[];
}

export interface QuantizeModelOptions {
  /** Defaults to 'symmetric' (zero point 0), ONNX Runtime's default for weights. */
  scheme?: Scheme;
  /** One scale per output channel (axis 1 of [in, out]); defaults to true. */
  perChannel?: boolean;
}

export interface SizeReport {
  /** 4 bytes per value of every tensor in weights.json (weights and biases). */
  floatBytes: number;
  /** serialize(model).byteLength. */
  quantizedBytes: number;
  /** floatBytes / quantizedBytes. */
  ratio: number;
}

export interface HeldoutComparison {
  floatAccuracy: number;
  quantizedAccuracy: number;
  /** floatAccuracy − quantizedAccuracy, as a fraction (0.01 is one percentage point). */
  accuracyDrop: number;
  /** Fraction of rows where both models predict the same class. */
  agreement: number;
}

/**
 * Task 1: the scale and zero point of a tensor, per tensor or per channel along `options.axis`.
 * TODO: widen [min, max] to contain 0; symmetric uses ±max|x| on [-127, 127] (int8) or [0, 254] (uint8);
 * asymmetric uses [min, max] on the full range; scales are float32; a scale under 2^-126 becomes 1 (zero point 0).
 */
export function computeQParams(values: ArrayLike<number>, options: QParamsOptions): QParams {
  throw new Error(`computeQParams is not implemented yet (${values.length} values, ${JSON.stringify(options)})`);
}

/**
 * Task 2: QuantizeLinear, q = saturate(roundHalfEven(x / scale) + zeroPoint), the division in float32.
 * Returns an Int8Array for int8 and a Uint8Array for uint8.
 */
export function quantize(values: ArrayLike<number>, params: QParams): Int8Array | Uint8Array {
  // TODO: Math.round is not round-half-to-even; clamp before storing (typed arrays wrap around, they do not saturate).
  throw new Error(`quantize is not implemented yet (${values.length} values, ${JSON.stringify(params)})`);
}

/** Task 2: DequantizeLinear, x = (q − zeroPoint) · scale as float32. */
export function dequantize(q: ArrayLike<number>, params: QParams): Float32Array {
  throw new Error(`dequantize is not implemented yet (${q.length} values, ${JSON.stringify(params)})`);
}

/** Task 3: mean squared error between the original a and the reconstruction b. */
export function mse(a: ArrayLike<number>, b: ArrayLike<number>): number {
  throw new Error(`mse is not implemented yet (${a.length} and ${b.length} values)`);
}

/** Task 3: signal-to-quantization-noise ratio in dB, 10·log10(Σa² / Σ(a − b)²); Infinity for an exact copy. */
export function sqnr(a: ArrayLike<number>, b: ArrayLike<number>): number {
  throw new Error(`sqnr is not implemented yet (${a.length} and ${b.length} values)`);
}

/** Task 4: int8 weights (per output channel by default), float32 biases, in the order of weights.layers. */
export function quantizeModel(weights: WeightsFile, options: QuantizeModelOptions = {}): QuantizedModel {
  throw new Error(`quantizeModel is not implemented yet (${weights.layers.length} layers, ${JSON.stringify(options)})`);
}

/** Task 4: a compact binary form of a quantized model (your format; deserialize must read it back exactly). */
export function serialize(model: QuantizedModel): Uint8Array {
  throw new Error(`serialize is not implemented yet (${model.weights.length} weights)`);
}

/** Task 4: the inverse of serialize. */
export function deserialize(bytes: Uint8Array): QuantizedModel {
  throw new Error(`deserialize is not implemented yet (${bytes.length} bytes)`);
}

/** Task 4: float32 bytes of weights.json against serialize(model).byteLength. */
export function sizeReport(weights: WeightsFile, model: QuantizedModel): SizeReport {
  throw new Error(`sizeReport is not implemented yet (${weights.tensors.length} tensors, ${model.weights.length} weights)`);
}

/**
 * Task 5: the inputs of assets/qdq_model.onnx other than the features: for each weight W,
 * W_quantized int8 [in, out], W_scale float32 ([] per tensor, [out] per channel), W_zero_point int8 (dims of W_scale).
 */
export function qdqFeeds(model: QuantizedModel): Record<string, ort.Tensor> {
  throw new Error(`qdqFeeds is not implemented yet (${model.weights.length} weights)`);
}

/** Task 5: run both models on the whole held-out set and compare accuracy and predictions. */
export async function compareOnHeldout(
  floatSession: ort.InferenceSession,
  qdqSession: ort.InferenceSession,
  model: QuantizedModel,
  heldout: Heldout,
): Promise<HeldoutComparison> {
  // TODO: features as one float32 tensor [N, numFeatures]; the prediction of a row is the argmax of its logits.
  throw new Error(`compareOnHeldout is not implemented yet (${floatSession.inputNames}, ${qdqSession.inputNames.length} inputs, ${model.weights.length} weights, ${heldout.labels.length} rows)`);
}
