import { existsSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { TrustGate } from '../core/labs/trust-gate';
import { DIFFICULTIES, type Difficulty } from '../core/catalog/sections';
import { Content } from './content';
import { DifficultyDecorations } from './difficulty-decorations';
import { findQuestion } from './find-question';
import { GraderHost } from './grader-host';
import { LabCommands, SOLUTION_SCHEME, SolutionProvider } from './lab-commands';
import { detectSession, showLabFiles, type LabSession } from './lab-session';
import { LabTesting } from './lab-testing';
import { LabsTree } from './labs-tree';
import { PackCommands } from './pack-commands';
import { PackTrust } from './pack-trust';
import { SubmissionExport } from './submission-export';
import { TakeHomeClock } from './take-home-clock';
import { loadCore } from './lazy';
import { ReportPanel } from './report-panel';
import { QuestionPanels } from './question-panels';
import { QuestionsTree, type QuestionNode } from './questions-tree';
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
  readonly labsTree: LabsTree;
  readonly grader: GraderHost;
  readonly report: ReportPanel;
  readonly labs: LabCommands;
  readonly statusBar: vscode.StatusBarItem;
  readonly packTrust: PackTrust;
  readonly packs: PackCommands;
  readonly submissions: SubmissionExport;
  readonly questionsView: vscode.TreeView<QuestionNode>;
  /** The lab workspace open in this window, once detected. */
  session: LabSession | undefined;
  testing: LabTesting | undefined;
  clock: TakeHomeClock | undefined;
  private trustGate: TrustGate | undefined;
  /** Resolves when the window's lab workspace (if any) has been detected and set up. */
  readonly ready: Promise<void>;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(private readonly context: vscode.ExtensionContext) {
    this.log = this.own(vscode.window.createOutputChannel('MLOps Interview Labs', { log: true }));
    this.content = this.own(new Content(context, this.log));
    this.settings = this.own(new ViewSettings(context.globalState));
    this.tree = this.own(new QuestionsTree(this.content, this.settings));
    this.panels = this.own(new QuestionPanels(context.extensionUri, this.content, this.log, (labId) => void this.labs.start(labId)));
    const view = this.own(vscode.window.createTreeView('mlopsLabs.questions', { treeDataProvider: this.tree, showCollapseAll: true }));
    this.questionsView = view;
    const describe = () => (view.description = this.settings.describeFilter());
    describe();
    this.own(this.settings.onDidChange(describe));
    this.watchDueBadge(view);
    this.own(vscode.window.registerFileDecorationProvider(new DifficultyDecorations()));
    this.labsTree = this.own(new LabsTree(this.content, existsSync(path.join(context.extensionPath, 'node_modules', 'onnxruntime-node', 'package.json'))));
    this.own(vscode.window.createTreeView('mlopsLabs.labs', { treeDataProvider: this.labsTree }));
    this.grader = this.own(new GraderHost(context.extensionPath));
    this.report = this.own(new ReportPanel(context.extensionUri, this.content, this.log, (action) => this.onReportAction(action)));
    this.packTrust = new PackTrust(context.globalState, this.content, (message, detail, action) => this.prompts.confirm(message, detail, action));
    this.packs = new PackCommands(this.content, this.packTrust, context.globalStorageUri.fsPath, this.log);
    this.submissions = new SubmissionExport(
      this.content,
      String((context.extension.packageJSON as { version?: string }).version ?? '0.0.0'),
      this.log,
      async () => this.clock?.flush(),
      () => this.session?.lab.packId,
    );
    this.own(
      vscode.workspace.onDidChangeConfiguration(
        (e) => e.affectsConfiguration('mlopsLabs.packs') && void this.content.reloadIfPacksChanged().catch((error: unknown) => this.reportError(error)),
      ),
    );
    this.labs = new LabCommands({
      content: this.content,
      grader: this.grader,
      report: this.report,
      trust: { run: (action, onHeld) => this.trust().run(action, onHeld) },
      log: this.log,
      confirm: (message, detail, action) => this.prompts.confirm(message, detail, action),
      session: () => this.session,
      onTrustHeld: () => this.explainTrust(),
      extensionPath: context.extensionPath,
      packTrust: this.packTrust,
    });
    this.own(vscode.workspace.registerTextDocumentContentProvider(SOLUTION_SCHEME, new SolutionProvider(this.content)));
    this.statusBar = this.own(vscode.window.createStatusBarItem('mlopsLabs.lastScore', vscode.StatusBarAlignment.Left, 50));
    this.statusBar.name = 'MLOps Lab score';
    this.registerCommands();
    this.ready = this.detectLabWorkspace();
  }

  /** In a lab workspace: the Testing view, the README beside the starter, a warm grader, the score. */
  private async detectLabWorkspace(): Promise<void> {
    const folder = vscode.workspace.workspaceFolders?.[0];
    // A cheap check first, so ordinary windows never load the catalog at start-up.
    if (!folder || folder.uri.scheme !== 'file' || !existsSync(path.join(folder.uri.fsPath, '.mlops-lab.json'))) return;
    try {
      const session = await detectSession(this.content, this.log);
      if (!session) return;
      this.session = session;
      await vscode.commands.executeCommand('setContext', 'mlopsLabs.inLab', true);
      const { catalog } = await this.content.get();
      const pack = catalog.packs.find((p) => p.id === session.lab.packId);
      this.clock = await this.startClock(session);
      // A lab from a zip pack runs nothing until the pack is trusted (the window's own trust comes on top).
      if (pack && !(await this.packTrust.ensure(pack))) {
        this.log.info(`Lab pack ${pack.id} is not trusted: tests and grading stay off in this window.`);
        return;
      }
      this.testing = this.own(
        new LabTesting(
          session,
          this.grader,
          this.trust(),
          () => this.explainTrust(),
          (report) => {
            // The walkthrough's "run the public tests" step completes on this context key.
            void vscode.commands.executeCommand('setContext', 'mlopsLabs.ranPublicTests', true);
            void this.content.labData().then(({ history }) => history.savePublicRun(session.lab.qualifiedId, report));
          },
        ),
      );
      if (vscode.workspace.isTrusted) this.grader.prepare(session.lab);
      this.own(this.content.onDidChangeLab((id) => id === session.lab.qualifiedId && void this.updateStatusBar()));
      await showLabFiles(session, this.context.workspaceState);
      // Last, so the score in the status bar also says the workspace is set up (and editors have settled).
      await this.updateStatusBar();
    } catch (error) {
      this.log.error(`Setting up the lab workspace failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    }
  }

  /** The take-home clock of a lab workspace; integrity signals are kept for labs of added packs only. */
  async startClock(session: LabSession, recordIntegrity = session.lab.packId !== 'core'): Promise<TakeHomeClock> {
    const clock = this.own(new TakeHomeClock(session, this.content, this.log, recordIntegrity));
    await clock.start();
    return clock;
  }

  private async updateStatusBar(): Promise<void> {
    if (!this.session) return;
    const { state } = await this.content.labData();
    const last = state.get(this.session.lab.qualifiedId)?.last;
    if (!this.session.lab.contents.hiddenTests) {
      this.statusBar.text = `$(mortar-board) ${this.session.lab.id}: graded by your instructor`;
      this.statusBar.tooltip = 'This pack holds no hidden tests: run the public tests as you work, then click to export your submission.';
      this.statusBar.command = 'mlopsLabs.exportSubmission';
      this.statusBar.show();
      return;
    }
    this.statusBar.text = last ? `$(beaker) ${this.session.lab.id}: ${last.points}/${last.maxPoints}` : `$(beaker) ${this.session.lab.id}: not graded`;
    this.statusBar.tooltip = last
      ? `Last grade of ${this.session.lab.title} (${last.status}). Click to submit again.`
      : `Submit ${this.session.lab.title} for grading`;
    this.statusBar.command = 'mlopsLabs.submitLab';
    this.statusBar.show();
  }

  private trust(): TrustGate {
    this.trustGate ??= this.own(
      new (loadCore().TrustGate)({
        isTrusted: () => vscode.workspace.isTrusted,
        onDidGrant: (listener) => vscode.workspace.onDidGrantWorkspaceTrust(listener),
      }),
    );
    return this.trustGate;
  }

  private explainTrust(): void {
    void vscode.window
      .showWarningMessage('Running and grading lab code waits until you trust this folder. It will start as soon as you do.', 'Manage Workspace Trust')
      .then((choice) => choice && vscode.commands.executeCommand('workbench.trust.manage'));
  }

  private onReportAction(action: 'hint' | 'submit' | 'history' | 'solution'): void {
    const labId = this.session?.lab.qualifiedId;
    const run = {
      hint: () => this.labs.hint(labId),
      submit: () => this.labs.submit(labId),
      history: () => this.labs.showHistory(labId),
      solution: () => this.labs.showSolution(labId),
    }[action];
    void run().catch((error: unknown) => this.reportError(error));
  }

  private reportError(error: unknown): void {
    const message = error instanceof Error ? error.message : String(error);
    this.log.error(error instanceof Error ? (error.stack ?? message) : message);
    void vscode.window.showErrorMessage(`MLOps Interview Labs: ${message}`);
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
    command('mlopsLabs.openWalkthrough', () =>
      vscode.commands.executeCommand('workbench.action.openWalkthrough', `${this.context.extension.id}#gettingStarted`, false),
    );
    const labId = (arg: unknown) => (typeof arg === 'string' ? arg : (arg as { lab?: { qualifiedId?: string } } | undefined)?.lab?.qualifiedId);
    command('mlopsLabs.startLab', (arg) => this.labs.start(labId(arg)));
    command('mlopsLabs.submitLab', (arg) => this.labs.submit(labId(arg)));
    command('mlopsLabs.takeHint', (arg) => this.labs.hint(labId(arg)));
    command('mlopsLabs.showHistory', (arg) => this.labs.showHistory(labId(arg)));
    command('mlopsLabs.showSolution', (arg) => this.labs.showSolution(labId(arg)));
    command('mlopsLabs.resetLab', (arg) => this.labs.reset(labId(arg)));
    command('mlopsLabs.addPack', (arg) => this.packs.add(arg));
    command('mlopsLabs.removePack', (arg) => this.packs.remove((arg as { pack?: { id?: string } } | undefined)?.pack?.id ?? arg));
    command('mlopsLabs.exportSubmission', (arg) => this.submissions.run(typeof arg === 'string' ? arg : undefined));
  }

  private async find(): Promise<void> {
    await findQuestion(this.content, async (id) => {
      await this.panels.open(id);
      await this.revealQuestion(id);
    });
  }

  /** Selects a question in the Questions view when the view is showing (as the Explorer follows the open file). */
  private async revealQuestion(id: string): Promise<void> {
    if (!this.questionsView.visible) return;
    const node = await this.tree.nodeOf(id);
    if (node) await this.questionsView.reveal(node, { select: true, focus: false, expand: true });
  }

  /**
   * The count of questions due for review, as a badge on the view. Updated when progress changes and each minute
   * while the view shows (reviews fall due as time passes); never at activation, so nothing loads before it is seen.
   */
  private watchDueBadge(view: vscode.TreeView<QuestionNode>): void {
    const update = async () => {
      if (!view.visible) return;
      const due = await this.tree.dueCount();
      view.badge = due ? { value: due, tooltip: `${due} question${due === 1 ? '' : 's'} due for review: run Review Next Due` } : undefined;
    };
    const safely = () => void update().catch((error: unknown) => this.log.warn(`Updating the due-review badge failed: ${String(error)}`));
    // Unref'd: a badge refresh never keeps a process alive on its own (the bench activates in a plain Node).
    const timer = setInterval(safely, 60_000);
    timer.unref?.();
    this.own({ dispose: () => clearInterval(timer) });
    this.own(view.onDidChangeVisibility(safely));
    this.own(this.content.onDidChange(safely));
    safely();
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

  /** Opens the first question due for review, else the first never rated, and says which it is. */
  private async reviewDue(): Promise<void> {
    const { catalog, progress } = await this.content.get();
    // A question just rated in another window is not due: read the file as it is now, not as last seen.
    await progress.refresh();
    const due = new Set(progress.dueIds());
    const dueQuestions = catalog.questions.filter((q) => due.has(q.qualifiedId));
    const first = dueQuestions[0];
    if (first) {
      const more = dueQuestions.length - 1;
      await this.panels.open(first.qualifiedId, { reason: `Due for review now${more ? ` · ${more} more due` : ''}` });
      return;
    }
    const fresh = catalog.questions.find((q) => progress.state(q.qualifiedId) === 'new');
    const soonest = catalog.questions
      .map((q) => progress.nextReview(q.qualifiedId))
      .filter((d): d is Date => d !== undefined)
      .sort((a, b) => a.getTime() - b.getTime())[0];
    const next = soonest ? ` (the next review is ${loadCore().describeDue(soonest, new Date())})` : '';
    if (fresh) await this.panels.open(fresh.qualifiedId, { reason: `New question: nothing is due for review${next}` });
    else void vscode.window.showInformationMessage(`Nothing is due for review${next}, and every question has been seen.`);
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

  private own<T extends vscode.Disposable>(disposable: T): T {
    this.disposables.push(disposable);
    return disposable;
  }

  dispose(): void {
    for (const d of this.disposables.reverse()) d.dispose();
  }
}
