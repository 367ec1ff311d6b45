/**
 * The mock interview panel's pages: one question at a time with its clock, and the summary at the end. The
 * answer text area and the key-point check list are the question panel's own (answer-view.ts).
 */
import { escapeHtml as e } from './escape';
import { documentHead, type PageResources } from './page';
import type { RenderedQuestion } from './question-view';
import { keyPointsCheck, yourAnswerSection, type AnswerModel } from './answer-view';

const CSS = `
.interview-bar { position: sticky; top: 0; z-index: 1; display: flex; gap: 16px; align-items: center; flex-wrap: wrap;
  padding: 8px 0; background: var(--vscode-editor-background); border-bottom: 1px solid var(--vscode-panel-border, transparent); }
.interview-clock { font-variant-numeric: tabular-nums; font-size: 1.3em; font-weight: 600; }
.interview-clock.over { color: var(--vscode-errorForeground); }
.interview-actions { display: flex; gap: 8px; margin-top: 20px; flex-wrap: wrap; }
main.interview .suggestion-rule, main.interview .suggestion { display: none; }
table.summary { border-collapse: collapse; width: 100%; }
table.summary th, table.summary td { text-align: left; padding: 4px 8px; border-bottom: 1px solid var(--vscode-panel-border, transparent); }
table.summary td.num, table.summary th.num { text-align: right; font-variant-numeric: tabular-nums; }
`;

export interface InterviewQuestionModel {
  index: number;
  total: number;
  title: string;
  sectionTitle: string;
  level: string;
  /** Suggested minutes for this question. */
  minutes: number;
  /** Time already on this question when the page was built, in milliseconds. */
  elapsedMs: number;
  checked: boolean;
  ticked: readonly number[];
  answer: AnswerModel;
}

/** One question of the interview: the clock, the question, the answer text area, then its key points. */
export function buildInterviewQuestionPage(model: InterviewQuestionModel, parts: RenderedQuestion, res: PageResources): string {
  const last = model.index + 1 === model.total;
  const items = parts.keyPointItems ?? [];
  return `${documentHead(`Mock interview: ${model.title}`, res, CSS + parts.css)}
<body data-page="question" data-elapsed="${model.elapsedMs}" data-minutes="${model.minutes}" data-ticked="${e(JSON.stringify(model.ticked))}" data-checked="${model.checked}">
<main class="question interview${model.checked ? ' revealed' : ''}">
<div class="interview-bar" role="group" aria-label="Mock interview">
<span class="position" id="interview-position">Question ${model.index + 1} of ${model.total}</span>
<span class="interview-clock" id="interview-clock" role="timer" aria-live="off">0:00</span>
<span class="hint">of ${model.minutes} min suggested</span>
</div>
<header>
<p class="meta"><span class="section">${e(model.sectionTitle)}</span> <span class="badge difficulty-${e(model.level)}">${e(model.level)}</span></p>
<h1>${e(model.title)}</h1>
</header>
${parts.context.trim() ? `<section class="context">${parts.context}</section>` : ''}
${yourAnswerSection(model.answer, model.checked)}
<div class="reveal-bar"${model.checked ? ' hidden' : ''}>
<p>Answer as you would to an interviewer, then check your answer against the key points.</p>
<button type="button" id="check" class="primary">Check key points</button>
</div>
<div id="answer"${model.checked ? '' : ' hidden'}>
${items.length ? keyPointsCheck(items, model.answer.lastText) : '<p class="hint">This question has no key points to check.</p>'}
${parts.shortAnswer.trim() ? `<section class="part"><h2>Short answer</h2>${parts.shortAnswer}</section>` : ''}
</div>
<nav class="interview-actions" aria-label="Interview">
<button type="button" id="previous"${model.index === 0 ? ' disabled' : ''}>← Previous question</button>
${last ? '<button type="button" id="finish" class="primary">Finish interview</button>' : '<button type="button" id="next" class="primary">Next question →</button>'}
${last ? '' : '<button type="button" id="finish">Finish now</button>'}
</nav>
</main>
<script nonce="${res.nonce}" src="${e(res.scriptUri)}"></script>
</body>
</html>`;
}

