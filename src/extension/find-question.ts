import * as vscode from 'vscode';
import { sectionTitle } from '../core/sections';
import type { Content } from './content';
import { loadCore } from './lazy';

interface QuestionPick extends vscode.QuickPickItem {
  questionId: string;
}

/**
 * "Find Question": searches titles, tags and answer text with the project's own ranking. Items are marked
 * `alwaysShow` so the quick pick shows our result set rather than re-filtering by label alone.
 */
export async function findQuestion(content: Content, open: (questionId: string) => unknown): Promise<void> {
  const { catalog, progress } = await content.get();
  const index = await content.search();
  const core = loadCore();
  const pick = vscode.window.createQuickPick<QuestionPick>();
  pick.placeholder = 'Search questions by title, tag or a word of the answer';
  pick.matchOnDescription = false;
  pick.matchOnDetail = false;
  const update = (query: string) => {
    pick.items = core.searchQuestions(index, query, 60).map((hit) => ({
      label: hit.question.title,
      description: `${sectionTitle(hit.question.section)} · ${hit.question.difficulty} · ${progress.state(hit.question.qualifiedId)}`,
      ...(hit.excerpt ? { detail: hit.excerpt } : {}),
      alwaysShow: true,
      questionId: hit.question.qualifiedId,
    }));
  };
  update('');
  const disposables = [
    pick.onDidChangeValue(update),
    pick.onDidAccept(() => {
      const chosen = pick.selectedItems[0];
      if (chosen) open(chosen.questionId);
      pick.hide();
    }),
    pick.onDidHide(() => {
      for (const d of disposables) d.dispose();
      pick.dispose();
    }),
  ];
  pick.title = `Find Question (${catalog.questions.length})`;
  pick.show();
}
