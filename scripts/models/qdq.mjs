// QDQ (weight-only) quantization of an ONNX model: each chosen float initializer W is replaced by
// an int8 initializer W_quantized, a scale W_scale and a zero point W_zero_point, and a
// DequantizeLinear node rebuilds W (y = (x − zero_point) · scale, LAB_FACTS §2.1) in front of the
// operators that used it. The operators themselves are unchanged; the file stores 1 byte per weight.
import { onnx, DataType, decodeModel, encodeModel, floatTensor, int8Tensor, node, intAttribute, buildMlpModel } from './onnx.mjs';

export const INT8_MIN = -128;
export const INT8_MAX = 127;

/** Round half to even, as QuantizeLinear does (JavaScript's Math.round sends halves toward +∞). */
export function roundHalfEven(v) {
  const r = Math.round(v);
  return Math.abs(v % 1) === 0.5 ? 2 * Math.round(v / 2) : r;
}

/**
 * Symmetric per-tensor int8 quantization: scale = max|w| / 127 (as float32), zero point 0,
 * q = saturate(roundHalfEven(w / scale)) to [−128, 127], the division done in float32 like
 * QuantizeLinear. An all-zero tensor gets scale 1.
 */
export function quantizeSymmetricInt8(values) {
  let absMax = 0;
  for (const v of values) absMax = Math.max(absMax, Math.abs(v));
  const scale = absMax > 0 ? Math.fround(absMax / INT8_MAX) : 1;
  const q = new Int8Array(values.length);
  for (let i = 0; i < values.length; i++) {
    q[i] = Math.min(INT8_MAX, Math.max(INT8_MIN, roundHalfEven(Math.fround(values[i] / scale))));
  }
  return { scale, zeroPoint: 0, values: q };
}

/**
 * Symmetric int8 quantization of a row-major [rows, columns] matrix with one scale per column
 * (axis 1, the output channels of a MatMul weight): scale[c] = max over the column of |w| / 127.
 */
export function quantizeSymmetricInt8PerColumn(values, rows, columns) {
  if (values.length !== rows * columns) throw new Error(`quantizeSymmetricInt8PerColumn: ${values.length} values for [${rows}, ${columns}]`);
  const scale = new Array(columns).fill(0);
  for (let i = 0; i < values.length; i++) scale[i % columns] = Math.max(scale[i % columns], Math.abs(values[i]));
  for (let c = 0; c < columns; c++) scale[c] = scale[c] > 0 ? Math.fround(scale[c] / INT8_MAX) : 1;
  const q = new Int8Array(values.length);
  for (let i = 0; i < values.length; i++) {
    q[i] = Math.min(INT8_MAX, Math.max(INT8_MIN, roundHalfEven(Math.fround(values[i] / scale[i % columns]))));
  }
  return { scale, zeroPoint: scale.map(() => 0), axis: 1, values: q };
}

/**
 * (q − zero_point) · scale in float32, the value DequantizeLinear produces. A per-column entry
 * (scale an array, axis 1 of a row-major matrix) uses the scale and zero point of each value's column.
 */
export function dequantize({ values, scale, zeroPoint = 0 }) {
  if (Array.isArray(scale)) {
    const zeroPoints = Array.isArray(zeroPoint) ? zeroPoint : scale.map(() => zeroPoint);
    return Float32Array.from(values, (q, i) => Math.fround((q - zeroPoints[i % scale.length]) * scale[i % scale.length]));
  }
  return Float32Array.from(values, (q) => Math.fround((q - zeroPoint) * scale));
}

/**
 * Builds the QDQ model.
 *
 * source: the float model's bytes (Uint8Array, Buffer or ArrayBuffer), or a weights description as
 *   in weights.json ({ input, output, layers, tensors }), which is first built into the float MLP.
 * quantizedTensors: an array of { name, values, scale, zeroPoint?, axis? }, or an object keyed by
 *   initializer name with { values, scale, zeroPoint?, axis? }. values are integers in [−128, 127]
 *   in the initializer's row-major order. scale (and zeroPoint, default 0) is a number for
 *   per-tensor quantization, or an array with one entry per slice along axis (default 1) for
 *   per-axis quantization (opset 13 or later).
 *
 * Returns the encoded ModelProto as a Uint8Array. Throws with a message naming the tensor when an
 * entry does not fit the model.
 */
