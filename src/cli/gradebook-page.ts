/**
 * The batch's index page (index.html beside gradebook.csv): the score distribution as an inline SVG
 * histogram, each task's pass rate (hardest first), and a row per candidate with the time used, the
 * flags (late, tampered, similar, not graded) and links to the two feedback pages. Built from the
 * gradebook alone, so a merge of shards writes the same page as one run. No scripts; a strict CSP.
 */
import { escapeHtml as e } from '../render/escape';
import { staticPageHead } from './static-page';
import type { CandidateSummary, Gradebook } from './gradebook-files';

const STYLE = `
:root { color-scheme: light dark; --fg: #1f2328; --muted: #59636e; --bg: #ffffff; --panel: #f6f8fa; --line: #d1d9e0; --bar: #0969da; --fail: #cf222e; --warn: #9a6700; }
@media (prefers-color-scheme: dark) { :root { --fg: #e6edf3; --muted: #9198a1; --bg: #0d1117; --panel: #161b22; --line: #3d444d; --bar: #4493f8; --fail: #f85149; --warn: #d29922; } }
body { margin: 0; background: var(--bg); color: var(--fg); font: 15px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; }
main { max-width: 64rem; margin: 0 auto; padding: 1.5rem; }
h1 { font-size: 1.6rem; margin: 0 0 .25rem; }
h2 { font-size: 1.25rem; margin: 2rem 0 .5rem; border-bottom: 1px solid var(--line); padding-bottom: .25rem; }
.muted { color: var(--muted); }
svg.histogram { width: 100%; max-width: 40rem; height: auto; }
svg.histogram rect { fill: var(--bar); }
svg.histogram text { fill: var(--fg); font-size: 11px; }
table { border-collapse: collapse; width: 100%; margin: .5rem 0; }
th, td { text-align: left; padding: .3rem .5rem; border-bottom: 1px solid var(--line); vertical-align: top; }
th { background: var(--panel); }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
meter { width: 8rem; }
.badge { display: inline-block; border: 1px solid currentColor; border-radius: 4px; padding: 0 .4rem; margin-right: .25rem; font-size: .8rem; font-weight: 700; text-transform: uppercase; }
.late, .similar { color: var(--warn); }
.tampered, .not-graded { color: var(--fail); }
`;

const final = (c: CandidateSummary) => c.finalPoints ?? c.points;
const finalMax = (c: CandidateSummary) => c.maxPoints + (c.manualMaxPoints ?? 0);
const percent = (c: CandidateSummary) => (finalMax(c) ? (final(c) / finalMax(c)) * 100 : 0);
const round1 = (n: number) => Math.round(n * 10) / 10;

/** Ten bins of the final percent (the last holds 100), as an SVG bar chart with counts above the bars. */
function histogram(graded: readonly CandidateSummary[]): string {
  const bins = Array.from({ length: 10 }, () => 0);
  for (const c of graded) bins[Math.min(9, Math.floor(percent(c) / 10))]! += 1;
  const top = Math.max(1, ...bins);
  const bars = bins.map((n, i) => {
    const h = Math.round((n / top) * 120);
    const x = 10 + i * 40;
    return `<rect x="${x}" y="${140 - h}" width="34" height="${h}"><title>${i * 10}–${i === 9 ? 100 : i * 10 + 9}%: ${n}</title></rect><text x="${x + 17}" y="${135 - h}" text-anchor="middle">${n}</text><text x="${x + 17}" y="156" text-anchor="middle">${i * 10}</text>`;
  });
  return `<svg class="histogram" viewBox="0 0 420 165" role="img" aria-label="Candidates by final score, in bins of 10 percent">${bars.join('')}<line x1="8" y1="140" x2="412" y2="140" stroke="currentColor"/></svg>`;
}

