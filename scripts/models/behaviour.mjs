// The behavioural-testing lab's models: a small loan-approval MLP that is clean by construction (it ignores
// age and region exactly, its approval probability never falls as income rises or rises as the debt ratio
// rises), and copies of it with one planted behavioural bug each. Everything comes from fixed seeds; nothing
// is downloaded.
//
// The clean model is 8 → 18 → 2 with a Softmax. Its 18 hidden units are in three groups, kept so by
// projected gradient descent (train's `project` hook):
//   - 4 income units see only income, with a weight ≥ 0, and push the approve logit up (v1 − v0 ≥ 0);
//   - 4 debt units see only debt_ratio, with a weight ≥ 0, and push the approve logit down (v1 − v0 ≤ 0);
//   - 10 units see credit_years, late_payments, loan_amount and employment_years, never income, debt, age
//     or region.
// So approve − decline = (sum of non-decreasing functions of income) + (non-increasing functions of debt)
// + g(other features), and age and region have weight exactly 0. The standardisation is folded into the
// first layer, so the ONNX file takes raw feature values.
import { createRng } from './prng.mjs';
import { createMlp, train, forwardAll, argmaxRows, accuracy } from './mlp.mjs';
import { onnx, DataType, IR_VERSION, OPSET, PRODUCER, node, floatTensor, tensorInfo, intAttribute, encodeModel, denseLayer } from './onnx.mjs';
import { formatJson } from './assets.mjs';

export const FEATURES = ['income', 'debt_ratio', 'credit_years', 'late_payments', 'loan_amount', 'employment_years', 'age', 'region'];
const F = Object.fromEntries(FEATURES.map((name, i) => [name, i]));
const WIDTH = FEATURES.length;
const INCOME_UNITS = [0, 1, 2, 3];
const DEBT_UNITS = [4, 5, 6, 7];
const OTHER_UNITS = [8, 9, 10, 11, 12, 13, 14, 15, 16, 17];
const OTHER_FEATURES = [F.credit_years, F.late_payments, F.loan_amount, F.employment_years];
const HIDDEN = INCOME_UNITS.length + DEBT_UNITS.length + OTHER_UNITS.length;

const DATA_SEED = 20261213;
const TRAIN_SIZE = 4000;
const BASE_SIZE = 100;
const CONFIG = { initSeed: 1301, shuffleSeed: 1302, epochs: 30, batchSize: 64, learningRate: 3e-3 };

const round = (v, digits) => Math.round(v * 10 ** digits) / 10 ** digits;
const clamp = (v, lo, hi) => Math.min(hi, Math.max(lo, v));

/** One applicant as a row in FEATURES order, with its label from a fixed scoring rule plus logistic noise. */
function drawApplicant(rng) {
  const age = 18 + rng.int(63);
  const income = round(clamp(50 * Math.exp(0.5 * rng.gaussian()), 12, 300), 1);
  const debt = round(clamp(0.35 + 0.18 * rng.gaussian(), 0, 0.95), 2);
  const creditYears = Math.min(age - 18, rng.int(31));
  const late = Math.min(10, Math.floor(-Math.log(1 - rng.uniform()) * 1.2));
  const loan = Math.round(clamp(income * (0.3 + 1.2 * rng.uniform()), 5, 400));
  const employment = Math.min(age - 18, rng.int(26));
  const region = rng.int(5);
  const score =
    1.6 * Math.log(income / 50) - 4 * (debt - 0.35) + 0.06 * (creditYears - 8) - 0.9 * late - 0.5 * (loan / income - 0.9) + 0.04 * (employment - 6) + 0.8;
  const u = Math.min(1 - 1e-9, Math.max(1e-9, rng.uniform()));
  const label = score + 0.7 * Math.log(u / (1 - u)) > 0 ? 1 : 0;
  return { row: [income, debt, creditYears, late, loan, employment, age, region], label };
}

export function makeApplicants() {
  const rng = createRng(DATA_SEED);
  const all = Array.from({ length: TRAIN_SIZE + BASE_SIZE }, () => drawApplicant(rng));
  return { train: all.slice(0, TRAIN_SIZE), base: all.slice(TRAIN_SIZE) };
}

