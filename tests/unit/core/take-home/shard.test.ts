import { describe, expect, it } from 'vitest';
import { inShard, parseShard, planMerge, shardOf, type ShardRecord } from '../../../../src/core/take-home/shard';

const names = Array.from({ length: 500 }, (_, i) => `candidate-${i}`);

describe('the shard partition', () => {
  it('puts every submission in exactly one shard (complete and disjoint)', () => {
    for (const count of [1, 2, 3, 4, 7]) {
      const parts = Array.from({ length: count }, (_, index) => names.filter((n) => inShard(n, { index, count })));
      expect(parts.flat().sort()).toEqual([...names].sort());
      expect(new Set(parts.flat()).size).toBe(names.length);
    }
  });

  it('depends on the name alone, not on which other submissions are there or their order', () => {
    const before = new Map(names.map((n) => [n, shardOf(n, 4)]));
    const fewer = names.filter((_, i) => i % 3 !== 0).reverse();
    const more = [...fewer, 'late-arrival-1', 'late-arrival-2'];
    for (const n of more) if (before.has(n)) expect(shardOf(n, 4)).toBe(before.get(n));
    expect(shardOf('alice', 4)).toBe(shardOf('alice', 4));
  });

  it('spreads names roughly evenly', () => {
    const sizes = [0, 1, 2, 3].map((index) => names.filter((n) => inShard(n, { index, count: 4 })).length);
    for (const size of sizes) expect(size).toBeGreaterThan(90);
  });

  it('reads i/n and refuses anything else', () => {
    expect(parseShard('0/4')).toEqual({ index: 0, count: 4 });
    expect(parseShard(' 3 / 4 ')).toEqual({ index: 3, count: 4 });
    for (const bad of ['4/4', '1/0', '-1/3', 'a/b', '1', '1.5/3']) expect(typeof parseShard(bad)).toBe('string');
  });
});

const record = (index: number, graded: string[], over: Partial<ShardRecord> = {}): ShardRecord => ({
  shard: { index, count: 2 },
  pack: { id: 'acme', version: '1.0.0' },
  grader: '0.1.0',
  latePolicy: null,
  seen: ['a', 'b', 'c'],
  graded,
  ...over,
});

describe('planning a merge', () => {
  it('takes each submission once, sorted, from the shard that graded it', () => {
    const plan = planMerge([
      { source: 's1', record: record(1, ['c', 'a']) },
      { source: 's0', record: record(0, ['b']) },
    ]);
    expect(plan.refused).toEqual([]);
    expect(plan.take).toEqual([
      { name: 'a', source: 's1' },
      { name: 'b', source: 's0' },
      { name: 'c', source: 's1' },
    ]);
    expect(plan.missing).toEqual([]);
    expect(plan.duplicates).toEqual([]);
  });

  it('refuses shards graded with another pack version or another grader version', () => {
    const pack = planMerge([
      { source: 's0', record: record(0, ['b']) },
      { source: 's1', record: record(1, ['a', 'c'], { pack: { id: 'acme', version: '1.1.0' } }) },
    ]);
    expect(pack.refused).toEqual([expect.stringContaining('s1 was graded with pack acme 1.1.0')]);
    const grader = planMerge([
      { source: 's0', record: record(0, ['b']) },
      { source: 's1', record: record(1, ['a', 'c'], { grader: '0.2.0' }) },
    ]);
    expect(grader.refused).toEqual([expect.stringContaining('mlops-labs 0.2.0')]);
    const split = planMerge([
      { source: 's0', record: record(0, ['b']) },
      { source: 's1', record: record(1, ['a', 'c'], { shard: { index: 1, count: 3 } }) },
    ]);
    expect(split.refused).toEqual([expect.stringContaining('a shard of 3')]);
  });

  it('reports duplicate submissions, missing submissions and missing shards', () => {
    const plan = planMerge([
      { source: 's0', record: record(0, ['a', 'b']) },
      { source: 's0-again', record: record(0, ['b']) },
    ]);
    expect(plan.duplicates).toEqual([{ name: 'b', sources: ['s0', 's0-again'] }]);
    expect(plan.missing).toEqual(['c']);
    expect(plan.missingShards).toEqual([1]);
    expect(planMerge([]).refused).toEqual(['no shards to merge']);
  });
});
