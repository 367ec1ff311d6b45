import { describe, expect, it } from 'vitest';
import type { CandidateSummary, Gradebook } from '../../../src/cli/gradebook-files';
import { combinedJunit } from '../../../src/cli/gradebook-files';
import { gradebookPage } from '../../../src/cli/gradebook-page';

const candidate = (name: string, points: number, over: Partial<CandidateSummary> = {}): CandidateSummary => ({
  candidate: name,
  submission: `${name}.zip`,
  pack: { id: 'acme', version: '1.0.0' },
  late: false,
  tampered: false,
  flags: [],
  points,
  maxPoints: 10,
  elapsedMinutes: 42,
  timeLimitMinutes: 60,
  labs: [
    {
      id: 'acme/slo',
      status: points === 10 ? 'pass' : 'fail',
      points,
      maxPoints: 10,
      tasks: [
        { id: 1, points: Math.min(points, 5), maxPoints: 5 },
        { id: 2, points: Math.max(0, points - 5), maxPoints: 5 },
      ],
      message: null,
      hintsTaken: 0,
    },
  ],
  ...over,
});

const book = (candidates: CandidateSummary[]): Gradebook => ({
  pack: { id: 'acme', version: '1.0.0' },
  grader: '0.1.0',
  latePolicy: null,
  gradedAt: '',
  candidates,
});

describe('the gradebook index page', () => {
  const html = gradebookPage(
    book([
      candidate('alice', 10),
      candidate('bob', 5, { late: true, flags: ['late: acme/slo finished 20 min after the deadline'] }),
      candidate('<script>alert(1)</script>', 0, { tampered: true, flags: ['tampered: x', 'similar to alice (0.93)'] }),
      candidate('carol', 0, { notGraded: 'not a zip', labs: [] }),
    ]),
  );

  it('has a strict CSP, no scripts and escapes candidate names', () => {
    expect(html).toMatch(/default-src 'none'; style-src 'sha256-[^']+'/);
    expect(html).not.toMatch(/<script/i);
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).not.toMatch(/ style="/);
  });

  it('draws a histogram of the graded candidates and the task pass rates, hardest first', () => {
    const bars = [...html.matchAll(/<rect [^>]*><title>([^<]*)<\/title>/g)].map((m) => m[1]);
    expect(bars).toHaveLength(10);
    expect(bars).toContain('0–9%: 1');
    expect(bars).toContain('50–59%: 1');
    expect(bars).toContain('90–100%: 1');
    const rates = [...html.matchAll(/<tr><td>acme\/slo<\/td><td class="num">(\d)<\/td><td class="num">(\d) \/ (\d)<\/td>/g)].map((m) => m.slice(1).join(' '));
    expect(rates).toEqual(['2 1 3', '1 2 3']);
  });

  it('lists each candidate with time used, flags and links to both pages', () => {
    expect(html).toContain('<a href="feedback/bob.html">');
    expect(html).toContain('<a href="instructor/%3Cscript%3Ealert(1)%3C%2Fscript%3E.html">');
    expect(html).toContain('42 min of 60');
    expect(html).toContain('<span class="badge late">late</span>');
    expect(html).toContain('<span class="badge tampered">tampered</span><span class="badge similar">similar</span>');
    expect(html).toContain('<span class="badge not-graded">not graded</span>');
  });
});

describe('the batch JUnit file', () => {
  it('puts every candidate’s suites under one testsuites with the totals summed', () => {
    const doc = (name: string, tests: number, failures: number) =>
      `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="${name}" tests="${tests}" failures="${failures}" errors="0" time="1.500">\n  <testsuite name="${name}"></testsuite>\n</testsuites>\n`;
    const out = combinedJunit([doc('a', 3, 1), doc('b', 2, 0)]);
    expect(out.match(/<testsuites /g)).toHaveLength(1);
    expect(out).toContain('tests="5" failures="1" errors="0" time="3.000"');
    expect(out).toContain('<testsuite name="a">');
    expect(out).toContain('<testsuite name="b">');
  });
});
