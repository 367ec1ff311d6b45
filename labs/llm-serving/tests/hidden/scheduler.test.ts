import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Scheduler, simulate, type Request, type SchedulerConfig, type StepResult } from '../src/scheduler';

// Every trace here is a step clock: nothing sleeps or reads time. The small traces were worked out by hand
// (they are the README's); the random ones are compared with the README's step, written out below as `oracle`,
// and replayed by `audit`, which checks the invariants from the StepResults alone.

type Expected = Omit<StepResult, 'step'>;
const step = (scheduled: [string, number][], rest: Partial<Expected> & Pick<Expected, 'running' | 'freeBlocks'>): Expected => ({
  scheduled: scheduled.map(([id, tokens]) => ({ id, tokens })),
  preempted: [],
  finished: [],
  waiting: [],
  ...rest,
});
const req = (id: string, promptTokens: number, maxTokens: number, arrival = 0): Request => ({ id, arrival, promptTokens, maxTokens });
function steps(result: { steps: StepResult[] }): Expected[] {
  return result.steps.map(({ step: _, ...rest }) => rest);
}

/** mulberry32: the same traces on every run. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function trace(seed: number, n: number, longest: number): Request[] {
  const rng = random(seed);
  const int = (lo: number, hi: number) => lo + Math.floor(rng() * (hi - lo + 1));
  return Array.from({ length: n }, (_, i) => req(`r${i}`, int(1, longest), int(1, 40), int(0, 30)));
}

/** The README's step, written plainly, for comparison on random traces. */
function oracle(requests: Request[], config: SchedulerConfig): Expected[] {
  const bs = config.blockSize ?? 16;
  type S = { id: string; p: number; m: number; c: number; g: number; b: number };
  const pending = requests.map((r, i) => ({ r, i })).sort((x, y) => x.r.arrival - y.r.arrival || x.i - y.i);
  let waiting: S[] = [];
  let running: S[] = [];
  let free = config.numBlocks;
  const out: Expected[] = [];
  for (let t = 0; pending.length || waiting.length || running.length; t++) {
    while (pending.length && pending[0]!.r.arrival <= t) {
      const { r } = pending.shift()!;
      waiting.push({ id: r.id, p: r.promptTokens, m: r.maxTokens, c: 0, g: 0, b: 0 });
    }
    let budget = config.maxNumBatchedTokens;
    const sched: [S, number][] = [];
    const pre: S[] = [];
    for (let i = 0; i < running.length && budget > 0; i++) {
      const s = running[i]!;
      const n = Math.min(s.p + s.g - s.c, budget);
      const need = Math.ceil((s.c + n) / bs) - s.b;
      let gone = false;
      while (need > free) {
        const v = running.pop()!;
        free += v.b;
        v.b = 0;
        v.c = 0;
        waiting = [v, ...waiting];
        pre.push(v);
        if (v === s) {
          gone = true;
          break;
        }
      }
      if (gone) break;
      free -= need;
      s.b += need;
      sched.push([s, n]);
      budget -= n;
    }
    while (!pre.length && waiting.length && budget > 0 && running.length < config.maxNumSeqs) {
      const s = waiting[0]!;
      const n = Math.min(s.p + s.g, budget);
      const need = Math.ceil(n / bs);
      if (need > free) break;
      waiting.shift();
      free -= need;
      s.b = need;
      running.push(s);
      sched.push([s, n]);
      budget -= n;
    }
    const fin: string[] = [];
    for (const [s, n] of sched) {
      s.c += n;
      if (s.c === s.p + s.g) {
        s.g++;
        if (s.g === s.m) {
          free += s.b;
          s.b = 0;
          fin.push(s.id);
        }
      }
    }
    running = running.filter((s) => !fin.includes(s.id));
    out.push({
      scheduled: sched.map(([s, n]) => ({ id: s.id, tokens: n })),
      preempted: pre.map((s) => s.id),
      finished: fin,
      running: running.map((s) => s.id),
      waiting: waiting.map((s) => s.id),
      freeBlocks: free,
    });
  }
  return out;
}

