import { describe, expect, it } from 'vitest';
import { buildDashboardData, type DashboardData } from '../../../src/core/progress/dashboard-data';
import { emptyProgress } from '../../../src/core/progress/progress';
import { applyRating } from '../../../src/core/progress/scheduler';
import { buildDashboardPage, DASHBOARD_CHARTS } from '../../../src/render/dashboard-page';
import { isDashboardData, parseDashboardHostMessage, parseDashboardMessage } from '../../../src/render/dashboard-protocol';

const NOW = new Date('2026-12-09T10:00:00.000Z');

function sample(): DashboardData {
  const progress = emptyProgress();
  const rated = applyRating(undefined, 'good', new Date('2026-12-08T09:00:00Z'));
  progress.questions['core/a'] = rated;
  return buildDashboardData({
    progress,
    questions: [
      { qualifiedId: 'core/a', section: 'serving' },
      { qualifiedId: 'core/b', section: 'serving' },
    ],
    labs: [{ labId: 'core/lab', title: 'A <lab> & "quotes"', status: 'passed', attempts: 1, best: { points: 9, maxPoints: 10 } }],
    interviews: [{ startedAt: NOW.toISOString(), minutes: 30, questions: 4, keyPointsCovered: 10, keyPointsTotal: 18, status: 'completed' }],
    now: NOW,
    timeZone: 'UTC',
  });
}

const RES = {
  nonce: 'n0nce',
  cspSource: 'vscode-resource:',
  styleUri: 'media/dashboard.css',
  chartStyleUri: 'dist/webview/dashboard.css',
  scriptUri: 'dist/webview/dashboard.js',
};

describe('the dashboard page', () => {
  const html = buildDashboardPage(sample(), RES);

  it('keeps the strict CSP: scripts by nonce only, styles from the extension, no inline style attribute', () => {
    expect(html).toContain("default-src 'none'");
    expect(html).toContain("script-src 'nonce-n0nce'");
    expect(html).toContain('style-src vscode-resource: ');
    expect(html).not.toMatch(/\sstyle="/);
    expect(html).not.toContain('unsafe-inline');
    expect(html.match(/<script\b[^>]*>/g)).toEqual(['<script nonce="n0nce" src="dist/webview/dashboard.js">']);
    expect(html.indexOf('dist/webview/dashboard.css')).toBeLessThan(html.indexOf('media/dashboard.css'));
  });

  it('has a chart slot and a keyboard-reachable "Show as table" toggle for each chart', () => {
    for (const chart of DASHBOARD_CHARTS) {
      expect(html).toContain(`id="${chart.id}-chart"`);
      expect(html).toContain(
        `<button type="button" class="table-toggle" data-toggle="${chart.id}" aria-pressed="false" aria-controls="${chart.id}-table">Show as table</button>`,
      );
      expect(html).toMatch(new RegExp(`id="${chart.id}-table" hidden`));
    }
    expect(html).toContain('Practice days');
    expect(html).toContain('Mock interviews');
  });

  it('carries the data escaped in an attribute, where it reads back as the same data', () => {
    expect(html).not.toContain('A <lab>');
    const attribute = /data-model="([^"]*)"/.exec(html)?.[1] ?? '';
    const decoded = attribute
      .replace(/&quot;/g, '"')
      .replace(/&#39;/g, "'")
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&amp;/g, '&');
    expect(JSON.parse(decoded)).toEqual(sample());
  });
});

describe('dashboard messages', () => {
  it('accepts only ready from the page', () => {
    expect(parseDashboardMessage({ type: 'ready' })).toEqual({ type: 'ready' });
    expect(parseDashboardMessage({ type: 'rate', rating: 'good' })).toBeUndefined();
    expect(parseDashboardMessage('ready')).toBeUndefined();
  });

  it('accepts data of the dashboard shape and rejects anything else', () => {
    const data = sample();
    expect(isDashboardData(data)).toBe(true);
    expect(parseDashboardHostMessage({ type: 'data', data })).toEqual({ type: 'data', data });
    expect(isDashboardData({ ...data, due: [{ day: 'tomorrow', count: 1 }] })).toBe(false);
    expect(isDashboardData({ ...data, recall: [{ week: '2026-12-07', reviews: -1, recalled: 0, rate: null }] })).toBe(false);
    expect(isDashboardData({ ...data, labs: [{ labId: 'core/x', title: 'X', status: 'won', attempts: 0 }] })).toBe(false);
    expect(isDashboardData({ ...data, calendar: { days: [], streak: 1.5, practisedDays: 0 } })).toBe(false);
    expect(isDashboardData({ ...data, interviews: undefined })).toBe(false);
    expect(parseDashboardHostMessage({ type: 'data' })).toBeUndefined();
  });
});
