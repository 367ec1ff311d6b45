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

export class Scheduler {
  constructor(private readonly config: SchedulerConfig) {
    // TODO: validate the configuration (README, Task 3) and set up the two queues and the free block count.
  }

  /** Puts a request at the back of the waiting queue. */
  add(request: Request): void {
    // TODO: refuse a taken id, token counts that are not positive integers, and a request that cannot fit alone.
    throw new Error(`add is not implemented yet (${JSON.stringify(request)}, ${JSON.stringify(this.config)})`);
  }

  /** True while some request waits or runs. */
  hasUnfinished(): boolean {
    throw new Error('hasUnfinished is not implemented yet');
  }

  /** A copy of one request's counters. */
  stats(id: string): RequestStats {
    throw new Error(`stats is not implemented yet (${id})`);
  }

  /** One engine step: schedule, run the forward pass, sample, and retire the finished requests. */
  step(): StepResult {
    // TODO: 1. the running queue in order: min(work left, budget) tokens each, preempting the latest running
    //          request while the blocks it needs are not free;
    //       2. unless something was preempted: the head of the waiting queue while budget, maxNumSeqs and blocks allow;
    //       3. run the step: count computed tokens, sample a token when a request has caught up, finish at maxTokens.
    throw new Error('step is not implemented yet');
  }
}

/** Runs a trace to the end: requests join the waiting queue at their arrival step, by arrival then input order. */
export function simulate(requests: readonly Request[], config: SchedulerConfig): SimulationResult {
  // TODO: from step 0, add the requests that have arrived, then step, until every request has finished.
  throw new Error(`simulate is not implemented yet (${requests.length} requests, ${JSON.stringify(config)})`);
}
