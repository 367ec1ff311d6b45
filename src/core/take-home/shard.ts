/**
 * Shards of a take-home batch: which submissions shard i of n grades, and the checks a merge makes before it
 * joins shard outputs into one gradebook. A submission's shard is the SHA-256 of its name modulo n, never its
 * position in a listing, so adding or removing other submissions never moves it to another shard.
 */
import { sha256 } from '../io/hash';

export interface Shard {
  /** 0-based. */
  index: number;
  count: number;
}

/** `i/n` with 0 ≤ i < n; anything else is an error message. */
export function parseShard(text: string): Shard | string {
  const match = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text);
  if (!match) return `expected i/n (shard i of n, counting from 0), got "${text}"`;
  const index = Number(match[1]);
  const count = Number(match[2]);
  if (!Number.isSafeInteger(count) || count < 1) return `the shard count must be 1 or more, got ${count}`;
  if (index >= count) return `the shard index counts from 0, so it must be below ${count}, got ${index}`;
  return { index, count };
}

/** The shard, of `count`, that grades the submission named `name`. */
export function shardOf(name: string, count: number): number {
  return Number(BigInt(`0x${sha256(name)}`) % BigInt(count));
}

export const inShard = (name: string, shard: Shard): boolean => shardOf(name, shard.count) === shard.index;

/** What each shard writes beside its outputs (shard.json), so a merge can check the shards belong together. */
export interface ShardRecord {
  shard: Shard;
  pack: { id: string; version: string };
  /** The version of mlops-labs that graded it. */
  grader: string;
  /** The late policy applied, as the gradebook records it (null without one). */
  latePolicy: unknown;
  /** Every submission name the shard saw before it took its part, sorted: what the merge expects in all. */
  seen: string[];
  /** The names this shard graded, sorted. */
  graded: string[];
}

export interface MergePlan {
  /** Reasons the shards cannot be merged at all (graded by different packs or graders, or of different splits). */
  refused: string[];
  /** Names graded by more than one shard, with the shards' folders. */
  duplicates: { name: string; sources: string[] }[];
  /** Names some shard saw that no shard graded. */
  missing: string[];
  /** Shard indices of the split that no folder holds. */
  missingShards: number[];
  /** Each graded name once, sorted, with the folder it is taken from (the first that has it). */
  take: { name: string; source: string }[];
}

const describe = (r: ShardRecord) => `pack ${r.pack.id} ${r.pack.version}, mlops-labs ${r.grader}`;

/** Checks shard records against each other and says which folder each submission's outputs come from. */
export function planMerge(shards: readonly { source: string; record: ShardRecord }[]): MergePlan {
  const plan: MergePlan = { refused: [], duplicates: [], missing: [], missingShards: [], take: [] };
  const first = shards[0];
  if (!first) return { ...plan, refused: ['no shards to merge'] };
  for (const { source, record } of shards.slice(1)) {
    if (record.pack.id !== first.record.pack.id || record.pack.version !== first.record.pack.version || record.grader !== first.record.grader)
      plan.refused.push(`${source} was graded with ${describe(record)}; ${first.source} with ${describe(first.record)}`);
    if (record.shard.count !== first.record.shard.count)
      plan.refused.push(`${source} is a shard of ${record.shard.count}; ${first.source} of ${first.record.shard.count}`);
    if (JSON.stringify(record.latePolicy) !== JSON.stringify(first.record.latePolicy))
      plan.refused.push(`${source} applied another late policy than ${first.source}`);
  }
  if (plan.refused.length) return plan;
  const present = new Set(shards.map((s) => s.record.shard.index));
  for (let i = 0; i < first.record.shard.count; i++) if (!present.has(i)) plan.missingShards.push(i);
  const sources = new Map<string, string[]>();
  for (const { source, record } of shards) for (const name of record.graded) sources.set(name, [...(sources.get(name) ?? []), source]);
  const byName = (a: string, b: string) => a.localeCompare(b);
  for (const [name, from] of [...sources].sort(([a], [b]) => byName(a, b))) {
    plan.take.push({ name, source: from[0] as string });
    if (from.length > 1) plan.duplicates.push({ name, sources: from });
  }
  const seen = new Set(shards.flatMap((s) => s.record.seen));
  plan.missing = [...seen].filter((name) => !sources.has(name)).sort(byName);
  return plan;
}
