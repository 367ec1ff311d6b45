/**
 * Reference solution for the quantization lab: int8/uint8 affine quantization with ONNX semantics
 * (QuantizeLinear, DequantizeLinear) and ONNX Runtime's rules for choosing scales and zero points, then
 * weight-only int8 quantization of the lab's MLP, run in QDQ form with onnxruntime-node.
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
  /** Set (normalised to 0..rank-1) for per-channel parameters only. */
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

/** Integer grids: the full range for asymmetric, ONNX Runtime's restricted range for symmetric. */
const FULL_RANGE: Record<QuantType, [number, number]> = { int8: [-128, 127], uint8: [0, 255] };
const SYMMETRIC_RANGE: Record<QuantType, [number, number]> = { int8: [-127, 127], uint8: [0, 254] };
/** The smallest positive normal float32; a smaller scale is replaced by 1 (zero point 0). */
const FLOAT32_TINY = 2 ** -126;

function checkDtype(dtype: unknown): asserts dtype is QuantType {
  if (dtype !== 'int8' && dtype !== 'uint8') throw new RangeError(`dtype must be 'int8' or 'uint8', got ${String(dtype)}`);
}

/** Round to the nearest integer, ties to the even neighbour (QuantizeLinear's rounding). */
function roundHalfEven(v: number): number {
  if (!Number.isFinite(v)) return v;
  const floor = Math.floor(v);
  const diff = v - floor;
  if (diff > 0.5) return floor + 1;
  if (diff < 0.5) return floor;
  return floor % 2 === 0 ? floor : floor + 1;
}

/** Number of elements of a shape, checking every dimension. */
function shapeSize(shape: readonly number[]): number {
  let size = 1;
  for (const d of shape) {
    if (!Number.isInteger(d) || d < 1) throw new RangeError(`shape dimensions must be positive integers, got [${shape.join(', ')}]`);
    size *= d;
  }
  return size;
}

/** Per-channel layout: values are [outer, channels, inner] around the axis. */
interface Layout {
  channels: number;
  inner: number;
}

function layoutOf(length: number, axis: number | undefined, shape: readonly number[] | undefined): { axis?: number; shape?: number[]; layout?: Layout } {
  if (axis === undefined) {
    if (shape !== undefined && shapeSize(shape) !== length) throw new RangeError(`shape [${shape.join(', ')}] does not hold ${length} values`);
    return {};
  }
  if (shape === undefined) throw new RangeError('per-channel quantization needs the shape of the values');
  if (shapeSize(shape) !== length) throw new RangeError(`shape [${shape.join(', ')}] does not hold ${length} values`);
  if (!Number.isInteger(axis) || axis < -shape.length || axis >= shape.length) throw new RangeError(`axis ${axis} is out of range for a rank-${shape.length} shape`);
  const a = axis < 0 ? axis + shape.length : axis;
  const inner = shape.slice(a + 1).reduce((p, d) => p * d, 1);
  return { axis: a, shape: [...shape], layout: { channels: shape[a], inner } };
}

/** Scale and zero point of one range, following ONNX Runtime's compute_scale_zp. */
function rangeToParams(min: number, max: number, scheme: Scheme, dtype: QuantType): { scale: number; zeroPoint: number } {
  // Zero must be exactly representable, so the range always contains it.
  let rmin = Math.min(min, 0);
  let rmax = Math.max(max, 0);
  const [qmin, qmax] = scheme === 'symmetric' ? SYMMETRIC_RANGE[dtype] : FULL_RANGE[dtype];
  if (scheme === 'symmetric') {
    const absMax = Math.max(-rmin, rmax);
    rmin = -absMax;
    rmax = absMax;
  }
  // The range is a float32 difference, the division is done in double, the scale is stored as float32.
  const scale = Math.fround(rmax - rmin) / (qmax - qmin);
  if (scale < FLOAT32_TINY) return { scale: 1, zeroPoint: 0 };
  if (scheme === 'symmetric') return { scale: Math.fround(scale), zeroPoint: roundHalfEven((qmin + qmax) / 2) };
  const zeroPoint = Math.min(qmax, Math.max(qmin, roundHalfEven(qmin - rmin / scale)));
  return { scale: Math.fround(scale), zeroPoint };
}

/**
 * Task 1: the scale and zero point of a tensor, per tensor or per channel along `axis`.
 * Throws a RangeError on empty or non-finite values and on a shape or axis that does not fit.
 */