/** Zeroes every first-layer weight outside a unit's group and restores the sign constraints. */
function projectLayers(layers) {
  const [l1, l2] = layers;
  for (let f = 0; f < WIDTH; f++) {
    for (let u = 0; u < HIDDEN; u++) {
      const i = f * HIDDEN + u;
      if (INCOME_UNITS.includes(u)) l1.w[i] = f === F.income ? Math.max(0, l1.w[i]) : 0;
      else if (DEBT_UNITS.includes(u)) l1.w[i] = f === F.debt_ratio ? Math.max(0, l1.w[i]) : 0;
      else if (!OTHER_FEATURES.includes(f)) l1.w[i] = 0;
    }
  }
  const sign = (u, wanted) => {
    const v0 = l2.w[u * 2];
    const v1 = l2.w[u * 2 + 1];
    if ((v1 - v0) * wanted < 0) {
      const mid = (v0 + v1) / 2;
      l2.w[u * 2] = mid;
      l2.w[u * 2 + 1] = mid;
    }
  };
  INCOME_UNITS.forEach((u) => sign(u, 1));
  DEBT_UNITS.forEach((u) => sign(u, -1));
}

/** Folds (x − mean) / std into the first layer, so the model takes raw values. */
function foldStandardisation(layers, mean, std) {
  const [l1] = layers;
  const w = new Float32Array(l1.w.length);
  const b = new Float32Array(l1.b.length);
  for (let u = 0; u < HIDDEN; u++) {
    let bias = l1.b[u];
    for (let f = 0; f < WIDTH; f++) {
      const scaled = l1.w[f * HIDDEN + u] / std[f];
      w[f * HIDDEN + u] = scaled;
      bias -= scaled * mean[f];
    }
    b[u] = bias;
  }
  return [{ ...l1, w, b }, layers[1]];
}

function trainClean(train) {
  const x = new Float32Array(train.length * WIDTH);
  const mean = new Array(WIDTH).fill(0);
  const std = new Array(WIDTH).fill(0);
  for (const { row } of train) row.forEach((v, f) => (mean[f] += v / train.length));
  for (const { row } of train) row.forEach((v, f) => (std[f] += (v - mean[f]) ** 2 / train.length));
  for (let f = 0; f < WIDTH; f++) std[f] = Math.sqrt(std[f]) || 1;
  train.forEach(({ row }, r) => row.forEach((v, f) => (x[r * WIDTH + f] = (v - mean[f]) / std[f])));
  const layers = createMlp([WIDTH, HIDDEN, 2], CONFIG.initSeed);
  projectLayers(layers);
  const losses = train_(
    layers,
    x,
    train.map((t) => t.label),
  );
  return { layers: foldStandardisation(layers, mean, std), losses };
}

function train_(layers, x, labels) {
  return train(layers, x, labels, {
    epochs: CONFIG.epochs,
    batchSize: CONFIG.batchSize,
    learningRate: CONFIG.learningRate,
    seed: CONFIG.shuffleSeed,
    project: projectLayers,
  });
}

/** The clean layers plus one hidden unit: first-layer weights by feature name, its bias, and its two output weights. */
function withUnit(layers, weights, bias, out) {
  const [l1, l2] = layers;
  const hidden = l1.out + 1;
  const w1 = new Float32Array(WIDTH * hidden);
  for (let f = 0; f < WIDTH; f++) {
    for (let u = 0; u < l1.out; u++) w1[f * hidden + u] = l1.w[f * l1.out + u];
    w1[f * hidden + l1.out] = weights[FEATURES[f]] ?? 0;
  }
  const b1 = new Float32Array(hidden);
  b1.set(l1.b);
  b1[l1.out] = bias;
  const w2 = new Float32Array(hidden * 2);
  w2.set(l2.w);
  w2.set(out, l1.out * 2);
  return [
    { in: WIDTH, out: hidden, w: w1, b: b1 },
    { in: hidden, out: 2, w: w2, b: l2.b },
  ];
}

/** The clean layers with every first-layer weight of one feature set to 0. */
function blindTo(layers, feature) {
  const [l1, l2] = layers;
  const w = Float32Array.from(l1.w);
  for (let u = 0; u < l1.out; u++) w[F[feature] * l1.out + u] = 0;
  return [{ ...l1, w }, l2];
}

/** The planted variants: file name → [layers, the behaviour it breaks]. */
function variants(clean) {
  return {
    'clean.onnx': [clean, 'none: ignores age and region, monotone in income and debt_ratio'],
    'age_leak.onnx': [withUnit(clean, { age: 0.25 }, -15, [0.9, -0.9]), 'penalises applicants older than 60 (age must be ignored)'],
    'region_leak.onnx': [withUnit(clean, { region: 1 }, -2.5, [1.5, -1.5]), 'penalises regions 3 and 4 (region must be ignored)'],
    'income_cliff.onnx': [withUnit(clean, { income: 0.05 }, -4.5, [0.8, -0.8]), 'approval falls as income rises above 90k'],
    'debt_bonus.onnx': [withUnit(clean, { debt_ratio: 10 }, -6, [-1.5, 1.5]), 'approval rises as the debt ratio rises above 0.6'],
    'late_blind.onnx': [blindTo(clean, 'late_payments'), 'ignores late payments'],
  };
}

