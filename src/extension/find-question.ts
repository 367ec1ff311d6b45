import * as vscode from 'vscode';
import { sectionTitle } from '../core/catalog/sections';
import type { Content } from './content';
import { background, type ErrorLog } from './errors';
import { loadCore } from './lazy';
import type { SearchIndex } from '../core/questions/search';

interface QuestionPick extends vscode.QuickPickItem {
  questionId: string;
}

/**
 * "Find Question": searches titles, tags and answer text with the project's own ranking. Items are marked
 * `alwaysShow` so the quick pick shows our result set rather than re-filtering by label alone.
 */
export async function findQuestion(content: Content, log: ErrorLog, open: (questionId: string) => Promise<void>): Promise<void> {
  const { catalog, progress } = await content.get();
  const core = loadCore();
  const pick = vscode.window.createQuickPick<QuestionPick>();
  pick.placeholder = 'Search questions by title, tag or a word of the answer';
  // The pick opens at once; the index of a large pack may still be building, and typing goes on meanwhile.
  let index: SearchIndex | undefined = undefined;
  let hidden = false;
  pick.matchOnDescription = false;
  // Matched words are highlighted by the quick pick itself in the label and the excerpt.
  pick.matchOnDetail = true;
  const update = (query: string) => {
    if (!index) return;
    const hits = core.searchQuestions(index, query, 60);
    pick.items = hits.length
      ? hits.map((hit) => ({
          label: hit.question.title,
          description: `${sectionTitle(hit.question.section)} · ${hit.question.difficulty} · ${progress.state(hit.question.qualifiedId)}`,
          ...(hit.excerpt ? { detail: hit.excerpt } : {}),
          alwaysShow: true,
          questionId: hit.question.qualifiedId,
        }))
      : [
          {
            label: `$(search-stop) No question matches "${query.trim()}"`,
            detail: 'Try fewer words, another spelling, or a tag such as serving or drift.',
            alwaysShow: true,
            questionId: '',
          },
        ];
    const all = catalog.questions.length;
    pick.title = query.trim() ? `Find Question: ${hits.length} of ${all} match${hits.length === 1 ? 'es' : ''}` : `Find Question (${all})`;
  };
  const disposables = [
    pick.onDidChangeValue(update),
    pick.onDidAccept(() => {
      // Enter pressed while the items were being replaced selects nothing: take the active item then.
      const chosen = pick.selectedItems[0] ?? pick.activeItems[0];
      if (!chosen?.questionId) return;
      background(open(chosen.questionId), log, `Opening the question ${chosen.questionId}`);
      pick.hide();
    }),
    pick.onDidHide(() => {
      hidden = true;
      for (const d of disposables) d.dispose();
      pick.dispose();
    }),
  ];
  pick.busy = true;
  pick.title = `Find Question (${catalog.questions.length})`;
  pick.show();
  const built = await content.search();
  if (hidden) return;
  index = built;
  pick.busy = false;
  update(pick.value);
}