export interface SummaryQuestionRow {
  id: string;
  title: string;
  sectionTitle: string;
  minutes: number;
  /** "4:05" */
  time: string;
  covered: number;
  total: number;
  checked: boolean;
}

export interface InterviewSummaryModel {
  startedAt: string;
  when: string;
  lengthMinutes: number;
  level: string;
  status: string;
  totalTime: string;
  questions: readonly SummaryQuestionRow[];
  sections: readonly { title: string; covered: number; total: number; time: string }[];
  weakest: readonly string[];
  reviewNext: readonly { id: string; title: string }[];
  /** A lab to end with, under the time left. */
  lab?: { id: string; title: string; minutesLeft: number; started: boolean };
}

const percent = (covered: number, total: number) => (total === 0 ? '–' : `${Math.round((covered / total) * 100)}%`);

/** The interview's summary: time and key points per question and per section, the weakest sections, what to review. */
export function buildInterviewSummaryPage(model: InterviewSummaryModel, res: PageResources): string {
  const rows = model.questions
    .map(
      (q, i) =>
        `<tr data-question="${e(q.id)}"><td class="num">${i + 1}</td><td>${e(q.title)}</td><td>${e(q.sectionTitle)}</td><td class="num q-time">${e(q.time)}</td><td class="num">${q.minutes}:00</td><td class="num q-points">${q.checked ? `${q.covered} of ${q.total}` : 'not checked'}</td></tr>`,
    )
    .join('\n');
  const sections = model.sections
    .map(
      (s) =>
        `<tr><td>${e(s.title)}</td><td class="num s-points">${s.covered} of ${s.total}</td><td class="num">${percent(s.covered, s.total)}</td><td class="num">${e(s.time)}</td></tr>`,
    )
    .join('\n');
  const review = model.reviewNext.length
    ? `<ul class="review-next">${model.reviewNext.map((q) => `<li><button type="button" class="link-button" data-open="${e(q.id)}">${e(q.title)}</button></li>`).join('')}</ul>`
    : '<p>Nothing: every question was checked with at least half its key points covered.</p>';
  const lab = model.lab
    ? model.lab.started
      ? `<section class="part"><h2>Lab task</h2><p>${e(model.lab.title)} was started with ${model.lab.minutesLeft} minutes left.</p></section>`
      : `<section class="part"><h2>Lab task</h2><p>${model.lab.minutesLeft} minutes are left: end with a lab task from these sections.</p>
<button type="button" class="primary" data-lab="${e(model.lab.id)}">Start ${e(model.lab.title)} (${model.lab.minutesLeft} min)</button></section>`
    : '';
  return `${documentHead('Mock interview summary', res, CSS)}
<body data-page="summary">
<main class="interview-summary">
<header>
<p class="meta"><time datetime="${e(model.startedAt)}">${e(model.when)}</time> · ${model.lengthMinutes} minutes · ${e(model.level)} · ${e(model.status)}</p>
<h1>Mock interview summary</h1>
<p>Total time on questions: <strong id="total-time">${e(model.totalTime)}</strong></p>
</header>
<section class="part" aria-labelledby="per-question"><h2 id="per-question">Questions</h2>
<table class="summary" id="summary-questions"><thead><tr><th class="num">#</th><th>Question</th><th>Section</th><th class="num">Time</th><th class="num">Suggested</th><th class="num">Key points</th></tr></thead>
<tbody>
${rows}
</tbody></table></section>
<section class="part" aria-labelledby="per-section"><h2 id="per-section">Sections</h2>
<table class="summary" id="summary-sections"><thead><tr><th>Section</th><th class="num">Key points</th><th class="num">Covered</th><th class="num">Time</th></tr></thead>
<tbody>
${sections}
</tbody></table></section>
<section class="part" aria-labelledby="weakest"><h2 id="weakest">Weakest sections</h2>
${model.weakest.length ? `<ol id="weakest-sections">${model.weakest.map((s) => `<li>${e(s)}</li>`).join('')}</ol>` : '<p>None: every key point was covered.</p>'}
</section>
<section class="part" aria-labelledby="review"><h2 id="review">Review next</h2>
${review}
</section>
${lab}
</main>
<script nonce="${res.nonce}" src="${e(res.scriptUri)}"></script>
</body>
</html>`;
}
