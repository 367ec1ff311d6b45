import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import * as ort from 'onnxruntime-node';
import {
  compareOnHeldout,
  computeQParams,
  dequantize,
  deserialize,
  mse,
  qdqFeeds,
  quantize,
  quantizeModel,
  serialize,
  sizeReport,
  sqnr,
  type Heldout,
  type QParams,
  type QuantizedModel,
  type WeightsFile,
} from '../src/quantize';

// ---------------------------------------------------------------------------------------------
// Assets and ONNX Runtime oracles. Every scale and zero point of the oracle models is a graph input,
// so ONNX Runtime's own QuantizeLinear / DequantizeLinear / DynamicQuantizeLinear grade each answer.

const ASSETS = process.env.MLOPS_LAB_ASSETS ?? '';
const sessions = new Map<string, Promise<ort.InferenceSession>>();
function session(file: string): Promise<ort.InferenceSession> {
  let s = sessions.get(file);
  if (!s) {
    s = ort.InferenceSession.create(new Uint8Array(readFileSync(path.join(ASSETS, file))));
    sessions.set(file, s);
  }
  return s;
}
let weightsCache: WeightsFile | undefined;
let heldoutCache: Heldout | undefined;
const weights = (): WeightsFile => (weightsCache ??= JSON.parse(readFileSync(path.join(ASSETS, 'weights.json'), 'utf8')) as WeightsFile);
const heldout = (): Heldout => (heldoutCache ??= JSON.parse(readFileSync(path.join(ASSETS, 'heldout.json'), 'utf8')) as Heldout);

const RANGE = { int8: [-128, 127], uint8: [0, 255] } as const;

function product(dims: readonly number[]): number {
  return dims.reduce((a, b) => a * b, 1);
}

/** Parameters the oracle can take: right dtype and counts, float32 scales, integer zero points in range. */
function checkParams(p: QParams, dtype: 'int8' | 'uint8', channels: number): void {
  assert.equal(p.dtype, dtype, 'params.dtype');
  assert.equal(p.scale.length, channels, `expected ${channels} scale(s), got ${p.scale.length}`);
  assert.equal(p.zeroPoint.length, channels, `expected ${channels} zero point(s), got ${p.zeroPoint.length}`);
  for (const s of p.scale) assert.ok(Number.isFinite(s) && s > 0 && Math.fround(s) === s, `scale ${s} must be a positive float32 number`);
  for (const z of p.zeroPoint) assert.ok(Number.isInteger(z) && z >= RANGE[dtype][0] && z <= RANGE[dtype][1], `zero point ${z} must be a ${dtype} integer`);
}

/** [outer, D, inner] around the params' axis; [1, N, 1] per tensor. */
function oracleDims(length: number, p: QParams): number[] {
  if (p.axis === undefined) return [1, length, 1];
  assert.ok(Array.isArray(p.shape), 'per-channel params carry the shape they were computed for');
  const shape = p.shape;
  assert.equal(product(shape), length, 'params.shape must hold the values');
  return [product(shape.slice(0, p.axis)), shape[p.axis], product(shape.slice(p.axis + 1))];
}

function paramTensors(p: QParams): { scale: ort.Tensor; zero_point: ort.Tensor } {
  const dims = p.axis === undefined ? [] : [p.scale.length];
  const zp = p.dtype === 'int8' ? Int8Array.from(p.zeroPoint) : Uint8Array.from(p.zeroPoint);
  return { scale: new ort.Tensor('float32', Float32Array.from(p.scale), dims), zero_point: new ort.Tensor(p.dtype, zp, dims) };
}

async function ortQuantize(values: Float32Array, p: QParams): Promise<number[]> {
  const s = await session(`quantize_${p.dtype}.onnx`);
  const out = await s.run({ x: new ort.Tensor('float32', values, oracleDims(values.length, p)), ...paramTensors(p) });
  return Array.from(out.y.data as Int8Array | Uint8Array);
}

async function ortDequantize(q: readonly number[], p: QParams): Promise<number[]> {
  const s = await session(`dequantize_${p.dtype}.onnx`);
  const data = p.dtype === 'int8' ? Int8Array.from(q) : Uint8Array.from(q);
  const out = await s.run({ x: new ort.Tensor(p.dtype, data, oracleDims(q.length, p)), ...paramTensors(p) });
  return Array.from(out.y.data as Float32Array);
}

async function ortDynamic(values: Float32Array): Promise<{ scale: number; zeroPoint: number }> {
  const s = await session('dynamic_quantize_uint8.onnx');
  const out = await s.run({ x: new ort.Tensor('float32', values, [values.length]) });
  return { scale: (out.y_scale.data as Float32Array)[0], zeroPoint: (out.y_zero_point.data as Uint8Array)[0] };
}

/**
 * A number as the README defines it: −0 and 0 are the same value (an integer zero point of −0 quantizes
 * exactly like 0), so they compare equal; everything else compares exactly (NaN equals NaN).
 */
const num = (v: number): number => (v === 0 ? 0 : v);
/** Plain array of numbers with −0 normalised; also accepts typed arrays where the README asks for numbers. */
const nums = (values: ArrayLike<number>): number[] => Array.from(values, num);

/** Same numbers (−0 equal to 0), reporting the first difference instead of two long arrays. */
function sameNumbers(actual: ArrayLike<number>, expected: ArrayLike<number>, label: string, inputs?: ArrayLike<number>): void {
  assert.equal(actual.length, expected.length, `${label}: length`);
  for (let i = 0; i < expected.length; i++) {
    if (!Object.is(num(actual[i]), num(expected[i]))) {
      const input = inputs ? ` for input ${inputs[i]}` : '';
      assert.fail(`${label}: element ${i}${input} is ${actual[i]}, ONNX Runtime gives ${expected[i]}`);
    }
  }
}

function closeRel(actual: number, expected: number, label: string, rel = 1e-6): void {
  assert.ok(Number.isFinite(actual) && Math.abs(actual - expected) <= Math.abs(expected) * rel, `${label}: expected ${expected}, got ${actual}`);
}

function checkQuantizedType(q: Int8Array | Uint8Array, dtype: 'int8' | 'uint8'): void {
  assert.ok(dtype === 'int8' ? q instanceof Int8Array : q instanceof Uint8Array, `quantize must return ${dtype === 'int8' ? 'Int8Array' : 'Uint8Array'} for ${dtype}`);
}

/** Quantizes with the candidate and with ONNX Runtime (same params) and compares every element. */
async function agreesWithOrt(values: Float32Array, p: QParams, label: string): Promise<void> {
  const mine = quantize(values, p);
  checkQuantizedType(mine, p.dtype);
  sameNumbers(mine, await ortQuantize(values, p), label, values);
}

/** Seeded xorshift32 stream of uniforms in [0, 1), with a Gaussian helper. */
function random(seed: number): { uniform: () => number; gaussian: () => number } {
  let s = seed >>> 0 || 1;
  const uniform = () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s / 2 ** 32;
  };
  return { uniform, gaussian: () => Math.sqrt(-2 * Math.log(1 - uniform())) * Math.cos(2 * Math.PI * uniform()) };
}

