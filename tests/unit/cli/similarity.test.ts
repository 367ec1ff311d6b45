import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { similarityOf, summaryText } from '../../../src/cli/similarity';
import { NOT_A_VERDICT, PAGE_PAIRS, similarityPage } from '../../../src/cli/similarity-page';
import { tempDir, writeTree } from '../helpers';

const LAB = path.resolve(__dirname, '../../../labs/shadow-deployment');
const SOLUTION = readFileSync(path.join(LAB, 'solution/router.ts'), 'utf8');
const STARTER = readFileSync(path.join(LAB, 'starter/router.ts'), 'utf8');
const marker = JSON.stringify({ lab: 'core/shadow-deployment', version: '1.0.0' });

describe('similarity command', () => {
  it('reads workspaces and unpacked exports, lists the copied pair with its spans, and writes the JSON and the page', async () => {
    const dir = await tempDir();
    const out = path.join(dir, 'out');
    await writeTree(path.join(dir, 'subs'), {
      'ada/.mlops-lab.json': marker,
      'ada/src/router.ts': SOLUTION,
      'bob/.mlops-lab.json': marker,
      'bob/src/router.ts': SOLUTION.replace(/\bShadowRouter\b/g, 'MirrorRouter').replace(/\bsummary\b/g, 'describe'),
      'eve/manifest.json': '{}',
      'eve/labs/shadow-deployment/src/router.ts': STARTER,
      'zed/.mlops-lab.json': JSON.stringify({ lab: 'core/zero-memory', version: '1.0.0' }),
      'zed/src/zero.ts': 'export const x = 1;',
    });
    const result = await similarityOf({ lab: 'shadow-deployment', pack: [], submissions: [path.join(dir, 'subs')], out });
    expect(result.submissions).toBe(3);
    expect(result.skipped).toEqual([{ submission: 'zed', reason: expect.stringContaining('core/zero-memory') as string }]);
    expect(result.listed.map((p) => [p.a, p.b])).toEqual([['ada', 'bob']]);
    expect(result.listed[0]?.spans).toHaveLength(1);
    expect(result.best.get('eve')).toBeUndefined();
    const json = JSON.parse(await readFile(path.join(out, 'similarity.json'), 'utf8')) as { note: string; pairs: { a: string; score: number }[] };
    expect(json.note).toBe(NOT_A_VERDICT);
    expect(json.pairs[0]?.score).toBe(1);
    const html = await readFile(path.join(out, 'similarity.html'), 'utf8');
    expect(html).toContain('class MirrorRouter');
    expect(html).toContain('class ShadowRouter');
    expect(summaryText(result, 'r.html')).toMatch(/1 pair at or above the threshold\n {2}100% {2}ada {2}bob\nA similarity score is a reason to talk/);
  });

  it('writes a page with a strict CSP, no script, escaped code and the note that a score is no verdict', () => {
    const html = similarityPage({
      lab: 'core/x',
      threshold: 0.5,
      submissions: 2,
      compared: 1,
      ignoredCommon: 0,
      pairs: [
        {
          a: '<ada>',
          b: 'bob',
          score: 0.8,
          shared: 9,
          spans: [{ a: { file: 'a.ts', startLine: 2, endLine: 2 }, b: { file: 'a.ts', startLine: 1, endLine: 1 } }],
        },
      ],
      sources: new Map([
        ['<ada>', [{ path: 'a.ts', text: 'one\nconst s = "</pre><script>alert(1)</script>";' }]],
        ['bob', [{ path: 'a.ts', text: 'const t = 1;' }]],
      ]),
      generatedAt: new Date('2026-12-07T00:00:00Z'),
    });
    expect(html).toMatch(/Content-Security-Policy" content="default-src 'none'; style-src 'sha256-/);
    expect(html).not.toMatch(/<script/i);
    expect(html).toContain('&lt;/pre&gt;&lt;script&gt;');
    expect(html).toContain('&lt;ada&gt; and bob: 80%');
    expect(html).toContain('Not a verdict.');
  });

  it('shows the code of the first PAGE_PAIRS pairs and lists the rest in the table', () => {
    const pair = (i: number) => ({
      a: `a${i}`,
      b: `b${i}`,
      score: 0.9,
      shared: 3,
      spans: [{ a: { file: 'x.ts', startLine: 1, endLine: 1 }, b: { file: 'x.ts', startLine: 1, endLine: 1 } }],
    });
    const pairs = Array.from({ length: PAGE_PAIRS + 5 }, (_, i) => pair(i));
    const html = similarityPage({
      lab: 'core/x',
      threshold: 0.5,
      submissions: 2,
      compared: 1,
      ignoredCommon: 0,
      pairs,
      sources: new Map(),
      generatedAt: new Date(0),
    });
    expect(html.match(/<section id="pair-/g)).toHaveLength(PAGE_PAIRS);
    expect(html).toContain(`<td>a${PAGE_PAIRS + 4}</td>`);
    expect(html).toContain(`similarity.json holds the spans of all ${PAGE_PAIRS + 5}`);
  });
});