export function computeQParams(values: ArrayLike<number>, options: QParamsOptions): QParams {
  const { scheme, dtype } = options;
  if (scheme !== 'symmetric' && scheme !== 'asymmetric') throw new RangeError(`scheme must be 'symmetric' or 'asymmetric', got ${String(scheme)}`);
  checkDtype(dtype);
  if (values.length === 0) throw new RangeError('cannot choose a scale for an empty tensor');
  const { axis, shape, layout } = layoutOf(values.length, options.axis, options.shape);
  const channels = layout?.channels ?? 1;
  const inner = layout?.inner ?? values.length;
  const mins = new Array<number>(channels).fill(Infinity);
  const maxs = new Array<number>(channels).fill(-Infinity);
  for (let i = 0; i < values.length; i++) {
    const v = Math.fround(values[i]);
    if (!Number.isFinite(v)) throw new RangeError(`value ${i} is ${values[i]}; only finite values can be quantized`);
    const c = layout ? Math.floor(i / inner) % channels : 0;
    if (v < mins[c]) mins[c] = v;
    if (v > maxs[c]) maxs[c] = v;
  }
  const params = mins.map((min, c) => rangeToParams(min, maxs[c], scheme, dtype));
  const result: QParams = { dtype, scale: params.map((p) => p.scale), zeroPoint: params.map((p) => p.zeroPoint) };
  if (axis !== undefined) {
    result.axis = axis;
    result.shape = shape;
  }
  return result;
}

/** Checks params and returns, for element i, the index of its scale and zero point. */
function channelIndexer(length: number, params: QParams): (i: number) => number {
  checkDtype(params.dtype);
  const count = params.scale.length;
  if (count === 0 || params.zeroPoint.length !== count) throw new RangeError(`${count} scales and ${params.zeroPoint.length} zero points`);
  const [qmin, qmax] = FULL_RANGE[params.dtype];
  params.scale.forEach((s) => {
    if (!(Number.isFinite(s) && s > 0)) throw new RangeError(`scale ${s} must be positive and finite`);
  });
  params.zeroPoint.forEach((z) => {
    if (!Number.isInteger(z) || z < qmin || z > qmax) throw new RangeError(`zero point ${z} is not a ${params.dtype} value`);
  });
  const { layout } = layoutOf(length, params.axis, params.axis === undefined ? undefined : params.shape);
  if (!layout) {
    if (count !== 1) throw new RangeError(`per-tensor parameters have one scale, got ${count}`);
    return () => 0;
  }
  if (layout.channels !== count) throw new RangeError(`${count} scales for an axis of size ${layout.channels}`);
  return (i) => Math.floor(i / layout.inner) % layout.channels;
}

/**
 * Task 2: QuantizeLinear. q = saturate(roundHalfEven(x / scale) + zeroPoint), with x and the quotient in
 * float32 as ONNX Runtime computes them; ±Infinity saturates. Int8Array for int8, Uint8Array for uint8.
 */
export function quantize(values: ArrayLike<number>, params: QParams): Int8Array | Uint8Array {
  const channel = channelIndexer(values.length, params);
  const [qmin, qmax] = FULL_RANGE[params.dtype];
  const out = params.dtype === 'int8' ? new Int8Array(values.length) : new Uint8Array(values.length);
  for (let i = 0; i < values.length; i++) {
    if (Number.isNaN(values[i])) throw new RangeError(`value ${i} is NaN, which has no quantized value`);
    const c = channel(i);
    const ratio = Math.fround(Math.fround(values[i]) / params.scale[c]);
    const q = roundHalfEven(ratio) + params.zeroPoint[c];
    out[i] = Math.min(qmax, Math.max(qmin, q));
  }
  return out;
}

/** Task 2: DequantizeLinear. x = (q − zeroPoint) · scale, rounded to float32. */
export function dequantize(q: ArrayLike<number>, params: QParams): Float32Array {
  const channel = channelIndexer(q.length, params);
  const out = new Float32Array(q.length);
  for (let i = 0; i < q.length; i++) {
    const c = channel(i);
    out[i] = (q[i] - params.zeroPoint[c]) * params.scale[c];
  }
  return out;
}

function checkPair(a: ArrayLike<number>, b: ArrayLike<number>): void {
  if (a.length !== b.length) throw new RangeError(`arrays of different lengths: ${a.length} and ${b.length}`);
  if (a.length === 0) throw new RangeError('the arrays are empty');
}

/** Task 3: mean squared error between the original a and the reconstruction b. */
export function mse(a: ArrayLike<number>, b: ArrayLike<number>): number {
  checkPair(a, b);
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += (a[i] - b[i]) ** 2;
  return sum / a.length;
}