const f32 = (values: number[]) => Float32Array.from(values);
const SCHEMES = ['symmetric', 'asymmetric'] as const;
const DTYPES = ['int8', 'uint8'] as const;

// ---------------------------------------------------------------------------------------------

describe('qparams', () => {
  it('symmetric int8 per tensor: scale = max|x| / 127 and zero point 0', () => {
    const p = computeQParams(f32([-0.5, 0.25, 1.27, -1]), { scheme: 'symmetric', dtype: 'int8' });
    checkParams(p, 'int8', 1);
    assert.equal(p.axis, undefined, 'per-tensor params have no axis');
    closeRel(p.scale[0], Math.fround(1.27) / 127, 'scale');
    assert.equal(num(p.zeroPoint[0]), 0);
    const q = computeQParams(f32([-2.54, 1]), { scheme: 'symmetric', dtype: 'int8' });
    closeRel(q.scale[0], Math.fround(2.54) / 127, 'scale with a negative extreme');
    assert.equal(num(q.zeroPoint[0]), 0);
  });

  it('symmetric uint8 centres the grid at 127 over [0, 254]', () => {
    const p = computeQParams(f32([-1.27, 0.5]), { scheme: 'symmetric', dtype: 'uint8' });
    checkParams(p, 'uint8', 1);
    closeRel(p.scale[0], Math.fround(1.27) / 127, 'scale');
    assert.equal(num(p.zeroPoint[0]), 127);
  });

  it("asymmetric uint8 matches ONNX Runtime's DynamicQuantizeLinear", async () => {
    const vectors: [number[], number, number][] = [
      [[0, 2, -3, -2.5, 1.34, 0.5], 5 / 255, 153],
      [[-1, -2.1, -1.3, -2.5, -3.34, -4], 4 / 255, 255],
    ];
    for (const [x, scale, zeroPoint] of vectors) {
      const p = computeQParams(f32(x), { scheme: 'asymmetric', dtype: 'uint8' });
      checkParams(p, 'uint8', 1);
      closeRel(p.scale[0], scale, `scale of [${x}]`);
      assert.equal(num(p.zeroPoint[0]), zeroPoint, `zero point of [${x}]`);
    }
    const rng = random(11);
    const makers = [() => rng.gaussian(), () => 3 * rng.uniform() + 0.1, () => -5 * rng.uniform(), () => Math.exp(4 * rng.gaussian()) - 2, () => 1e-3 * (rng.uniform() - 0.3)];
    for (let t = 0; t < 25; t++) {
      const x = Float32Array.from({ length: 1 + Math.floor(rng.uniform() * 400) }, makers[t % makers.length]);
      const p = computeQParams(x, { scheme: 'asymmetric', dtype: 'uint8' });
      const expected = await ortDynamic(x);
      checkParams(p, 'uint8', 1);
      closeRel(p.scale[0], expected.scale, `scale of random tensor ${t}`);
      assert.equal(num(p.zeroPoint[0]), expected.zeroPoint, `zero point of random tensor ${t}`);
    }
  });

  it('uses max − min for the asymmetric range', () => {
    const u = computeQParams(f32([-3, 1, 0.5]), { scheme: 'asymmetric', dtype: 'uint8' });
    checkParams(u, 'uint8', 1);
    closeRel(u.scale[0], 4 / 255, 'uint8 scale');
    assert.equal(num(u.zeroPoint[0]), 191, 'uint8 zero point = round(3 / (4/255))');
    const s = computeQParams(f32([-3, 1, 0.5]), { scheme: 'asymmetric', dtype: 'int8' });
    checkParams(s, 'int8', 1);
    closeRel(s.scale[0], 4 / 255, 'int8 scale');
    assert.equal(num(s.zeroPoint[0]), 63, 'int8 zero point = round(−128 + 191.25)');
  });

  it('widens the range to include zero', () => {
    const positive = computeQParams(f32([2, 3, 5]), { scheme: 'asymmetric', dtype: 'uint8' });
    closeRel(positive.scale[0], 5 / 255, 'all-positive scale');
    assert.equal(num(positive.zeroPoint[0]), 0);
    const negative = computeQParams(f32([-5, -1]), { scheme: 'asymmetric', dtype: 'uint8' });
    closeRel(negative.scale[0], 5 / 255, 'all-negative scale');
    assert.equal(num(negative.zeroPoint[0]), 255);
    const negativeInt8 = computeQParams(f32([-5, -1]), { scheme: 'asymmetric', dtype: 'int8' });
    assert.equal(num(negativeInt8.zeroPoint[0]), 127);
    const positiveInt8 = computeQParams(f32([1, 2]), { scheme: 'asymmetric', dtype: 'int8' });
    assert.equal(num(positiveInt8.zeroPoint[0]), -128);
    const symmetric = computeQParams(f32([2, 3, 5]), { scheme: 'symmetric', dtype: 'int8' });
    closeRel(symmetric.scale[0], 5 / 127, 'symmetric scale');
  });

  it('rounds the asymmetric zero point half to even', () => {
    // The range is 127.5 wide, so the scale is exactly 0.5 and 50.25 / 0.5 = 100.5 lands on a tie.
    const u = computeQParams(f32([-50.25, 77.25, 3]), { scheme: 'asymmetric', dtype: 'uint8' });
    assert.equal(u.scale[0], 0.5);
    assert.equal(num(u.zeroPoint[0]), 100, 'round(100.5) is 100');
    const s = computeQParams(f32([-50.25, 77.25, 3]), { scheme: 'asymmetric', dtype: 'int8' });
    assert.equal(s.scale[0], 0.5);
    assert.equal(num(s.zeroPoint[0]), -28, 'round(−128 + 100.5) = round(−27.5) is −28');
    const odd = computeQParams(f32([-50.75, 76.75]), { scheme: 'asymmetric', dtype: 'uint8' });
    assert.equal(num(odd.zeroPoint[0]), 102, 'round(101.5) is 102');
  });

  it('gives each slice along the axis its own scale and zero point', () => {
    const m = f32([1, -2, 0.5, 0, -4, 1, 0.25, 0, 2, 8, -1, 0]);
    const columns = computeQParams(m, { scheme: 'symmetric', dtype: 'int8', axis: 1, shape: [3, 4] });
    checkParams(columns, 'int8', 4);
    assert.equal(columns.axis, 1);
    assert.deepEqual(columns.shape, [3, 4]);
    [4 / 127, 8 / 127, 1 / 127, 1].forEach((s, c) => closeRel(columns.scale[c], s, `column ${c} scale`));
    assert.deepEqual(nums(columns.zeroPoint), [0, 0, 0, 0]);
    const rows = computeQParams(m, { scheme: 'asymmetric', dtype: 'uint8', axis: 0, shape: [3, 4] });
    checkParams(rows, 'uint8', 3);
    assert.equal(rows.axis, 0);
    [3 / 255, 5 / 255, 9 / 255].forEach((s, r) => closeRel(rows.scale[r], s, `row ${r} scale`));
    assert.deepEqual(nums(rows.zeroPoint), [170, 204, 28]);
    // The middle axis of [2, 3, 2]: channel c holds elements 2c, 2c+1, 6+2c, 7+2c.
    const t = f32([1, -2, 3, -4, 5, -6, 7, -8, 9, -10, 11, -12]);
    const middle = computeQParams(t, { scheme: 'symmetric', dtype: 'int8', axis: 1, shape: [2, 3, 2] });
    checkParams(middle, 'int8', 3);
    [8 / 127, 10 / 127, 12 / 127].forEach((s, c) => closeRel(middle.scale[c], s, `channel ${c} of the middle axis`));
  });

  it('counts a negative axis from the end, as ONNX does', async () => {
    const t = f32([1, -2, 3, -4, 5, -6, 7, -8, 9, -10, 11, -12, 0.5, 20, -0.25, 1.5, -3, 2, 6, -1, 0.75, 4, -9, 13]);
    const shape = [2, 3, 4];
    for (const [negative, axis] of [[-1, 2], [-2, 1], [-3, 0]]) {
      for (const scheme of SCHEMES) {
        for (const dtype of DTYPES) {
          const label = `axis ${negative} of [${shape}] (${scheme} ${dtype})`;
          const p = computeQParams(t, { scheme, dtype, axis: negative, shape });
          const q = computeQParams(t, { scheme, dtype, axis, shape });
          checkParams(p, dtype, shape[axis]);
          assert.equal(p.axis, axis, `${label}: params.axis is normalised to ${axis}`);
          assert.deepEqual([nums(p.scale), nums(p.zeroPoint)], [nums(q.scale), nums(q.zeroPoint)], `${label} is axis ${axis}`);
          await agreesWithOrt(t, p, label);
          sameNumbers(dequantize(quantize(t, p), p), await ortDequantize(Array.from(quantize(t, p)), p), `${label} dequantized`);
        }
      }
    }
  });

  it('treats a dimension of size 1 like any other', async () => {
    const x = f32([0.5, -3, 1.25, 8]);
    const cases: [number[], number | undefined, number[]][] = [
      [[1, 4], 1, [0.5, 3, 1.25, 8]],
      [[4, 1], 0, [0.5, 3, 1.25, 8]],
      [[1, 4], 0, [8]],
      [[4, 1], 1, [8]],
      [[2, 1, 2], 1, [8]],
      [[1, 4, 1], undefined, [8]],
    ];
    for (const [shape, axis, absMax] of cases) {
      const label = `shape [${shape}]${axis === undefined ? '' : ` axis ${axis}`}`;
      const p = computeQParams(x, { scheme: 'symmetric', dtype: 'int8', shape, ...(axis === undefined ? {} : { axis }) });
      checkParams(p, 'int8', absMax.length);
      absMax.forEach((m, c) => closeRel(p.scale[c], m / 127, `${label}: scale ${c}`));
      await agreesWithOrt(x, p, label);
      const q = Array.from(quantize(x, p));
      sameNumbers(dequantize(q, p), await ortDequantize(q, p), `${label} dequantized`);
    }
  });

  it("falls back to scale 1 and zero point 0 below float32's smallest normal range", async () => {
    for (const scheme of SCHEMES) {
      for (const dtype of DTYPES) {
        for (const x of [[0, 0, 0], [1e-37, -2e-37]]) {
          const p = computeQParams(f32(x), { scheme, dtype });
          assert.deepEqual([nums(p.scale), nums(p.zeroPoint)], [[1], [0]], `${scheme} ${dtype} [${x}]`);
        }
      }
    }
    const zeros = await ortDynamic(new Float32Array(4));
    assert.deepEqual([zeros.scale, zeros.zeroPoint], [1, 0], 'ONNX Runtime agrees on an all-zero tensor');
    const oneZeroColumn = computeQParams(f32([0, 1, 0, -2]), { scheme: 'asymmetric', dtype: 'uint8', axis: 1, shape: [2, 2] });
    assert.equal(oneZeroColumn.scale[0], 1);
    assert.equal(num(oneZeroColumn.zeroPoint[0]), 0);
    closeRel(oneZeroColumn.scale[1], 3 / 255, 'the other column keeps its own range');
    // A scale of exactly 2^-126 is not below the smallest normal, so it is kept: 127 · 2^-126 / 127.
    const edge = computeQParams(f32([127 * 2 ** -126, -(2 ** -126)]), { scheme: 'symmetric', dtype: 'int8' });
    assert.deepEqual([nums(edge.scale), nums(edge.zeroPoint)], [[2 ** -126], [0]], 'a scale of exactly 2^-126 is kept');
    await agreesWithOrt(f32([127 * 2 ** -126, -(2 ** -126), 3.5 * 2 ** -126]), edge, 'a scale of exactly 2^-126');
  });

  it('rejects empty, non-finite and mismatched input with a RangeError', () => {
    const bad: [ArrayLike<number>, Parameters<typeof computeQParams>[1], string][] = [
      [[], { scheme: 'symmetric', dtype: 'int8' }, 'an empty tensor'],
      [[1, NaN], { scheme: 'symmetric', dtype: 'int8' }, 'NaN'],
      [[1, Infinity], { scheme: 'asymmetric', dtype: 'uint8' }, 'Infinity'],
      [[1, 2, 3, 4], { scheme: 'symmetric', dtype: 'int8', axis: 1 }, 'an axis without a shape'],
      [[1, 2, 3], { scheme: 'symmetric', dtype: 'int8', axis: 1, shape: [2, 2] }, 'a shape that does not hold the values'],
      [[1, 2, 3, 4], { scheme: 'symmetric', dtype: 'int8', axis: 2, shape: [2, 2] }, 'an axis past the rank'],
      [[1, 2, 3, 4], { scheme: 'symmetric', dtype: 'int8', axis: -3, shape: [2, 2] }, 'a negative axis before the first'],
      [[1, 2, 3, 4], { scheme: 'symmetric', dtype: 'int8', axis: 0.5, shape: [2, 2] }, 'an axis that is not an integer'],
      [[1, 2, 3], { scheme: 'asymmetric', dtype: 'uint8', shape: [2, 2] }, 'a per-tensor shape that does not hold the values'],
      [[1, 2, 3, 4], { scheme: 'symmetric', dtype: 'int8', shape: [-2, -2] }, 'negative dimensions'],
      [[1, 2, 3], { scheme: 'symmetric', dtype: 'int8', shape: [1.5, 2] }, 'a dimension that is not an integer'],
      [[1, 2], { scheme: 'affine' as 'symmetric', dtype: 'int8' }, 'an unknown scheme'],
      [[1, 2], { scheme: 'symmetric', dtype: 'int4' as 'int8' }, 'an unknown dtype'],
    ];
    for (const [values, options, label] of bad) assert.throws(() => computeQParams(values, options), RangeError, label);
  });
});

