import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import * as ort from 'onnxruntime-node';
import { computeQParams, dequantize, mse, qdqFeeds, quantize, quantizeModel, type Heldout, type QParams, type WeightsFile } from '../src/quantize';

// The lab's assets: the float model, its weights, the held-out set, the QDQ model and ONNX Runtime
// oracles (QuantizeLinear, DequantizeLinear and DynamicQuantizeLinear with scale and zero point as inputs).
const ASSETS = process.env.MLOPS_LAB_ASSETS ?? '';
const asset = (name: string) => readFileSync(path.join(ASSETS, name));
const open = (name: string) => ort.InferenceSession.create(new Uint8Array(asset(name)));

/** ONNX Runtime's QuantizeLinear on a 1-D tensor with per-tensor params (the oracle takes [P, D, Q], axis 1). */
async function ortQuantize(values: Float32Array, p: QParams): Promise<number[]> {
  const session = await open(`quantize_${p.dtype}.onnx`);
  const zeroPoint = p.dtype === 'int8' ? Int8Array.from(p.zeroPoint) : Uint8Array.from(p.zeroPoint);
  const out = await session.run({
    x: new ort.Tensor('float32', values, [1, values.length, 1]),
    scale: new ort.Tensor('float32', Float32Array.from(p.scale), []),
    zero_point: new ort.Tensor(p.dtype, zeroPoint, []),
  });
  return Array.from(out.y.data as Int8Array | Uint8Array);
}

describe('public: qparams', () => {
  it('symmetric int8 scale is the largest magnitude over 127', () => {
    const p = computeQParams(Float32Array.from([-0.5, 1.27, 0.25]), { scheme: 'symmetric', dtype: 'int8' });
    assert.ok(Math.abs(p.scale[0] - 0.01) < 1e-8, `scale ${p.scale[0]}`);
    // −0 and 0 are the same zero point, so compare them as numbers.
    assert.deepEqual(Array.from(p.zeroPoint, (z) => (z === 0 ? 0 : z)), [0]);
  });
});

describe('public: quantize', () => {
  it('agrees with ONNX Runtime on the uint8 example, ties and saturation included', async () => {
    const x = Float32Array.from([0.5, 1.5, 2.5, -0.5, 254.5, 255.5, 300, -10, -0.4]);
    const p: QParams = { dtype: 'uint8', scale: [1], zeroPoint: [0] };
    const expected = await ortQuantize(x, p);
    assert.deepEqual(expected, [0, 2, 2, 0, 254, 255, 255, 0, 0]);
    assert.deepEqual(Array.from(quantize(x, p)), expected);
  });
});

describe('public: dequantize', () => {
  it('subtracts the zero point before scaling', () => {
    const y = dequantize([0, 128, 255], { dtype: 'uint8', scale: [Math.fround(0.1)], zeroPoint: [128] });
    assert.deepEqual(Array.from(y, (v) => (v === 0 ? 0 : v)), [-12.8, 0, 12.7].map(Math.fround));
  });
});

describe('public: metrics', () => {
  it('an exact copy has zero mean squared error', () => {
    assert.equal(mse([1, 2, 3], [1, 2, 3]), 0);
  });
});

describe('public: model', () => {
  it('quantizes the three weight matrices of weights.json to int8', () => {
    const weights = JSON.parse(asset('weights.json').toString('utf8')) as WeightsFile;
    const model = quantizeModel(weights);
    assert.deepEqual(
      model.weights.map((w) => [w.name, w.values.length]),
      [['fc1.weight', 16 * 128], ['fc2.weight', 128 * 128], ['fc3.weight', 128 * 4]],
    );
  });
});

describe('public: qdq', () => {
  it('the QDQ model runs with your int8 weights', async () => {
    const weights = JSON.parse(asset('weights.json').toString('utf8')) as WeightsFile;
    const heldout = JSON.parse(asset('heldout.json').toString('utf8')) as Heldout;
    const session = await open('qdq_model.onnx');
    const rows = heldout.features.slice(0, 8);
    const x = new ort.Tensor('float32', Float32Array.from(rows.flat()), [rows.length, heldout.numFeatures]);
    const out = await session.run({ [heldout.inputName]: x, ...qdqFeeds(quantizeModel(weights)) });
    assert.deepEqual(Array.from(out[heldout.outputName].dims), [8, heldout.numClasses]);
  });
});