/** Task 3: signal-to-quantization-noise ratio in dB, 10·log10(Σa² / Σ(a − b)²); Infinity when b equals a. */
export function sqnr(a: ArrayLike<number>, b: ArrayLike<number>): number {
  checkPair(a, b);
  let signal = 0;
  let noise = 0;
  for (let i = 0; i < a.length; i++) {
    signal += a[i] ** 2;
    noise += (a[i] - b[i]) ** 2;
  }
  if (noise === 0) return Infinity;
  return 10 * Math.log10(signal / noise);
}

function findTensor(weights: WeightsFile, name: string): WeightsFile['tensors'][number] {
  const tensor = weights.tensors.find((t) => t.name === name);
  if (!tensor) throw new RangeError(`weights has no tensor named ${name}`);
  return tensor;
}

/** Task 4: int8 weights (per output channel by default), float32 biases, in the order of weights.layers. */
export function quantizeModel(weights: WeightsFile, options: QuantizeModelOptions = {}): QuantizedModel {
  const scheme = options.scheme ?? 'symmetric';
  const perChannel = options.perChannel ?? true;
  const quantized: QuantizedWeight[] = [];
  const biases: FloatTensor[] = [];
  for (const layer of weights.layers) {
    const w = findTensor(weights, layer.weight);
    if (w.shape.length !== 2) throw new RangeError(`${w.name} must be a matrix [in, out], got [${w.shape.join(', ')}]`);
    const params = computeQParams(w.values, perChannel ? { scheme, dtype: 'int8', axis: 1, shape: w.shape } : { scheme, dtype: 'int8' });
    quantized.push({ name: w.name, shape: [...w.shape], values: quantize(w.values, params) as Int8Array, params });
    const b = findTensor(weights, layer.bias);
    biases.push({ name: b.name, shape: [...b.shape], values: Float32Array.from(b.values) });
  }
  return { weights: quantized, biases };
}

/*
 * Serialized layout, little-endian: "QNT1", a uint32 header length, a UTF-8 JSON header (names, shapes,
 * dtype, axis, counts), then per weight its int8 values, float32 scales and int8 zero points, then per
 * bias its float32 values. Only the JSON header is overhead; the data is one byte per weight.
 */
const MAGIC = 'QNT1';

interface Header {
  weights: { name: string; shape: number[]; axis?: number; channels: number }[];
  biases: { name: string; shape: number[] }[];
}

/** Task 4: a compact binary form of a quantized model. */
export function serialize(model: QuantizedModel): Uint8Array {
  const header: Header = {
    weights: model.weights.map((w) => {
      if (w.params.dtype !== 'int8') throw new RangeError(`${w.name}: only int8 weights are serialized`);
      return { name: w.name, shape: w.shape, axis: w.params.axis, channels: w.params.scale.length };
    }),
    biases: model.biases.map((b) => ({ name: b.name, shape: b.shape })),
  };
  const headerBytes = new TextEncoder().encode(JSON.stringify(header));
  let size = 8 + headerBytes.length;
  for (const w of model.weights) size += w.values.length + 5 * w.params.scale.length;
  for (const b of model.biases) size += 4 * b.values.length;
  const bytes = new Uint8Array(size);
  const view = new DataView(bytes.buffer);
  bytes.set(new TextEncoder().encode(MAGIC), 0);
  view.setUint32(4, headerBytes.length, true);
  bytes.set(headerBytes, 8);
  let offset = 8 + headerBytes.length;
  for (const w of model.weights) {
    for (const v of w.values) view.setInt8(offset++, v);
    for (const s of w.params.scale) {
      view.setFloat32(offset, s, true);
      offset += 4;
    }
    for (const z of w.params.zeroPoint) view.setInt8(offset++, z);
  }
  for (const b of model.biases) {
    for (const v of b.values) {
      view.setFloat32(offset, v, true);
      offset += 4;
    }
  }
  return bytes;
}