/** Softmax probabilities of a batch of raw rows, in JS (float32 layers, double accumulation). */
export function probabilities(layers, rows) {
  const x = new Float32Array(rows.length * WIDTH);
  rows.forEach((row, r) => x.set(row, r * WIDTH));
  const logits = forwardAll(layers, x, rows.length).at(-1);
  return rows.map((_, r) => {
    const a = logits[r * 2];
    const b = logits[r * 2 + 1];
    const m = Math.max(a, b);
    const ea = Math.exp(a - m);
    const eb = Math.exp(b - m);
    return [ea / (ea + eb), eb / (ea + eb)];
  });
}

function modelBytes(layers, name, behaviour) {
  const description = {
    input: { name: 'features', shape: ['N', WIDTH] },
    output: { name: 'logits', shape: ['N', 2] },
  };
  const nodes = [];
  const initializers = [];
  let current = description.input.name;
  layers.forEach((layer, l) => {
    const prefix = `fc${l + 1}`;
    initializers.push(
      floatTensor(`${prefix}.weight`, [layer.in, layer.out], Array.from(layer.w)),
      floatTensor(`${prefix}.bias`, [layer.out], Array.from(layer.b)),
    );
    current = denseLayer(nodes, {
      input: current,
      weight: `${prefix}.weight`,
      bias: `${prefix}.bias`,
      activation: l + 1 < layers.length ? 'relu' : 'none',
      prefix,
      last: l + 1 === layers.length,
      output: 'logits',
    });
  });
  nodes.push(node('Softmax', ['logits'], ['probabilities'], 'softmax', [intAttribute('axis', 1)]));
  const graph = onnx.GraphProto.create({
    name: `loan_${name.replace('.onnx', '')}`,
    node: nodes,
    initializer: initializers,
    input: [tensorInfo('features', DataType.FLOAT, ['N', WIDTH])],
    output: [tensorInfo('probabilities', DataType.FLOAT, ['N', 2])],
  });
  return encodeModel(
    onnx.ModelProto.create({
      irVersion: IR_VERSION,
      producerName: PRODUCER,
      producerVersion: '1',
      docString: `Loan-approval MLP ${WIDTH}→${layers[0].out}→2 with Softmax. Input "features" [N, ${WIDTH}] float32 in the order ${FEATURES.join(', ')}; output "probabilities" [N, 2] (0 = decline, 1 = approve). Planted behaviour: ${behaviour}. Generated by scripts/models/generate.mjs; no downloads.`,
      opsetImport: [{ domain: '', version: OPSET }],
      graph,
      metadataProps: [
        { key: 'generator', value: 'scripts/models/generate.mjs' },
        { key: 'features', value: FEATURES.join(',') },
        { key: 'planted', value: behaviour },
      ],
    }),
  );
}

// -------------------------------------------------------------------------------------------------------
// The lab's behavioural suite, as the README states it, run in JS: the generator refuses models that do not
// fail exactly the test they were planted for.
// -------------------------------------------------------------------------------------------------------

const grid = (base, vary) => {
  let rows = [base];
  for (const f of FEATURES) {
    if (!vary[f]) continue;
    rows = rows.flatMap((r) => vary[f].map((v) => ({ ...r, [f]: v })));
  }
  return rows;
};

export const README_SUITE = [
  {
    name: 'approve-strong',
    type: 'MFT',
    label: 1,
    cases: grid(
      { income: 60, debt_ratio: 0.05, credit_years: 8, late_payments: 0, loan_amount: 20, employment_years: 10, age: 40, region: 0 },
      { income: [60, 75, 90], debt_ratio: [0.05, 0.15], credit_years: [8, 15], loan_amount: [20, 60] },
    ),
  },
  {
    name: 'decline-late-payer',
    type: 'MFT',
    label: 0,
    cases: grid(
      { income: 40, debt_ratio: 0.3, credit_years: 5, late_payments: 5, loan_amount: 30, employment_years: 3, age: 35, region: 1 },
      { income: [40, 60, 80], debt_ratio: [0.3, 0.45], late_payments: [5, 7] },
    ),
  },
  { name: 'age-invariance', type: 'INV', perturb: (r) => [25, 45, 70].map((v) => ({ ...r, age: v })), tolerance: 0.1 },
  { name: 'region-invariance', type: 'INV', perturb: (r) => [0, 1, 2, 3, 4].map((v) => ({ ...r, region: v })), tolerance: 0.1 },
  { name: 'income-up', type: 'DIR', perturb: (r) => [{ ...r, income: r.income * 1.5 }], label: 1, increasing: true, tolerance: 0.01 },
  { name: 'debt-up', type: 'DIR', perturb: (r) => [{ ...r, debt_ratio: Math.min(1, r.debt_ratio + 0.2) }], label: 1, increasing: false, tolerance: 0.01 },
];