/** Params quantize and dequantize cannot apply (README, task 2), each for the 4 values [1, -2, 3, -4]. */
const UNUSABLE_PARAMS: [QParams, string][] = [
  [{ dtype: 'int4' as 'int8', scale: [1], zeroPoint: [0] }, 'an unknown dtype'],
  [{ dtype: 'int8', scale: [0], zeroPoint: [0] }, 'a zero scale'],
  [{ dtype: 'int8', scale: [-0.5], zeroPoint: [0] }, 'a negative scale'],
  [{ dtype: 'uint8', scale: [NaN], zeroPoint: [0] }, 'a NaN scale'],
  [{ dtype: 'uint8', scale: [Infinity], zeroPoint: [0] }, 'an infinite scale'],
  [{ dtype: 'int8', scale: [1], zeroPoint: [0.5] }, 'a zero point that is not an integer'],
  [{ dtype: 'int8', scale: [1], zeroPoint: [128] }, 'an int8 zero point above 127'],
  [{ dtype: 'int8', scale: [1], zeroPoint: [-129] }, 'an int8 zero point below −128'],
  [{ dtype: 'uint8', scale: [1], zeroPoint: [256] }, 'a uint8 zero point above 255'],
  [{ dtype: 'uint8', scale: [1], zeroPoint: [-1] }, 'a negative uint8 zero point'],
  [{ dtype: 'int8', scale: [1], zeroPoint: [] }, 'a scale without a zero point'],
  [{ dtype: 'int8', scale: [1], zeroPoint: [0, 0] }, 'more zero points than scales'],
  [{ dtype: 'int8', scale: [], zeroPoint: [] }, 'no scale at all'],
  [{ dtype: 'int8', scale: [1, 1], zeroPoint: [0, 0] }, 'two scales for a per-tensor quantization'],
  [{ dtype: 'int8', scale: [1], zeroPoint: [0], axis: 1, shape: [2, 2] }, 'one scale for an axis of size 2'],
  [{ dtype: 'int8', scale: [1, 1, 1], zeroPoint: [0, 0, 0], axis: 1, shape: [2, 2] }, 'three scales for an axis of size 2'],
  [{ dtype: 'int8', scale: [1, 1, 1], zeroPoint: [0, 0, 0], axis: 1, shape: [2, 3] }, 'a per-channel shape that does not hold the values'],
  [{ dtype: 'int8', scale: [1, 1], zeroPoint: [0, 0], axis: 1 }, 'an axis without a shape'],
];
/** The same values with params at the edges of what is allowed: each must be accepted. */
const USABLE_EDGE_PARAMS: QParams[] = [
  { dtype: 'int8', scale: [1], zeroPoint: [127] },
  { dtype: 'int8', scale: [1], zeroPoint: [-128] },
  { dtype: 'uint8', scale: [1], zeroPoint: [255] },
  { dtype: 'uint8', scale: [1], zeroPoint: [0] },
  { dtype: 'int8', scale: [2 ** -149], zeroPoint: [0] },
  { dtype: 'int8', scale: [1, 0.5], zeroPoint: [127, -128], axis: 0, shape: [2, 2] },
];