/** Task 4: the inverse of serialize. */
export function deserialize(bytes: Uint8Array): QuantizedModel {
  if (bytes.length < 8 || new TextDecoder().decode(bytes.subarray(0, 4)) !== MAGIC) throw new RangeError('not a serialized quantized model');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = view.getUint32(4, true);
  const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + headerLength))) as Header;
  let offset = 8 + headerLength;
  const weights = header.weights.map((h): QuantizedWeight => {
    const count = shapeSize(h.shape);
    const values = new Int8Array(count);
    for (let i = 0; i < count; i++) values[i] = view.getInt8(offset++);
    const scale: number[] = [];
    for (let c = 0; c < h.channels; c++, offset += 4) scale.push(view.getFloat32(offset, true));
    const zeroPoint: number[] = [];
    for (let c = 0; c < h.channels; c++) zeroPoint.push(view.getInt8(offset++));
    const params: QParams = { dtype: 'int8', scale, zeroPoint };
    if (h.axis !== undefined) {
      params.axis = h.axis;
      params.shape = [...h.shape];
    }
    return { name: h.name, shape: h.shape, values, params };
  });
  const biases = header.biases.map((h): FloatTensor => {
    const values = new Float32Array(shapeSize(h.shape));
    for (let i = 0; i < values.length; i++, offset += 4) values[i] = view.getFloat32(offset, true);
    return { name: h.name, shape: h.shape, values };
  });
  if (offset !== bytes.length) throw new RangeError(`${bytes.length - offset} unexpected trailing bytes`);
  return { weights, biases };
}

/** Task 4: how much smaller the serialized model is than the float32 weights. */
export function sizeReport(weights: WeightsFile, model: QuantizedModel): SizeReport {
  const floatBytes = 4 * weights.tensors.reduce((n, t) => n + t.values.length, 0);
  const quantizedBytes = serialize(model).byteLength;
  return { floatBytes, quantizedBytes, ratio: floatBytes / quantizedBytes };
}

/**
 * Task 5: the inputs of assets/qdq_model.onnx for a quantized model (all but the features): for each
 * weight W, W_quantized int8 [in, out], W_scale float32 ([] per tensor, [out] per channel) and
 * W_zero_point int8 of the same shape as the scale.
 */
export function qdqFeeds(model: QuantizedModel): Record<string, ort.Tensor> {
  const feeds: Record<string, ort.Tensor> = {};
  for (const w of model.weights) {
    if (w.params.dtype !== 'int8') throw new RangeError(`${w.name}: the QDQ model takes int8 weights`);
    const perChannel = w.params.axis !== undefined;
    if (perChannel && (w.params.axis !== 1 || w.params.scale.length !== w.shape[1])) throw new RangeError(`${w.name}: per-channel parameters must be along axis 1 (output channels)`);
    const dims = perChannel ? [w.params.scale.length] : [];
    feeds[`${w.name}_quantized`] = new ort.Tensor('int8', Int8Array.from(w.values), w.shape);
    feeds[`${w.name}_scale`] = new ort.Tensor('float32', Float32Array.from(w.params.scale), dims);
    feeds[`${w.name}_zero_point`] = new ort.Tensor('int8', Int8Array.from(w.params.zeroPoint), dims);
  }
  return feeds;
}

function argmaxRows(logits: Float32Array, rows: number, width: number): number[] {
  const out: number[] = [];
  for (let r = 0; r < rows; r++) {
    let best = 0;
    for (let c = 1; c < width; c++) if (logits[r * width + c] > logits[r * width + best]) best = c;
    out.push(best);
  }
  return out;
}

/**
 * Task 5: runs the float model and the QDQ model (with the quantized weights fed as inputs) on the whole
 * held-out set and compares their accuracy and predictions.
 */
export async function compareOnHeldout(
  floatSession: ort.InferenceSession,
  qdqSession: ort.InferenceSession,
  model: QuantizedModel,
  heldout: Heldout,
): Promise<HeldoutComparison> {
  const rows = heldout.features.length;
  if (rows === 0 || heldout.labels.length !== rows) throw new RangeError(`${rows} feature rows and ${heldout.labels.length} labels`);
  const x = new Float32Array(rows * heldout.numFeatures);
  heldout.features.forEach((row, r) => x.set(row, r * heldout.numFeatures));
  const input = new ort.Tensor('float32', x, [rows, heldout.numFeatures]);
  const predict = async (session: ort.InferenceSession, extra: Record<string, ort.Tensor>): Promise<number[]> => {
    const out = await session.run({ [heldout.inputName]: input, ...extra });
    return argmaxRows(out[heldout.outputName].data as Float32Array, rows, heldout.numClasses);
  };
  const floatPredictions = await predict(floatSession, {});
  const quantizedPredictions = await predict(qdqSession, qdqFeeds(model));
  const hits = (predictions: number[]) => predictions.filter((p, i) => p === heldout.labels[i]).length / rows;
  const floatAccuracy = hits(floatPredictions);
  const quantizedAccuracy = hits(quantizedPredictions);
  const agreement = floatPredictions.filter((p, i) => p === quantizedPredictions[i]).length / rows;
  return { floatAccuracy, quantizedAccuracy, accuracyDrop: floatAccuracy - quantizedAccuracy, agreement };
}