export function buildQdqModel(source, quantizedTensors) {
  const bytes = source instanceof ArrayBuffer ? new Uint8Array(source) : source;
  const model = bytes instanceof Uint8Array ? decodeModel(bytes) : decodeModel(buildMlpModel(source));
  const entries = Array.isArray(quantizedTensors) ? quantizedTensors : Object.entries(quantizedTensors).map(([name, q]) => ({ name, ...q }));
  if (entries.length === 0) throw new Error('buildQdqModel: no tensors to quantize');
  const opset = model.opsetImport.find((o) => !o.domain)?.version;
  const opsetVersion = opset === undefined ? 0 : Number(opset);
  if (opsetVersion < 10) throw new Error(`buildQdqModel: DequantizeLinear needs opset 10 or later, the model has ${opsetVersion}`);
  const graph = model.graph;
  const seen = new Set();
  const dqNodes = [];
  for (const entry of entries) {
    const { name } = entry;
    if (seen.has(name)) throw new Error(`buildQdqModel: ${name} is listed twice`);
    seen.add(name);
    const index = graph.initializer.findIndex((t) => t.name === name);
    if (index < 0) throw new Error(`buildQdqModel: the model has no initializer named ${name}`);
    const original = graph.initializer[index];
    if (original.dataType !== DataType.FLOAT) throw new Error(`buildQdqModel: ${name} is not a float tensor`);
    const dims = original.dims.map(Number);
    const size = dims.reduce((a, b) => a * b, 1);
    const values = Array.from(entry.values ?? []);
    if (values.length !== size)
      throw new Error(`buildQdqModel: ${name} has shape [${dims.join(', ')}] (${size} values), got ${values.length} quantized values`);
    values.forEach((v, i) => {
      if (!Number.isInteger(v) || v < INT8_MIN || v > INT8_MAX) throw new Error(`buildQdqModel: ${name}[${i}] = ${v} is not an int8 value`);
    });
    const perAxis = Array.isArray(entry.scale) || ArrayBuffer.isView(entry.scale);
    const scales = perAxis ? Array.from(entry.scale) : [entry.scale];
    const zeroPoints = entry.zeroPoint === undefined ? scales.map(() => 0) : perAxis ? Array.from(entry.zeroPoint) : [entry.zeroPoint];
    let attributes = [];
    if (perAxis) {
      if (opsetVersion < 13) throw new Error(`buildQdqModel: per-axis ${name} needs opset 13 or later`);
      const rawAxis = entry.axis ?? 1;
      const axis = rawAxis < 0 ? rawAxis + dims.length : rawAxis;
      if (!(axis >= 0 && axis < dims.length)) throw new Error(`buildQdqModel: ${name}: axis ${rawAxis} is out of range for rank ${dims.length}`);
      if (scales.length !== dims[axis]) throw new Error(`buildQdqModel: ${name}: ${scales.length} scales for axis ${axis} of size ${dims[axis]}`);
      attributes = [intAttribute('axis', axis)];
    }
    if (zeroPoints.length !== scales.length) throw new Error(`buildQdqModel: ${name}: ${zeroPoints.length} zero points for ${scales.length} scales`);
    scales.forEach((s) => {
      if (!(Number.isFinite(s) && s > 0)) throw new Error(`buildQdqModel: ${name}: scale ${s} must be a positive finite number`);
    });
    zeroPoints.forEach((z) => {
      if (!Number.isInteger(z) || z < INT8_MIN || z > INT8_MAX) throw new Error(`buildQdqModel: ${name}: zero point ${z} is not an int8 value`);
    });
    const scaleDims = perAxis ? [scales.length] : [];
    const qName = `${name}_quantized`;
    const sName = `${name}_scale`;
    const zName = `${name}_zero_point`;
    graph.initializer.splice(index, 1, int8Tensor(qName, dims, values), floatTensor(sName, scaleDims, scales), int8Tensor(zName, scaleDims, zeroPoints));
    // An initializer that older IR versions also list as a graph input stops being one.
    graph.input = graph.input.filter((i) => i.name !== name);
    dqNodes.push(node('DequantizeLinear', [qName, sName, zName], [name], `${name}/DequantizeLinear`, attributes));
  }
  graph.node = [...dqNodes, ...graph.node];
  model.metadataProps = [
    ...model.metadataProps,
    onnx.StringStringEntryProto.create({ key: 'quantization', value: `QDQ int8 weights: ${entries.map((e) => e.name).join(', ')}` }),
  ];
  return encodeModel(model);
}
