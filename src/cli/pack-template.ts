/**
 * `mlops-labs pack init`: the files of a new lab pack that validates as written. It holds one real example of
 * each kind (a question and a small lab with starter, solution, public and hidden tests), so an author edits
 * working content instead of reading the format from scratch.
 */
import { LOCAL_ID } from '../core/catalog/ids';

export interface PackTemplateOptions {
  id: string;
  name: string;
  author: string;
}

const VERSION = '0.1.0';
const LAB_ID = 'latency-slo';
const QUESTION_ID = 'latency-slo-alerting';
const LAB = `labs/${LAB_ID}`;

/** Relative path → content of a new pack. Only pack.json names the pack: everything else uses local ids. */
export function packTemplate(options: PackTemplateOptions): Map<string, string> {
  const { id, name, author } = options;
  if (!LOCAL_ID.test(id) || id.length > 64) throw new RangeError(`pack id "${id}" must be kebab-case (a-z, 0-9 and single hyphens), at most 64 characters`);
  if (id === 'core') throw new RangeError('pack id "core" is the built-in pack\'s: choose another');
  if (!name.trim()) throw new RangeError('the pack needs a name');
  if (!author.trim()) throw new RangeError('the pack needs an author');

  const manifest = {
    id,
    name,
    version: VERSION,
    author,
    description: `${name}: interview questions and hands-on labs.`,
    questions: ['questions'],
    labs: ['labs'],
  };
  return new Map([
    ['pack.json', json(manifest)],
    ['README.md', rootReadme(name, author)],
    [`questions/05-serving/01-${QUESTION_ID}.md`, QUESTION],
    [`${LAB}/lab.json`, json(LAB_MANIFEST)],
    [`${LAB}/README.md`, LAB_README],
    [`${LAB}/starter/slo.ts`, STARTER],
    [`${LAB}/solution/slo.ts`, SOLUTION],
    [`${LAB}/tests/public/slo.test.ts`, PUBLIC_TESTS],
    [`${LAB}/tests/hidden/slo.test.ts`, HIDDEN_TESTS],
  ]);
}

