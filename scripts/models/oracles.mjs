// Small ONNX models for the quantization lab's tests. onnx-proto is not available inside the grader,
// only onnxruntime-node, so the tests cannot build models of their own: these files let them run
// ONNX Runtime's own QuantizeLinear, DequantizeLinear and DynamicQuantizeLinear on any tensor, and the
// lab's MLP with quantized weights that the test supplies at run time.
//
// Every scale and zero point is a graph INPUT, never an initializer, so nothing can be constant-folded
// or fused ahead of time: ONNX Runtime computes exactly the operator's definition (LAB_FACTS §2.1).
import { onnx, DataType, OPSET, IR_VERSION, PRODUCER, encodeModel, floatTensor, node, intAttribute, denseLayer, tensorFinder } from './onnx.mjs';

/** The element types the oracles cover. */
export const QUANT_TYPES = {
  int8: DataType.INT8,
  uint8: DataType.UINT8,
};

/** A tensor ValueInfo; dims === null leaves the shape out (any rank), a string dim is symbolic. */
function valueInfo(name, elemType, dims) {
  const tensorType = { elemType };
  if (dims !== null) tensorType.shape = { dim: dims.map((d) => (typeof d === 'string' ? { dimParam: d } : { dimValue: d })) };
  return onnx.ValueInfoProto.create({ name, type: { tensorType } });
}

function model({ graphName, docString, nodes, inputs, outputs, initializers = [], metadata = {} }) {
  return encodeModel(
    onnx.ModelProto.create({
      irVersion: IR_VERSION,
      producerName: PRODUCER,
      producerVersion: '1',
      docString,
      opsetImport: [{ domain: '', version: OPSET }],
      graph: onnx.GraphProto.create({ name: graphName, node: nodes, initializer: initializers, input: inputs, output: outputs }),
      metadataProps: Object.entries(metadata).map(([key, value]) => ({ key, value: String(value) })),
    }),
  );
}

/**
 * QuantizeLinear with every operand an input: x float [P, D, Q], scale float, zero_point of the
 * quantized type, axis = 1. A scalar scale and zero point quantize per tensor (the axis is then
 * ignored); a [D] scale and zero point quantize per slice along D. Any per-axis case reshapes to
 * [outer, D, inner] without moving data.
 */
export function buildQuantizeOracle(dtype) {
  const elemType = QUANT_TYPES[dtype];
  return model({
    graphName: `quantize_${dtype}`,
    docString: `Oracle for the quantization lab: y = saturate(round_half_to_even(x / scale) + zero_point) to ${dtype} (ONNX QuantizeLinear, opset ${OPSET}, axis 1). Inputs: x float32 [P, D, Q]; scale float32, scalar (per tensor) or [D] (per axis); zero_point ${dtype}, same shape as scale. Output: y ${dtype} [P, D, Q].`,
    nodes: [node('QuantizeLinear', ['x', 'scale', 'zero_point'], ['y'], 'QuantizeLinear', [intAttribute('axis', 1)])],
    inputs: [valueInfo('x', DataType.FLOAT, ['P', 'D', 'Q']), valueInfo('scale', DataType.FLOAT, null), valueInfo('zero_point', elemType, null)],
    outputs: [valueInfo('y', elemType, ['P', 'D', 'Q'])],
  });
}

/** DequantizeLinear with every operand an input: y = (x − zero_point) · scale, axis = 1, x [P, D, Q]. */
export function buildDequantizeOracle(dtype) {
  const elemType = QUANT_TYPES[dtype];
  return model({
    graphName: `dequantize_${dtype}`,
    docString: `Oracle for the quantization lab: y = (x − zero_point) · scale in float32 (ONNX DequantizeLinear, opset ${OPSET}, axis 1). Inputs: x ${dtype} [P, D, Q]; scale float32, scalar (per tensor) or [D] (per axis); zero_point ${dtype}, same shape as scale. Output: y float32 [P, D, Q].`,
    nodes: [node('DequantizeLinear', ['x', 'scale', 'zero_point'], ['y'], 'DequantizeLinear', [intAttribute('axis', 1)])],
    inputs: [valueInfo('x', elemType, ['P', 'D', 'Q']), valueInfo('scale', DataType.FLOAT, null), valueInfo('zero_point', elemType, null)],
    outputs: [valueInfo('y', DataType.FLOAT, ['P', 'D', 'Q'])],
  });
}

