/**
 * The similarity report as one self-contained HTML page (no scripts, nothing remote, printable, the same
 * strict CSP as the feedback pages): the pairs above the threshold, and for each the stretches the two
 * submissions share, side by side with their own line numbers. It says at the top that a score is a
 * reason to talk to the candidates, never a verdict.
 */
import { escapeHtml as e } from '../render/escape';
import { staticPageHead } from './static-page';
import type { Span } from '../core/similarity/compare';
import type { SourceFile } from '../core/similarity/winnow';

const STYLE = `
:root { color-scheme: light dark; --fg: #1f2328; --muted: #59636e; --bg: #ffffff; --panel: #f6f8fa; --line: #d1d9e0; --note-bg: #fff8c5; --note-line: #9a6700; }
@media (prefers-color-scheme: dark) {
  :root { --fg: #e6edf3; --muted: #9198a1; --bg: #0d1117; --panel: #161b22; --line: #3d444d; --note-bg: #272115; --note-line: #d29922; }
}
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--fg); font: 15px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; }
main { max-width: 80rem; margin: 0 auto; padding: 1.5rem; }
h1 { font-size: 1.6rem; margin: 0 0 .25rem; }
h2 { font-size: 1.2rem; margin: 2rem 0 .5rem; border-bottom: 1px solid var(--line); padding-bottom: .25rem; overflow-wrap: anywhere; }
.muted { color: var(--muted); }
.note { border: 2px solid var(--note-line); background: var(--note-bg); border-radius: 6px; padding: .75rem 1rem; margin: 1rem 0; }
table { border-collapse: collapse; width: 100%; margin: .5rem 0; }
th, td { text-align: left; padding: .3rem .5rem; border-bottom: 1px solid var(--line); vertical-align: top; overflow-wrap: anywhere; }
th { background: var(--panel); }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.diff { display: grid; grid-template-columns: 1fr 1fr; gap: .5rem; margin: .75rem 0; }
.diff h3 { font-size: .9rem; margin: 0; color: var(--muted); overflow-wrap: anywhere; }
pre { background: var(--panel); border: 1px solid var(--line); border-radius: 4px; padding: .5rem; margin: .25rem 0; white-space: pre-wrap; overflow-wrap: anywhere; max-height: 30rem; overflow: auto; font: 13px/1.4 ui-monospace, "SF Mono", Consolas, monospace; }
.ln { color: var(--muted); user-select: none; }
@media print {
  :root { color-scheme: light; --fg: #000; --muted: #444; --bg: #fff; --panel: #f3f3f3; --line: #bbb; --note-bg: #fff; --note-line: #000; }
  pre { max-height: none; overflow: visible; }
  .diff, tr { break-inside: avoid; }
}
`;

export const NOT_A_VERDICT =
  'A similarity score is a reason to talk with the candidates, not a verdict: shared code can come from the same tutorial, the same documentation, a pair-programming exercise the course allowed, or the lab itself. Read the matching code, and ask before you conclude anything.';

export interface ListedPair {
  a: string;
  b: string;
  score: number;
  shared: number;
  spans: Span[];
}

export interface SimilarityPageInput {
  lab: string;
  threshold: number;
  submissions: number;
  compared: number;
  ignoredCommon: number;
  pairs: readonly ListedPair[];
  sources: ReadonlyMap<string, readonly SourceFile[]>;
  generatedAt: Date;
}

const percent = (score: number) => `${Math.round(score * 100)}%`;

/** Pairs shown with their code; the rest are in the table and in similarity.json, so a low threshold on a large cohort keeps the page readable. */
export const PAGE_PAIRS = 200;

function excerpt(files: readonly SourceFile[] | undefined, file: string, start: number, end: number): string {
  const lines = (files?.find((f) => f.path === file)?.text ?? '').split('\n').slice(start - 1, end);
  const width = String(end).length;
  return lines.map((line, i) => `<span class="ln">${String(start + i).padStart(width)}</span>  ${e(line)}`).join('\n');
}

function pairSection(pair: ListedPair, index: number, sources: SimilarityPageInput['sources']): string {
  const spans = pair.spans
    .map(
      (s) => `<div class="diff">
<div><h3>${e(pair.a)} · ${e(s.a.file)}:${s.a.startLine}–${s.a.endLine}</h3><pre>${excerpt(sources.get(pair.a), s.a.file, s.a.startLine, s.a.endLine)}</pre></div>
<div><h3>${e(pair.b)} · ${e(s.b.file)}:${s.b.startLine}–${s.b.endLine}</h3><pre>${excerpt(sources.get(pair.b), s.b.file, s.b.startLine, s.b.endLine)}</pre></div>
</div>`,
    )
    .join('\n');
  return `<section id="pair-${index + 1}">
<h2>${index + 1}. ${e(pair.a)} and ${e(pair.b)}: ${percent(pair.score)}</h2>
<p class="muted">${pair.shared} shared fingerprint${pair.shared === 1 ? '' : 's'} in ${pair.spans.length} stretch${pair.spans.length === 1 ? '' : 'es'} (starter code and code most submissions share left out)</p>
${spans}
</section>`;
}

export function similarityPage(input: SimilarityPageInput): string {
  const rows = input.pairs
    .map(
      (p, i) =>
        `<tr><td class="num">${i < PAGE_PAIRS ? `<a href="#pair-${i + 1}">${i + 1}</a>` : i + 1}</td><td>${e(p.a)}</td><td>${e(p.b)}</td><td class="num">${percent(p.score)}</td><td class="num">${p.shared}</td></tr>`,
    )
    .join('\n');
  return `${staticPageHead(`Similarity: ${input.lab}`, STYLE)}
<body>
<main>
<h1>Similarity across submissions: ${e(input.lab)}</h1>
<p class="muted">${input.submissions} submission${input.submissions === 1 ? '' : 's'} compared; ${input.compared} pair${input.compared === 1 ? '' : 's'} share something; ${input.pairs.length} at ${percent(input.threshold)} or more are listed. ${input.ignoredCommon} fingerprint${input.ignoredCommon === 1 ? '' : 's'} too many submissions share ${input.ignoredCommon === 1 ? 'was' : 'were'} ignored. Generated ${e(input.generatedAt.toISOString())}.</p>
<p class="note"><strong>Not a verdict.</strong> ${e(NOT_A_VERDICT)}</p>
${
  input.pairs.length
    ? `<table><thead><tr><th class="num">#</th><th>Submission</th><th>Submission</th><th class="num">Score</th><th class="num">Shared</th></tr></thead><tbody>
${rows}
</tbody></table>
${input.pairs
  .slice(0, PAGE_PAIRS)
  .map((p, i) => pairSection(p, i, input.sources))
  .join('\n')}
${input.pairs.length > PAGE_PAIRS ? `<p class="muted">The code of the first ${PAGE_PAIRS} pairs is shown; similarity.json holds the spans of all ${input.pairs.length}.</p>` : ''}`
    : '<p>No pair reaches the threshold.</p>'
}
</main>
</body>
</html>
`;
}