const asRow = (o) => FEATURES.map((f) => o[f]);
const argmax = (p) => (p[1] > p[0] ? 1 : 0);

/** Fail counts of the README suite on one model: name → { cases, filtered, fails }. */
export function runReadmeSuite(predict, base) {
  const out = {};
  for (const test of README_SUITE) {
    let fails = 0;
    let filtered = 0;
    let cases = 0;
    if (test.type === 'MFT') {
      const probs = predict(test.cases.map(asRow));
      cases = probs.length;
      fails = probs.filter((p) => argmax(p) !== test.label).length;
    } else {
      for (const r of base) {
        cases++;
        const rows = [r, ...test.perturb(r)];
        const probs = predict(rows.map(asRow));
        const orig = probs[0];
        const results = probs.slice(1).map((p) => {
          if (test.type === 'INV') {
            const o = argmax(orig);
            return argmax(p) === o || Math.abs(p[o] - orig[o]) <= test.tolerance;
          }
          const diff = p[test.label] - orig[test.label];
          if (test.increasing && orig[test.label] <= test.tolerance) return null;
          if (!test.increasing && orig[test.label] >= 1 - test.tolerance) return null;
          return test.increasing ? diff + test.tolerance >= 0 : diff - test.tolerance <= 0;
        });
        if (results.every((x) => x === null)) filtered++;
        else if (results.some((x) => x === false)) fails++;
      }
    }
    out[test.name] = { cases, filtered, fails };
  }
  return out;
}

const EXPECTED_FAILURES = {
  'clean.onnx': [],
  'age_leak.onnx': ['age-invariance'],
  'region_leak.onnx': ['region-invariance'],
  'income_cliff.onnx': ['income-up'],
  'debt_bonus.onnx': ['debt-up'],
  'late_blind.onnx': ['decline-late-payer'],
};

function baseJson(base) {
  return (
    formatJson({
      description:
        'Base applicants for the INV and DIR tests of the behavioural-testing lab: held-out draws of the synthetic loan data (never used in training). Feature values are raw (income and loan_amount in thousands, debt_ratio in [0, 1], counts and years as integers); feed them in the order of "features" as float32. label is the outcome the data set recorded (1 = repaid), for reference only: behavioural tests do not need it.',
      generator: 'scripts/models/generate.mjs',
      seed: DATA_SEED,
      features: FEATURES,
      count: base.length,
      applicants: base.map(({ row, label }) => ({ ...Object.fromEntries(FEATURES.map((f, i) => [f, row[i]])), label })),
    }) + '\n'
  );
}

/**
 * Trains the clean model, builds the variants and checks, in JS, that each fails exactly its planted test.
 * Returns the files, the layers (for the onnxruntime check) and a log.
 */
export function behaviourLab() {
  const data = makeApplicants();
  const { layers, losses } = trainClean(data.train);
  const trainRows = data.train.map((t) => t.row);
  const trainAcc = accuracy(
    probabilities(layers, trainRows).map(argmax),
    data.train.map((t) => t.label),
  );
  const baseAcc = accuracy(
    probabilities(
      layers,
      data.base.map((t) => t.row),
    ).map(argmax),
    data.base.map((t) => t.label),
  );
  const base = data.base.map(({ row }) => Object.fromEntries(FEATURES.map((f, i) => [f, row[i]])));
  const files = { 'applicants.json': baseJson(data.base) };
  const models = {};
  const log = [
    `behavioural-testing: clean loan MLP ${WIDTH}→${HIDDEN}→2, loss ${losses[0].toFixed(4)} → ${losses.at(-1).toFixed(4)}; accuracy train ${(100 * trainAcc).toFixed(2)}%, base ${(100 * baseAcc).toFixed(2)}%`,
  ];
  for (const [file, [modelLayers, behaviour]] of Object.entries(variants(layers))) {
    files[file] = modelBytes(modelLayers, file, behaviour);
    const counts = runReadmeSuite((rows) => probabilities(modelLayers, rows), base);
    const failing = Object.keys(counts).filter((name) => counts[name].fails > 0);
    log.push(
      `  ${file}: ${Object.entries(counts)
        .map(([n, c]) => `${n} ${c.fails}/${c.cases - c.filtered}${c.filtered ? ` (${c.filtered} filtered)` : ''}`)
        .join(', ')}`,
    );
    if (failing.join() !== EXPECTED_FAILURES[file].join())
      throw new Error(`behavioural-testing ${file}: fails [${failing}], planted to fail [${EXPECTED_FAILURES[file]}]`);
    models[file] = { layers: modelLayers, counts };
  }
  return { files, models, base, log, argmaxRows };
}
