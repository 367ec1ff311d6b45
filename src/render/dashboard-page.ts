/**
 * The progress dashboard's page: headings, the chart slots with their "Show as table" toggles, and the data as
 * JSON in a data attribute. The page's script (src/webview/dashboard-panel.ts) draws the charts with uPlot and the
 * tables from that data, and redraws both when the host sends new data.
 */
import type { DashboardData } from '../core/progress/dashboard-data';
import { escapeHtml } from './escape';
import { contentSecurityPolicy, type PageResources } from './page';

export interface DashboardResources extends PageResources {
  /** uPlot's own stylesheet, bundled beside the page's script. */
  chartStyleUri: string;
}

/** The charts, in page order: each has a chart slot, a table slot and a toggle between them. */
export const DASHBOARD_CHARTS = [
  { id: 'due', title: 'Reviews due in the next 14 days' },
  { id: 'recall', title: 'Recall rate per week' },
  { id: 'sections', title: 'Questions by section' },
] as const;

function chartSection(id: string, title: string): string {
  return `<section class="card" aria-labelledby="${id}-heading">
<div class="card-head"><h2 id="${id}-heading">${escapeHtml(title)}</h2>
<button type="button" class="table-toggle" data-toggle="${id}" aria-pressed="false" aria-controls="${id}-table">Show as table</button></div>
<p class="summary" id="${id}-summary"></p>
<div class="chart" id="${id}-chart" role="img" aria-labelledby="${id}-heading ${id}-summary"></div>
<div class="table-wrap" id="${id}-table" hidden></div>
</section>`;
}

export function buildDashboardPage(data: DashboardData, res: DashboardResources): string {
  const e = escapeHtml;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${contentSecurityPolicy(res.nonce, res.cspSource)}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${e(res.chartStyleUri)}">
<link rel="stylesheet" href="${e(res.styleUri)}">
<title>Progress</title>
</head>
<body data-model="${e(JSON.stringify(data))}">
<main class="dashboard">
<header><h1>Progress</h1><p class="muted" id="generated"></p></header>
${DASHBOARD_CHARTS.map((c) => chartSection(c.id, c.title)).join('\n')}
<section class="card" aria-labelledby="calendar-heading">
<div class="card-head"><h2 id="calendar-heading">Practice days</h2></div>
<p class="summary" id="streak" role="status"></p>
<div class="calendar" id="calendar" role="img" aria-labelledby="calendar-heading streak"></div>
</section>
<section class="card" aria-labelledby="labs-heading">
<div class="card-head"><h2 id="labs-heading">Labs</h2></div>
<div class="table-wrap" id="labs-table"></div>
</section>
<section class="card" aria-labelledby="interviews-heading">
<div class="card-head"><h2 id="interviews-heading">Mock interviews</h2></div>
<div class="table-wrap" id="interviews-table"></div>
</section>
</main>
<script nonce="${res.nonce}" src="${e(res.scriptUri)}"></script>
</body>
</html>`;
}
