// The llm-serving lab's reference scheduler on a mixed-length trace, beside static batching on the same trace:
// output tokens per simulated step, and their ratio. A figure to read, never a test; the hidden suite asserts
// only that continuous batching comes out ahead.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
// Llama-3-8B on the lab's H100 example holds 26,624 blocks; the trace is scaled down with the pool, so a
// batch of long requests does press on the blocks.
const CONFIG = { numBlocks: 2048, blockSize: 16, maxNumSeqs: 64, maxNumBatchedTokens: 2048 };

/** A small deterministic generator (mulberry32), so every run schedules the same trace. */
function random(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Chat-like traffic: mostly short answers, one request in eight a long one, arriving in bursts. */
function trace() {
  const rng = random(2024);
  return Array.from({ length: 1000 }, (_, i) => ({
    id: `r${i}`,
    arrival: Math.floor(i / 25) * 20,
    promptTokens: 32 + Math.floor(rng() * 1000),
    maxTokens: i % 8 === 0 ? 512 + Math.floor(rng() * 512) : 8 + Math.floor(rng() * 120),
  }));
}

/** Static batching: a batch forms when the server is idle, reserves each request's full length, and runs until its longest request ends. */
function staticBatching(requests, config) {
  const queue = [...requests].sort((a, b) => a.arrival - b.arrival);
  let clock = 0;
  let outputs = 0;
  while (queue.length) {
    const batch = [];
    let blocks = 0;
    while (queue.length && queue[0].arrival <= clock && batch.length < config.maxNumSeqs) {
      const need = Math.ceil((queue[0].promptTokens + queue[0].maxTokens - 1) / config.blockSize);
      if (blocks + need > config.numBlocks) break;
      blocks += need;
      batch.push(queue.shift());
    }
    if (!batch.length) {
      clock = queue[0].arrival;
      continue;
    }
    const prompt = batch.reduce((sum, r) => sum + r.promptTokens, 0);
    clock += Math.ceil(prompt / config.maxNumBatchedTokens) + Math.max(...batch.map((r) => r.maxTokens)) - 1;
    outputs += batch.reduce((sum, r) => sum + r.maxTokens, 0);
  }
  return { steps: clock, outputs, throughput: outputs / clock };
}

export async function measureLlmServing() {
  mkdirSync(path.join(root, '.tmp'), { recursive: true });
  const out = mkdtempSync(path.join(root, '.tmp', 'bench-llm-'));
  try {
    const outfile = path.join(out, 'scheduler.cjs');
    await esbuild.build({
      entryPoints: [path.join(root, 'labs/llm-serving/solution/scheduler.ts')],
      bundle: true,
      platform: 'node',
      format: 'cjs',
      outfile,
      logLevel: 'silent',
    });
    const { simulate } = require(outfile);
    const requests = trace();
    const continuous = simulate(requests, CONFIG);
    const batched = staticBatching(requests, CONFIG);
    if (continuous.outputTokens !== batched.outputs) throw new Error('the two schedulers produced different numbers of tokens');
    return {
      requests: requests.length,
      continuous: continuous.throughput,
      continuousSteps: continuous.totalSteps,
      preemptions: continuous.requests.reduce((n, r) => n + r.preemptions, 0),
      static: batched.throughput,
      staticSteps: batched.steps,
      ratio: continuous.throughput / batched.throughput,
    };
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const r = await measureLlmServing();
  console.log(
    `llm-serving, ${r.requests} mixed-length requests: continuous ${r.continuous.toFixed(1)} tokens/step (${r.continuousSteps} steps, ${r.preemptions} preemptions) vs static ${r.static.toFixed(1)} tokens/step (${r.staticSteps} steps): ${r.ratio.toFixed(2)}×`,
  );
}