describe('quantize', () => {
  it('reproduces the QuantizeLinear vectors of ONNX Runtime', async () => {
    const u: QParams = { dtype: 'uint8', scale: [1], zeroPoint: [0] };
    const ux = f32([0.5, 1.5, 2.5, -0.5, 254.5, 255.5, 300, -10, -0.4]);
    const uq = quantize(ux, u);
    checkQuantizedType(uq, 'uint8');
    assert.deepEqual(Array.from(uq), [0, 2, 2, 0, 254, 255, 255, 0, 0]);
    sameNumbers(uq, await ortQuantize(ux, u), 'uint8 vector');
    const s: QParams = { dtype: 'int8', scale: [0.5], zeroPoint: [3] };
    const sx = f32([0.25, 0.75, 1.25, -1.25, 100, -100]);
    const sq = quantize(sx, s);
    checkQuantizedType(sq, 'int8');
    assert.deepEqual(Array.from(sq), [3, 5, 5, 1, 127, -128]);
    sameNumbers(sq, await ortQuantize(sx, s), 'int8 vector');
  });

  it('rounds values exactly half a step apart to even, like QuantizeLinear', async () => {
    // scale 0.25 is exact in binary, so k·0.125 / 0.25 = k / 2 exactly: every odd k is a tie.
    const x = Float32Array.from({ length: 2201 }, (_, i) => (i - 1100) * 0.125);
    for (const [dtype, zeroPoint] of [['int8', 0], ['int8', -7], ['int8', 3], ['uint8', 0], ['uint8', 128], ['uint8', 5]] as const) {
      await agreesWithOrt(x, { dtype, scale: [0.25], zeroPoint: [zeroPoint] }, `${dtype} zero point ${zeroPoint}`);
    }
    const q = quantize(f32([0.5, 1.5, 2.5, 3.5, -0.5, -1.5, -2.5]), { dtype: 'int8', scale: [1], zeroPoint: [0] });
    assert.deepEqual(Array.from(q), [0, 2, 2, 4, 0, -2, -2]);
  });

  it("saturates to the type's range at the extremes", async () => {
    const s = 0.1;
    const x = f32([3.4028234663852886e38, -3.4028234663852886e38, 1e30, -1e30, Infinity, -Infinity, 127.4 * s, 127.6 * s, -128.4 * s, -129 * s, 300 * s, -300 * s]);
    for (const [dtype, zeroPoint] of [['int8', 0], ['int8', -100], ['int8', 100], ['uint8', 0], ['uint8', 200]] as const) {
      const p: QParams = { dtype, scale: [Math.fround(s)], zeroPoint: [zeroPoint] };
      await agreesWithOrt(x, p, `${dtype} zero point ${zeroPoint}`);
      const q = quantize(x, p);
      assert.deepEqual([q[0], q[1], q[4], q[5]], [RANGE[dtype][1], RANGE[dtype][0], RANGE[dtype][1], RANGE[dtype][0]], `${dtype}: ±float32 max and ±Infinity`);
    }
    // A tiny scale overflows the float32 quotient; the result still saturates.
    await agreesWithOrt(f32([1e30, -1e30, 1]), { dtype: 'int8', scale: [1e-30], zeroPoint: [0] }, 'overflowing quotient');
  });

  it('matches QuantizeLinear on random tensors with its own parameters', async () => {
    const rng = random(2026);
    const makers = [() => rng.gaussian(), () => 0.02 * rng.gaussian() + 0.01, () => 10 * rng.uniform(), () => -rng.uniform(), () => rng.gaussian() ** 3];
    for (let t = 0; t < 40; t++) {
      const x = Float32Array.from({ length: 1 + Math.floor(rng.uniform() * 700) }, makers[t % makers.length]);
      const scheme = SCHEMES[t % 2];
      const dtype = DTYPES[Math.floor(t / 2) % 2];
      const p = computeQParams(x, { scheme, dtype });
      checkParams(p, dtype, 1);
      await agreesWithOrt(x, p, `random tensor ${t} (${scheme} ${dtype})`);
    }
  });

  it('matches QuantizeLinear per channel along any axis', async () => {
    const rng = random(77);
    const shape = [4, 5, 6];
    // Every index along every axis has its own magnitude, so a wrong channel index shows.
    const x = Float32Array.from({ length: 120 }, (_, i) => rng.gaussian() * (1 + Math.floor(i / 30)) * (1 + (Math.floor(i / 6) % 5) * 3) * (1 + (i % 6)));
    for (const axis of [0, 1, 2]) {
      for (const scheme of SCHEMES) {
        for (const dtype of DTYPES) {
          const p = computeQParams(x, { scheme, dtype, axis, shape });
          checkParams(p, dtype, shape[axis]);
          assert.equal(p.axis, axis);
          await agreesWithOrt(x, p, `axis ${axis} ${scheme} ${dtype}`);
          for (let c = 0; c < shape[axis]; c++) {
            const slice = Float32Array.from(x.filter((_, i) => Math.floor(i / product(shape.slice(axis + 1))) % shape[axis] === c));
            const alone = computeQParams(slice, { scheme, dtype });
            assert.deepEqual(nums([p.scale[c], p.zeroPoint[c]]), nums([alone.scale[0], alone.zeroPoint[0]]), `axis ${axis} slice ${c} equals its own per-tensor params`);
          }
        }
      }
    }
  });

  it('matches QuantizeLinear at scales that are not powers of two, down to the tiny range', async () => {
    // Ten points per step, so every tie k + 0.5 and its float32 neighbours are crossed; with a scale like
    // 0.1 the float32 quotient lands on or next to a tie where the double quotient (or x · (1/scale)) does not.
    const scales = [0.1, 0.0235, 0.3, 0.07, 1e-30, 3e-38, 1.37 * 2 ** -126];
    for (const scale of scales) {
      const sc = Math.fround(scale);
      const x = Float32Array.from({ length: 2601 }, (_, i) => (i - 1300) * 0.1 * scale);
      for (const [dtype, zeroPoint] of [['int8', 0], ['int8', -20], ['uint8', 128]] as const) {
        await agreesWithOrt(x, { dtype, scale: [sc], zeroPoint: [zeroPoint] }, `scale ${scale} ${dtype} zero point ${zeroPoint}`);
      }
      // Plain numbers that are not float32: ONNX Runtime sees them rounded to float32, and so must quantize.
      const plain = Array.from({ length: 2601 }, (_, i) => (i - 1300) * 0.05 * scale);
      const p: QParams = { dtype: 'int8', scale: [sc], zeroPoint: [0] };
      const mine = quantize(plain, p);
      checkQuantizedType(mine, 'int8');
      sameNumbers(mine, await ortQuantize(Float32Array.from(plain), p), `scale ${scale}, plain numbers`, plain);
    }
    // The same scales per channel, along the middle axis of [3, 7, 50].
    const shape = [3, scales.length, 50];
    const x = Float32Array.from({ length: product(shape) }, (_, i) => ((i % 50) + 50 * Math.floor(i / (50 * scales.length)) - 75) * 0.5 * scales[Math.floor(i / 50) % scales.length]);
    const p: QParams = { dtype: 'int8', scale: scales.map(Math.fround), zeroPoint: scales.map((_, c) => c - 3), axis: 1, shape };
    await agreesWithOrt(x, p, 'per channel along axis 1');
  });

  it('rejects NaN and params it cannot apply with a RangeError', async () => {
    const x = f32([1, -2, 3, -4]);
    for (const [p, label] of UNUSABLE_PARAMS) assert.throws(() => quantize(x, p), RangeError, label);
    assert.throws(() => quantize([1, NaN, 3], { dtype: 'int8', scale: [1], zeroPoint: [0] }), RangeError, 'NaN has no quantized value');
    assert.throws(() => quantize(f32([NaN]), { dtype: 'uint8', scale: [0.5], zeroPoint: [3] }), RangeError, 'NaN in a Float32Array');
    for (const p of USABLE_EDGE_PARAMS) await agreesWithOrt(x, p, `params ${JSON.stringify(p)} are usable`);
  });

  it('handles a constant tensor and a tiny range', async () => {
    for (const scheme of SCHEMES) {
      for (const dtype of DTYPES) {
        for (const c of [0.3, -7.25, 1e-20]) {
          const x = new Float32Array(50).fill(c);
          const p = computeQParams(x, { scheme, dtype });
          checkParams(p, dtype, 1);
          await agreesWithOrt(x, p, `constant ${c} (${scheme} ${dtype})`);
          const back = dequantize(quantize(x, p), p);
          assert.ok(Math.abs(back[0] - Math.fround(c)) <= p.scale[0] / 2 + Math.abs(c) * 1e-6, `constant ${c} comes back within half a step, got ${back[0]}`);
        }
        const narrow = f32([1e-6, 1.0000001e-6, 1.0000002e-6, 0.9999999e-6]);
        const p = computeQParams(narrow, { scheme, dtype });
        await agreesWithOrt(narrow, p, `a range narrower than one step (${scheme} ${dtype})`);
        const tiny = f32([1e-37, -3e-38, 2e-38]);
        const t = computeQParams(tiny, { scheme, dtype });
        assert.deepEqual([nums(t.scale), nums(t.zeroPoint)], [[1], [0]], `fallback (${scheme} ${dtype})`);
        await agreesWithOrt(tiny, t, `a range below float32's normals (${scheme} ${dtype})`);
      }
    }
  });
});

