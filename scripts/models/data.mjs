// The synthetic classification data set: every class is a mixture of a few Gaussian blobs in
// feature space, so the classes are not linearly separable and overlap a little.
import { createRng } from './prng.mjs';

/**
 * Features are rounded to 3 decimals when drawn, so the JSON written for the labs holds exactly the
 * numbers the models were trained and checked on (each becomes Math.fround(value) as float32).
 */
export function makeDataset({ seed, numFeatures, numClasses, blobsPerClass, centerSpread, noise, trainSize, heldoutSize }) {
  const rng = createRng(seed);
  const centers = [];
  for (let c = 0; c < numClasses; c++) {
    const blobs = [];
    for (let k = 0; k < blobsPerClass; k++) blobs.push(Array.from({ length: numFeatures }, () => centerSpread * rng.gaussian()));
    centers.push(blobs);
  }
  const total = trainSize + heldoutSize;
  // Balanced labels, shuffled; held-out rows come from the same distribution as training rows.
  const labels = rng.shuffle(Array.from({ length: total }, (_, i) => i % numClasses));
  const rows = labels.map((label) => {
    const center = centers[label][rng.int(blobsPerClass)];
    return center.map((m) => Math.round((m + noise * rng.gaussian()) * 1000) / 1000);
  });
  const pack = (from, to) => ({
    features: rows.slice(from, to),
    labels: labels.slice(from, to),
  });
  return { train: pack(0, trainSize), heldout: pack(trainSize, total) };
}

/** Row-major Float32Array [n, numFeatures] of a split. */
export function toFloat32(features) {
  const width = features[0].length;
  const out = new Float32Array(features.length * width);
  features.forEach((row, r) => out.set(row, r * width));
  return out;
}
