import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { feedbackPage } from '../../../src/cli/feedback-page';
import type { CandidateResult } from '../../../src/cli/take-home-result';
import type { GradeReport } from '../../../src/grader/types';
import { reportFixture } from '../helpers';

const HOSTILE = ['<script>alert(1)</script>', '"><img src=x onerror=alert(2)>', 'Tom & Jerry', '</style><b>bold</b>'];

function report(overrides: Partial<GradeReport> = {}): GradeReport {
  return reportFixture({
    status: 'fail',
    message: null,
    tests: [
      { name: 'baseline > counts 16 bytes per parameter', status: 'pass', message: null, output: null, task_id: 1, duration_ms: 4 },
      {
        name: 'stage 3 > shards everything',
        status: 'fail',
        message: 'Expected 2 GB per GPU',
        output: null,
        task_id: 2,
        duration_ms: 6,
        expected: '2147483648',
        actual: '17179869184',
        location: { file: 'src/zero.ts', line: 12, column: 5 },
      },
    ],
    points: 10,
    maxPoints: 20,
    tasks: [
      { id: 1, title: 'Baseline', points: 10, maxPoints: 10, passed: 1, total: 1 },
      { id: 2, title: 'Stage 3', points: 0, maxPoints: 10, passed: 0, total: 1 },
    ],
    durationMs: 120,
    ...overrides,
  });
}

function candidate(overrides: Partial<CandidateResult> = {}): CandidateResult {
  return {
    candidate: 'ada-lovelace',
    submission: 'ada-lovelace.zip',
    pack: { id: 'acme-take-home', version: '2.1.0' },
    elapsedMinutes: 95,
    timeLimitMinutes: 90,
    late: false,
    tampered: false,
    flags: [],
    labs: [{ id: 'zero-memory', title: 'ZeRO memory', report: report(), hints: ['Start from 16 bytes per parameter.'] }],
    points: 10,
    maxPoints: 20,
    ...overrides,
  };
}

const GENERATED = new Date('2026-03-01T12:00:00Z');

describe('feedbackPage', () => {
  it('escapes every candidate-supplied string', () => {
    for (const bad of HOSTILE) {
      const html = feedbackPage(
        candidate({
          candidate: bad,
          submission: `${bad}.zip`,
          flags: [`checksum differs: src/${bad}.ts`],
          labs: [
            {
              id: 'zero-memory',
              title: 'ZeRO memory',
              hints: [],
              report: report({
                status: 'error',
                message: `loading src/zero.ts failed: ${bad}`,
                output: bad,
                tampering: [bad],
                tests: [
                  {
                    name: 'stage 3',
                    status: 'fail',
                    message: bad,
                    output: bad,
                    task_id: 2,
                    expected: bad,
                    actual: bad,
                    location: { file: `src/${bad}`, line: 1, column: 1 },
                  },
                ],
              }),
            },
          ],
        }),
        GENERATED,
      );
      expect(html).not.toContain(bad);
      expect(html).toContain(bad.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;'));
    }
    const html = feedbackPage(candidate({ candidate: HOSTILE.join(' ') }), GENERATED);
    // The words may stay as text; no tag may open.
    expect(html).not.toMatch(/<script|<img|<b>/);
    expect(html.match(/<\/style>/g)).toHaveLength(1);
  });

  it('allows exactly its one inline style by hash, and nothing else', () => {
    const html = feedbackPage(candidate(), GENERATED);
    const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(html)?.[1] ?? '';
    expect(csp).toMatch(/^default-src 'none'; style-src 'sha256-[A-Za-z0-9+/=]+'/);
    const styles = [...html.matchAll(/<style>([\s\S]*?)<\/style>/g)].map((m) => m[1] ?? '');
    expect(styles).toHaveLength(1);
    const hash = createHash('sha256')
      .update(styles[0] ?? '')
      .digest('base64');
    expect(csp).toContain(`style-src 'sha256-${hash}'`);
    expect(html).not.toMatch(/<script|<link|\bstyle="|src=|href=/);
  });

  it('shows late and tampered submissions prominently, with their flags', () => {
    const flagged = feedbackPage(
      candidate({ late: true, tampered: true, flags: ['late: finished 12 min after the deadline', 'checksum differs: src/zero.ts'] }),
      GENERATED,
    );
    expect(flagged).toContain('class="flags alert"');
    expect(flagged).toContain('<span class="badge late">Late</span>');
    expect(flagged).toContain('<span class="badge tampered">Tampering</span>');
    expect(flagged).toContain('<li>late: finished 12 min after the deadline</li>');
    expect(flagged).toContain('<li>checksum differs: src/zero.ts</li>');
    const clean = feedbackPage(candidate(), GENERATED);
    expect(clean).not.toContain('class="flags alert"');
    expect(clean).toContain('No flags.');
  });

  it('shows points, time, tasks, failing tests with expected and actual, the run message and hints', () => {
    const html = feedbackPage(candidate(), GENERATED);
    expect(html).toContain('acme-take-home version 2.1.0');
    expect(html).toMatch(/<span class="big">10<\/span> \/ 20/);
    expect(html).toMatch(/class="big over">95 min<\/span> of 90 min/);
    expect(html).toContain('<td>Stage 3</td><td class="num">0 / 10</td><td class="num">0 / 1</td>');
    expect(html).toContain('stage 3 &gt; shards everything');
    expect(html).toContain('<pre>Expected 2 GB per GPU</pre>');
    expect(html).toContain('<pre>2147483648</pre>');
    expect(html).toContain('<pre>17179869184</pre>');
    expect(html).toContain('src/zero.ts:12:5');
    expect(html).not.toContain('baseline &gt; counts 16 bytes');
    expect(html).toContain('<li>Start from 16 bytes per parameter.</li>');
    expect(html).toContain('2026-03-01T12:00:00.000Z');

    const timedOut = feedbackPage(
      candidate({
        labs: [{ id: 'zero-memory', title: 'ZeRO memory', hints: [], report: report({ status: 'error', message: 'the run was stopped after 10000 ms.' }) }],
      }),
      GENERATED,
    );
    expect(timedOut).toContain('<pre class="run-message">the run was stopped after 10000 ms.</pre>');
    expect(timedOut).toContain('The run did not complete');
    expect(timedOut).toMatch(/Hints taken<\/h3>\s*<p class="muted">None\.<\/p>/);
  });

  it('says when the time was not recorded', () => {
    expect(feedbackPage(candidate({ elapsedMinutes: undefined, timeLimitMinutes: undefined }), GENERATED)).toContain('not recorded');
  });

  it('reads in light and dark, and prints', () => {
    const html = feedbackPage(candidate(), GENERATED);
    expect(html).toContain('@media (prefers-color-scheme: dark)');
    expect(html).toContain('@media print');
  });
});