describe('dequantize', () => {
  it('matches DequantizeLinear per tensor and per channel', async () => {
    const fixed: QParams = { dtype: 'uint8', scale: [Math.fround(0.1)], zeroPoint: [128] };
    const y = dequantize([0, 128, 255], fixed);
    assert.ok(y instanceof Float32Array, 'dequantize returns a Float32Array');
    sameNumbers(y, [-12.8, 0, 12.7].map(Math.fround), 'ONNX Runtime vector');
    sameNumbers(y, await ortDequantize([0, 128, 255], fixed), 'ONNX Runtime vector through the oracle');
    const rng = random(5);
    for (let t = 0; t < 12; t++) {
      const dtype = DTYPES[t % 2];
      const [lo, hi] = RANGE[dtype];
      const perChannel = t >= 6;
      const shape = [3, 4, 5];
      const axis = t % 3;
      const channels = perChannel ? shape[axis] : 1;
      const p: QParams = {
        dtype,
        scale: Array.from({ length: channels }, () => Math.fround(10 ** (rng.uniform() * 6 - 4))),
        zeroPoint: Array.from({ length: channels }, () => lo + Math.floor(rng.uniform() * (hi - lo + 1))),
        ...(perChannel ? { axis, shape } : {}),
      };
      const q = Array.from({ length: 60 }, () => lo + Math.floor(rng.uniform() * (hi - lo + 1)));
      sameNumbers(dequantize(q, p), await ortDequantize(q, p), `random ${dtype} ${perChannel ? `axis ${axis}` : 'per tensor'}`);
    }
  });

  it('rejects params it cannot apply with a RangeError', async () => {
    for (const [p, label] of UNUSABLE_PARAMS) assert.throws(() => dequantize([1, 2, 3, 4], p), RangeError, label);
    for (const p of USABLE_EDGE_PARAMS) {
      const q = p.dtype === 'int8' ? [1, -2, 127, -128] : [1, 2, 255, 0];
      sameNumbers(dequantize(q, p), await ortDequantize(q, p), `params ${JSON.stringify(p)} are usable`);
    }
  });

  it('brings every value back within half a step', () => {
    const rng = random(99);
    const x = Float32Array.from({ length: 600 }, () => rng.gaussian() * 3 + 0.5);
    for (const scheme of SCHEMES) {
      for (const dtype of DTYPES) {
        for (const perChannel of [false, true]) {
          const p = computeQParams(x, perChannel ? { scheme, dtype, axis: 1, shape: [20, 30] } : { scheme, dtype });
          const back = dequantize(quantize(x, p), p);
          for (let i = 0; i < x.length; i++) {
            const step = p.scale[perChannel ? i % 30 : 0];
            assert.ok(Math.abs(back[i] - x[i]) <= step * 0.5 * 1.001, `${scheme} ${dtype}${perChannel ? ' per channel' : ''}: ${x[i]} came back as ${back[i]} (step ${step})`);
          }
        }
      }
    }
  });
});

