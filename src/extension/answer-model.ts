/** The question page's view of the candidate's own answers, from the answers file. */
import type { AnswerBook } from '../core/progress/answers';
import type { AnswerModel } from '../render/answer-view';

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
