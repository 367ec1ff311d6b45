/** The question page's view of the candidate's own answers, from the answers file. */
import type { AnswerBook } from '../core/progress/answers';
import type { AnswerModel } from '../render/answer-view';
import type { RenderedQuestion } from '../render/question-view';
import { shortDateTime } from './date-format';
import { loadMarkdown, loadRender } from './lazy';

/** The page's view of a question's own answers: the draft, and earlier attempts newest first, rendered. */
export function answerModel(answers: AnswerBook, questionId: string, renderAttempt: (markdown: string) => string): AnswerModel {
  const attempts = answers.attempts(questionId);
  const latest = attempts[0];
  return {
    draft: answers.draft(questionId),
    attempts: attempts.map((a) => ({ at: a.at, when: shortDateTime(a.at), html: renderAttempt(a.text) })),
    ...(latest ? { lastText: latest.text } : {}),
  };
}

/**
 * A question page's answers and fragments. The candidate's attempts are Markdown rendered now: without shiki
 * (dist/markdown.js) unless an attempt holds code to highlight; only then does the full renderer load, and its
 * highlight classes join the page's CSS. Measured cold on 2 busy cores: dist/markdown.js 33–43 ms, dist/render.js
 * 50–88 ms before shiki starts (and ~230 ms more at the first highlighted fence).
 */
export function answerPage(answers: AnswerBook, questionId: string, rendered: RenderedQuestion): { answer: AnswerModel; rendered: RenderedQuestion } {
  let highlighted = false;
  const answer = answerModel(answers, questionId, (markdown) => {
    const plain = loadMarkdown().renderWithoutHighlighter(markdown);
    if (plain !== undefined) return plain;
    highlighted = true;
    return loadRender().renderAttempt(markdown);
  });
  if (!highlighted) return { answer, rendered };
  return { answer, rendered: { ...rendered, css: `${rendered.css}\n${loadRender().highlightCss()}` } };
}