/** The README gives the formulas, not a precision: float32 accumulation of these exact inputs is a right answer too. */
const METRIC_TOLERANCE = 1e-6;

describe('metrics', () => {
  it('computes MSE and SQNR in decibels on a hand-worked example', () => {
    closeRel(mse([1, 2, 3, 4], [1, 2, 3, 5]), 0.25, 'mse', METRIC_TOLERANCE);
    closeRel(sqnr([1, 2, 3, 4], [1, 2, 3, 5]), 10 * Math.log10(30), 'sqnr = 10·log10(30 / 1)', METRIC_TOLERANCE);
    closeRel(mse(f32([3, -4]), f32([3.5, -4.5])), 0.25, 'mse on Float32Array', METRIC_TOLERANCE);
    closeRel(sqnr(f32([3, -4]), f32([3.5, -4.5])), 10 * Math.log10(50), 'sqnr = 10·log10(25 / 0.5)', METRIC_TOLERANCE);
    assert.ok(sqnr([1, 1], [1.5, 1.5]) > 0 && sqnr([1, 1], [3, 3]) < 0, 'noise stronger than the signal gives a negative SQNR');
  });

  it('gives an infinite SQNR for an exact copy and rejects arrays that do not pair up', () => {
    assert.equal(mse([1, -2, 3], [1, -2, 3]), 0);
    assert.equal(sqnr([1, -2, 3], [1, -2, 3]), Infinity);
    assert.equal(sqnr([0, 0], f32([0, 0])), Infinity, 'an all-zero copy is still an exact copy');
    assert.throws(() => mse([1], [1, 2]), RangeError);
    assert.throws(() => sqnr([1, 2, 3], [1, 2]), RangeError);
    assert.throws(() => mse([], []), RangeError);
    assert.throws(() => sqnr([], []), RangeError);
  });

  it('shows per-channel quantization beating per-tensor on channels of very different ranges', () => {
    const rng = random(3);
    // [64, 8] weights whose columns differ in magnitude by up to 1000×.
    const w = Float32Array.from({ length: 512 }, (_, i) => rng.gaussian() * 10 ** (-(i % 8) / 2.3));
    const perTensor = computeQParams(w, { scheme: 'symmetric', dtype: 'int8' });
    const perChannel = computeQParams(w, { scheme: 'symmetric', dtype: 'int8', axis: 1, shape: [64, 8] });
    const tensorSqnr = sqnr(w, dequantize(quantize(w, perTensor), perTensor));
    const channelSqnr = sqnr(w, dequantize(quantize(w, perChannel), perChannel));
    assert.ok(channelSqnr > 30, `per-channel int8 SQNR ${channelSqnr.toFixed(1)} dB should be above 30 dB`);
    assert.ok(channelSqnr - tensorSqnr > 3, `per-channel ${channelSqnr.toFixed(2)} dB vs per-tensor ${tensorSqnr.toFixed(2)} dB`);
    assert.ok(mse(w, dequantize(quantize(w, perChannel), perChannel)) < mse(w, dequantize(quantize(w, perTensor), perTensor)));
  });
});

/** Max |W[:, j]| per column of a row-major [rows, columns] matrix. */
function columnAbsMax(values: readonly number[], columns: number): number[] {
  const out = new Array<number>(columns).fill(0);
  values.forEach((v, i) => (out[i % columns] = Math.max(out[i % columns], Math.abs(v))));
  return out;
}

