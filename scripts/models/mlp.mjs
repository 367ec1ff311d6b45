// A small multilayer perceptron in plain JavaScript: y = relu(x·W1 + b1) ... ·Wk + bk.
// Parameters, activations, gradients and optimizer state live in Float32Array (float32 storage);
// each dot product is accumulated as a JS number (double) and stored back as float32. There is no
// FMA contraction or reordering in JavaScript, so the same code and seed give the same bits.
import { createRng } from './prng.mjs';

/** He-initialised layers; W is stored [in, out] row-major, the layout ONNX MatMul expects. */
export function createMlp(sizes, seed) {
  const rng = createRng(seed);
  const layers = [];
  for (let l = 0; l + 1 < sizes.length; l++) {
    const fanIn = sizes[l];
    const fanOut = sizes[l + 1];
    const std = Math.sqrt(2 / fanIn);
    const w = new Float32Array(fanIn * fanOut);
    for (let i = 0; i < w.length; i++) w[i] = std * rng.gaussian();
    layers.push({ in: fanIn, out: fanOut, w, b: new Float32Array(fanOut) });
  }
  return layers;
}

export function parameterCount(layers) {
  return layers.reduce((sum, l) => sum + l.w.length + l.b.length, 0);
}

/** out[r, o] = sum_i x[r, i] · w[i, o] + b[o]; ReLU when relu is true. */
function dense(x, rows, layer, relu) {
  const { in: n, out: m, w, b } = layer;
  const y = new Float32Array(rows * m);
  const acc = new Float64Array(m);
  for (let r = 0; r < rows; r++) {
    for (let o = 0; o < m; o++) acc[o] = b[o];
    const xOff = r * n;
    for (let i = 0; i < n; i++) {
      const xv = x[xOff + i];
      if (xv === 0) continue;
      const wOff = i * m;
      for (let o = 0; o < m; o++) acc[o] += xv * w[wOff + o];
    }
    const yOff = r * m;
    for (let o = 0; o < m; o++) y[yOff + o] = relu && acc[o] < 0 ? 0 : acc[o];
  }
  return y;
}

/** Forward pass; returns every layer's output (the last is the logits). */
export function forwardAll(layers, x, rows) {
  const acts = [x];
  layers.forEach((layer, l) => acts.push(dense(acts[l], rows, layer, l + 1 < layers.length)));
  return acts;
}

export function logits(layers, x, rows) {
  return forwardAll(layers, x, rows).at(-1);
}

export function argmaxRows(values, rows, width) {
  const out = new Array(rows);
  for (let r = 0; r < rows; r++) {
    let best = 0;
    for (let c = 1; c < width; c++) if (values[r * width + c] > values[r * width + best]) best = c;
    out[r] = best;
  }
  return out;
}

export function accuracy(predictions, labels) {
  let hits = 0;
  predictions.forEach((p, i) => (hits += p === labels[i] ? 1 : 0));
  return hits / labels.length;
}

/**
 * Mini-batch Adam on softmax cross-entropy. Fixed seed (batch order), fixed epoch count, no early
 * stopping, so the run is fully determined by its arguments. Returns the per-epoch mean loss.
 */
export function train(layers, x, labels, { epochs, batchSize, learningRate, seed, beta1 = 0.9, beta2 = 0.999, epsilon = 1e-8, project }) {
  const rng = createRng(seed);
  const n = labels.length;
  const width = layers[0].in;
  const classes = layers.at(-1).out;
  const state = layers.map((l) => ({
    gw: new Float32Array(l.w.length),
    gb: new Float32Array(l.b.length),
    mw: new Float32Array(l.w.length),
    vw: new Float32Array(l.w.length),
    mb: new Float32Array(l.b.length),
    vb: new Float32Array(l.b.length),
  }));
  const order = Array.from({ length: n }, (_, i) => i);
  let beta1t = 1;
  let beta2t = 1;
  const losses = [];
  for (let epoch = 0; epoch < epochs; epoch++) {
    rng.shuffle(order);
    let lossSum = 0;
    for (let start = 0; start < n; start += batchSize) {
      const rows = Math.min(batchSize, n - start);
      const xb = new Float32Array(rows * width);
      for (let r = 0; r < rows; r++) xb.set(x.subarray(order[start + r] * width, (order[start + r] + 1) * width), r * width);
      const acts = forwardAll(layers, xb, rows);
      // dL/dlogits = (softmax − onehot) / rows
      const out = acts.at(-1);
      let delta = new Float32Array(rows * classes);
      for (let r = 0; r < rows; r++) {
        const off = r * classes;
        let max = out[off];
        for (let c = 1; c < classes; c++) max = Math.max(max, out[off + c]);
        let sum = 0;
        for (let c = 0; c < classes; c++) sum += Math.exp(out[off + c] - max);
        const label = labels[order[start + r]];
        lossSum += Math.log(sum) - (out[off + label] - max);
        for (let c = 0; c < classes; c++) delta[off + c] = (Math.exp(out[off + c] - max) / sum - (c === label ? 1 : 0)) / rows;
      }
      for (let l = layers.length - 1; l >= 0; l--) {
        const { in: fi, out: fo, w } = layers[l];
        const { gw, gb } = state[l];
        const prev = acts[l];
        gw.fill(0);
        gb.fill(0);
        for (let r = 0; r < rows; r++) {
          const dOff = r * fo;
          for (let o = 0; o < fo; o++) gb[o] += delta[dOff + o];
          for (let i = 0; i < fi; i++) {
            const a = prev[r * fi + i];
            if (a === 0) continue;
            const gOff = i * fo;
            for (let o = 0; o < fo; o++) gw[gOff + o] += a * delta[dOff + o];
          }
        }
        if (l > 0) {
          // Back through W and the ReLU that produced prev (prev > 0 where the unit was active).
          const next = new Float32Array(rows * fi);
          for (let r = 0; r < rows; r++) {
            const dOff = r * fo;
            for (let i = 0; i < fi; i++) {
              if (prev[r * fi + i] <= 0) continue;
              const wOff = i * fo;
              let s = 0;
              for (let o = 0; o < fo; o++) s += delta[dOff + o] * w[wOff + o];
              next[r * fi + i] = s;
            }
          }
          delta = next;
        }
      }
      beta1t *= beta1;
      beta2t *= beta2;
      const step = (learningRate * Math.sqrt(1 - beta2t)) / (1 - beta1t);
      layers.forEach((layer, l) => {
        const s = state[l];
        adam(layer.w, s.gw, s.mw, s.vw, beta1, beta2, step, epsilon);
        adam(layer.b, s.gb, s.mb, s.vb, beta1, beta2, step, epsilon);
      });
      // Projected gradient descent: an optional constraint (masks, signs) restored after every step.
      if (project) project(layers);
    }
    losses.push(lossSum / n);
  }
  return losses;
}

function adam(param, grad, m, v, beta1, beta2, step, epsilon) {
  for (let i = 0; i < param.length; i++) {
    const g = grad[i];
    m[i] = beta1 * m[i] + (1 - beta1) * g;
    v[i] = beta2 * v[i] + (1 - beta2) * g * g;
    param[i] -= (step * m[i]) / (Math.sqrt(v[i]) + epsilon);
  }
}
