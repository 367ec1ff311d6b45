import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tokenize } from '../../../../src/core/similarity/tokens';
import { kgramHashes, winnow, W } from '../../../../src/core/similarity/winnow';
import {
  bestPartners,
  commonHashes,
  dice,
  fingerprint,
  matchingSpans,
  similarPairs,
  starterHashes,
  type Fingerprinted,
  type SimilaritySubmission,
} from '../../../../src/core/similarity/compare';

const LABS = path.resolve(__dirname, '../../../../labs');
const read = (lab: string, folder: string, file: string) => readFileSync(path.join(LABS, lab, folder, file), 'utf8');
const STARTER = [{ path: 'router.ts', text: read('shadow-deployment', 'starter', 'router.ts') }];
const SOLUTION = read('shadow-deployment', 'solution', 'router.ts');
const starter = starterHashes(STARTER);
const submission = (name: string, text: string, file = 'router.ts'): SimilaritySubmission => ({ name, files: [{ path: file, text }] });

/** Every identifier outside strings renamed, as a candidate hiding a copy would. */
function renamed(text: string): string {
  const keep = new Set(['import', 'export', 'from', 'function', 'return', 'const', 'let', 'class', 'interface', 'type', 'number', 'string', 'readonly', 'new']);
  return text.replace(/\b[A-Za-z_]\w*\b/g, (word) => (keep.has(word) || /^[a-z]+$/.test(word) ? word : `X${word.split('').reverse().join('')}`));
}

const score = (x: Fingerprinted, y: Fingerprinted) => {
  const inY = new Set(y.distinct);
  return dice([...x.distinct].filter((h) => inY.has(h)).length, x.distinct.length, y.distinct.length);
};

describe('tokenize', () => {
  it('normalises identifiers, numbers, strings, templates and regular expressions, and keeps keywords, punctuation and lines', () => {
    const tokens = tokenize('const total = price * 2; // a comment\nreturn `x${a + "b"}y` / /re[/]g/.test(s) ? 0.5e-3 : [];');
    expect(tokens.map((t) => t.kind).join(' ')).toBe('const id = id * num ; return str ${ id + str } str / re . id ( id ) ? num : [ ] ;');
    expect(tokens.map((t) => t.line)).toEqual([1, 1, 1, 1, 1, 1, 1, ...Array<number>(21).fill(2)]);
  });

  it('reads a division after a value and a regular expression after an operator', () => {
    expect(tokenize('a / b / c').map((t) => t.kind)).toEqual(['id', '/', 'id', '/', 'id']);
    expect(tokenize('x = /a\\/b/i;').map((t) => t.kind)).toEqual(['id', '=', 're', ';']);
  });
});

describe('winnow', () => {
  it('keeps at least one fingerprint in every window of W k-gram hashes', () => {
    const tokens = Uint32Array.from({ length: 200 }, (_, i) => (i * 2654435761) >>> 0);
    const hashes = kgramHashes(tokens);
    const positions = winnow(hashes).map((f) => f.position);
    for (let start = 0; start + W <= hashes.length; start++) expect(positions.some((p) => p >= start && p < start + W)).toBe(true);
  });
});