function json(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

function rootReadme(name: string, author: string): string {
  return `# ${name}

A lab pack for MLOps Interview Labs by ${author}. It starts with one example of each kind; edit them or
replace them with your own.

| path | what it is |
| --- | --- |
| \`pack.json\` | the pack's id (the namespace of everything in it), name, version and author |
| \`questions/05-serving/01-${QUESTION_ID}.md\` | an example question: front matter, then Short answer, Answer, Pitfalls, Follow-ups |
| \`${LAB}/\` | an example lab: \`lab.json\`, \`README.md\`, \`starter/\`, \`solution/\`, \`tests/public/\`, \`tests/hidden/\` |

The formats are in the extension's \`docs/formats.md\`; the author's guide is \`docs/packs.md\`.

## Next commands

Run these in this folder:

\`\`\`bash
npx mlops-labs validate .               # schemas, ids, links; solutions pass, starters fail, nothing leaks
npx mlops-labs pack build . --student   # <pack id>-<version>-student.zip: for candidates, no solutions or hidden tests
npx mlops-labs pack build . --full      # <pack id>-<version>-full.zip: for the grader only; keep it private
\`\`\`

Bump \`version\` in \`pack.json\` for every release, and a lab's \`version\` in its \`lab.json\` whenever its
starter or tests change.
`;
}

const QUESTION = `---
id: ${QUESTION_ID}
title: How would you set a latency SLO for a model endpoint, and when would you page on it?
section: serving
difficulty: mid
tags: [slo, latency, error-budget, alerting, percentiles]
labs: [${LAB_ID}]
updated: "2026-11-27"
---

A recommendation model answers about 500 requests per second behind an HTTP API. Product asks for "fast"
responses, and the on-call team is tired of latency alerts that fire and clear on their own.

## Short answer

Define the SLI as the share of requests answered successfully within a threshold, measured where the client
sees it (the gateway or load balancer), and set the SLO on it over a rolling window: for example, 99% of
requests within 300 ms over 30 days. One minus the target is the error budget, here 1% of requests. Alert on
the burn rate, the bad fraction of a window divided by the budget, not on an instantaneous p99: a burn rate
of 1 spends the budget exactly by the end of the period. Page when the last hour burns at 14.4 or more (2%
of a 30-day budget in one hour) and the last 5 minutes confirm it is still happening; open a ticket for slow
burns measured over days.

## Answer

### SLI, SLO and error budget

| term | for this endpoint |
| --- | --- |
| SLI | good requests / all requests; good = a non-error response within 300 ms, end to end |
| SLO | SLI ≥ 99% over a rolling 30 days |
| error budget | 1% of requests: about 13 million of the 1.3 billion a month brings at 500 per second |
| burn rate | (bad / total in a window) / 0.01 |

Measure end to end: pre-processing, feature lookups, the queue in front of a dynamic batcher, inference and
post-processing. A model that infers in 20 ms still misses a 300 ms objective if requests wait 300 ms for a
batch slot. Count errors and timeouts as bad: a request that fails fast is not a fast answer.

### Percentiles and thresholds

A percentile describes a distribution; an SLO needs a ratio of good requests, because counts add up across
replicas and time.

- Never average percentiles: the mean of twenty pods' p99 is not the fleet's p99. Aggregate the raw data
  (histogram bucket counters) and compute the percentile once.
- With Prometheus histograms, make the threshold a bucket boundary (\`le="0.3"\`). The count of good requests
  is then exact, whereas \`histogram_quantile()\` interpolates inside a bucket and is an estimate.
- A percentile needs samples. With the nearest-rank definition, p99 of 50 requests is the slowest of them;
  a quiet endpoint needs a longer window or synthetic probes.

Tail latency compounds with fan-out: if a request waits on 100 shards that each answer slowly 1% of the
time, 1 − 0.99¹⁰⁰ ≈ 63% of requests meet at least one slow shard.

### Alerting on burn rate

A burn rate B held for a window w spends B × w / period of the budget. The starting point that Google's SRE
Workbook suggests for a 30-day period:

| action | long window | short window | burn rate | budget spent in the long window |
| --- | --- | --- | --- | --- |
| page | 1 hour | 5 minutes | 14.4 | 2% |
| page | 6 hours | 30 minutes | 6 | 5% |
| ticket | 3 days | 6 hours | 1 | 10% |

Both windows must exceed the rate: the long one shows the problem is large enough to matter, the short one
that it is still going on, so the alert clears within minutes of recovery instead of an hour later. The first
row as a Prometheus rule, where good requests are the non-5xx responses in the 300 ms bucket:

\`\`\`yaml
groups:
  - name: recommender-slo
    rules:
      - alert: RecommenderLatencyBudgetBurn
        expr: |
          (1 - sum(rate(http_request_duration_seconds_bucket{job="recommender", code!~"5..", le="0.3"}[1h]))
             / sum(rate(http_request_duration_seconds_count{job="recommender"}[1h]))) / 0.01 > 14.4
          and
          (1 - sum(rate(http_request_duration_seconds_bucket{job="recommender", code!~"5..", le="0.3"}[5m]))
             / sum(rate(http_request_duration_seconds_count{job="recommender"}[5m]))) / 0.01 > 14.4
        labels:
          severity: page
\`\`\`

### When the budget runs out

An error-budget policy says in advance what happens: risky changes (a new model version, a new batching
configuration) wait until the endpoint is back within its objective, and the team's time goes to
reliability. Budget left at the end of a period is room for faster canaries and experiments.

## Pitfalls

- Alerting on mean latency: a healthy mean hides a slow tail.
- Paging on a one-minute p99: at low traffic it swings on a handful of requests, and it fires and clears
  without saying how much budget is gone.
- Timing only the model call: queueing, feature fetches and serialisation are often most of the latency.
- A 100% target: no budget, so every slow request is an incident and no change is ever safe.

## Follow-ups

- How does dynamic batching change your latency budget, and how would you choose its maximum wait?
- The endpoint serves two requests a minute at night. How do you alert on its SLO?
- A bad rollout spent the month's budget in a day. What changes for the rest of the month?
`;

const LAB_MANIFEST = {
  id: LAB_ID,
  version: '1.0.0',
  title: 'Latency SLO calculator',
  summary: 'Compute nearest-rank latency percentiles and the error-budget burn rate that decides whether on-call gets paged.',
  difficulty: 'junior',
  estimatedMinutes: 25,
  questions: [QUESTION_ID],
  tasks: [
    {
      id: 1,
      title: 'Nearest-rank percentile',
      points: 50,
      tests: [
        'percentile > takes the nearest rank without interpolating',
        'percentile > sorts latencies by value, not as text',
        "percentile > leaves the caller's array as it was",
        'percentile > finds p99 of 1,000 latencies as the 990th smallest',
        'percentile > keeps a whole-number rank whole despite floating point',
        'percentile > rejects no samples, p outside (0, 100] and invalid latencies with a RangeError',
      ],
      publicTests: ['public: percentile > p50 of five latencies is the middle one'],
    },
    {
      id: 2,
      title: 'Error budget and burn rate',
      points: 50,
      tests: [
        'slo > counts only requests slower than the threshold',
        'slo > gives the error budget as one minus the target',
        'slo > burns at rate 1 when slow requests use exactly the budget',
        'slo > burns at 14.4 when 14.4% of requests are slow against a 99% target',
        'slo > burns nothing when there was no traffic',
        'slo > rejects a target outside (0, 1), a non-positive threshold and invalid latencies with a RangeError',
      ],
      publicTests: ['public: slo > a window with no slow requests burns nothing'],
    },
  ],
  hints: [
    'Sort a copy with a numeric comparator, (a, b) => a - b: the default sort compares numbers as text and puts 1000 before 5.',
    'The nearest rank is ⌈p / 100 × n⌉, counted from 1. Floating point can land a hair above a whole number (99.9 / 100 × 1000 is 999.0000000000001), so round the product to a few decimals before taking the ceiling.',
    'The error budget is 1 − target, and the burn rate is (slow / total) / budget. A window without requests spends nothing: its burn rate is 0, not NaN.',
  ],
  runtime: { onnxruntime: false, timeoutMs: 5000, memoryMb: 256 },
};

const LAB_README = `# Latency SLO calculator

The fraud-scoring endpoint promises that 99% of requests are answered within 300 ms over a rolling 30 days.
On-call wants two numbers from each window of logged latencies: a percentile for the dashboard, and the burn
rate that decides whether someone gets paged. Write both in \`src/slo.ts\`; the public tests in \`tests/\` give
a taste, and the hidden suite grades it.

Latencies are milliseconds as plain numbers. Invalid input (no samples where one is needed, a negative or
non-finite latency, a percentile or target out of range) throws a \`RangeError\`: a dashboard that shows
\`NaN\` is worse than one that refuses.

## Task 1: nearest-rank percentile (50 points)

\`percentile(latenciesMs, p)\` returns the nearest-rank percentile for 0 < p ≤ 100: sort the samples in
ascending order; the rank is ⌈p / 100 × n⌉, counted from 1; the answer is the sample at that rank. It never
interpolates, so the answer is always one of the samples, and it leaves the caller's array as it was.

| samples | p30 | p40 | p50 | p100 |
| --- | --- | --- | --- | --- |
| 15, 20, 35, 40, 50 | 20 | 20 | 35 | 50 |

## Task 2: error budget and burn rate (50 points)

\`evaluateSlo(latenciesMs, { thresholdMs, target })\` returns \`{ total, slow, errorBudget, burnRate }\`:

- \`slow\`: requests strictly slower than \`thresholdMs\` (one at exactly the threshold meets it);
- \`errorBudget\`: 1 − \`target\`, the fraction of requests allowed to be slow; \`target\` is a fraction
  strictly between 0 and 1 (0.99, not 99);
- \`burnRate\`: (slow / total) / errorBudget. At 1 the budget lasts exactly the SLO period; a window without
  requests burns 0.

Good looks like: 1,000 requests of which 10 are slow burn a 99% target at rate 1; with 144 slow the rate is
14.4, the usual paging threshold, at which one hour spends 2% of a 30-day budget.

## Hints and grading

Ask for hints one at a time; each hint taken is recorded. Each task scores its points in proportion to its
hidden tests that pass. Related question: setting a latency SLO for a model endpoint and paging on it.
`;

const STARTER = `/**
 * Latency SLO calculator. Implement both functions; the README gives the definitions.
 * Latencies are milliseconds. Invalid input throws a RangeError.
 */

export interface SloTarget {
  /** A request slower than this many milliseconds is slow; one at exactly this meets the SLO. */
  thresholdMs: number;
  /** The fraction of requests that must meet the threshold, strictly between 0 and 1 (0.99 for 99%). */
  target: number;
}

export interface SloWindow {
  /** Requests in the window. */
  total: number;
  /** Requests slower than the threshold. */
  slow: number;
  /** The fraction of requests allowed to be slow: 1 - target. */
  errorBudget: number;
  /** (slow / total) / errorBudget; 0 for a window without requests. */
  burnRate: number;
}

/** Task 1: the nearest-rank percentile p (0 < p <= 100) of the latencies; always one of the samples. */
export function percentile(latenciesMs: readonly number[], p: number): number {
  // TODO: sort a copy in ascending order and return the sample at rank ceil(p / 100 * n), counted from 1.
  throw new Error('percentile is not implemented yet (p = ' + p + ', ' + latenciesMs.length + ' samples)');
}

/** Task 2: the slow requests, error budget and burn rate of one window of latencies. */
export function evaluateSlo(latenciesMs: readonly number[], slo: SloTarget): SloWindow {
  // TODO: count the requests slower than slo.thresholdMs; the budget is 1 - slo.target.
  throw new Error('evaluateSlo is not implemented yet (' + latenciesMs.length + ' samples, ' + JSON.stringify(slo) + ')');
}
`;

const SOLUTION = `/**
 * Reference solution for the latency-slo lab.
 */

export interface SloTarget {
  /** A request slower than this many milliseconds is slow; one at exactly this meets the SLO. */
  thresholdMs: number;
  /** The fraction of requests that must meet the threshold, strictly between 0 and 1 (0.99 for 99%). */
  target: number;
}

export interface SloWindow {
  /** Requests in the window. */
  total: number;
  /** Requests slower than the threshold. */
  slow: number;
  /** The fraction of requests allowed to be slow: 1 - target. */
  errorBudget: number;
  /** (slow / total) / errorBudget; 0 for a window without requests. */
  burnRate: number;
}

function checkLatencies(latenciesMs: readonly number[]): void {
  for (const ms of latenciesMs) {
    if (typeof ms !== 'number' || !Number.isFinite(ms) || ms < 0) throw new RangeError('a latency must be a finite number of at least 0 ms, got ' + ms);
  }
}

/** Task 1: the nearest-rank percentile p (0 < p <= 100) of the latencies; always one of the samples. */
export function percentile(latenciesMs: readonly number[], p: number): number {
  if (latenciesMs.length === 0) throw new RangeError('a percentile of no samples is undefined');
  // Written as a negation so that NaN fails it too.
  if (!(p > 0 && p <= 100)) throw new RangeError('p must be above 0 and at most 100, got ' + p);
  checkLatencies(latenciesMs);
  // Sort a copy: reordering the caller's array would scramble their log.
  const sorted = [...latenciesMs].sort((a, b) => a - b);
  // p * n / 100 can land a hair above a whole number (64.4 * 250 / 100 is 161.00000000000003), which the
  // ceiling would turn into the next rank; rounding to nine decimals first keeps a whole rank whole.
  const exactRank = Math.round(((p * sorted.length) / 100) * 1e9) / 1e9;
  const rank = Math.max(1, Math.ceil(exactRank));
  return sorted[rank - 1] as number;
}

/** Task 2: the slow requests, error budget and burn rate of one window of latencies. */
export function evaluateSlo(latenciesMs: readonly number[], slo: SloTarget): SloWindow {
  if (!(slo.thresholdMs > 0 && Number.isFinite(slo.thresholdMs))) throw new RangeError('thresholdMs must be a positive finite number, got ' + slo.thresholdMs);
  if (!(slo.target > 0 && slo.target < 1)) throw new RangeError('target must be a fraction strictly between 0 and 1 (0.99 for 99%), got ' + slo.target);
  checkLatencies(latenciesMs);
  const total = latenciesMs.length;
  const slow = latenciesMs.filter((ms) => ms > slo.thresholdMs).length;
  const errorBudget = 1 - slo.target;
  // No traffic spends no budget; slow / total would be NaN.
  const burnRate = total === 0 ? 0 : slow / total / errorBudget;
  return { total, slow, errorBudget, burnRate };
}
`;

const PUBLIC_TESTS = `import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { evaluateSlo, percentile } from '../src/slo';

describe('public: percentile', () => {
  it('p50 of five latencies is the middle one', () => {
    assert.equal(percentile([30, 10, 50, 20, 40], 50), 30);
  });
});

describe('public: slo', () => {
  it('a window with no slow requests burns nothing', () => {
    const window = evaluateSlo([120, 180, 250], { thresholdMs: 300, target: 0.99 });
    assert.equal(window.slow, 0);
    assert.equal(window.burnRate, 0);
  });
});
`;

const HIDDEN_TESTS = `import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { evaluateSlo, percentile, type SloTarget } from '../src/slo';

/** Equal to within a relative 1e-9: 1 - 0.99 is not exactly 0.01 in floating point. */
function close(actual: number, expected: number): void {
  assert.ok(Number.isFinite(actual), 'expected a finite number, got ' + actual);
  assert.ok(Math.abs(actual - expected) <= Math.abs(expected) * 1e-9 + 1e-12, 'expected ' + expected + ', got ' + actual);
}

/** 1..n in a fixed scrambled order: 7919 is prime and divides none of the sizes used, so i * 7919 mod n visits every residue once. */
function scrambled(n: number): number[] {
  return Array.from({ length: n }, (_, i) => ((i * 7919) % n) + 1);
}

/** A window of total requests: the first slow ones take 900 ms, the rest 120 ms. */
function windowOf(total: number, slow: number): number[] {
  return Array.from({ length: total }, (_, i) => (i < slow ? 900 : 120));
}

const SLO: SloTarget = { thresholdMs: 300, target: 0.99 };

describe('percentile', () => {
  it('takes the nearest rank without interpolating', () => {
    const five = [15, 20, 35, 40, 50];
    assert.equal(percentile(five, 5), 15);
    assert.equal(percentile(five, 30), 20);
    assert.equal(percentile(five, 40), 20);
    assert.equal(percentile(five, 50), 35);
    assert.equal(percentile(five, 100), 50);
  });

  it('sorts latencies by value, not as text', () => {
    assert.equal(percentile([1000, 5, 300, 40], 75), 300);
    assert.equal(percentile([1000, 5, 300, 40], 25), 5);
  });

  it("leaves the caller's array as it was", () => {
    const latencies = [50, 10, 40, 20, 30];
    percentile(latencies, 90);
    assert.deepEqual(latencies, [50, 10, 40, 20, 30]);
  });

  it('finds p99 of 1,000 latencies as the 990th smallest', () => {
    const latencies = scrambled(1000);
    assert.equal(percentile(latencies, 50), 500);
    assert.equal(percentile(latencies, 90), 900);
    assert.equal(percentile(latencies, 99), 990);
  });

  it('keeps a whole-number rank whole despite floating point', () => {
    assert.equal(percentile(scrambled(1000), 99.9), 999);
    assert.equal(percentile(scrambled(100), 14), 14);
    assert.equal(percentile(scrambled(250), 64.4), 161);
  });

  it('rejects no samples, p outside (0, 100] and invalid latencies with a RangeError', () => {
    const bad: [number[], number][] = [
      [[], 50],
      [[10, 20], 0],
      [[10, 20], -5],
      [[10, 20], 100.5],
      [[10, 20], Number.NaN],
      [[10, Number.NaN], 50],
      [[10, -1], 50],
      [[10, Number.POSITIVE_INFINITY], 50],
    ];
    for (const [latencies, p] of bad) assert.throws(() => percentile(latencies, p), RangeError, 'p = ' + p + ', latencies = ' + latencies.join(', '));
  });
});

describe('slo', () => {
  it('counts only requests slower than the threshold', () => {
    const window = evaluateSlo([100, 250, 300, 301, 1000], SLO);
    assert.equal(window.total, 5);
    assert.equal(window.slow, 2);
  });

  it('gives the error budget as one minus the target', () => {
    close(evaluateSlo([100], { thresholdMs: 300, target: 0.999 }).errorBudget, 0.001);
    close(evaluateSlo([100], { thresholdMs: 300, target: 0.95 }).errorBudget, 0.05);
  });

  it('burns at rate 1 when slow requests use exactly the budget', () => {
    close(evaluateSlo(windowOf(1000, 10), SLO).burnRate, 1);
  });

  it('burns at 14.4 when 14.4% of requests are slow against a 99% target', () => {
    close(evaluateSlo(windowOf(1000, 144), SLO).burnRate, 14.4);
  });

  it('burns nothing when there was no traffic', () => {
    const window = evaluateSlo([], SLO);
    assert.equal(window.total, 0);
    assert.equal(window.slow, 0);
    assert.equal(window.burnRate, 0);
  });

  it('rejects a target outside (0, 1), a non-positive threshold and invalid latencies with a RangeError', () => {
    const bad: [number[], SloTarget][] = [
      [[100], { thresholdMs: 300, target: 1 }],
      [[100], { thresholdMs: 300, target: 0 }],
      [[100], { thresholdMs: 300, target: 99 }],
      [[100], { thresholdMs: 0, target: 0.99 }],
      [[100], { thresholdMs: -300, target: 0.99 }],
      [[100], { thresholdMs: Number.NaN, target: 0.99 }],
      [[Number.NaN], SLO],
      [[-5], SLO],
    ];
    for (const [latencies, slo] of bad) assert.throws(() => evaluateSlo(latencies, slo), RangeError, latencies.join(', ') + ' with ' + JSON.stringify(slo));
  });
});
`;
