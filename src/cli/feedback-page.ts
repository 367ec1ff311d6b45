/**
 * Two self-contained HTML pages per take-home candidate (no scripts, nothing remote, printable): the
 * candidate's, to send back (scores, failing tests, hints, the instructor's comments, times in their own
 * time zone; never integrity signals), and the instructor's (all of that, plus identity, both scores of a
 * tampered submission, the late policy's arithmetic and every flag).
 */
import { formatLocalTime } from '../core/take-home/local-time';
import type { TestResult } from '../grader/types';
import { escapeHtml as e } from '../render/escape';
import { staticPageHead } from './static-page';
import type { CandidateResult, LabResult } from './take-home-result';

/** Allowed by hash in the page's CSP (static-page.ts), so a style a candidate string smuggled in would not apply. */
const STYLE = `
:root { color-scheme: light dark; --fg: #1f2328; --muted: #59636e; --bg: #ffffff; --panel: #f6f8fa; --line: #d1d9e0; --pass: #1a7f37; --fail: #cf222e; --warn: #9a6700; --alert-bg: #ffebe9; --alert-line: #cf222e; }
@media (prefers-color-scheme: dark) {
  :root { --fg: #e6edf3; --muted: #9198a1; --bg: #0d1117; --panel: #161b22; --line: #3d444d; --pass: #3fb950; --fail: #f85149; --warn: #d29922; --alert-bg: #3c1618; --alert-line: #f85149; }
}
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--fg); font: 15px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; }
main { max-width: 60rem; margin: 0 auto; padding: 1.5rem; }
h1 { font-size: 1.6rem; margin: 0 0 .25rem; overflow-wrap: anywhere; }
h2 { font-size: 1.25rem; margin: 0 0 .5rem; border-bottom: 1px solid var(--line); padding-bottom: .25rem; }
h3 { font-size: 1rem; margin: 1rem 0 .25rem; }
.muted, .meta { color: var(--muted); }
.meta { margin: 0; overflow-wrap: anywhere; }
.summary { display: flex; flex-wrap: wrap; gap: 1rem 2.5rem; margin: 1rem 0; }
.summary div { min-width: 10rem; }
.big { font-size: 1.5rem; font-weight: 600; }
meter { width: 10rem; }
.over { color: var(--fail); font-weight: 600; }
.flags { border: 2px solid var(--line); border-radius: 6px; padding: .75rem 1rem; margin: 1rem 0; background: var(--panel); }
.flags.alert { border-color: var(--alert-line); background: var(--alert-bg); }
.flags ul { margin: .25rem 0 0; padding-left: 1.25rem; }
.badge { display: inline-block; border: 1px solid currentColor; border-radius: 4px; padding: 0 .4rem; font-size: .8rem; font-weight: 700; text-transform: uppercase; letter-spacing: .03em; }
.late { color: var(--warn); }
.tampered, .status-fail, .status-error { color: var(--fail); }
.status-pass { color: var(--pass); }
.lab { margin: 2rem 0; }
table { border-collapse: collapse; width: 100%; margin: .5rem 0; }
th, td { text-align: left; padding: .3rem .5rem; border-bottom: 1px solid var(--line); vertical-align: top; }
th { background: var(--panel); }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
pre { background: var(--panel); border: 1px solid var(--line); border-radius: 4px; padding: .5rem; margin: .25rem 0; white-space: pre-wrap; overflow-wrap: anywhere; max-height: 24rem; overflow: auto; font: 13px/1.4 ui-monospace, "SF Mono", Consolas, monospace; }
.failures { padding-left: 1.25rem; }
.failures li { margin-bottom: .75rem; }
.diff { display: grid; grid-template-columns: 1fr 1fr; gap: .5rem; }
.run-message { border-color: var(--fail); }
footer { margin-top: 2rem; font-size: .85rem; }
@media print {
  :root { color-scheme: light; --fg: #000; --muted: #444; --bg: #fff; --panel: #f3f3f3; --line: #bbb; --pass: #1a7f37; --fail: #cf222e; --warn: #9a6700; --alert-bg: #fff; --alert-line: #cf222e; }
  main { max-width: none; padding: 0; }
  pre { max-height: none; overflow: visible; }
  table, pre, .failures li, .flags { break-inside: avoid; }
}
`;

const STATUS_TEXT = { pass: 'All tests passed', fail: 'Some tests failed', error: 'The run did not complete' } as const;

/** Proportional points can be fractions; two decimals are plenty for a reader. */
const pts = (n: number) => String(Math.round(n * 100) / 100);

export type Audience = 'candidate' | 'instructor';