/** DynamicQuantizeLinear: uint8 y, scale and zero point computed from x's range widened to contain 0. */
export function buildDynamicQuantizeOracle() {
  return model({
    graphName: 'dynamic_quantize_uint8',
    docString: `Oracle for the quantization lab (ONNX DynamicQuantizeLinear, opset ${OPSET}): y_scale = (max(0, max x) − min(0, min x)) / 255, y_zero_point = round_half_to_even(clip(−min(0, min x) / y_scale, 0, 255)), y = saturate(round_half_to_even(x / y_scale) + y_zero_point). Input: x float32 [N]. Outputs: y uint8 [N], y_scale float32 scalar, y_zero_point uint8 scalar.`,
    nodes: [node('DynamicQuantizeLinear', ['x'], ['y', 'y_scale', 'y_zero_point'], 'DynamicQuantizeLinear')],
    inputs: [valueInfo('x', DataType.FLOAT, ['N'])],
    outputs: [valueInfo('y', DataType.UINT8, ['N']), valueInfo('y_scale', DataType.FLOAT, []), valueInfo('y_zero_point', DataType.UINT8, [])],
  });
}

/** Graph-input names of one quantized weight in the QDQ model with weights as inputs. */
export function qdqInputNames(weightName) {
  return { values: `${weightName}_quantized`, scale: `${weightName}_scale`, zeroPoint: `${weightName}_zero_point` };
}

/**
 * The MLP of a weights description (weights.json) in QDQ form with its quantized weights as graph
 * inputs: for every layer, W = DequantizeLinear(W_quantized int8 [in, out], W_scale, W_zero_point,
 * axis 1) feeds the MatMul; biases stay float32 initializers. The caller supplies the int8 weights,
 * scales and zero points at run time, per tensor (scalar scale and zero point) or per output channel
 * ([out] scale and zero point). Without constant weights ONNX Runtime cannot fuse DequantizeLinear
 * into an integer kernel, so the logits are those of the float MLP with the dequantized weights.
 */
export function buildQdqInputsModel(spec, { docString = '', metadata = {} } = {}) {
  const find = tensorFinder(spec);
  const nodes = [];
  const initializers = [];
  const inputs = [valueInfo(spec.input.name, DataType.FLOAT, spec.input.shape)];
  let current = spec.input.name;
  spec.layers.forEach((layer, l) => {
    const w = find(layer.weight);
    const b = find(layer.bias);
    const names = qdqInputNames(w.name);
    inputs.push(valueInfo(names.values, DataType.INT8, w.shape), valueInfo(names.scale, DataType.FLOAT, null), valueInfo(names.zeroPoint, DataType.INT8, null));
    initializers.push(floatTensor(b.name, b.shape, b.values));
    const prefix = layer.weight.replace(/\.weight$/, '');
    nodes.push(node('DequantizeLinear', [names.values, names.scale, names.zeroPoint], [w.name], `${w.name}/DequantizeLinear`, [intAttribute('axis', 1)]));
    current = denseLayer(nodes, {
      input: current,
      weight: w.name,
      bias: b.name,
      activation: layer.activation,
      prefix,
      last: l === spec.layers.length - 1,
      output: spec.output.name,
    });
  });
  if (current !== spec.output.name) throw new Error('the last layer must produce the output');
  return model({
    graphName: 'mlp_qdq_weight_inputs',
    docString,
    nodes,
    inputs,
    outputs: [valueInfo(spec.output.name, DataType.FLOAT, spec.output.shape)],
    initializers,
    metadata,
  });
}
