/**
 * Client script of the progress dashboard (bundled with uPlot to dist/webview/dashboard.js). It draws the charts
 * and tables from the data the page was built with, and again from each `data` message the host sends when
 * progress changes. Each chart has a "Show as table" toggle with the same numbers as an HTML table. Nothing here
 * writes HTML strings: every text goes in through textContent.
 */
import 'uplot/dist/uPlot.min.css';
import type uPlot from 'uplot';
import type { DashboardData } from '../core/progress/dashboard-data';
import { isDashboardData, parseDashboardHostMessage, type DashboardMessage } from '../render/dashboard-protocol';
import { dueChart, recallChart, sectionsChart, shortDate, shortDay, themeColours, type ThemeColours } from './dashboard-charts';

/** What the page keeps when VS Code hides it (a hidden webview's page is reloaded when shown again). */
interface DashboardState {
  tables: string[];
}
declare function acquireVsCodeApi(): { postMessage(message: DashboardMessage): void; setState(state: DashboardState): void; getState(): unknown };
const vscode = acquireVsCodeApi();

type ChartId = 'due' | 'recall' | 'sections';
const CHARTS: Record<ChartId, (el: HTMLElement, data: DashboardData, width: number, c: ThemeColours) => uPlot> = {
  due: dueChart,
  recall: recallChart,
  sections: sectionsChart,
};
const drawn = new Map<ChartId, uPlot>();
const asTable = new Set<ChartId>();
let current: DashboardData | undefined;

const byId = (id: string) => document.getElementById(id);

function el<K extends keyof HTMLElementTagNameMap>(tag: K, text?: string, className?: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = text;
  if (className) node.className = className;
  return node;
}

/** A table with a caption, a header row and one row per entry; numbers are right-aligned by class. */
function table(caption: string, headers: readonly string[], rows: readonly (readonly (string | number)[])[]): HTMLTableElement {
  const t = el('table');
  t.append(el('caption', caption, 'visually-hidden'));
  const head = el('tr');
  for (const h of headers) {
    const th = el('th', h);
    th.scope = 'col';
    head.append(th);
  }
  t.append(el('thead'));
  t.tHead?.append(head);
  const body = el('tbody');
  for (const row of rows) {
    const tr = el('tr');
    row.forEach((cell, i) => {
      const td = i === 0 ? el('th', String(cell)) : el('td', String(cell), typeof cell === 'number' ? 'num' : undefined);
      if (td instanceof HTMLTableCellElement && i === 0) td.scope = 'row';
      tr.append(td);
    });
    body.append(tr);
  }
  t.append(body);
  return t;
}

function tableOf(id: ChartId, data: DashboardData): HTMLTableElement {
  switch (id) {
    case 'due':
      return table(
        'Reviews due per day',
        ['Day', 'Reviews due'],
        data.due.map((d, i) => [`${shortDay(d.day)}${i === 0 ? ' (today, with overdue)' : ''}`, d.count]),
      );
    case 'recall':
      return table(
        'Recall rate per week',
        ['Week of', 'Reviews', 'Recalled', 'Recall rate'],
        data.recall.map((w) => [shortDate(w.week), w.reviews, w.recalled, w.rate === null ? '—' : `${Math.round(w.rate * 100)}%`]),
      );
    case 'sections':
      return table(
        'Questions by section',
        ['Section', 'New', 'Learning', 'Mastered'],
        data.sections.map((s) => [s.title, s.new, s.learning, s.mastered]),
      );
  }
}

function summaryOf(id: ChartId, data: DashboardData): string {
  const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
  switch (id) {
    case 'due': {
      const total = sum(data.due.map((d) => d.count));
      return `${total} review${total === 1 ? '' : 's'} due in the next 14 days, ${data.due[0]?.count ?? 0} of them today.`;
    }
    case 'recall': {
      const reviews = sum(data.recall.map((w) => w.reviews));
      const recalled = sum(data.recall.map((w) => w.recalled));
      return reviews ? `${Math.round((recalled / reviews) * 100)}% of ${reviews} reviews recalled over 12 weeks.` : 'No reviews in the last 12 weeks.';
    }
    case 'sections': {
      const mastered = sum(data.sections.map((s) => s.mastered));
      const learning = sum(data.sections.map((s) => s.learning));
      const fresh = sum(data.sections.map((s) => s.new));
      return `${mastered} mastered, ${learning} learning, ${fresh} new.`;
    }
  }
}

function chartWidth(slot: HTMLElement): number {
  return Math.max(240, Math.floor(slot.clientWidth || slot.parentElement?.clientWidth || 600));
}

function drawCharts(): void {
  if (!current) return;
  const colours = themeColours();
  for (const id of Object.keys(CHARTS) as ChartId[]) {
    drawn.get(id)?.destroy();
    drawn.delete(id);
    const slot = byId(`${id}-chart`);
    if (!slot || asTable.has(id)) continue;
    slot.replaceChildren();
    drawn.set(id, CHARTS[id](slot, current, chartWidth(slot), colours));
  }
}

function legend(): HTMLElement {
  const list = el('ul', undefined, 'legend');
  for (const [name, cls] of [
    ['New', 'swatch-new'],
    ['Learning', 'swatch-learning'],
    ['Mastered', 'swatch-mastered'],
  ]) {
    const item = el('li');
    item.append(el('span', undefined, `swatch ${cls}`), document.createTextNode(name ?? ''));
    list.append(item);
  }
  return list;
}