/** Per lab and task: the share of graded candidates with every point of it. */
function taskRates(graded: readonly CandidateSummary[]): { lab: string; task: number; passed: number; of: number }[] {
  const rates = new Map<string, { lab: string; task: number; passed: number; of: number }>();
  for (const c of graded)
    for (const lab of c.labs)
      for (const t of lab.tasks) {
        const key = `${lab.id}#${t.id}`;
        const r = rates.get(key) ?? { lab: lab.id, task: t.id, passed: 0, of: 0 };
        r.of += 1;
        if (t.points >= t.maxPoints) r.passed += 1;
        rates.set(key, r);
      }
  return [...rates.values()].sort((a, b) => a.passed / a.of - b.passed / b.of || a.lab.localeCompare(b.lab) || a.task - b.task);
}

function badges(c: CandidateSummary): string {
  const out: string[] = [];
  if (c.notGraded) out.push('<span class="badge not-graded">not graded</span>');
  if (c.late) out.push('<span class="badge late">late</span>');
  if (c.tampered) out.push('<span class="badge tampered">tampered</span>');
  if (c.flags.some((f) => /^similar/i.test(f))) out.push('<span class="badge similar">similar</span>');
  return out.join('');
}

const link = (folder: string, name: string) => `${folder}/${encodeURIComponent(name)}.html`;

export function gradebookPage(book: Gradebook): string {
  const graded = book.candidates.filter((c) => !c.notGraded);
  const mean = graded.length ? round1(graded.reduce((n, c) => n + percent(c), 0) / graded.length) : 0;
  const rates = taskRates(graded);
  const rows = book.candidates.map(
    (c) =>
      `<tr><td><a href="${e(link('instructor', c.candidate))}">${e(c.candidate)}</a>${c.name ? ` <span class="muted">${e(c.name)}</span>` : ''}</td>` +
      `<td class="num">${final(c)} / ${finalMax(c)}</td><td class="num">${round1(percent(c))}%</td>` +
      `<td class="num">${c.elapsedMinutes === undefined ? '–' : `${round1(c.elapsedMinutes)} min`}${c.timeLimitMinutes === undefined ? '' : ` of ${c.timeLimitMinutes}`}</td>` +
      `<td>${badges(c)}${c.flags.length ? ` <span class="muted">${c.flags.length} flag${c.flags.length === 1 ? '' : 's'}</span>` : ''}</td>` +
      `<td><a href="${e(link('feedback', c.candidate))}">candidate's page</a></td></tr>`,
  );
  return `${staticPageHead(`Gradebook: ${book.pack.id} ${book.pack.version}`, STYLE)}
<body><main>
<h1>Gradebook: ${e(book.pack.id)} ${e(book.pack.version)}</h1>
<p class="muted">${book.candidates.length} submission${book.candidates.length === 1 ? '' : 's'}, ${graded.length} graded; mean final score ${mean}%. Graded by mlops-labs ${e(book.grader)}.</p>
<h2>Score distribution</h2>
${histogram(graded)}
<h2>Tasks, hardest first</h2>
<table><thead><tr><th>Lab</th><th class="num">Task</th><th class="num">Full marks</th><th>Pass rate</th></tr></thead><tbody>
${rates.map((r) => `<tr><td>${e(r.lab)}</td><td class="num">${r.task}</td><td class="num">${r.passed} / ${r.of}</td><td><meter min="0" max="1" value="${(r.passed / r.of).toFixed(3)}"></meter> ${round1((r.passed / r.of) * 100)}%</td></tr>`).join('\n')}
</tbody></table>
<h2>Candidates</h2>
<table><thead><tr><th>Candidate (instructor's page)</th><th class="num">Final</th><th class="num">Percent</th><th class="num">Time used</th><th>Flags</th><th>Feedback</th></tr></thead><tbody>
${rows.join('\n')}
</tbody></table>
<p class="muted">Flags are reasons to look, not verdicts: each candidate's instructor page says what was found.</p>
</main></body>
</html>
`;
}