describe('model', () => {
  it('quantizes every weight to int8 per output channel and keeps biases in float32', async () => {
    const w = weights();
    for (const model of [quantizeModel(w), quantizeModel(w, { perChannel: true, scheme: 'symmetric' })]) {
      assert.deepEqual(model.weights.map((q) => q.name), ['fc1.weight', 'fc2.weight', 'fc3.weight']);
      assert.deepEqual(model.biases.map((b) => b.name), ['fc1.bias', 'fc2.bias', 'fc3.bias']);
      for (const q of model.weights) {
        const source = w.tensors.find((t) => t.name === q.name)!;
        const out = source.shape[1];
        assert.deepEqual(q.shape, source.shape, `${q.name} shape`);
        assert.ok(q.values instanceof Int8Array && q.values.length === source.values.length, `${q.name} values are an Int8Array of ${source.values.length}`);
        checkParams(q.params, 'int8', out);
        assert.equal(q.params.axis, 1, `${q.name}: one scale per output channel is axis 1 of [in, out]`);
        columnAbsMax(source.values, out).forEach((m, j) => closeRel(q.params.scale[j], m / 127, `${q.name} scale of output channel ${j}`));
        assert.ok(q.params.zeroPoint.every((z) => z === 0), `${q.name}: symmetric zero points are 0`);
        sameNumbers(q.values, await ortQuantize(Float32Array.from(source.values), { ...q.params, shape: source.shape }), `${q.name} values`);
      }
      for (const b of model.biases) {
        const source = w.tensors.find((t) => t.name === b.name)!;
        assert.ok(b.values instanceof Float32Array, `${b.name} stays a Float32Array`);
        assert.deepEqual(nums(b.values), nums(source.values.map(Math.fround)), `${b.name} is unchanged`);
      }
    }
  });

  it('honours the per-tensor and asymmetric options', async () => {
    const w = weights();
    const perTensor = quantizeModel(w, { perChannel: false });
    for (const q of perTensor.weights) {
      const source = w.tensors.find((t) => t.name === q.name)!;
      checkParams(q.params, 'int8', 1);
      assert.equal(q.params.axis, undefined, `${q.name}: per-tensor params have no axis`);
      closeRel(q.params.scale[0], Math.max(...source.values.map(Math.abs)) / 127, `${q.name} per-tensor scale`);
      sameNumbers(q.values, await ortQuantize(Float32Array.from(source.values), q.params), `${q.name} per-tensor values`);
    }
    const asymmetricPerTensor = quantizeModel(w, { scheme: 'asymmetric', perChannel: false });
    for (const q of asymmetricPerTensor.weights) {
      const source = w.tensors.find((t) => t.name === q.name)!;
      const expected = computeQParams(source.values, { scheme: 'asymmetric', dtype: 'int8' });
      checkParams(q.params, 'int8', 1);
      assert.equal(q.params.axis, undefined, `${q.name}: per-tensor params have no axis`);
      const min = Math.min(0, ...source.values.map(Math.fround));
      const max = Math.max(0, ...source.values.map(Math.fround));
      closeRel(q.params.scale[0], (max - min) / 255, `${q.name} asymmetric per-tensor scale = (max − min) / 255`);
      assert.deepEqual(nums(q.params.zeroPoint), nums(expected.zeroPoint), `${q.name} asymmetric per-tensor zero point`);
      sameNumbers(q.values, await ortQuantize(Float32Array.from(source.values), q.params), `${q.name} asymmetric per-tensor values`);
    }
    const asymmetric = quantizeModel(w, { scheme: 'asymmetric' });
    for (const q of asymmetric.weights) {
      const source = w.tensors.find((t) => t.name === q.name)!;
      const expected = computeQParams(source.values, { scheme: 'asymmetric', dtype: 'int8', axis: 1, shape: source.shape });
      checkParams(q.params, 'int8', source.shape[1]);
      assert.deepEqual(nums(q.params.zeroPoint), nums(expected.zeroPoint), `${q.name} asymmetric zero points`);
      assert.ok(q.params.zeroPoint.some((z) => z !== 0), `${q.name}: asymmetric zero points are not all 0`);
      sameNumbers(q.values, await ortQuantize(Float32Array.from(source.values), q.params), `${q.name} asymmetric values`);
    }
  });

  it('rejects weights it cannot quantize or serialize with a RangeError', () => {
    const w = weights();
    const without = (name: string): WeightsFile => ({ ...w, tensors: w.tensors.filter((t) => t.name !== name) });
    assert.throws(() => quantizeModel(without('fc2.weight')), RangeError, 'a layer whose weight is missing');
    assert.throws(() => quantizeModel(without('fc3.bias')), RangeError, 'a layer whose bias is missing');
    const flat: WeightsFile = { ...w, tensors: w.tensors.map((t) => (t.name === 'fc1.weight' ? { ...t, shape: [t.values.length] } : t)) };
    assert.throws(() => quantizeModel(flat), RangeError, 'a weight that is not a matrix [in, out]');
    assert.throws(() => quantizeModel(flat, { perChannel: false }), RangeError, 'a weight that is not a matrix, even per tensor');
    const model = quantizeModel(w);
    const uint8: QuantizedModel = { ...model, weights: model.weights.map((q, k) => (k === 1 ? { ...q, params: { ...q.params, dtype: 'uint8' } } : q)) };
    assert.throws(() => serialize(uint8), RangeError, 'a weight whose params are not int8');
  });

  it('serializes to bytes that deserialize to the same model', () => {
    const plain = (m: QuantizedModel) => ({
      weights: m.weights.map((q) => ({ name: q.name, shape: Array.from(q.shape), values: nums(q.values), dtype: q.params.dtype, scale: nums(q.params.scale), zeroPoint: nums(q.params.zeroPoint), axis: q.params.axis })),
      biases: m.biases.map((b) => ({ name: b.name, shape: Array.from(b.shape), values: nums(b.values) })),
    });
    for (const options of [{}, { perChannel: false }, { scheme: 'asymmetric' as const }]) {
      const model = quantizeModel(weights(), options);
      const bytes = serialize(model);
      assert.ok(bytes instanceof Uint8Array, 'serialize returns a Uint8Array');
      const back = deserialize(bytes);
      assert.deepEqual(plain(back), plain(model), `round trip of ${JSON.stringify(options)}`);
      back.weights.forEach((q, k) => {
        const label = `${q.name} of ${JSON.stringify(options)}`;
        if (q.params.axis !== undefined) assert.deepEqual(Array.from(q.params.shape ?? []), Array.from(q.shape), `${label}: per-channel params come back with their shape`);
        sameNumbers(dequantize(q.values, q.params), dequantize(model.weights[k].values, model.weights[k].params), `${label}: dequantize works on the deserialized params`);
      });
      assert.ok(back.weights.every((q) => q.values instanceof Int8Array) && back.biases.every((b) => b.values instanceof Float32Array), 'typed arrays come back typed');
    }
  });

  it('deserializes bytes that sit inside a larger buffer', () => {
    // A Node Buffer or a subarray is a Uint8Array whose data starts at a byteOffset and ends before its buffer does.
    for (const options of [{}, { scheme: 'asymmetric' as const, perChannel: false }]) {
      const model = quantizeModel(weights(), options);
      const bytes = serialize(model);
      const larger = new Uint8Array(bytes.byteLength + 24).fill(0xa5);
      larger.set(bytes, 8);
      const back = deserialize(larger.subarray(8, 8 + bytes.byteLength));
      assert.deepEqual(
        back.weights.map((q) => [q.name, nums(q.values), nums(q.params.scale), nums(q.params.zeroPoint), q.params.axis]),
        model.weights.map((q) => [q.name, nums(q.values), nums(q.params.scale), nums(q.params.zeroPoint), q.params.axis]),
        `weights of ${JSON.stringify(options)} read from byteOffset 8`,
      );
      assert.deepEqual(back.biases.map((b) => [b.name, nums(b.values)]), model.biases.map((b) => [b.name, nums(b.values)]), 'biases read from byteOffset 8');
    }
  });

  it('is at least 3.5 times smaller than the float32 weights', () => {
    const w = weights();
    const floatBytes = 4 * w.tensors.reduce((n, t) => n + t.values.length, 0);
    assert.equal(floatBytes, 76816);
    for (const options of [{}, { perChannel: false }, { scheme: 'asymmetric' as const }]) {
      const model = quantizeModel(w, options);
      const report = sizeReport(w, model);
      assert.equal(report.floatBytes, floatBytes, 'floatBytes counts 4 bytes per weight and bias');
      assert.equal(report.quantizedBytes, serialize(model).byteLength, 'quantizedBytes is the serialized size');
      closeRel(report.ratio, floatBytes / report.quantizedBytes, 'ratio', 1e-12);
      assert.ok(report.ratio >= 3.5, `${JSON.stringify(options)}: ${report.quantizedBytes} bytes is only ${report.ratio.toFixed(3)}× smaller than ${floatBytes}`);
    }
  });
});

function featureFeeds(h: Heldout): Record<string, ort.Tensor> {
  const rows = h.features.length;
  const x = new Float32Array(rows * h.numFeatures);
  h.features.forEach((row, r) => x.set(row, r * h.numFeatures));
  return { [h.inputName]: new ort.Tensor('float32', x, [rows, h.numFeatures]) };
}

/** The QDQ model's inputs built by the test itself from the documented QuantizedModel fields. */
function ownFeeds(model: QuantizedModel, h: Heldout): Record<string, ort.Tensor> {
  const feeds = featureFeeds(h);
  for (const q of model.weights) {
    const dims = q.params.axis === undefined ? [] : [q.params.scale.length];
    feeds[`${q.name}_quantized`] = new ort.Tensor('int8', Int8Array.from(q.values), Array.from(q.shape));
    feeds[`${q.name}_scale`] = new ort.Tensor('float32', Float32Array.from(q.params.scale), dims);
    feeds[`${q.name}_zero_point`] = new ort.Tensor('int8', Int8Array.from(q.params.zeroPoint), dims);
  }
  return feeds;
}

async function predictions(file: string, feeds: Record<string, ort.Tensor>, h: Heldout): Promise<{ logits: Float32Array; classes: number[] }> {
  const s = await session(file);
  const logits = (await s.run(feeds))[h.outputName].data as Float32Array;
  const classes = Array.from({ length: h.features.length }, (_, r) => {
    let best = 0;
    for (let c = 1; c < h.numClasses; c++) if (logits[r * h.numClasses + c] > logits[r * h.numClasses + best]) best = c;
    return best;
  });
  return { logits, classes };
}

