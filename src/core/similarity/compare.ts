/**
 * Similarity across the submissions of one lab (docs/grading.md, "Similarity"): winnowed fingerprints of
 * each submission with the starter's k-grams removed (every candidate starts from it), an inverted index
 * from fingerprint to submissions, and a score only for the pairs that share a fingerprint. Fingerprints
 * that many submissions hold are the lab's natural solution, not copying: they are left out of the score,
 * which compares what is particular to each submission (two candidates who both wrote the usual solution
 * and nothing else of their own share nothing particular, and score 0). A high score is a
 * reason to talk to the candidates, never a verdict.
 */
import { kgramHashes, tokenStream, winnow, type Fingerprint, type SourceFile, type TokenStream, K } from './winnow';

export interface SimilaritySubmission {
  name: string;
  files: readonly SourceFile[];
}

export interface Fingerprinted {
  name: string;
  stream: TokenStream;
  /** Winnowed fingerprints not in the starter, in order of position. */
  fingerprints: Fingerprint[];
  /** Their distinct hashes, ascending. */
  distinct: Uint32Array;
}

export interface SimilarityOptions {
  /** Pairs scoring at least this are listed (0 to 1; default 0.5). */
  threshold?: number;
  /** A fingerprint held by more than this share of the submissions is ignored (default 0.05)… */
  maxShare?: number;
  /** …unless it is held by no more than this many (default 10), so a small group copying from each other is still seen. */
  minCommon?: number;
}

export const DEFAULTS = { threshold: 0.5, maxShare: 0.05, minCommon: 10 } as const;

export interface Pair {
  /** Indexes into the submissions, a < b. */
  a: number;
  b: number;
  /** Distinct fingerprints the two share, the starter's and the common ones left out. */
  shared: number;
  /** Dice coefficient over the fingerprints neither starter nor common: 2 · shared / (those of a + those of b). */
  score: number;
}

/** Every k-gram hash of the starter: a submission's fingerprint among them came with the lab. */
export function starterHashes(files: readonly SourceFile[]): Set<number> {
  return new Set(kgramHashes(tokenStream(files).codes));
}

export function fingerprint(submission: SimilaritySubmission, starter: ReadonlySet<number>): Fingerprinted {
  const stream = tokenStream(submission.files);
  const fingerprints = winnow(kgramHashes(stream.codes)).filter((f) => !starter.has(f.hash));
  const distinct = Uint32Array.from(new Set(fingerprints.map((f) => f.hash))).sort();
  return { name: submission.name, stream, fingerprints, distinct };
}

/** The fingerprints too many submissions hold to say anything about a pair. */
export function commonHashes(docs: readonly Fingerprinted[], options: SimilarityOptions = {}): Set<number> {
  const limit = Math.max(options.minCommon ?? DEFAULTS.minCommon, (options.maxShare ?? DEFAULTS.maxShare) * docs.length);
  const counts = new Map<number, number>();
  for (const doc of docs) for (const hash of doc.distinct) counts.set(hash, (counts.get(hash) ?? 0) + 1);
  return new Set([...counts].filter(([, count]) => count > limit).map(([hash]) => hash));
}

export const dice = (shared: number, a: number, b: number) => (a + b === 0 ? 0 : (2 * shared) / (a + b));

/**
 * Every pair sharing at least one fingerprint, best first (score, then names). The work is the sum over
 * fingerprints of the pairs among the submissions holding it, and common fingerprints are skipped, so a
 * thousand submissions cost about as much as their distinct parts, not a million full comparisons.
 */
export function similarPairs(docs: readonly Fingerprinted[], options: SimilarityOptions = {}): { pairs: Pair[]; common: Set<number> } {
  const common = commonHashes(docs, options);
  const postings = new Map<number, number[]>();
  const sizes = new Int32Array(docs.length);
  docs.forEach((doc, index) => {
    for (const hash of doc.distinct) {
      if (common.has(hash)) continue;
      sizes[index] = (sizes[index] as number) + 1;
      const list = postings.get(hash);
      if (list) list.push(index);
      else postings.set(hash, [index]);
    }
  });
  const n = docs.length;
  const counts = new Map<number, number>();
  for (const list of postings.values()) {
    if (list.length < 2) continue;
    for (let i = 0; i < list.length; i++)
      for (let j = i + 1; j < list.length; j++) {
        const key = (list[i] as number) * n + (list[j] as number);
        counts.set(key, (counts.get(key) ?? 0) + 1);
      }
  }
  const pairs: Pair[] = [];
  for (const [key, shared] of counts) {
    const a = Math.floor(key / n);
    const b = key % n;
    pairs.push({ a, b, shared, score: dice(shared, sizes[a] as number, sizes[b] as number) });
  }
  pairs.sort((x, y) => y.score - x.score || x.a - y.a || x.b - y.b);
  return { pairs, common };
}

