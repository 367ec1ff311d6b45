import * as vscode from 'vscode';
import { DIFFICULTIES, type Difficulty } from '../core/sections';
import { Content } from './content';
import { DifficultyDecorations } from './difficulty-decorations';
import { findQuestion } from './find-question';
import { QuestionPanels } from './question-panels';
import { QuestionsTree } from './questions-tree';
import { ViewSettings } from './view-settings';

/** Questions that need the user's answer; one seam, so the integration suite can answer them. */
export interface Prompts {
  confirm(message: string, detail: string, action: string): Thenable<boolean>;
}

const modalPrompts: Prompts = {
  confirm: (message, detail, action) => vscode.window.showWarningMessage(message, { modal: true, detail }, action).then((choice) => choice === action),
};

/** The one object `activate()` creates: it owns every disposable of the extension. */
export class ExtensionRoot implements vscode.Disposable {
  prompts: Prompts = modalPrompts;
  readonly log: vscode.LogOutputChannel;
  readonly content: Content;
  readonly settings: ViewSettings;
  readonly tree: QuestionsTree;
  readonly panels: QuestionPanels;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(private readonly context: vscode.ExtensionContext) {
    this.log = this.own(vscode.window.createOutputChannel('MLOps Interview Labs', { log: true }));
    this.content = this.own(new Content(context, this.log));
    this.settings = this.own(new ViewSettings(context.globalState));
    this.tree = this.own(new QuestionsTree(this.content, this.settings));
    this.panels = this.own(new QuestionPanels(context.extensionUri, this.content, (labId) => this.openLab(labId)));
    const view = this.own(vscode.window.createTreeView('mlopsLabs.questions', { treeDataProvider: this.tree, showCollapseAll: true }));
    const describe = () => (view.description = this.settings.describeFilter());
    describe();
    this.own(this.settings.onDidChange(describe));
    this.own(vscode.window.registerFileDecorationProvider(new DifficultyDecorations()));
    this.registerCommands();
  }

  private registerCommands(): void {
    const command = (id: string, run: (...args: unknown[]) => unknown) => this.own(vscode.commands.registerCommand(id, run));
    command('mlopsLabs.openQuestion', (id) => (typeof id === 'string' ? this.panels.open(id) : this.find()));
    command('mlopsLabs.findQuestion', () => this.find());
    command('mlopsLabs.groupBySection', () => this.settings.update({ groupBy: 'section' }));
    command('mlopsLabs.groupByDifficulty', () => this.settings.update({ groupBy: 'difficulty' }));
    command('mlopsLabs.groupByTag', () => this.settings.update({ groupBy: 'tag' }));
    command('mlopsLabs.hideMastered', () => this.settings.update({ filter: { hideMastered: true } }));
    command('mlopsLabs.showMastered', () => this.settings.update({ filter: { hideMastered: false } }));
    command('mlopsLabs.filterDifficulty', () => this.pickDifficulties());
    command('mlopsLabs.clearFilters', () => this.settings.update({ filter: { difficulties: [], hideMastered: false } }));
    command('mlopsLabs.reviewDue', () => this.reviewDue());
    command('mlopsLabs.resetProgress', () => this.resetProgress());
    command('mlopsLabs.reloadQuestions', () => this.content.reload());
    command('mlopsLabs.showLog', () => this.log.show());
  }

  private async find(): Promise<void> {
    await findQuestion(this.content, (id) => this.panels.open(id));
  }

  private async pickDifficulties(): Promise<void> {
    const current = this.settings.filter.difficulties;
    const picked = await vscode.window.showQuickPick(
      DIFFICULTIES.map((d) => ({ label: d, picked: current.length === 0 || current.includes(d) })),
      { canPickMany: true, title: 'Show questions of these difficulties' },
    );
    if (!picked) return;
    const difficulties = picked.map((p) => p.label as Difficulty);
    await this.settings.update({ filter: { difficulties: difficulties.length === DIFFICULTIES.length ? [] : difficulties } });
  }

  /** Opens the first question due for review, else the first never rated. */
  private async reviewDue(): Promise<void> {
    const { catalog, progress } = await this.content.get();
    const due = new Set(progress.dueIds());
    const next = catalog.questions.find((q) => due.has(q.qualifiedId)) ?? catalog.questions.find((q) => progress.state(q.qualifiedId) === 'new');
    if (next) await this.panels.open(next.qualifiedId);
    else void vscode.window.showInformationMessage('Nothing is due for review. Come back later.');
  }

  private async resetProgress(): Promise<void> {
    const { progress } = await this.content.get();
    const confirmed = await this.prompts.confirm(
      `Reset progress for ${progress.questionCount} question${progress.questionCount === 1 ? '' : 's'}?`,
      'Every rating and review date is cleared. A copy of the current progress file is kept beside it.',
      'Reset Progress',
    );
    if (!confirmed) return;
    const backup = await progress.reset();
    this.log.info(`Progress reset${backup ? `; previous progress kept as ${backup}` : ''}.`);
    void vscode.window.showInformationMessage('Progress reset.');
  }

  private openLab(labId: string): void {
    const id = labId.split('/')[1] ?? labId;
    void vscode.window.showInformationMessage(
      `Labs open in the editor in the next release. Until then, grade "${id}" from a terminal: mlops-labs grade ${id} <your folder>.`,
    );
  }

  private own<T extends vscode.Disposable>(disposable: T): T {
    this.disposables.push(disposable);
    return disposable;
  }

  dispose(): void {
    for (const d of this.disposables.reverse()) d.dispose();
  }
}