/** Replays a trace from its StepResults alone and checks what must hold whatever the policy. */
function audit(requests: Request[], config: SchedulerConfig, result: ReturnType<typeof simulate>): void {
  const bs = config.blockSize ?? 16;
  const byId = new Map(requests.map((r) => [r.id, { r, c: 0, g: 0, done: false, computed: 0, pre: 0 }]));
  for (const [t, s] of result.steps.entries()) {
    assert.equal(s.step, t, 'steps are numbered from 0');
    const tokens = s.scheduled.reduce((sum, x) => sum + x.tokens, 0);
    assert.ok(tokens <= config.maxNumBatchedTokens, `step ${t} schedules ${tokens} tokens, over the budget`);
    assert.ok(s.scheduled.length <= config.maxNumSeqs, `step ${t} schedules ${s.scheduled.length} requests`);
    assert.ok(s.running.length <= config.maxNumSeqs, `step ${t} leaves ${s.running.length} running`);
    assert.equal(new Set(s.scheduled.map((x) => x.id)).size, s.scheduled.length, `step ${t} schedules a request twice`);
    for (const id of s.preempted) {
      const q = byId.get(id)!;
      q.c = 0;
      q.pre++;
    }
    for (const x of s.scheduled) {
      const q = byId.get(x.id)!;
      assert.ok(!q.done && x.tokens >= 1 && q.c + x.tokens <= q.r.promptTokens + q.g, `step ${t}: ${x.id} gets ${x.tokens} tokens`);
      assert.ok(q.r.arrival <= t, `step ${t}: ${x.id} runs before it arrives`);
      q.c += x.tokens;
      q.computed += x.tokens;
    }
    let held = 0;
    for (const q of byId.values()) if (!q.done) held += Math.ceil(q.c / bs);
    assert.ok(held <= config.numBlocks, `step ${t} holds ${held} blocks of ${config.numBlocks}`);
    const finished: string[] = [];
    for (const x of s.scheduled) {
      const q = byId.get(x.id)!;
      if (q.c === q.r.promptTokens + q.g) q.g++;
      if (q.g === q.r.maxTokens) {
        q.done = true;
        held -= Math.ceil(q.c / bs);
        finished.push(x.id);
      }
    }
    assert.deepEqual(s.finished, finished, `step ${t} finishes the wrong requests`);
    assert.equal(s.freeBlocks, config.numBlocks - held, `step ${t} reports ${s.freeBlocks} free blocks`);
  }
  for (const [i, stats] of result.requests.entries()) {
    const q = byId.get(requests[i]!.id)!;
    assert.ok(q.done, `${q.r.id} never finished`);
    assert.equal(stats.id, q.r.id);
    assert.equal(stats.outputTokens, q.r.maxTokens, `${q.r.id} output tokens`);
    assert.equal(stats.computedTokens, q.computed, `${q.r.id} computed tokens`);
    assert.equal(stats.preemptions, q.pre, `${q.r.id} preemptions`);
  }
}

/** Static batching: a batch forms when the server is idle, reserves each request's full length, and runs until its longest request ends. */
function staticThroughput(requests: Request[], config: SchedulerConfig): number {
  const bs = config.blockSize ?? 16;
  const queue = [...requests].sort((a, b) => a.arrival - b.arrival);
  let clock = 0;
  let outputs = 0;
  while (queue.length) {
    const batch: Request[] = [];
    let blocks = 0;
    while (queue.length && queue[0]!.arrival <= clock && batch.length < config.maxNumSeqs) {
      const need = Math.ceil((queue[0]!.promptTokens + queue[0]!.maxTokens - 1) / bs);
      if (blocks + need > config.numBlocks) break;
      blocks += need;
      batch.push(queue.shift()!);
    }
    if (!batch.length) {
      clock = queue[0]!.arrival;
      continue;
    }
    const prompt = batch.reduce((sum, r) => sum + r.promptTokens, 0);
    clock += Math.ceil(prompt / config.maxNumBatchedTokens) + Math.max(...batch.map((r) => r.maxTokens)) - 1;
    outputs += batch.reduce((sum, r) => sum + r.maxTokens, 0);
  }
  return outputs / clock;
}