function renderCalendar(data: DashboardData): void {
  const { days, streak, practisedDays } = data.calendar;
  const streakText = streak ? `Current streak: ${streak} day${streak === 1 ? '' : 's'}.` : 'No current streak: review a question today to start one.';
  const streakEl = byId('streak');
  if (streakEl) streakEl.textContent = `${streakText} ${practisedDays} day${practisedDays === 1 ? '' : 's'} practised in all.`;
  const grid = byId('calendar');
  if (!grid) return;
  grid.replaceChildren(
    ...days.map((d) => {
      const level = d.reviews === 0 ? 0 : d.reviews < 3 ? 1 : d.reviews < 6 ? 2 : d.reviews < 10 ? 3 : 4;
      const cell = el('span', undefined, `day level-${level}`);
      cell.title = `${d.day}: ${d.reviews} review${d.reviews === 1 ? '' : 's'}`;
      return cell;
    }),
  );
}

function renderLabs(data: DashboardData): void {
  const status = { 'not-started': 'Not started', 'in-progress': 'In progress', passed: 'Passed' } as const;
  byId('labs-table')?.replaceChildren(
    data.labs.length
      ? table(
          'Labs',
          ['Lab', 'Status', 'Attempts', 'Best score'],
          data.labs.map((l) => [l.title, status[l.status], l.attempts, l.best ? `${l.best.points} / ${l.best.maxPoints}` : '—']),
        )
      : el('p', 'No labs loaded.', 'muted'),
  );
}

function renderInterviews(data: DashboardData): void {
  byId('interviews-table')?.replaceChildren(
    data.interviews.length
      ? table(
          'Mock interviews',
          ['Date', 'Minutes', 'Questions', 'Key points covered', 'Status'],
          data.interviews.map((m) => [
            new Date(m.startedAt).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' }),
            m.minutes,
            m.questions,
            `${m.keyPointsCovered} / ${m.keyPointsTotal}`,
            m.status,
          ]),
        )
      : el('p', 'No mock interviews yet.', 'muted empty-interviews'),
  );
}

function render(data: DashboardData): void {
  current = data;
  const generated = byId('generated');
  if (generated) generated.textContent = `Updated ${new Date(data.generatedAt).toLocaleString()} (days in ${data.timeZone}).`;
  for (const id of Object.keys(CHARTS) as ChartId[]) {
    const summary = byId(`${id}-summary`);
    if (summary) summary.textContent = summaryOf(id, data);
    byId(`${id}-table`)?.replaceChildren(tableOf(id, data));
  }
  renderCalendar(data);
  renderLabs(data);
  renderInterviews(data);
  drawCharts();
}

function toggle(button: HTMLElement): void {
  const id = button.dataset['toggle'];
  if (isChartId(id)) showAsTable(id, !asTable.has(id));
  vscode.setState({ tables: [...asTable] });
  drawCharts();
}

const isChartId = (id: unknown): id is ChartId => typeof id === 'string' && Object.hasOwn(CHARTS, id);

/** Shows one chart as its table (or back as the chart): the toggle's state, its words and which slot is visible. */
function showAsTable(id: ChartId, showTable: boolean): void {
  if (showTable) asTable.add(id);
  else asTable.delete(id);
  const button = document.querySelector<HTMLElement>(`[data-toggle="${id}"]`);
  if (!button) return;
  button.setAttribute('aria-pressed', String(showTable));
  button.textContent = showTable ? 'Show as chart' : 'Show as table';
  const chart = byId(`${id}-chart`);
  const tableSlot = byId(`${id}-table`);
  if (chart) chart.hidden = showTable;
  if (tableSlot) tableSlot.hidden = !showTable;
}

/** The charts the user had turned into tables before VS Code hid the page (and reloaded it on showing it again). */
function restoreTables(): void {
  const saved: unknown = vscode.getState();
  const tables = saved && typeof saved === 'object' && 'tables' in saved && Array.isArray(saved.tables) ? (saved.tables as unknown[]) : [];
  for (const id of tables) if (isChartId(id)) showAsTable(id, true);
}

document.addEventListener('click', (event) => {
  const button = event.target instanceof Element ? event.target.closest<HTMLElement>('[data-toggle]') : null;
  if (button) toggle(button);
});

// VS Code changes the body's class and the theme variables when the colour theme changes: redraw in the new colours.
new MutationObserver(() => drawCharts()).observe(document.body, { attributes: true, attributeFilter: ['class', 'data-vscode-theme-kind'] });
new MutationObserver(() => drawCharts()).observe(document.documentElement, { attributes: true, attributeFilter: ['style'] });

let resizeTimer: ReturnType<typeof setTimeout> | undefined;
window.addEventListener('resize', () => {
  if (resizeTimer !== undefined) clearTimeout(resizeTimer);
  resizeTimer = setTimeout(() => {
    for (const [id, chart] of drawn) {
      const slot = byId(`${id}-chart`);
      if (slot) chart.setSize({ width: chartWidth(slot), height: chart.height });
    }
  }, 100);
});

window.addEventListener('message', (event: MessageEvent<unknown>) => {
  const message = parseDashboardHostMessage(event.data);
  if (message) render(message.data);
});

// The sections chart's colours, named once: the chart itself has no legend.
byId('sections-summary')?.after(legend());

restoreTables();
const initial: unknown = JSON.parse(document.body.dataset['model'] ?? 'null');
if (isDashboardData(initial)) render(initial);
vscode.postMessage({ type: 'ready' });
