// The dynamic-batching lab's reference batcher in front of a real ONNX Runtime session, against one request
// per session call: rows per second for 600 concurrent requests. A figure to read, never a test: it depends
// on the machine (DESIGN.md: timing is judged by counts and orderings in the hidden suites).
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const LAB = path.join(root, 'labs/dynamic-batching');

export async function measureBatching(rounds = 5) {
  // Inside the project, so the bundle resolves onnxruntime-node from node_modules.
  mkdirSync(path.join(root, '.tmp'), { recursive: true });
  const out = mkdtempSync(path.join(root, '.tmp', 'bench-batching-'));
  try {
    const outfile = path.join(out, 'batcher.cjs');
    await esbuild.build({
      entryPoints: [path.join(LAB, 'solution/batcher.ts')],
      bundle: true,
      platform: 'node',
      format: 'cjs',
      outfile,
      external: ['onnxruntime-node'],
      logLevel: 'silent',
    });
    const { DynamicBatcher, sessionRunner } = require(outfile);
    const ort = require('onnxruntime-node');
    const session = await ort.InferenceSession.create(new Uint8Array(readFileSync(path.join(LAB, 'assets/model.onnx'))));
    const rows = JSON.parse(readFileSync(path.join(LAB, 'assets/heldout.json'), 'utf8')).features.map((f) => Float32Array.from(f));
    const single = async () => Promise.all(rows.map((row) => session.run({ features: new ort.Tensor('float32', row, [1, 16]) })));
    const batched = async () => {
      const batcher = new DynamicBatcher({ run: sessionRunner(session), maxBatchSize: 32, maxQueueDelayMs: 2 });
      await Promise.all(rows.map((row) => batcher.infer(row)));
      await batcher.close?.();
    };
    const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    const time = async (fn) => {
      await fn();
      const times = [];
      for (let i = 0; i < rounds; i++) {
        const started = performance.now();
        await fn();
        times.push(performance.now() - started);
      }
      return median(times);
    };
    const oneAtATime = await time(single);
    const withBatcher = await time(batched);
    const perSecond = (ms) => (rows.length / ms) * 1000;
    return { rows: rows.length, oneAtATime: perSecond(oneAtATime), batched: perSecond(withBatcher), speedup: oneAtATime / withBatcher };
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(await measureBatching());