export function feedbackPage(result: CandidateResult, generatedAt: Date, audience: Audience = 'instructor'): string {
  const who = result.name ?? result.candidate;
  const forCandidate = audience === 'candidate';
  const heading = forCandidate ? 'Take-home feedback' : 'Take-home grading (instructor)';
  const local = (iso: string) => formatLocalTime(iso, result.utcOffsetMinutes);
  return `${staticPageHead(`${heading}: ${who}`, STYLE)}
<body>
<main>
<header>
<h1>${heading}: ${e(who)}</h1>
${identity(result, forCandidate)}
<p class="meta">Pack ${e(result.pack.id)} version ${e(result.pack.version)} · submission ${e(result.submission)}</p>
</header>
${result.notGraded ? `<section class="flags alert"><h2>Not graded</h2><p>${e(result.notGraded)}</p></section>` : ''}
${summary(result, local, forCandidate)}
${scores(result, forCandidate)}
${forCandidate ? '' : flags(result)}
${result.labs.map((l) => lab(l, result, forCandidate)).join('\n')}
<footer class="muted">Generated ${e(forCandidate ? local(generatedAt.toISOString()) : generatedAt.toISOString())} by mlops-labs.</footer>
</main>
</body>
</html>
`;
}

/** The roster's name and the name the candidate typed at export, side by side; the email for the instructor only. */
function identity(result: CandidateResult, forCandidate: boolean): string {
  const parts = [
    result.typedName !== undefined && result.typedName !== result.name ? `Name entered at export: ${e(result.typedName)}` : '',
    !forCandidate && result.name ? `Roster: ${e(result.name)}${result.email ? ` &lt;${e(result.email)}&gt;` : ''}` : '',
    !forCandidate && !result.name ? 'Not on the roster' : '',
    !forCandidate ? `Candidate id ${e(result.candidate)}` : '',
    result.extensionMinutes ? `Extension: ${result.extensionMinutes} min` : '',
  ].filter(Boolean);
  return parts.length ? `<p class="meta">${parts.join(' · ')}</p>` : '';
}

/** How the final points come about: automatic, manual, the late penalty; for the instructor also what src/ as submitted scored. */
function scores(result: CandidateResult, forCandidate: boolean): string {
  if (result.notGraded) return '';
  const max = result.maxPoints + (result.manualMaxPoints ?? 0);
  const rows = [
    `<tr><td>Automatic (hidden tests)</td><td class="num">${pts(result.points)} / ${pts(result.maxPoints)}</td></tr>`,
    result.manualMaxPoints || result.manual?.length
      ? `<tr><td>Graded by hand</td><td class="num">${pts(result.manualPoints ?? 0)} / ${pts(result.manualMaxPoints ?? 0)}</td></tr>`
      : '',
    result.latePenaltyPoints
      ? `<tr><td>Late penalty <span class="muted">(${e(result.latePolicy ?? '')}; ${pts(result.minutesPastDeadline ?? 0)} min after the deadline${result.extensionMinutes ? `, ${result.extensionMinutes} min extension` : ''})</span></td><td class="num">-${pts(result.latePenaltyPoints)}</td></tr>`
      : '',
    `<tr><th>Final</th><th class="num">${pts(result.finalPoints ?? result.points)} / ${pts(max)}</th></tr>`,
    !forCandidate && result.asSubmittedPoints !== undefined
      ? `<tr><td class="tampered">src/ as submitted (failed its checksums; not counted)</td><td class="num">${pts(result.asSubmittedPoints)} / ${pts(result.maxPoints)}</td></tr>`
      : '',
    !forCandidate ? `<tr><td class="muted">Late policy</td><td class="num">${e(result.latePolicy ?? 'none')}</td></tr>` : '',
  ];
  return `<section aria-label="Score"><table><tbody>${rows.join('')}</tbody></table></section>`;
}

function summary(result: CandidateResult, local: (iso: string) => string, forCandidate: boolean): string {
  const { elapsedMinutes: used, timeLimitMinutes: limit } = result;
  const time =
    used === undefined
      ? '<span class="muted">not recorded</span>'
      : `<span class="big${limit !== undefined && used > limit ? ' over' : ''}">${pts(used)} min</span>${limit !== undefined ? ` of ${pts(limit)} min` : ''}`;
  // The candidate reads their own clock; the instructor gets both, the UTC one first.
  const at = (iso: string) =>
    forCandidate ? e(local(iso)) : `${e(iso)}${result.utcOffsetMinutes !== undefined ? ` (${e(local(iso))} for the candidate)` : ''}`;
  const window = [result.startedAt && `started ${at(result.startedAt)}`, result.finishedAt && `finished ${at(result.finishedAt)}`].filter(Boolean).join(', ');
  return `<section class="summary" aria-label="Summary">
<div><div class="muted">Automatic points</div><span class="big">${pts(result.points)}</span> / ${pts(result.maxPoints)} <meter min="0" max="${result.maxPoints}" value="${result.points}"></meter></div>
<div><div class="muted">Time used</div>${time}${window ? `<div class="muted">${window}</div>` : ''}</div>
<div><div class="muted">Labs</div><span class="big">${result.labs.length}</span></div>
</section>`;
}

