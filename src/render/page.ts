import { randomBytes } from 'node:crypto';
import { escapeHtml } from './escape';
import type { ProgressState } from '../core/progress/progress';
import { RATINGS, type PanelState, type Rating } from './protocol';
import type { RenderedQuestion } from './question-view';
import { keyPointsCheck, yourAnswerSection, type AnswerModel } from './answer-view';

/** A fresh nonce for every page: 128 random bits. */
export function createNonce(): string {
  return randomBytes(16).toString('base64');
}

export interface QuestionPageModel {
  questionId: string;
  title: string;
  sectionTitle: string;
  difficulty: string;
  tags: readonly string[];
  state: ProgressState;
  nextReview?: string;
  /** Why this question was opened, when Review Next Due chose it ("Due for review now", "New question"). */
  reason?: string;
  position: { index: number; total: number };
  labs: readonly { id: string; title: string; status: 'shipped' | 'planned' }[];
  revealed: boolean;
  pinned: boolean;
  /** The candidate's own answer and earlier attempts; without it the page has no "Your answer". */
  answer?: AnswerModel;
}

export interface PageResources {
  nonce: string;
  /** The webview's `cspSource`. */
  cspSource: string;
  styleUri: string;
  scriptUri: string;
}

export function contentSecurityPolicy(nonce: string, cspSource: string): string {
  return [
    "default-src 'none'",
    `img-src ${cspSource} data:`,
    `font-src ${cspSource}`,
    `style-src ${cspSource} 'nonce-${nonce}'`,
    `script-src 'nonce-${nonce}'`,
    "form-action 'none'",
    "base-uri 'none'",
  ].join('; ');
}

/** The document head every panel shares: the CSP with this page's nonce, the stylesheet, extra styles by nonce. */
export function documentHead(title: string, res: Omit<PageResources, 'scriptUri'>, inlineCss = ''): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${contentSecurityPolicy(res.nonce, res.cspSource)}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${escapeHtml(res.styleUri)}">${inlineCss ? `\n<style nonce="${res.nonce}">${inlineCss}</style>` : ''}
<title>${escapeHtml(title)}</title>
</head>`;
}

/** How each rating reads on its button; its key is its place in RATINGS (1 to 4). */
const RATING_TEXT: Record<Rating, { label: string; hint: string }> = {
  again: { label: 'Again', hint: 'I did not know it' },
  hard: { label: 'Hard', hint: 'I knew it with effort' },
  good: { label: 'Good', hint: 'I knew it' },
  easy: { label: 'Easy', hint: 'I knew it cold' },
};

/** The whole question page: the question first, the answer hidden until revealed. */
export function buildQuestionPage(model: QuestionPageModel, parts: RenderedQuestion, res: PageResources): string {
  const state: PanelState = { questionId: model.questionId, revealed: model.revealed, pinned: model.pinned };
  const e = escapeHtml;
  const section = (title: string, html: string) => (html.trim() ? `<section class="part"><h2>${title}</h2>${html}</section>` : '');
  const labs = model.labs.length
    ? `<section class="related-labs" aria-labelledby="labs-heading"><h2 id="labs-heading">Practise it in a lab</h2><ul>${model.labs
        .map((lab) =>
          lab.status === 'shipped'
            ? `<li><button type="button" class="link-button" data-lab="${e(lab.id)}">${e(lab.title)}</button></li>`
            : `<li><span class="planned-lab">${e(lab.title)}</span> <span class="badge">coming soon</span></li>`,
        )
        .join('')}</ul></section>`
    : '';
  return `${documentHead(model.title, res, parts.css)}
<body data-state="${e(JSON.stringify(state))}">
<main class="question${model.revealed ? ' revealed' : ''}">
<header>
<p class="meta"><span class="section">${e(model.sectionTitle)}</span>
<span class="badge difficulty-${e(model.difficulty)}">${e(model.difficulty)}</span>
<span class="badge state-${e(model.state)}" id="state-badge">${e(model.state)}</span>
<span class="position">${model.position.index + 1} of ${model.position.total}</span></p>
${model.reason ? `<p class="review-reason" role="status">${e(model.reason)}</p>` : ''}
<h1>${e(model.title)}</h1>
<p class="tags">${model.tags.map((t) => `<span class="tag">#${e(t)}</span>`).join(' ')}</p>
</header>
${parts.context.trim() ? `<section class="context">${parts.context}</section>` : ''}
${model.answer ? yourAnswerSection(model.answer, model.revealed) : ''}
<div class="reveal-bar"${model.revealed ? ' hidden' : ''}>
<p>${model.answer ? 'Write your answer above, or say it out loud, then reveal.' : 'Think it through, or say your answer out loud, then reveal.'}</p>
<button type="button" id="reveal" class="primary">Reveal answer</button>
</div>
<div id="answer"${model.revealed ? '' : ' hidden'}>
${section('Short answer', parts.shortAnswer)}
${parts.keyPointItems?.length && model.answer ? keyPointsCheck(parts.keyPointItems, model.answer.lastText) : section('Key points', parts.keyPoints)}
${section('Answer', parts.answer)}
${section('Pitfalls', parts.pitfalls)}
${section('Follow-ups', parts.followUps)}
${section('Sources', parts.sources)}
<section class="rating" aria-labelledby="rating-heading">
<h2 id="rating-heading">How well did you know it?</h2>
<div class="rating-buttons" role="group" aria-labelledby="rating-heading">
${RATINGS.map((rating, i) => {
  const { label, hint } = RATING_TEXT[rating];
  return `<button type="button" data-rating="${rating}" aria-pressed="false" aria-keyshortcuts="${i + 1}" title="${hint} (key ${i + 1})"><kbd>${i + 1}</kbd> ${label}</button>`;
}).join('\n')}
</div>
<p id="rating-status" role="status" aria-live="polite">${model.nextReview ? `Next review ${e(model.nextReview)}.` : ''}</p>
</section>
</div>
${labs}
<nav class="pager" aria-label="Questions">
<button type="button" id="previous" title="Previous question (p)">← Previous</button>
<button type="button" id="pin"${model.pinned ? ' disabled' : ''} title="Keep this panel; the next question opens in a new one">${model.pinned ? 'Pinned' : 'Pin'}</button>
<button type="button" id="next" title="Next question (n)">Next →</button>
</nav>
</main>
<script nonce="${res.nonce}" src="${e(res.scriptUri)}"></script>
</body>
</html>`;
}
