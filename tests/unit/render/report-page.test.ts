import { describe, expect, it } from 'vitest';
import { contentSecurityPolicy } from '../../../src/render/page';
import { parseReportMessage } from '../../../src/render/protocol';
import { buildReportGradingPage, buildReportMain, buildReportPage, type ReportPageModel } from '../../../src/render/report-page';

const model: ReportPageModel = {
  labTitle: 'ZeRO <memory> planner',
  labId: 'core/zero-memory',
  status: 'fail',
  points: 76.25,
  maxPoints: 100,
  message: null,
  durationMs: 90,
  gradedAt: 'today',
  tasks: [{ id: 1, title: 'Stages', points: 25, maxPoints: 40, passed: 5, total: 8 }],
  failures: [{ name: 'units > <script>alert(1)</script>', taskId: 2, status: 'fail', message: 'expected 120, got 111.75 & more' }],
  hints: { shown: ['Start from 16 bytes.'], remaining: 4 },
  protections: 'permission model enforced',
  canShowSolution: false,
};
const res = { nonce: 'N0nce', cspSource: 'https://webview.test', styleUri: 'https://webview.test/report.css', scriptUri: 'https://webview.test/report.js' };

describe('the grade report page', () => {
  const page = buildReportPage(model, res);

  it('uses the same strict CSP as the question panel, with the nonce on its script', () => {
    expect(page).toContain(`content="${contentSecurityPolicy('N0nce', 'https://webview.test')}"`);
    expect(page.match(/<script\b[^>]*>/g)).toEqual(['<script nonce="N0nce" src="https://webview.test/report.js">']);
    expect(page).not.toMatch(/\son[a-z]+=/);
  });

  it('escapes what the submission controls: test names and messages', () => {
    expect(page).not.toContain('<script>alert(1)</script>');
    expect(page).toContain('units &gt; &lt;script&gt;alert(1)&lt;/script&gt;');
    expect(page).toContain('expected 120, got 111.75 &amp; more');
    expect(page).toContain('ZeRO &lt;memory&gt; planner');
  });

  it('shows the score, each task, the hints taken and the next one on offer', () => {
    expect(page).toMatch(/<span class="points">76.25<\/span> \/ 100 points/);
    expect(page).toContain('<td class="num">25 / 40</td><td class="num">5 of 8</td>');
    expect(page).toContain('<li>Start from 16 bytes.</li>');
    expect(page).toContain('Show the next hint (4 left)');
    expect(page).not.toContain('data-action="solution"');
    expect(buildReportPage({ ...model, canShowSolution: true }, res)).toContain('data-action="solution"');
  });

  it('is its main element in a page: what is posted in place is what a new page shows', () => {
    const main = buildReportMain(model);
    expect(main).toMatch(/^<main class="report status-fail">[\s\S]*<\/main>$/);
    expect(page).toContain(`<body data-state="{&quot;labId&quot;:&quot;core/zero-memory&quot;}">\n${main}\n<script`);
  });

  it('has a grading page, shown from Submit until the report arrives, under the same CSP and with the same script', () => {
    const grading = buildReportGradingPage('ZeRO <memory> planner', 'core/zero-memory', res);
    expect(grading).toContain(`content="${contentSecurityPolicy('N0nce', 'https://webview.test')}"`);
    expect(grading.match(/<script\b[^>]*>/g)).toEqual(['<script nonce="N0nce" src="https://webview.test/report.js">']);
    expect(grading).toContain('<main class="report grading" aria-busy="true">');
    expect(grading).toContain('<h1>ZeRO &lt;memory&gt; planner</h1>');
    expect(grading).toContain('data-state="{&quot;labId&quot;:&quot;core/zero-memory&quot;}"');
  });

  it('accepts only the four actions from the webview', () => {
    expect(parseReportMessage({ type: 'hint' })).toEqual({ type: 'hint' });
    expect(parseReportMessage({ type: 'delete' })).toBeUndefined();
    expect(parseReportMessage(null)).toBeUndefined();
  });
});