function flags(result: CandidateResult): string {
  const badges = [result.late ? '<span class="badge late">Late</span>' : '', result.tampered ? '<span class="badge tampered">Tampering</span>' : '']
    .filter(Boolean)
    .join(' ');
  if (result.flags.length === 0 && !badges) return '<section class="flags" aria-label="Flags"><p class="muted">No flags.</p></section>';
  return `<section class="flags${badges ? ' alert' : ''}" aria-labelledby="flags-heading">
<h2 id="flags-heading">Flags ${badges}</h2>
<ul>${result.flags.map((f) => `<li>${e(f)}</li>`).join('')}</ul>
</section>`;
}

function lab({ id, title, report, hints, asSubmitted }: LabResult, result: CandidateResult, forCandidate: boolean): string {
  const manual = (result.manual ?? []).filter((m) => m.lab === id);
  const manualHtml = manual.length
    ? `<h3>Graded by hand</h3><table><thead><tr><th>Task</th><th>Item</th><th class="num">Points</th><th>Comment</th></tr></thead><tbody>${manual
        .map(
          (m) =>
            `<tr><td>${m.task ?? ''}</td><td>${e(m.item)}</td><td class="num">${m.maxPoints ? `${pts(m.points)} / ${pts(m.maxPoints)}` : ''}</td><td>${e(m.comment)}</td></tr>`,
        )
        .join('')}</tbody></table>`
    : '';
  const tasks = report.tasks
    .map(
      (t) =>
        `<tr><td>${t.id}</td><td>${e(t.title)}</td><td class="num">${pts(t.points)} / ${pts(t.maxPoints)}</td><td class="num">${t.passed} / ${t.total}</td></tr>`,
    )
    .join('');
  const failing = report.tests.filter((t) => t.status !== 'pass');
  return `<section class="lab" aria-labelledby="lab-${e(id)}">
<h2 id="lab-${e(id)}">${e(title)} <span class="muted">${e(id)} ${e(report.lab.version)}</span></h2>
<p><span class="big">${pts(report.points)}</span> / ${pts(report.maxPoints)} points · <span class="status-${e(report.status)}">${STATUS_TEXT[report.status]}</span></p>
${report.message ? `<pre class="run-message">${e(report.message)}</pre>` : ''}
${!forCandidate && asSubmitted ? `<p class="tampered">Graded from the verified frozen copy; src/ as submitted scores ${pts(asSubmitted.points)} / ${pts(asSubmitted.maxPoints)}.</p>` : ''}
${!forCandidate && report.tampering.length ? `<p class="tampered">Tampering seen in this run:</p><ul>${report.tampering.map((t) => `<li>${e(t)}</li>`).join('')}</ul>` : ''}
<table><thead><tr><th>#</th><th>Task</th><th class="num">Points</th><th class="num">Tests passed</th></tr></thead><tbody>${tasks}</tbody></table>
${failing.length ? `<h3>Failing tests</h3><ol class="failures">${failing.map((t) => failure(t, report.tasks)).join('')}</ol>` : ''}
${report.output ? `<h3>Output outside any test</h3><pre>${e(report.output)}</pre>` : ''}
${manualHtml}
<h3>Hints taken</h3>
${hints.length ? `<ol>${hints.map((h) => `<li>${e(h)}</li>`).join('')}</ol>` : '<p class="muted">None.</p>'}
<p class="muted">Graded in ${report.durationMs} ms; permission model ${e(report.protections.permissionModel)}, timeout ${report.protections.timeoutMs} ms, Node ${e(report.protections.nodeVersion)}.</p>
</section>`;
}

function failure(test: TestResult, tasks: readonly { id: number; title: string }[]): string {
  const task = tasks.find((k) => k.id === test.task_id);
  const where = test.location ? ` <span class="muted">at ${e(test.location.file)}:${test.location.line}:${test.location.column}</span>` : '';
  const diff =
    test.expected !== undefined || test.actual !== undefined
      ? `<div class="diff"><div><div class="muted">Expected</div><pre>${e(test.expected ?? '')}</pre></div><div><div class="muted">Actual</div><pre>${e(test.actual ?? '')}</pre></div></div>`
      : '';
  return `<li><p><span class="badge status-${e(test.status)}">${e(test.status)}</span> ${e(test.name)}${task ? ` <span class="muted">task ${task.id}: ${e(task.title)}</span>` : ''}${where}</p>${
    test.message ? `<pre>${e(test.message)}</pre>` : ''
  }${diff}${test.output ? `<div class="muted">Output</div><pre>${e(test.output)}</pre>` : ''}</li>`;
}
