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

describe('the candidate page and the instructor page', () => {
  const flagged = candidate({
    name: 'Ada Lovelace',
    email: 'ada@example.org',
    typedName: 'Ada L.',
    utcOffsetMinutes: -300,
    startedAt: '2026-03-01T14:00:00.000Z',
    finishedAt: '2026-03-01T15:35:00.000Z',
    late: true,
    tampered: true,
    minutesPastDeadline: 5,
    flags: ['tampered: labs/zero-memory/src/zero.ts was changed after export (checksum differs)', 'zero-memory: 2 large insertions (900 characters)'],
    asSubmittedPoints: 20,
    labs: [
      {
        id: 'zero-memory',
        title: 'ZeRO memory',
        report: report({ tampering: ['wrote to the results channel'] }),
        hints: [],
        asSubmitted: { points: 20, maxPoints: 20 },
      },
    ],
    manual: [{ lab: 'zero-memory', task: 2, item: 'explanation', maxPoints: 5, points: 3, comment: 'Say why stage 3 shards <params>' }],
    manualPoints: 3,
    manualMaxPoints: 5,
    rawPoints: 13,
    latePenaltyPoints: 2.5,
    finalPoints: 10.5,
    latePolicy: 'grace 0 min; -10% per started hour',
  });

  it("shows the candidate their scores, the instructor's comments and their own local times, and no integrity signal", () => {
    const html = feedbackPage(flagged, GENERATED, 'candidate');
    const text = html.replace(/<style>[\s\S]*?<\/style>/, '').replace(/<[^>]+>/g, ' ');
    expect(text).not.toMatch(/tamper|checksum|insertion|results channel|as submitted|ada@example\.org|Flags/i);
    expect(html).toContain('<h1>Take-home feedback: Ada Lovelace</h1>');
    expect(html).toContain('Name entered at export: Ada L.');
    expect(html).toContain('started 2026-03-01 09:00 (UTC-05:00), finished 2026-03-01 10:35 (UTC-05:00)');
    expect(html).toContain('<td>2</td><td>explanation</td><td class="num">3 / 5</td><td>Say why stage 3 shards &lt;params&gt;</td>');
    expect(html).toMatch(/Late penalty .*-2\.5</);
    expect(html).toContain('<th>Final</th><th class="num">10.5 / 25</th>');
    expect(html).toContain('Generated 2026-03-01 07:00 (UTC-05:00)');
  });

  it('shows the instructor everything: identity, both scores, the policy, every flag and UTC times', () => {
    const html = feedbackPage(flagged, GENERATED, 'instructor');
    expect(html).toContain('Roster: Ada Lovelace &lt;ada@example.org&gt;');
    expect(html).toContain('src/ as submitted (failed its checksums; not counted)</td><td class="num">20 / 20');
    expect(html).toContain('Graded from the verified frozen copy; src/ as submitted scores 20 / 20.');
    expect(html).toContain('zero-memory: 2 large insertions (900 characters)');
    expect(html).toContain('wrote to the results channel');
    expect(html).toContain('started 2026-03-01T14:00:00.000Z (2026-03-01 09:00 (UTC-05:00) for the candidate)');
    expect(html).toContain('<td class="muted">Late policy</td><td class="num">grace 0 min; -10% per started hour</td>');
  });

  it('says a submission was not graded, and why, on both pages', () => {
    for (const audience of ['candidate', 'instructor'] as const) {
      const html = feedbackPage(candidate({ notGraded: 'made for pack "x", not "y"', labs: [], points: 0 }), GENERATED, audience);
      expect(html).toContain('<h2>Not graded</h2><p>made for pack &quot;x&quot;, not &quot;y&quot;</p>');
    }
  });
});