/** Each submission's highest-scoring partner (the gradebook's similarity column); absent when it shares nothing. */
export function bestPartners(docs: readonly Fingerprinted[], pairs: readonly Pair[]): Map<string, { partner: string; score: number }> {
  const best = new Map<string, { partner: string; score: number }>();
  for (const pair of pairs) {
    const [a, b] = [(docs[pair.a] as Fingerprinted).name, (docs[pair.b] as Fingerprinted).name];
    if ((best.get(a)?.score ?? -1) < pair.score) best.set(a, { partner: b, score: pair.score });
    if ((best.get(b)?.score ?? -1) < pair.score) best.set(b, { partner: a, score: pair.score });
  }
  return best;
}

export interface Place {
  file: string;
  startLine: number;
  endLine: number;
}

export interface Span {
  a: Place;
  b: Place;
}

/**
 * The stretches two submissions share: each shared fingerprint's k-gram in both, joined with its
 * neighbours while both sides run on in the same files, as line ranges.
 */
export function matchingSpans(a: Fingerprinted, b: Fingerprinted, common: ReadonlySet<number> = new Set()): Span[] {
  const inB = new Map<number, number>();
  for (const f of b.fingerprints) if (!inB.has(f.hash)) inB.set(f.hash, f.position);
  const seen = new Set<number>();
  const matches: { pa: number; pb: number }[] = [];
  for (const f of a.fingerprints) {
    const pb = inB.get(f.hash);
    if (pb === undefined || common.has(f.hash) || seen.has(f.hash)) continue;
    seen.add(f.hash);
    matches.push({ pa: f.position, pb });
  }
  const runs: { a0: number; a1: number; b0: number; b1: number }[] = [];
  for (const m of matches) {
    const run = runs[runs.length - 1];
    const near = (x: number, end: number) => x >= end - K && x <= end + 1;
    if (
      run &&
      near(m.pa, run.a1) &&
      near(m.pb, run.b1) &&
      a.stream.fileOf[m.pa] === a.stream.fileOf[run.a0] &&
      b.stream.fileOf[m.pb] === b.stream.fileOf[run.b0]
    ) {
      run.a1 = Math.max(run.a1, m.pa + K - 1);
      run.b1 = Math.max(run.b1, m.pb + K - 1);
    } else runs.push({ a0: m.pa, a1: m.pa + K - 1, b0: m.pb, b1: m.pb + K - 1 });
  }
  // Winnowing keeps one k-gram in a window, so a run's first and last few tokens may have no fingerprint: grow
  // each run while both sides hold the same tokens in the same file.
  const { codes: ca, fileOf: fa } = a.stream;
  const { codes: cb, fileOf: fb } = b.stream;
  for (const r of runs) {
    while (r.a0 > 0 && r.b0 > 0 && ca[r.a0 - 1] === cb[r.b0 - 1] && fa[r.a0 - 1] === fa[r.a0] && fb[r.b0 - 1] === fb[r.b0]) {
      r.a0--;
      r.b0--;
    }
    while (r.a1 + 1 < ca.length && r.b1 + 1 < cb.length && ca[r.a1 + 1] === cb[r.b1 + 1] && fa[r.a1 + 1] === fa[r.a1] && fb[r.b1 + 1] === fb[r.b1]) {
      r.a1++;
      r.b1++;
    }
  }
  // Runs that a starter stretch split grow back into one another: keep each stretch once.
  const merged: typeof runs = [];
  for (const r of runs) {
    const into = merged.find((m) => r.a0 <= m.a1 + 1 && r.a1 >= m.a0 - 1 && r.b0 <= m.b1 + 1 && r.b1 >= m.b0 - 1 && r.a0 - m.a0 === r.b0 - m.b0);
    if (!into) merged.push(r);
    else {
      into.a0 = Math.min(into.a0, r.a0);
      into.b0 = Math.min(into.b0, r.b0);
      into.a1 = Math.max(into.a1, r.a1);
      into.b1 = Math.max(into.b1, r.b1);
    }
  }
  const place = (doc: Fingerprinted, from: number, to: number): Place => {
    const last = Math.min(to, doc.stream.codes.length - 1);
    // A k-gram may cross into the next file: the span ends with the first file's last token.
    let end = last;
    while (end > from && doc.stream.fileOf[end] !== doc.stream.fileOf[from]) end--;
    return {
      file: doc.stream.files[doc.stream.fileOf[from] as number] as string,
      startLine: doc.stream.lineOf[from] as number,
      endLine: doc.stream.lineOf[end] as number,
    };
  };
  return merged.map((r) => ({ a: place(a, r.a0, r.a1), b: place(b, r.b0, r.b1) }));
}