const accuracyOf = (classes: number[], labels: number[]) => classes.filter((c, i) => c === labels[i]).length / labels.length;
const CONFIGS = [{}, { perChannel: false }, { scheme: 'asymmetric' as const }, { scheme: 'asymmetric' as const, perChannel: false }];

describe('qdq', () => {
  it('builds a feed for every weight input of the QDQ model', async () => {
    const s = await session('qdq_model.onnx');
    const h = heldout();
    for (const options of [{}, { perChannel: false }]) {
      const model = quantizeModel(weights(), options);
      const feeds = qdqFeeds(model);
      assert.deepEqual(Object.keys(feeds).sort(), s.inputNames.filter((n) => n !== h.inputName).sort(), 'one feed per weight input');
      for (const q of model.weights) {
        const values = feeds[`${q.name}_quantized`];
        const scale = feeds[`${q.name}_scale`];
        const zeroPoint = feeds[`${q.name}_zero_point`];
        assert.deepEqual([values.type, Array.from(values.dims)], ['int8', q.shape], `${q.name}_quantized`);
        const dims = options.perChannel === false ? [] : [q.shape[1]];
        assert.deepEqual([scale.type, Array.from(scale.dims)], ['float32', dims], `${q.name}_scale`);
        assert.deepEqual([zeroPoint.type, Array.from(zeroPoint.dims)], ['int8', dims], `${q.name}_zero_point`);
      }
      const theirs = await predictions('qdq_model.onnx', { ...feeds, ...featureFeeds(h) }, h);
      const ours = await predictions('qdq_model.onnx', ownFeeds(model, h), h);
      sameNumbers(theirs.logits, ours.logits, 'logits from qdqFeeds');
    }
  });

  it('loses at most one point of held-out accuracy with int8 weights', async () => {
    const h = heldout();
    const float = await predictions('model.onnx', featureFeeds(h), h);
    const floatAccuracy = accuracyOf(float.classes, h.labels);
    assert.ok(floatAccuracy > 0.9, `the float model scores ${floatAccuracy}`);
    for (const options of CONFIGS) {
      const quantized = await predictions('qdq_model.onnx', ownFeeds(quantizeModel(weights(), options), h), h);
      const accuracy = accuracyOf(quantized.classes, h.labels);
      const agreement = accuracyOf(quantized.classes, float.classes);
      assert.ok(floatAccuracy - accuracy <= 0.01, `${JSON.stringify(options)}: accuracy ${accuracy} vs float ${floatAccuracy}`);
      assert.ok(agreement >= 0.97, `${JSON.stringify(options)}: only ${agreement} of the predictions agree with the float model`);
    }
  });

  it('compareOnHeldout reports the accuracies that ONNX Runtime gives', async () => {
    const h = heldout();
    const floatSession = await session('model.onnx');
    const qdqSession = await session('qdq_model.onnx');
    const float = await predictions('model.onnx', featureFeeds(h), h);
    for (const options of CONFIGS) {
      const model = quantizeModel(weights(), options);
      const quantized = await predictions('qdq_model.onnx', ownFeeds(model, h), h);
      const report = await compareOnHeldout(floatSession, qdqSession, model, h);
      const floatAccuracy = accuracyOf(float.classes, h.labels);
      const quantizedAccuracy = accuracyOf(quantized.classes, h.labels);
      closeRel(report.floatAccuracy, floatAccuracy, 'floatAccuracy', 1e-12);
      closeRel(report.quantizedAccuracy, quantizedAccuracy, `quantizedAccuracy ${JSON.stringify(options)}`, 1e-12);
      assert.ok(Math.abs(report.accuracyDrop - (floatAccuracy - quantizedAccuracy)) < 1e-12, `accuracyDrop ${report.accuracyDrop}`);
      closeRel(report.agreement, accuracyOf(quantized.classes, float.classes), 'agreement', 1e-12);
    }
    // A broken model (fc3 negated) disagrees with the float model, and the report must say by how much.
    const model = quantizeModel(weights());
    const broken: QuantizedModel = { ...model, weights: model.weights.map((q, k) => (k === 2 ? { ...q, values: q.values.map((v) => -v) } : q)) };
    const quantized = await predictions('qdq_model.onnx', ownFeeds(broken, h), h);
    const report = await compareOnHeldout(floatSession, qdqSession, broken, h);
    const agreement = accuracyOf(quantized.classes, float.classes);
    assert.ok(agreement < 0.9, `negating fc3 should change most predictions (agreement ${agreement})`);
    closeRel(report.agreement, agreement, 'agreement of a broken model', 1e-12);
    closeRel(report.quantizedAccuracy, accuracyOf(quantized.classes, h.labels), 'quantizedAccuracy of a broken model', 1e-12);
  });

  it('rejects weights and held-out sets the QDQ model cannot take with a RangeError', async () => {
    const w = weights();
    const model = quantizeModel(w);
    const uint8: QuantizedModel = { ...model, weights: model.weights.map((q, k) => (k === 0 ? { ...q, params: { ...q.params, dtype: 'uint8' } } : q)) };
    assert.throws(() => qdqFeeds(uint8), RangeError, 'params that are not int8');
    // fc2 is [128, 128]: one scale per input channel (axis 0) has the right count but the wrong axis.
    const fc2 = w.tensors.find((t) => t.name === 'fc2.weight')!;
    const rowParams = computeQParams(fc2.values, { scheme: 'symmetric', dtype: 'int8', axis: 0, shape: fc2.shape });
    const rows: QuantizedModel = { ...model, weights: model.weights.map((q, k) => (k === 1 ? { ...q, values: quantize(fc2.values, rowParams) as Int8Array, params: rowParams } : q)) };
    assert.throws(() => qdqFeeds(rows), RangeError, 'per-channel params along axis 0 of [in, out]');
    const fewer: QuantizedModel = { ...model, weights: model.weights.map((q, k) => (k === 0 ? { ...q, params: { ...q.params, scale: q.params.scale.slice(0, 16), zeroPoint: q.params.zeroPoint.slice(0, 16) } } : q)) };
    assert.throws(() => qdqFeeds(fewer), RangeError, 'per-channel params with fewer scales than output channels');
    const h = heldout();
    const floatSession = await session('model.onnx');
    const qdqSession = await session('qdq_model.onnx');
    await assert.rejects(compareOnHeldout(floatSession, qdqSession, model, { ...h, features: [], labels: [] }), RangeError, 'a held-out set without rows');
    await assert.rejects(compareOnHeldout(floatSession, qdqSession, model, { ...h, labels: h.labels.slice(1) }), RangeError, 'one label fewer than rows');
  });

  it('runs a deserialized model to the same logits', async () => {
    const h = heldout();
    for (const options of [{}, { scheme: 'asymmetric' as const, perChannel: false }]) {
      const model = quantizeModel(weights(), options);
      const before = await predictions('qdq_model.onnx', ownFeeds(model, h), h);
      const after = await predictions('qdq_model.onnx', ownFeeds(deserialize(serialize(model)), h), h);
      sameNumbers(after.logits, before.logits, `logits after a round trip of ${JSON.stringify(options)}`);
    }
  });
});
