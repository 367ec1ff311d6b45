/**
 * A continuous-batching scheduler in the style of vLLM's V1 engine, on a simulated step clock: FCFS waiting and
 * running queues, a token budget per step shared by decodes and (chunked) prefills, paged KV blocks, and
 * preemption by recomputation when the blocks run out.
 */

export interface Request {
  id: string;
  /** The step at which the request reaches the server (used by `simulate`). */
  arrival: number;
  promptTokens: number;
  /** Output tokens to generate; the request finishes when it has produced this many. */
  maxTokens: number;
}

export interface SchedulerConfig {
  /** KV blocks in the pool. */
  numBlocks: number;
  /** Tokens per block; defaults to 16. */
  blockSize?: number;
  /** At most this many requests in the running queue. */
  maxNumSeqs: number;
  /** At most this many tokens scheduled in one step. */
  maxNumBatchedTokens: number;
}

export interface Scheduled {
  id: string;
  tokens: number;
}

export interface StepResult {
  step: number;
  scheduled: Scheduled[];
  preempted: string[];
  finished: string[];
  running: string[];
  waiting: string[];
  freeBlocks: number;
}

export interface RequestStats {
  id: string;
  firstScheduledStep: number | null;
  firstTokenStep: number | null;
  finishStep: number | null;
  outputTokens: number;
  computedTokens: number;
  preemptions: number;
}

export interface SimulationResult {
  steps: StepResult[];
  requests: RequestStats[];
  totalSteps: number;
  outputTokens: number;
  throughput: number;
}

interface Sequence {
  request: Request;
  computed: number;
  generated: number;
  blocks: number;
  stats: RequestStats;
}

function positiveInteger(value: number): number {
  if (!Number.isInteger(value) || value < 1) throw new RangeError(`expected a positive integer, got ${value}`);
  return value;
}

export class Scheduler {
  private readonly numBlocks: number;
  private readonly blockSize: number;
  private readonly maxNumSeqs: number;
  private readonly maxNumBatchedTokens: number;
  private readonly sequences = new Map<string, Sequence>();
  private waiting: Sequence[] = [];
  private running: Sequence[] = [];
  private free: number;
  private clock = 0;

  constructor(config: SchedulerConfig) {
    this.numBlocks = positiveInteger(config.numBlocks);
    this.blockSize = positiveInteger(config.blockSize ?? 16);
    this.maxNumSeqs = positiveInteger(config.maxNumSeqs);
    this.maxNumBatchedTokens = positiveInteger(config.maxNumBatchedTokens);
    if (this.maxNumBatchedTokens < this.maxNumSeqs) throw new RangeError('maxNumBatchedTokens must be at least maxNumSeqs');
    this.free = this.numBlocks;
  }

  /** Puts a request at the back of the waiting queue. */
  add(request: Request): void {
    if (this.sequences.has(request.id)) throw new RangeError(`request id ${request.id} is taken`);
    positiveInteger(request.promptTokens);
    positiveInteger(request.maxTokens);
    if (Math.ceil((request.promptTokens + request.maxTokens - 1) / this.blockSize) > this.numBlocks)
      throw new RangeError(`request ${request.id} cannot fit in the KV cache even alone`);
    const stats: RequestStats = {
      id: request.id,
      firstScheduledStep: null,
      firstTokenStep: null,
      finishStep: null,
      outputTokens: 0,
      computedTokens: 0,
      preemptions: 0,
    };
    const sequence: Sequence = { request, computed: 0, generated: 0, blocks: 0, stats };
    this.sequences.set(request.id, sequence);
    this.waiting.push(sequence);
  }

  /** True while some request waits or runs. */
  hasUnfinished(): boolean {
    return this.waiting.length + this.running.length > 0;
  }

  /** A copy of one request's counters. */
  stats(id: string): RequestStats {
    const sequence = this.sequences.get(id);
    if (!sequence) throw new RangeError(`unknown request ${id}`);
    return { ...sequence.stats };
  }

