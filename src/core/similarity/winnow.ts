/**
 * Fingerprints by winnowing (Schleimer, Wilkerson and Aiken, "Winnowing: local algorithms for document
 * fingerprinting", SIGMOD 2003): hash every k-gram of normalised tokens, then keep the smallest hash of every
 * window of w consecutive k-gram hashes (the rightmost on a tie). Any run of at least w + k - 1 tokens two
 * submissions share yields at least one common fingerprint, and runs shorter than k never do.
 */
import { tokenize } from './tokens';

/** Tokens per k-gram: a dozen tokens is about one statement, below which sameness is noise. */
export const K = 12;
/** Window: a match of W + K - 1 = 19 tokens or more is always seen. */
export const W = 8;

export interface SourceFile {
  /** The file's path inside the submission's src/, with forward slashes. */
  path: string;
  text: string;
}

/** The tokens of a submission's files in path order, each with its file index and line. */
export interface TokenStream {
  files: string[];
  codes: Uint32Array;
  fileOf: Int32Array;
  lineOf: Int32Array;
}

const codes = new Map<string, number>();

/** A stable 32-bit code for a token kind (FNV-1a), so fingerprints are the same from one run to the next. */
function codeOf(kind: string): number {
  let code = codes.get(kind);
  if (code === undefined) {
    let h = 0x811c9dc5;
    for (let i = 0; i < kind.length; i++) h = Math.imul(h ^ kind.charCodeAt(i), 0x01000193);
    code = h >>> 0;
    codes.set(kind, code);
  }
  return code;
}

export function tokenStream(files: readonly SourceFile[]): TokenStream {
  const sorted = [...files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const all: number[] = [];
  const fileOf: number[] = [];
  const lineOf: number[] = [];
  sorted.forEach((file, index) => {
    for (const token of tokenize(file.text)) {
      all.push(codeOf(token.kind));
      fileOf.push(index);
      lineOf.push(token.line);
    }
  });
  return { files: sorted.map((f) => f.path), codes: Uint32Array.from(all), fileOf: Int32Array.from(fileOf), lineOf: Int32Array.from(lineOf) };
}

/** murmur3's finaliser: spreads a polynomial hash's bits so window minimums are not biased to some token kinds. */
function mix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

const BASE = 0x01000193;

/** The hash of every k-gram (rolling polynomial hash, mod 2^32, then mixed); empty when there are fewer than k tokens. */
export function kgramHashes(tokens: Uint32Array, k = K): Uint32Array {
  const count = tokens.length - k + 1;
  if (count <= 0) return new Uint32Array(0);
  const out = new Uint32Array(count);
  let top = 1;
  for (let j = 1; j < k; j++) top = Math.imul(top, BASE);
  let h = 0;
  for (let j = 0; j < k; j++) h = (Math.imul(h, BASE) + (tokens[j] as number)) | 0;
  out[0] = mix(h);
  for (let i = 1; i < count; i++) {
    h = (h - Math.imul(tokens[i - 1] as number, top)) | 0;
    h = (Math.imul(h, BASE) + (tokens[i + k - 1] as number)) | 0;
    out[i] = mix(h);
  }
  return out;
}

export interface Fingerprint {
  hash: number;
  /** Index of the k-gram's first token. */
  position: number;
}

/** The winnowed fingerprints of a sequence of k-gram hashes, in order of position. */
export function winnow(hashes: Uint32Array, w = W): Fingerprint[] {
  const out: Fingerprint[] = [];
  if (hashes.length === 0) return out;
  if (hashes.length <= w) {
    let best = 0;
    for (let i = 1; i < hashes.length; i++) if ((hashes[i] as number) <= (hashes[best] as number)) best = i;
    return [{ hash: hashes[best] as number, position: best }];
  }
  let last = -1;
  for (let start = 0; start + w <= hashes.length; start++) {
    let best = start;
    for (let i = start + 1; i < start + w; i++) if ((hashes[i] as number) <= (hashes[best] as number)) best = i;
    if (best !== last) {
      out.push({ hash: hashes[best] as number, position: best });
      last = best;
    }
  }
  return out;
}