describe('scheduler', () => {
  it('runs the README’s first trace step by step', () => {
    const config = { numBlocks: 8, maxNumSeqs: 4, maxNumBatchedTokens: 32 };
    const result = simulate([req('a', 20, 3), req('b', 40, 2), req('c', 5, 4, 1)], config);
    assert.deepEqual(steps(result), [
      step(
        [
          ['a', 20],
          ['b', 12],
        ],
        { running: ['a', 'b'], freeBlocks: 5 },
      ),
      step(
        [
          ['a', 1],
          ['b', 28],
          ['c', 3],
        ],
        { running: ['a', 'b', 'c'], freeBlocks: 2 },
      ),
      step(
        [
          ['a', 1],
          ['b', 1],
          ['c', 2],
        ],
        { finished: ['a', 'b'], running: ['c'], freeBlocks: 7 },
      ),
      step([['c', 1]], { running: ['c'], freeBlocks: 7 }),
      step([['c', 1]], { running: ['c'], freeBlocks: 7 }),
      step([['c', 1]], { finished: ['c'], running: [], freeBlocks: 8 }),
    ]);
  });

  it('schedules every running decode before new prefills, which get what is left of the budget', () => {
    const s = new Scheduler({ numBlocks: 100, maxNumSeqs: 8, maxNumBatchedTokens: 10 });
    s.add(req('a', 4, 5));
    s.add(req('b', 3, 5));
    s.step();
    s.add(req('c', 30, 2));
    s.add(req('d', 2, 2));
    assert.deepEqual(s.step().scheduled, [
      { id: 'a', tokens: 1 },
      { id: 'b', tokens: 1 },
      { id: 'c', tokens: 8 },
    ]);
    const third = s.step();
    assert.deepEqual(third.scheduled, [
      { id: 'a', tokens: 1 },
      { id: 'b', tokens: 1 },
      { id: 'c', tokens: 8 },
    ]);
    assert.deepEqual(third.waiting, ['d']);
  });

  it('chunks a prompt longer than the budget over several steps, then decodes one token a step', () => {
    const result = simulate([req('long', 100, 3)], { numBlocks: 10, maxNumSeqs: 2, maxNumBatchedTokens: 32 });
    assert.deepEqual(
      result.steps.map((s) => s.scheduled.map((x) => x.tokens)),
      [[32], [32], [32], [4], [1], [1]],
    );
    assert.deepEqual(
      result.steps.map((s) => s.freeBlocks),
      [8, 6, 4, 3, 3, 10],
    );
    const [stats] = result.requests;
    assert.deepEqual(stats, { id: 'long', firstScheduledStep: 0, firstTokenStep: 3, finishStep: 5, outputTokens: 3, computedTokens: 102, preemptions: 0 });
  });

  it('continues a partial prefill after the decodes and admits a new request only with budget left', () => {
    const result = simulate([req('a', 8, 6), req('b', 50, 2), req('c', 4, 1, 2)], { numBlocks: 20, maxNumSeqs: 4, maxNumBatchedTokens: 20 });
    assert.deepEqual(
      result.steps.slice(0, 4).map((s) => s.scheduled.map((x) => `${x.id}${x.tokens}`)),
      [
        ['a8', 'b12'],
        ['a1', 'b19'],
        ['a1', 'b19'],
        ['a1', 'b1', 'c4'],
      ],
    );
    assert.deepEqual(result.steps[3]!.finished, ['b', 'c']);
  });

  it('never runs more than maxNumSeqs requests; the others wait in arrival order', () => {
    const result = simulate([req('a', 4, 3), req('b', 4, 3), req('c', 4, 1), req('d', 4, 1)], { numBlocks: 50, maxNumSeqs: 2, maxNumBatchedTokens: 64 });
    assert.deepEqual(
      steps(result).map((s) => [s.scheduled.map((x) => x.id), s.running, s.waiting]),
      [
        [
          ['a', 'b'],
          ['a', 'b'],
          ['c', 'd'],
        ],
        [
          ['a', 'b'],
          ['a', 'b'],
          ['c', 'd'],
        ],
        [['a', 'b'], [], ['c', 'd']],
        [['c', 'd'], [], []],
      ],
    );
  });

  it('holds ceil(tokens / blockSize) blocks: a new block on the 17th token, none for the last output', () => {
    const result = simulate([req('a', 15, 4)], { numBlocks: 5, maxNumSeqs: 1, maxNumBatchedTokens: 16 });
    assert.deepEqual(
      result.steps.map((s) => s.freeBlocks),
      [4, 4, 3, 5],
    );
    const exact = simulate([req('b', 14, 3)], { numBlocks: 1, maxNumSeqs: 1, maxNumBatchedTokens: 16 });
    assert.deepEqual(
      exact.steps.map((s) => s.freeBlocks),
      [0, 0, 1],
    );
    const small = simulate([req('c', 10, 2)], { numBlocks: 4, blockSize: 4, maxNumSeqs: 1, maxNumBatchedTokens: 8 });
    assert.deepEqual(
      small.steps.map((s) => s.freeBlocks),
      [2, 1, 4],
    );
  });

  it('keeps a waiting request that does not fit the free blocks waiting, and the ones behind it too', () => {
    const result = simulate([req('a', 40, 3), req('big', 40, 1), req('small', 2, 1)], { numBlocks: 5, maxNumSeqs: 4, maxNumBatchedTokens: 128 });
    assert.deepEqual(
      steps(result).map((s) => [s.scheduled.map((x) => x.id), s.waiting, s.freeBlocks]),
      [
        [['a'], ['big', 'small'], 2],
        [['a'], ['big', 'small'], 2],
        [['a'], ['big', 'small'], 5],
        [['big', 'small'], [], 5],
      ],
    );
  });

  it('returns a finished request’s blocks after its step, for the next step to use', () => {
    const result = simulate([req('a', 16, 1), req('b', 20, 1)], { numBlocks: 2, maxNumSeqs: 2, maxNumBatchedTokens: 64 });
    assert.deepEqual(steps(result), [
      step([['a', 16]], { finished: ['a'], running: [], waiting: ['b'], freeBlocks: 2 }),
      step([['b', 20]], { finished: ['b'], running: [], freeBlocks: 2 }),
    ]);
    const pressed = simulate([req('a', 16, 2), req('b', 16, 2)], { numBlocks: 2, maxNumSeqs: 2, maxNumBatchedTokens: 64 });
    assert.deepEqual(
      steps(pressed).map((s) => [s.scheduled.map((x) => `${x.id}${x.tokens}`), s.preempted, s.finished, s.freeBlocks]),
      [
        [['a16', 'b16'], [], [], 0],
        [['a1'], ['b'], ['a'], 2],
        [['b17'], [], ['b'], 2],
      ],
    );
  });

  it('samples the first token in the step the prefill completes; maxTokens 1 finishes there', () => {
    const result = simulate([req('one', 7, 1), req('two', 7, 2)], { numBlocks: 4, maxNumSeqs: 4, maxNumBatchedTokens: 16 });
    assert.deepEqual(steps(result), [
      step(
        [
          ['one', 7],
          ['two', 7],
        ],
        { finished: ['one'], running: ['two'], freeBlocks: 3 },
      ),
      step([['two', 1]], { finished: ['two'], running: [], freeBlocks: 4 }),
    ]);
    assert.deepEqual(
      result.requests.map((r) => [r.firstTokenStep, r.finishStep, r.computedTokens]),
      [
        [0, 0, 7],
        [0, 1, 8],
      ],
    );
  });

  it('rejects a configuration or a request that is not valid with a RangeError', () => {
    const ok = { numBlocks: 10, maxNumSeqs: 4, maxNumBatchedTokens: 16 };
    for (const config of [
      { ...ok, numBlocks: 0 },
      { ...ok, maxNumSeqs: 0 },
      { ...ok, maxNumBatchedTokens: 3 },
      { ...ok, maxNumSeqs: 2.5 },
      { ...ok, blockSize: 0 },
      { ...ok, numBlocks: Number.NaN },
    ])
      assert.throws(() => new Scheduler(config), RangeError, JSON.stringify(config));
    assert.doesNotThrow(() => new Scheduler({ ...ok, maxNumBatchedTokens: 4 }));
    const s = new Scheduler(ok);
    s.add(req('a', 4, 4));
    for (const bad of [req('a', 4, 4), req('b', 0, 4), req('c', 4, 0), req('d', 4.5, 4), req('e', 150, 12), req('f', 100, 62)])
      assert.throws(() => s.add(bad), RangeError, JSON.stringify(bad));
    assert.doesNotThrow(() => s.add(req('g', 100, 61)));
    assert.throws(() => s.stats('nobody'), RangeError);
    assert.throws(() => simulate([req('x', 4, 4, -1)], ok), RangeError);
    assert.throws(() => simulate([req('x', 4, 4, 0.5)], ok), RangeError);
  });

  it('matches the README’s step on random traces with blocks to spare', () => {
    for (const seed of [1, 2, 3, 4, 5, 6]) {
      const requests = trace(seed, 40, 90);
      const config = { numBlocks: 4000, maxNumSeqs: 6, maxNumBatchedTokens: 48 };
      const result = simulate(requests, config);
      assert.deepEqual(steps(result), oracle(requests, config), `seed ${seed}`);
      assert.ok(result.steps.every((s) => s.preempted.length === 0));
    }
  });

  it('never exceeds the token budget, maxNumSeqs or the block pool, and finishes every request', () => {
    for (const seed of [11, 12, 13, 14, 15, 16, 17, 18]) {
      const requests = trace(seed, 50, 120);
      const config = { numBlocks: 24 + (seed % 4) * 8, maxNumSeqs: 3 + (seed % 5), maxNumBatchedTokens: 40 + seed };
      audit(requests, config, simulate(requests, config));
    }
  });
});