  /** One engine step: schedule, run the forward pass, sample, and retire the finished requests. */
  step(): StepResult {
    const step = this.clock++;
    let budget = this.maxNumBatchedTokens;
    const scheduled: [Sequence, number][] = [];
    const preempted: Sequence[] = [];

    // The running queue first, in order: a decode needs one token, an unfinished chunked prefill its next chunk.
    // The budget cannot run out before the last running request: decodes take one token each, the budget is at
    // least maxNumSeqs, and only the latest admitted request can still be in the middle of its prefill.
    let index = 0;
    while (index < this.running.length) {
      const sequence = this.running[index]!;
      const tokens = Math.min(sequence.request.promptTokens + sequence.generated - sequence.computed, budget);
      const needed = Math.ceil((sequence.computed + tokens) / this.blockSize) - sequence.blocks;
      let victim: Sequence | undefined;
      while (needed > this.free && victim !== sequence) {
        victim = this.running.pop()!;
        this.free += victim.blocks;
        victim.blocks = 0;
        victim.computed = 0;
        victim.stats.preemptions += 1;
        this.waiting.unshift(victim);
        preempted.push(victim);
      }
      if (victim === sequence) break;
      this.free -= needed;
      sequence.blocks += needed;
      scheduled.push([sequence, tokens]);
      budget -= tokens;
      index += 1;
    }

    // Then the waiting queue, head first, unless this step had to preempt.
    if (preempted.length === 0) {
      while (this.waiting.length > 0 && budget > 0 && this.running.length < this.maxNumSeqs) {
        const sequence = this.waiting[0]!;
        const tokens = Math.min(sequence.request.promptTokens + sequence.generated, budget);
        const needed = Math.ceil(tokens / this.blockSize);
        if (needed > this.free) break;
        this.waiting.shift();
        this.free -= needed;
        sequence.blocks = needed;
        this.running.push(sequence);
        scheduled.push([sequence, tokens]);
        budget -= tokens;
      }
    }

    const finished: string[] = [];
    for (const [sequence, tokens] of scheduled) {
      const stats = sequence.stats;
      stats.firstScheduledStep ??= step;
      stats.computedTokens += tokens;
      sequence.computed += tokens;
      if (sequence.computed < sequence.request.promptTokens + sequence.generated) continue;
      sequence.generated += 1;
      stats.outputTokens = sequence.generated;
      stats.firstTokenStep ??= step;
      if (sequence.generated < sequence.request.maxTokens) continue;
      stats.finishStep = step;
      this.free += sequence.blocks;
      sequence.blocks = 0;
      finished.push(sequence.request.id);
    }
    this.running = this.running.filter((sequence) => sequence.blocks > 0);

    return {
      step,
      scheduled: scheduled.map(([sequence, tokens]) => ({ id: sequence.request.id, tokens })),
      preempted: preempted.map((sequence) => sequence.request.id),
      finished,
      running: this.running.map((sequence) => sequence.request.id),
      waiting: this.waiting.map((sequence) => sequence.request.id),
      freeBlocks: this.free,
    };
  }
}

/** Runs a trace to the end: requests join the waiting queue at their arrival step, by arrival then input order. */
export function simulate(requests: readonly Request[], config: SchedulerConfig): SimulationResult {
  const scheduler = new Scheduler(config);
  for (const request of requests) {
    if (!Number.isInteger(request.arrival) || request.arrival < 0) throw new RangeError(`arrival must be an integer ≥ 0, got ${request.arrival}`);
  }
  const order = [...requests].sort((a, b) => a.arrival - b.arrival);
  const steps: StepResult[] = [];
  let next = 0;
  while (next < order.length || scheduler.hasUnfinished()) {
    while (next < order.length && order[next]!.arrival <= steps.length) scheduler.add(order[next++]!);
    steps.push(scheduler.step());
  }
  const stats = requests.map((request) => scheduler.stats(request.id));
  const outputTokens = stats.reduce((sum, s) => sum + s.outputTokens, 0);
  return { steps, requests: stats, totalSteps: steps.length, outputTokens, throughput: steps.length === 0 ? 0 : outputTokens / steps.length };
}
