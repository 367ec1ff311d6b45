import * as vscode from 'vscode';
import type { Content } from './content';
import { background } from './errors';
import { Disposable } from './lifecycle';
import type { QuestionNode, QuestionsTree } from './questions-tree';
import type { ViewSettings } from './view-settings';

/** The Questions view: its tree, the filter in its description, and the badge of questions due for review. */
export class QuestionsView extends Disposable {
  private readonly view: vscode.TreeView<QuestionNode>;

  constructor(
    private readonly tree: QuestionsTree,
    settings: ViewSettings,
    private readonly content: Content,
    private readonly log: vscode.LogOutputChannel,
  ) {
    super(log);
    const view = this.register(vscode.window.createTreeView('mlopsLabs.questions', { treeDataProvider: tree, showCollapseAll: true }));
    this.view = view;
    const describe = () => (view.description = settings.describeFilter());
    describe();
    this.register(settings.onDidChange(describe));
    this.watchDueBadge();
  }

  /** Selects a question in the view when the view is showing (as the Explorer follows the open file). */
  async reveal(id: string): Promise<void> {
    if (!this.view.visible) return;
    const node = await this.tree.nodeOf(id);
    if (node) await this.view.reveal(node, { select: true, focus: false, expand: true });
  }

  /**
   * The count of questions due for review, as a badge on the view. Updated when progress changes and each minute
   * while the view shows (reviews fall due as time passes); never at activation, so nothing loads before it is seen.
   */
  private watchDueBadge(): void {
    const view = this.view;
    const update = async () => {
      if (!view.visible) return;
      const questions = await this.tree.dueCount();
      const { catalog } = await this.content.get();
      const { state } = await this.content.labData();
      const labs = state.dueLabs().filter((d) => catalog.lab(d.id)).length;
      const due = questions + labs;
      const parts = [questions ? `${questions} question${questions === 1 ? '' : 's'}` : '', labs ? `${labs} lab${labs === 1 ? '' : 's'} to redo` : ''];
      view.badge = due ? { value: due, tooltip: `${parts.filter(Boolean).join(' and ')} due for review: run Review Next Due` } : undefined;
    };
    const safely = () => background(update(), this.log, 'Updating the due-review badge');
    // Unref'd: a badge refresh never keeps a process alive on its own (the bench activates in a plain Node).
    const timer = setInterval(safely, 60_000);
    timer.unref?.();
    this.register({ dispose: () => clearInterval(timer) });
    this.register(view.onDidChangeVisibility(safely));
    this.register(this.content.onDidChange(safely));
    this.register(this.content.onDidChangeLab(safely));
    safely();
  }
}
