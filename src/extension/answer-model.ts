/** The question page's view of the candidate's own answers, from the answers file. */
import type { AnswerBook } from '../core/progress/answers';
import type { AnswerModel } from '../render/answer-view';
import type { RenderedQuestion } from '../render/question-view';
import { loadRender } from './lazy';

const attemptDate = new Intl.DateTimeFormat('en', { dateStyle: 'medium', timeStyle: 'short' });

/** The page's view of a question's own answers: the draft, and earlier attempts newest first, rendered. */
export function answerModel(answers: AnswerBook, questionId: string, renderAttempt: (markdown: string) => string): AnswerModel {
  const attempts = answers.attempts(questionId);
  const latest = attempts[0];
  return {
    draft: answers.draft(questionId),
    attempts: attempts.map((a) => ({ at: a.at, when: attemptDate.format(new Date(a.at)), html: renderAttempt(a.text) })),
    ...(latest ? { lastText: latest.text } : {}),
  };
}

/**
 * A question page's answers and fragments. The candidate's attempts are Markdown rendered now, so the renderer
 * (markdown-it, KaTeX, shiki) loads only for a question with attempts; their highlight classes join the page's CSS.
 */
export function answerPage(answers: AnswerBook, questionId: string, rendered: RenderedQuestion): { answer: AnswerModel; rendered: RenderedQuestion } {
  const answer = answerModel(answers, questionId, (markdown) => loadRender().renderAttempt(markdown));
  if (answer.attempts.length === 0) return { answer, rendered };
  return { answer, rendered: { ...rendered, css: `${rendered.css}\n${loadRender().highlightCss()}` } };
}
