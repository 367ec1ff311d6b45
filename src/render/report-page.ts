import { escapeHtml } from './escape';
import { documentHead, type PageResources } from './page';
import type { ReportAction, ReportState } from './protocol';

/** What the grade report panel shows; built by the extension from a GradeReport and the lab. */
export interface ReportPageModel {
  labTitle: string;
  labId: string;
  status: 'pass' | 'fail' | 'error';
  points: number;
  maxPoints: number;
  message: string | null;
  durationMs: number;
  gradedAt: string;
  tasks: { id: number; title: string; points: number; maxPoints: number; passed: number; total: number }[];
  failures: { name: string; taskId?: number; status: string; message: string }[];
  /** Tests the run stopped before reaching; why is the message at the top. */
  notRun?: number;
  hints: { shown: readonly string[]; remaining: number };
  protections: string;
  canShowSolution: boolean;
}

const STATUS_TEXT = { pass: 'Passed', fail: 'Not passed yet', error: 'Could not finish' } as const;

/** A button that posts `{ type: action }` (the report page's script reads `data-action`). */
function actionButton(action: ReportAction, label: string, primary = false): string {
  return `<button type="button"${primary ? ' class="primary"' : ''} data-action="${action}">${escapeHtml(label)}</button>`;
}

/**
 * The report's `<main>`: the whole page's content, and what the panel posts to a page already open (a resubmit, a
 * hint, the report arriving on the "grading" page) so the report changes in place, without loading a page.
 */
export function buildReportMain(model: ReportPageModel): string {
  const e = escapeHtml;
  const tasks = model.tasks
    .map(
      (t) =>
        `<tr class="${t.passed === t.total ? 'done' : ''}"><td>${t.id}</td><td>${e(t.title)}</td><td class="num">${t.points} / ${t.maxPoints}</td><td class="num">${t.passed} of ${t.total}</td></tr>`,
    )
    .join('');
  const notRun = model.notRun
    ? `<p class="not-run">${model.notRun} test${model.notRun === 1 ? '' : 's'} did not run: fix the error above, then submit again.</p>`
    : '';
  const failures =
    model.failures.length || notRun
      ? `<section><h2>What to fix</h2>${notRun}${
          model.failures.length
            ? `<ol class="failures">${model.failures
                .map(
                  (f) =>
                    `<li><p class="test-name"><span class="badge status-${e(f.status)}">${e(f.status)}</span> ${e(f.name)}${f.taskId ? ` <span class="task">task ${f.taskId}</span>` : ''}</p><pre>${e(f.message)}</pre></li>`,
                )
                .join('')}</ol>`
            : ''
        }</section>`
      : '';
  const hints = `<section aria-labelledby="hints-heading"><h2 id="hints-heading">Hints</h2>${
    model.hints.shown.length
      ? `<ol class="hints">${model.hints.shown.map((h) => `<li>${e(h)}</li>`).join('')}</ol>`
      : '<p class="muted">No hints taken. Each hint you take is recorded with your attempts.</p>'
  }${model.hints.remaining > 0 ? actionButton('hint', `Show the next hint (${model.hints.remaining} left)`) : ''}</section>`;
  return `<main class="report status-${e(model.status)}">
<header>
<p class="meta">${e(model.labId)} · graded ${e(model.gradedAt)} in ${model.durationMs} ms</p>
<h1>${e(model.labTitle)}</h1>
<p class="score" role="status"><span class="points">${model.points}</span> / ${model.maxPoints} points <span class="badge status-${e(model.status)}">${STATUS_TEXT[model.status]}</span></p>
${model.message ? `<pre class="run-message">${e(model.message)}</pre>` : ''}
</header>
<section><h2>Tasks</h2><div class="table-wrap"><table><thead><tr><th>#</th><th>Task</th><th>Points</th><th>Hidden tests passed</th></tr></thead><tbody>${tasks}</tbody></table></div></section>
${failures}
${hints}
<nav class="actions">
${actionButton('submit', 'Submit again', true)}
${actionButton('history', 'History')}
${model.canShowSolution ? actionButton('solution', 'Compare with the reference solution') : ''}
</nav>
<p class="protections muted">${e(model.protections)}</p>
</main>`;
}

export function buildReportPage(model: ReportPageModel, res: PageResources): string {
  return reportDocument(`${model.labTitle}: grade`, { labId: model.labId }, buildReportMain(model), res);
}

/**
 * What the panel shows from the moment Submit is pressed until the report arrives (posted to this page, which
 * swaps it in): the panel opens while the grade runs instead of after it.
 */
export function buildReportGradingPage(labTitle: string, labId: string, res: PageResources): string {
  return reportDocument(`${labTitle}: grading`, { labId }, buildGradingMain(labTitle), res);
}

/** The "grading" page's content. */
export function buildGradingMain(labTitle: string): string {
  return `<main class="report grading" aria-busy="true">
<header>
<h1>${escapeHtml(labTitle)}</h1>
<p class="score" role="status">Grading: running the hidden tests…</p>
</header>
</main>`;
}

function reportDocument(title: string, state: ReportState, main: string, res: PageResources): string {
  return `${documentHead(title, res)}
<body data-state="${escapeHtml(JSON.stringify(state))}">
${main}
<script nonce="${res.nonce}" src="${escapeHtml(res.scriptUri)}"></script>
</body>
</html>`;
}

/**
 * What a restored report panel shows when its lab's report can no longer be found (the pack was removed, the
 * history cleared). No script: the page has nothing to post.
 */
export function buildReportMissingPage(labId: string | undefined, res: Omit<PageResources, 'scriptUri'>): string {
  const what = labId ? `The grade report of ${escapeHtml(labId)}` : 'This grade report';
  return `${documentHead('Grade report', res)}
<body>
<main class="report missing">
<h1>Grade report not found</h1>
<p>${what} can no longer be found: its lab or its graded attempts are gone. Submit the lab again to see a new report.</p>
</main>
</body>
</html>`;
}
