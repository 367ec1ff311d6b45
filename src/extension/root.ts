import { existsSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Prompts, TestSurface } from './api';
import { labCommands, LabCommands } from './commands/labs';
import { LabStart } from './commands/lab-start';
import { packCommands, PackCommands } from './commands/packs';
import { progressTransferCommands, ProgressTransfer } from './commands/progress-io';
import { questionCommands } from './commands/questions';
import { registerCommands } from './commands/register';
import { viewCommands } from './commands/views';
import { Content } from './content';
import { dashboardCommands } from './commands/dashboard';
import { DashboardPanel } from './dashboard-panel';
import { DifficultyDecorations } from './difficulty-decorations';
import { background } from './errors';
import { GraderHost } from './grader-host';
import { LabWorkspace } from './lab-workspace';
import { loadCore } from './lazy';
import { MockInterviews } from './mock-interview';
import { LabsTree } from './labs-tree';
import { Disposable } from './lifecycle';
import { PackTrust } from './pack-trust';
import { QuestionPanels } from './question-panels';
import { QuestionsTree } from './questions-tree';
import { QuestionsView } from './questions-view';
import { ReportPanel, type ReportAction } from './report-panel';
import { SOLUTION_SCHEME, SolutionProvider } from './solution-provider';
import { SubmissionExport } from './submission-export';
import { TimeUpOffers } from './time-up-offers';
import { unexportedLabs, UnexportedWork } from './unexported-work';
import { ViewSettings } from './view-settings';

const modalPrompts: Prompts = {
  confirm: (message, detail, action) => vscode.window.showWarningMessage(message, { modal: true, detail }, action).then((choice) => choice === action),
};

/**
 * The one object `activate()` creates: it builds the services, wires them to each other and to VS Code, registers
 * the commands of commands/ behind the error boundary, and owns every disposable of the extension.
 */
export class ExtensionRoot extends Disposable {
  private prompts: Prompts = modalPrompts;
  /** Ids of the commands that failed in this session, in order (read by the integration suite). */
  private readonly failedCommands: string[] = [];
  private readonly log: vscode.LogOutputChannel;
  private readonly content: Content;
  private readonly settings: ViewSettings;
  private readonly tree: QuestionsTree;
  private readonly panels: QuestionPanels;
  private readonly labsTree: LabsTree;
  private readonly report: ReportPanel;
  private readonly grader: GraderHost;
  /** The window's lab workspace; the integration suite swaps in one on a folder of its own (openLab). */
  private workspace: LabWorkspace;
  private readonly labWorkspaceOn: (folder: string) => LabWorkspace;
  private readonly offers = new TimeUpOffers();
  private readonly labCommands: LabCommands;

