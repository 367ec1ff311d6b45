import { escapeHtml } from './escape';
import { documentHead, type PageResources } from './page';

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

export function buildReportPage(model: ReportPageModel, res: PageResources): string {
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
  }${model.hints.remaining > 0 ? `<button type="button" data-action="hint">Show the next hint (${model.hints.remaining} left)</button>` : ''}</section>`;
  return `${documentHead(`${model.labTitle}: grade`, res)}
<body>
<main class="report status-${e(model.status)}">
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
<button type="button" class="primary" data-action="submit">Submit again</button>
<button type="button" data-action="history">History</button>
${model.canShowSolution ? '<button type="button" data-action="solution">Compare with the reference solution</button>' : ''}
</nav>
<p class="protections muted">${e(model.protections)}</p>
</main>
<script nonce="${res.nonce}" src="${e(res.scriptUri)}"></script>
</body>
</html>`;
}

export type ReportMessage = { type: 'hint' | 'submit' | 'history' | 'solution' };

export function parseReportMessage(value: unknown): ReportMessage | undefined {
  const type = (value as { type?: unknown } | null)?.type;
  return type === 'hint' || type === 'submit' || type === 'history' || type === 'solution' ? { type } : undefined;
}
