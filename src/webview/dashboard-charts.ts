/**
 * The dashboard's three uPlot charts. uPlot draws on a canvas and sets element sizes from script (CSSOM, which the
 * page's CSP allows); it never needs inline style attributes, eval or remote content. Colours come from the VS Code
 * theme's variables, read when a chart is drawn, so a theme change only needs a redraw.
 */
import uPlot from 'uplot';
import type { DashboardData } from '../core/progress/dashboard-data';

export interface ThemeColours {
  foreground: string;
  grid: string;
  font: string;
  /** Series colours: new, learning, mastered / the single series of the other charts. */
  blue: string;
  yellow: string;
  green: string;
}

/** The theme's colours as the page has them now (VS Code sets the variables on the document element). */
export function themeColours(): ThemeColours {
  const style = getComputedStyle(document.body);
  const v = (name: string, fallback: string) => style.getPropertyValue(name).trim() || fallback;
  const foreground = v('--vscode-foreground', '#888888');
  return {
    foreground,
    grid: v('--vscode-editorWidget-border', v('--vscode-panel-border', '#80808055')),
    font: `${v('--vscode-font-size', '13px')} ${v('--vscode-font-family', 'sans-serif')}`,
    blue: v('--vscode-charts-blue', foreground),
    yellow: v('--vscode-charts-yellow', foreground),
    green: v('--vscode-charts-green', foreground),
  };
}

const HEIGHT = 220;
const WEEKDAY = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

/** "Wed 9" for a YYYY-MM-DD day. */
export function shortDay(day: string): string {
  const date = new Date(`${day}T00:00:00Z`);
  return `${WEEKDAY[date.getUTCDay()]} ${date.getUTCDate()}`;
}

/** "7 Dec" for a YYYY-MM-DD day. */
export function shortDate(day: string): string {
  return new Date(`${day}T00:00:00Z`).toLocaleDateString('en-GB', { day: 'numeric', month: 'short', timeZone: 'UTC' });
}

function axes(c: ThemeColours, labels: readonly string[], yLabel: string, rotate = 0): uPlot.Axis[] {
  const common = { stroke: c.foreground, font: c.font, grid: { stroke: c.grid, width: 1 }, ticks: { stroke: c.grid, width: 1 } };
  return [
    {
      ...common,
      grid: { show: false },
      splits: () => labels.map((_, i) => i),
      values: (_u, splits) => splits.map((i) => labels[i] ?? ''),
      ...(rotate ? { rotate, size: 90 } : {}),
    },
    { ...common, label: yLabel, labelFont: c.font, size: 50 },
  ];
}

function base(width: number, c: ThemeColours, labels: readonly string[], yLabel: string): uPlot.Options {
  return {
    width,
    height: HEIGHT,
    legend: { show: false },
    cursor: { show: false },
    scales: { x: { time: false, range: [-0.5, Math.max(labels.length - 0.5, 0.5)] } },
    axes: axes(c, labels, yLabel),
    series: [{}],
  };
}

const bars = () => uPlot.paths.bars?.({ size: [0.6, 48] });
const ints = (n: number) => Array.from({ length: n }, (_, i) => i);

export function dueChart(el: HTMLElement, data: DashboardData, width: number, c: ThemeColours): uPlot {
  const labels = data.due.map((d) => shortDay(d.day));
  const opts = base(width, c, labels, 'Reviews');
  opts.scales = { ...opts.scales, y: { range: (_u, _min, max) => [0, Math.max(4, Math.ceil(max * 1.1))] } };
  opts.series.push({ label: 'Due', stroke: c.blue, fill: c.blue, width: 1, paths: bars(), points: { show: false } });
  return new uPlot(opts, [ints(labels.length), data.due.map((d) => d.count)], el);
}

export function recallChart(el: HTMLElement, data: DashboardData, width: number, c: ThemeColours): uPlot {
  const labels = data.recall.map((w) => shortDate(w.week));
  const opts = base(width, c, labels, 'Recalled %');
  opts.scales = { ...opts.scales, y: { range: [0, 100] } };
  opts.series.push({ label: 'Recall', stroke: c.green, width: 2, spanGaps: false, points: { show: true, size: 7, fill: c.green, stroke: c.green } });
  const rates = data.recall.map((w) => (w.rate === null ? null : Math.round(w.rate * 100)));
  return new uPlot(opts, [ints(labels.length), rates], el);
}

/**
 * Stacked bars: each bar is drawn from zero to its running total, tallest first, so the later, shorter ones sit on
 * it and the visible bands are new (top), learning and mastered (bottom).
 */
export function sectionsChart(el: HTMLElement, data: DashboardData, width: number, c: ThemeColours): uPlot {
  const labels = data.sections.map((s) => s.title.split(' ')[0] ?? s.title);
  const opts = base(width, c, labels, 'Questions');
  opts.axes = axes(c, labels, 'Questions', -30);
  opts.scales = { ...opts.scales, y: { range: (_u, _min, max) => [0, Math.max(4, Math.ceil(max * 1.1))] } };
  const band = (label: string, colour: string): uPlot.Series => ({ label, stroke: colour, fill: colour, width: 1, paths: bars(), points: { show: false } });
  opts.series.push(band('New', c.blue), band('Learning', c.yellow), band('Mastered', c.green));
  const mastered = data.sections.map((s) => s.mastered);
  const learning = data.sections.map((s) => s.mastered + s.learning);
  const all = data.sections.map((s) => s.mastered + s.learning + s.new);
  return new uPlot(opts, [ints(labels.length), all, learning, mastered], el);
}