  constructor(context: vscode.ExtensionContext) {
    const log = vscode.window.createOutputChannel('MLOps Interview Labs', { log: true });
    super(log);
    // Registered first, so it is disposed last: everything else may still log while it is disposed.
    this.log = this.register(log);
    const confirm = (message: string, detail: string, action: string) => this.prompts.confirm(message, detail, action);
    this.content = this.register(new Content(context, log));
    this.settings = this.register(new ViewSettings(context.globalState, log));
    this.tree = this.register(new QuestionsTree(this.content, this.settings));
    const packTrust = new PackTrust(context.globalState, this.content, confirm);
    const labStart = new LabStart({
      content: this.content,
      log,
      confirm,
      session: () => this.workspace.session,
      extensionPath: context.extensionPath,
      packTrust,
    });
    // A panel's Start Lab button is the command, so it runs through the same error boundary.
    const startLab = (labId: string) => background(vscode.commands.executeCommand('mlopsLabs.startLab', labId), log, `Starting the lab ${labId}`);
    this.panels = this.register(new QuestionPanels(context.extensionUri, this.content, log, startLab));
    const questionsView = this.register(new QuestionsView(this.tree, this.settings, this.content, log));
    this.register(vscode.window.registerFileDecorationProvider(new DifficultyDecorations()));
    const onnx = existsSync(path.join(context.extensionPath, 'node_modules', 'onnxruntime-node', 'package.json'));
    this.labsTree = this.register(new LabsTree(this.content, onnx));
    this.register(vscode.window.createTreeView('mlopsLabs.labs', { treeDataProvider: this.labsTree }));
    const grader = (this.grader = this.register(new GraderHost(context.extensionPath, path.join(context.globalStorageUri.fsPath, 'grading'), log)));
    const report = (this.report = this.register(
      new ReportPanel(context.extensionUri, this.content, log, (action, labId) => this.onReportAction(action, labId)),
    ));
    const offers = this.offers;
    this.workspace = this.register(new LabWorkspace(this.content, grader, packTrust, context.workspaceState, log, offers));
    this.labWorkspaceOn = (folder) => this.register(new LabWorkspace(this.content, grader, packTrust, context.workspaceState, log, offers, folder));
    const labs = (this.labCommands = new LabCommands({
      content: this.content,
      grader,
      report,
      trust: { run: (action, onHeld) => this.workspace.trust().run(action, onHeld) },
      log,
      confirm,
      session: () => this.workspace.session,
      onTrustHeld: () => this.workspace.explainTrust(),
      finalSubmit: (labId) => submissions.submit(labId),
    }));
    const version = String((context.extension.packageJSON as { version?: string }).version ?? '0.0.0');
    const submissions = new SubmissionExport(
      this.content,
      version,
      log,
      async () => this.workspace.clock?.flush(),
      () => this.workspace.session?.lab.packId,
      async () => this.workspace.clock?.sync(),
    );
    this.register(
      vscode.workspace.onDidChangeConfiguration(
        (e) => e.affectsConfiguration('mlopsLabs.packs') && background(this.content.reloadIfPacksChanged(), log, 'Reloading the lab packs'),
      ),
    );
    this.register(vscode.workspace.registerTextDocumentContentProvider(SOLUTION_SCHEME, new SolutionProvider(this.content)));
    const interviews = this.register(
      new MockInterviews(
        context.extensionUri,
        context.globalStorageUri.fsPath,
        this.content,
        log,
        (id) => background(this.panels.open(id), log, `Opening ${id}`),
        startLab,
      ),
    );
    for (const registration of registerCommands(
      log,
      (id) => this.failedCommands.push(id),
      questionCommands({
        content: this.content,
        panels: this.panels,
        view: questionsView,
        log,
        prompts: () => this.prompts,
        redoLab: (labId) => vscode.commands.executeCommand('mlopsLabs.redoLab', labId),
      }),
      viewCommands(this.settings, log, context.extension.id),
      labCommands(labStart, labs, submissions),
      packCommands(new PackCommands(this.content, packTrust, context.globalStorageUri.fsPath, log)),
      { 'mlopsLabs.startMockInterview': () => interviews.start() },
      dashboardCommands(
        this.register(new DashboardPanel(context.extensionUri, this.content, log, async () => loadCore().interviewRows(await interviews.listInterviews()))),
      ),
      progressTransferCommands(new ProgressTransfer(this.content, version, log)),
    ))
      this.register(registration);
    background(this.workspace.detect(), log, 'Setting up the lab workspace');
    const unexported = this.register(new UnexportedWork(this.content, context.globalStorageUri.fsPath, log, offers));
    // After the lab window's clock has read the time: its time-up modal already offers the export.
    background(unexported.start(this.workspace.clockSettled), log, 'Looking for unexported take-home work');
  }

  /**
   * The report's buttons are the lab commands, so they run through the same error boundary. They act on the
   * report's own lab: a report restored after a reload may not be this window's lab.
   */
  private onReportAction(action: ReportAction, labId: string): void {
    const command = { hint: 'mlopsLabs.takeHint', submit: 'mlopsLabs.submitLab', history: 'mlopsLabs.showHistory', solution: 'mlopsLabs.showSolution' }[action];
    background(vscode.commands.executeCommand(command, labId), this.log, `The report's ${action} button`);
  }

  /** The narrow surface the integration suite reads (see api.ts); built only in test mode. */
  testSurface(): TestSurface {
    return {
      setPrompts: (prompts) => (this.prompts = prompts),
      failedCommands: () => [...this.failedCommands],
      questionsTree: this.tree,
      labsTree: this.labsTree,
      hidesMastered: () => this.settings.filter.hideMastered,
      questionPanels: () => this.panels.openPanels,
      openQuestion: (questionId) => this.panels.open(questionId),
      reportPanel: this.report,
      content: () => this.content.get(),
      progressFile: () => this.content.progressFile,
      labData: () => this.content.labData(),
      submitSteps: () => [...this.labCommands.submitSteps],
      graderSettled: () => this.grader.settled(),
      startClock: (session, recordIntegrity) => this.workspace.startClock(session, recordIntegrity),
      openLab: async (dir) => {
        const window = this.workspace;
        const lab = (this.workspace = this.labWorkspaceOn(dir));
        await lab.detect();
        return {
          session: () => lab.session,
          clockText: () => lab.clock?.text,
          hasTesting: () => lab.testing !== undefined,
          steps: () => [...lab.steps],
          testsFound: async () => lab.testing?.found,
          onDidEndRun: (listener, thisArgs, disposables) => lab.testing?.onDidEndRun(listener, thisArgs, disposables) ?? { dispose: () => undefined },
          close: async () => {
            if (this.workspace === lab) this.workspace = window;
            lab.dispose();
            await vscode.commands.executeCommand('setContext', 'mlopsLabs.inLab', window.session !== undefined);
          },
        };
      },
      startOffer: async () => {
        const { state } = await this.content.labData();
        return this.offers.atStart(new Map(unexportedLabs(state).map((id) => [id, state.get(id)])), Date.now());
      },
    };
  }
}
