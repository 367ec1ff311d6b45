import type * as vscode from 'vscode';
import type { Prompts } from '../api';
import type { Content } from '../content';
import { findQuestion } from '../find-question';
import { loadCore } from '../lazy';
import { inform } from '../messages';
import type { QuestionPanels } from '../question-panels';
import type { QuestionsView } from '../questions-view';
import type { CommandTable } from './register';

export interface QuestionCommandDeps {
  content: Content;
  panels: QuestionPanels;
  view: QuestionsView;
  log: vscode.LogOutputChannel;
  prompts(): Prompts;
}

/** Open, find and review questions, reload the bank, reset progress. */
export function questionCommands(deps: QuestionCommandDeps): CommandTable {
  const find = () =>
    findQuestion(deps.content, deps.log, async (id) => {
      await deps.panels.open(id);
      await deps.view.reveal(id);
    });
  return {
    'mlopsLabs.openQuestion': (id) => (typeof id === 'string' ? deps.panels.open(id) : find()),
    'mlopsLabs.findQuestion': find,
    'mlopsLabs.reviewDue': () => reviewDue(deps),
    'mlopsLabs.resetProgress': () => resetProgress(deps),
    'mlopsLabs.reloadQuestions': () => deps.content.reload(),
  };
}

/** Opens the first question due for review, else the first never rated, and says which it is. */
async function reviewDue({ content, panels, log }: QuestionCommandDeps): Promise<void> {
  const { catalog, progress } = await content.get();
  // A question just rated in another window is not due: read the file as it is now, not as last seen.
  await progress.refresh();
  const due = new Set(progress.dueIds());
  const dueQuestions = catalog.questions.filter((q) => due.has(q.qualifiedId));
  const first = dueQuestions[0];
  if (first) {
    const more = dueQuestions.length - 1;
    await panels.open(first.qualifiedId, { reason: `Due for review now${more ? ` · ${more} more due` : ''}` });
    return;
  }
  const fresh = catalog.questions.find((q) => progress.state(q.qualifiedId) === 'new');
  const soonest = catalog.questions
    .map((q) => progress.nextReview(q.qualifiedId))
    .filter((d): d is Date => d !== undefined)
    .sort((a, b) => a.getTime() - b.getTime())[0];
  const next = soonest ? ` (the next review is ${loadCore().describeDue(soonest, new Date())})` : '';
  if (fresh) await panels.open(fresh.qualifiedId, { reason: `New question: nothing is due for review${next}` });
  else inform(log, `Nothing is due for review${next}, and every question has been seen.`);
}

async function resetProgress({ content, log, prompts }: QuestionCommandDeps): Promise<void> {
  const { progress } = await content.get();
  const confirmed = await prompts().confirm(
    `Reset progress for ${progress.questionCount} question${progress.questionCount === 1 ? '' : 's'}?`,
    'Every rating and review date is cleared. A copy of the current progress file is kept beside it.',
    'Reset Progress',
  );
  if (!confirmed) return;
  const backup = await progress.reset();
  log.info(`Progress reset${backup ? `; previous progress kept as ${backup}` : ''}.`);
  inform(log, 'Progress reset.');
}