describe('similarity', () => {
  it('scores a copy with every identifier renamed as high as the original', () => {
    const original = fingerprint(submission('ada', SOLUTION), starter);
    const copy = fingerprint(submission('bob', renamed(SOLUTION)), starter);
    expect(renamed(SOLUTION)).not.toBe(SOLUTION);
    expect(original.distinct.length).toBeGreaterThan(50);
    expect(score(original, copy)).toBeGreaterThan(0.95);
    const { pairs } = similarPairs([original, copy]);
    expect(pairs).toEqual([expect.objectContaining({ a: 0, b: 1 })]);
    expect(pairs[0]?.score).toBeGreaterThan(0.95);
    // One stretch, once: the runs the starter's k-grams split join up again.
    const lines = SOLUTION.split('\n').length;
    expect(matchingSpans(original, copy)).toEqual([
      { a: expect.objectContaining({ file: 'router.ts', endLine: lines - 1 }), b: expect.objectContaining({ endLine: lines - 1 }) },
    ]);
  });

  it('gives the starter alone no fingerprints, so it scores 0 against anything', () => {
    const bare = fingerprint(submission('blank', STARTER[0]?.text ?? ''), starter);
    expect(bare.distinct.length).toBe(0);
    const solved = fingerprint(submission('ada', SOLUTION), starter);
    expect(similarPairs([bare, solved, fingerprint(submission('eve', STARTER[0]?.text ?? ''), starter)]).pairs).toEqual([]);
    expect(score(bare, solved)).toBe(0);
  });

  it('scores solutions of other labs low', () => {
    const shadow = fingerprint(submission('ada', SOLUTION), starter);
    for (const [lab, file] of [
      ['dynamic-batching', 'batcher.ts'],
      ['zero-memory', 'zero.ts'],
      ['llm-serving', 'scheduler.ts'],
    ] as const) {
      const other = fingerprint(submission(lab, read(lab, 'solution', file)), starter);
      expect(score(shadow, other), lab).toBeLessThan(0.1);
    }
  });

  it('lists the pair and the matching spans side by side, in each file’s own lines', () => {
    const copied = [
      'export function medianOf(values: number[]): number {',
      '  const sorted = [...values].sort((a, b) => a - b);',
      '  const mid = Math.floor(sorted.length / 2);',
      '  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;',
      '}',
    ];
    const base = STARTER[0]?.text ?? '';
    const lines = base.split('\n').length;
    const ada = fingerprint(submission('ada', `${base}\n${copied.join('\n')}\n`), starter);
    const bob = fingerprint(
      {
        name: 'bob',
        files: [
          { path: 'a-helpers.ts', text: `// mine\n\n${renamed(copied.join('\n'))}\n` },
          { path: 'router.ts', text: base },
        ],
      },
      starter,
    );
    const carl = fingerprint(submission('carl', `${base}\nexport const answer = { value: 42, label: 'the answer', items: [1, 2, 3] };\n`), starter);
    const { pairs, common } = similarPairs([ada, bob, carl]);
    expect(pairs.map((p) => [p.a, p.b])).toEqual([[0, 1]]);
    const spans = matchingSpans(ada, bob, common);
    expect(spans).toHaveLength(1);
    expect(spans[0]?.a).toEqual({ file: 'router.ts', startLine: lines + 1, endLine: lines + 5 });
    expect(spans[0]?.b).toEqual({ file: 'a-helpers.ts', startLine: 3, endLine: 7 });
    expect(bestPartners([ada, bob, carl], pairs)).toEqual(
      new Map([
        ['ada', { partner: 'bob', score: pairs[0]?.score }],
        ['bob', { partner: 'ada', score: pairs[0]?.score }],
      ]),
    );
  });

  it('finds with the inverted index exactly the pairs and scores a comparison of every pair finds', () => {
    // Twelve submissions: the solution with a different tail cut off each, some with renamings, two with a block copied between them.
    const lines = SOLUTION.split('\n');
    const docs = Array.from({ length: 12 }, (_, i) => {
      let text = lines.slice(0, lines.length - 15 * i).join('\n');
      if (i % 3 === 0) text = renamed(text);
      if (i === 4 || i === 9) text += `\n${lines.slice(lines.length - 120, lines.length - 60).join('\n')}`;
      return fingerprint(submission(`c${i}`, text), starter);
    });
    const options = { maxShare: 0.25, minCommon: 6 };
    const { pairs, common } = similarPairs(docs, options);
    expect(common.size).toBeGreaterThan(0);
    expect(common).toEqual(commonHashes(docs, options));
    const brute: { a: number; b: number; shared: number; score: number }[] = [];
    for (let a = 0; a < docs.length; a++)
      for (let b = a + 1; b < docs.length; b++) {
        const inB = new Set((docs[b] as Fingerprinted).distinct);
        const shared = [...(docs[a] as Fingerprinted).distinct].filter((h) => inB.has(h) && !common.has(h)).length;
        const own = (doc: Fingerprinted) => [...doc.distinct].filter((h) => !common.has(h)).length;
        if (shared) brute.push({ a, b, shared, score: dice(shared, own(docs[a] as Fingerprinted), own(docs[b] as Fingerprinted)) });
      }
    expect(brute.length).toBeGreaterThan(5);
    const byKey = (list: typeof brute) => [...list].sort((x, y) => x.a - y.a || x.b - y.b);
    expect(byKey(pairs)).toEqual(byKey(brute));
    expect(pairs.find((p) => p.a === 4 && p.b === 9)).toBeDefined();
  });
});
