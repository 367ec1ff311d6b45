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
  /** Starts a redo of a lab from scratch in a new folder (Redo Lab from Scratch). */
  redoLab(labId: string): PromiseLike<unknown>;
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

/**
 * Opens what has waited longest for review: a due question, or a lab due for a redo from scratch (its starter in
 * a new folder); when nothing is due, the first question never rated. Says which it is.
 */
async function reviewDue({ content, panels, log, redoLab }: QuestionCommandDeps): Promise<void> {
  const { catalog, progress } = await content.get();
  const { state: labs } = await content.labData();
  // A question just rated or a lab just passed in another window is not due: read the files as they are now.
  await Promise.all([progress.refresh(), labs.refresh()]);
  const questionIds = new Set(catalog.questions.map((q) => q.qualifiedId));
  const first = loadCore().nextDue(
    progress.due().filter((d) => questionIds.has(d.id)),
    labs.dueLabs().filter((d) => catalog.lab(d.id)),
  );
  const more = first?.more ? ` · ${first.more} more due` : '';
  if (first?.item.kind === 'lab') {
    const lab = catalog.lab(first.item.id);
    inform(log, `Lab due: redo ${lab?.title ?? first.item.id} from scratch. Its starter opens in a new folder; your earlier work stays where it was${more}.`);
    await redoLab(first.item.id);
    return;
  }
  if (first) {
    await panels.open(first.item.id, { reason: `Due for review now${more}` });
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