describe('preemption and traces', () => {
  const tight = { numBlocks: 4, blockSize: 4, maxNumSeqs: 4, maxNumBatchedTokens: 16 };

  it('preempts the latest running request when a decode needs a block, and admits no one that step', () => {
    const result = simulate([req('A', 6, 5), req('B', 5, 4)], tight);
    assert.deepEqual(steps(result), [
      step(
        [
          ['A', 6],
          ['B', 5],
        ],
        { running: ['A', 'B'], freeBlocks: 0 },
      ),
      step(
        [
          ['A', 1],
          ['B', 1],
        ],
        { running: ['A', 'B'], freeBlocks: 0 },
      ),
      step(
        [
          ['A', 1],
          ['B', 1],
        ],
        { running: ['A', 'B'], freeBlocks: 0 },
      ),
      step([['A', 1]], { preempted: ['B'], running: ['A'], waiting: ['B'], freeBlocks: 1 }),
      step([['A', 1]], { finished: ['A'], running: [], waiting: ['B'], freeBlocks: 4 }),
      step([['B', 8]], { finished: ['B'], running: [], freeBlocks: 4 }),
    ]);
  });

  it('recomputes the prompt and the generated tokens when a preempted request resumes, and counts them', () => {
    const result = simulate([req('A', 6, 5), req('B', 5, 4)], tight);
    assert.deepEqual(result.requests, [
      { id: 'A', firstScheduledStep: 0, firstTokenStep: 0, finishStep: 4, outputTokens: 5, computedTokens: 10, preemptions: 0 },
      { id: 'B', firstScheduledStep: 0, firstTokenStep: 0, finishStep: 5, outputTokens: 4, computedTokens: 15, preemptions: 1 },
    ]);
    assert.equal(result.outputTokens, 9);
    assert.equal(result.totalSteps, 6);
    assert.equal(result.throughput, 1.5);
  });

  it('puts a preempted request at the front of the waiting queue, and never lets a later one pass it', () => {
    const result = simulate([req('A', 6, 5), req('B', 5, 4), req('C', 2, 1)], { ...tight, maxNumSeqs: 2 });
    assert.deepEqual(
      steps(result).map((s) => [s.scheduled.map((x) => `${x.id}${x.tokens}`), s.waiting]),
      [
        [['A6', 'B5'], ['C']],
        [['A1', 'B1'], ['C']],
        [['A1', 'B1'], ['C']],
        [['A1'], ['B', 'C']],
        [['A1'], ['B', 'C']],
        [['B8', 'C2'], []],
      ],
    );
  });

  it('preempts the request itself when it is the latest one running, and stops the pass there', () => {
    const s = new Scheduler({ numBlocks: 3, blockSize: 4, maxNumSeqs: 4, maxNumBatchedTokens: 16 });
    s.add(req('A', 4, 3));
    s.add(req('B', 4, 2));
    s.step();
    const second = s.step();
    assert.deepEqual(second, { step: 1, scheduled: [{ id: 'A', tokens: 1 }], preempted: ['B'], finished: [], running: ['A'], waiting: ['B'], freeBlocks: 1 });
    assert.deepEqual(s.step().scheduled, [{ id: 'A', tokens: 1 }]);
    assert.deepEqual(s.step(), { step: 3, scheduled: [{ id: 'B', tokens: 5 }], preempted: [], finished: ['B'], running: [], waiting: [], freeBlocks: 3 });
    assert.equal(s.hasUnfinished(), false);
    assert.deepEqual(s.stats('B'), { id: 'B', firstScheduledStep: 0, firstTokenStep: 0, finishStep: 3, outputTokens: 2, computedTokens: 9, preemptions: 1 });
  });

  it('preempts as many as it takes, latest first, and keeps their order at the front of the queue', () => {
    const s = new Scheduler({ numBlocks: 6, blockSize: 4, maxNumSeqs: 8, maxNumBatchedTokens: 64 });
    s.add(req('old', 8, 9));
    s.add(req('w', 2, 1));
    s.step();
    for (const id of ['x', 'y', 'z']) s.add(req(id, 4, 6));
    s.add(req('late', 3, 1));
    const second = s.step();
    assert.deepEqual(second.running, ['old', 'x', 'y', 'z']);
    assert.deepEqual(second.waiting, ['late']);
    assert.equal(second.freeBlocks, 0);
    const third = s.step();
    assert.deepEqual(third.preempted, ['z', 'y']);
    assert.deepEqual(third.scheduled, [
      { id: 'old', tokens: 1 },
      { id: 'x', tokens: 1 },
    ]);
    assert.deepEqual(third.waiting, ['y', 'z', 'late']);
    assert.equal(third.freeBlocks, 1);
  });

  it('finishes every request under memory pressure, none starved, the oldest never preempted', () => {
    for (const seed of [21, 22, 23, 24, 25, 26, 27, 28]) {
      const requests = trace(seed, 60, 60);
      const config = { numBlocks: 8 + (seed % 3) * 2, maxNumSeqs: 8, maxNumBatchedTokens: 64 };
      const result = simulate(requests, config);
      audit(requests, config, result);
      assert.ok(
        result.steps.some((s) => s.preempted.length > 0),
        `seed ${seed} should preempt`,
      );
      for (const s of result.steps) {
        const before = result.steps[s.step - 1]?.running ?? [];
        if (s.preempted.length) assert.ok(!s.preempted.includes(before[0]!) || s.preempted.length === before.length, `seed ${seed} step ${s.step}`);
      }
    }
  });

  it('matches the README’s step on random traces with preemption', () => {
    for (const seed of [31, 32, 33, 34, 35, 36]) {
      const requests = trace(seed, 50, 70);
      const config = { numBlocks: 14 + (seed % 3) * 2, blockSize: 8 * (1 + (seed % 2)), maxNumSeqs: 3 + (seed % 4), maxNumBatchedTokens: 32 };
      const result = simulate(requests, config);
      assert.ok(
        result.steps.some((s) => s.preempted.length > 0),
        `seed ${seed} should preempt`,
      );
      assert.deepEqual(steps(result), oracle(requests, config), `seed ${seed}`);
    }
  });

  it('releases requests at their arrival step, ties in input order, and counts idle steps', () => {
    const result = simulate([req('late', 3, 1, 4), req('b', 3, 1, 2), req('a', 3, 1, 2)], { numBlocks: 4, maxNumSeqs: 4, maxNumBatchedTokens: 16 });
    assert.equal(result.totalSteps, 5);
    assert.deepEqual(
      result.steps.map((s) => s.scheduled.map((x) => x.id)),
      [[], [], ['b', 'a'], [], ['late']],
    );
    assert.deepEqual(
      result.requests.map((r) => [r.id, r.firstScheduledStep, r.finishStep]),
      [
        ['late', 4, 4],
        ['b', 2, 2],
        ['a', 2, 2],
      ],
    );
    assert.equal(result.throughput, 3 / 5);
    const empty = simulate([], { numBlocks: 4, maxNumSeqs: 4, maxNumBatchedTokens: 16 });
    assert.deepEqual([empty.steps, empty.requests, empty.totalSteps, empty.outputTokens, empty.throughput], [[], [], 0, 0, 0]);
  });

  it('beats static batching’s tokens per step on a mixed-length trace', () => {
    const rng = random(99);
    const requests = Array.from({ length: 64 }, (_, i) =>
      req(`m${i}`, 16 + Math.floor(rng() * 200), i % 4 === 0 ? 200 : 4 + Math.floor(rng() * 30), Math.floor(i / 8) * 10),
    );
    const config = { numBlocks: 400, maxNumSeqs: 16, maxNumBatchedTokens: 256 };
    const result = simulate(requests, config);
    audit(requests, config, result);
    const baseline = staticThroughput(requests, config);
    assert.ok(result.throughput > 1.5 * baseline, `continuous ${result.throughput.toFixed(2)} vs static ${baseline.toFixed(2)} tokens per step`);
  });
});
