/**
 * The answer-first parts of the question page: "Your answer" (a Markdown text area and the earlier attempts,
 * shown before the reveal) and, after it, the question's key points as a check list beside the candidate's text.
 */
import { SUGGESTION_RULE } from '../core/progress/key-points';
import { MAX_ANSWER_LENGTH } from './protocol';
import { escapeHtml as e } from './escape';

/** One earlier answer: when (ISO, and as words), and its text rendered from Markdown (safe HTML). */
export interface AttemptView {
  at: string;
  when: string;
  html: string;
}

export interface AnswerModel {
  /** The draft being written, put back in the text area. */
  draft: string;
  /** Earlier attempts, newest first. */
  attempts: readonly AttemptView[];
  /** Shown beside the key points when the page opens already revealed: the latest attempt's text. */
  lastText?: string;
}

/** The text area and the attempts list; hidden once revealed (the page's script hides it on reveal). */
export function yourAnswerSection(answer: AnswerModel, revealed: boolean): string {
  const attempts = answer.attempts.length
    ? `<details class="attempts"><summary>Previous attempts (${answer.attempts.length})</summary><ol class="attempt-list">${answer.attempts
        .map((a) => `<li class="attempt"><h3><time datetime="${e(a.at)}">${e(a.when)}</time></h3><div class="attempt-text">${a.html}</div></li>`)
        .join('')}</ol></details>`
    : '';
  return `<section class="your-answer" aria-labelledby="your-answer-heading"${revealed ? ' hidden' : ''}>
<h2 id="your-answer-heading">Your answer</h2>
<p class="hint" id="your-answer-hint">Write or outline your answer (Markdown) before revealing. It is saved as you type, on this machine only.</p>
<textarea id="your-answer" rows="8" maxlength="${MAX_ANSWER_LENGTH}" spellcheck="true" aria-labelledby="your-answer-heading" aria-describedby="your-answer-hint">${e(answer.draft)}</textarea>
<p id="draft-status" class="hint" role="status" aria-live="polite"></p>
${attempts}
</section>`;
}

/** The key points as a check list beside the candidate's text, with the suggested rating and its rule. */
export function keyPointsCheck(items: readonly string[], lastText: string | undefined): string {
  const text = lastText?.trim() ? e(lastText) : '';
  return `<section class="part check" aria-labelledby="check-heading">
<h2 id="check-heading">Key points</h2>
<div class="check-columns">
<div class="your-text-column"><h3>Your answer</h3><div id="your-text" class="your-text" data-empty="You wrote nothing this time.">${text || 'You wrote nothing this time.'}</div></div>
<fieldset class="key-points-check"><legend>Tick each point your answer covered</legend>
<ul>${items.map((html, i) => `<li><label><input type="checkbox" data-point="${i}"> <span>${html}</span></label></li>`).join('')}</ul>
</fieldset>
</div>
<p class="hint suggestion-rule">${e(SUGGESTION_RULE)}</p>
<p class="suggestion"><span id="suggestion" role="status" aria-live="polite"></span> <button type="button" id="accept-suggestion" hidden>Accept suggestion</button></p>
</section>`;
}
