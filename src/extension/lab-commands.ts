import { existsSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { TrustGate } from '../core/labs/trust-gate';
import type { TimeLimit, TimerRecord } from '../core/take-home/take-home-timer';
import type { Lab, Pack } from '../core/catalog/types';
import type { GradeReport } from '../grader/types';
import { expandHome, type Content } from './content';
import { CancelledError, type GraderHost } from './grader-host';
import { reportModel } from './lab-report-model';
import type { LabSession } from './lab-session';
import { LAB_ICONS, labProgressText } from './lab-status';
import { loadCore } from './lazy';
import type { PackTrust } from './pack-trust';
import type { ReportPanel } from './report-panel';

export const SOLUTION_SCHEME = 'mlops-labs-solution';

export interface LabCommandDeps {
  content: Content;
  grader: GraderHost;
  report: ReportPanel;
  trust: Pick<TrustGate, 'run'>;
  log: vscode.LogOutputChannel;
  confirm(message: string, detail: string, action: string): Thenable<boolean>;
  session(): LabSession | undefined;
  onTrustHeld(): void;
  extensionPath: string;
  packTrust: Pick<PackTrust, 'ensure'>;
}

interface Target {
  lab: Lab;
  dir: string;
}

/** Start, submit, hints, history, solution and reset: the candidate's lab actions. */
export class LabCommands {
  constructor(private readonly deps: LabCommandDeps) {}

  async start(labId?: string): Promise<void> {
    const lab = await this.pickLab(labId);
    if (!lab) return;
    const session = this.deps.session();
    if (session?.lab.qualifiedId === lab.qualifiedId) {
      void vscode.window.showInformationMessage(`This window is already the ${lab.title} workspace.`);
      return;
    }
    const core = loadCore();
    const { catalog } = await this.deps.content.get();
    const { state } = await this.deps.content.labData();
    // Another window may have started this lab's clock, or its pack's, a moment ago.
    await state.refresh();
    const pack = catalog.packs.find((p) => p.id === lab.packId);
    if (pack && !(await this.deps.packTrust.ensure(pack))) return;
    const limit = core.timeLimitOf(lab, pack);
    const running = limit?.scope === 'pack' ? state.packTimer(lab.packId) : undefined;
    if (limit && !state.get(lab.qualifiedId)?.timer && !(await this.confirmClock(lab, pack, limit, running))) return;
    const root = resolveRoot(vscode.workspace.getConfiguration('mlopsLabs').get<string>('workspaceRoot') ?? '~/mlops-labs');
    const plan = await core.planStart(root, lab.id);
    let dir = plan.dir;
    if (plan.kind === 'existing') {
      const reopen = plan.marker?.lab === lab.qualifiedId ? 'Reopen It' : undefined;
      const fresh = `Start Fresh in ${path.basename(plan.alternative)}`;
      const choice = await vscode.window.showInformationMessage(
        `${plan.dir} already holds ${plan.marker ? `work on ${plan.marker.lab}` : 'other files'}. Nothing there will be overwritten.`,
        { modal: true },
        ...(reopen ? [reopen] : []),
        fresh,
      );
      if (!choice) return;
      dir = choice === reopen ? plan.dir : plan.alternative;
    }
    if (dir !== plan.dir || plan.kind === 'fresh') {
      await core.writeWorkspace(dir, { lab, packVersion: pack?.version ?? '0.0.0', typesDir: path.join(this.deps.extensionPath, 'dist', 'types') });
      this.deps.log.info(`Started ${lab.qualifiedId} in ${dir}.`);
    }
    await state.started(lab.qualifiedId, dir);
    if (limit) await state.startTimer(lab.qualifiedId, limit);
    await this.openLab(lab, dir);
  }

  /**
   * Opens the lab's folder where the user wants it. A window with no folder open becomes the lab; otherwise a new
   * window does (the default), and this window says where the lab went (in a browser the new window is a new
   * tab, easy to miss) and offers to open it here instead, once or from now on.
   */
  private async openLab(lab: Lab, dir: string): Promise<void> {
    const settings = vscode.workspace.getConfiguration('mlopsLabs');
    const empty = !vscode.workspace.workspaceFolders?.length;
    const openHere = () => vscode.commands.executeCommand('vscode.openFolder', vscode.Uri.file(dir), { forceNewWindow: false });
    if (empty || settings.get<string>('openLabIn') === 'currentWindow') {
      await openHere();
      return;
    }
    await vscode.commands.executeCommand('vscode.openFolder', vscode.Uri.file(dir), { forceNewWindow: true });
    const where = vscode.env.uiKind === vscode.UIKind.Web ? 'a new browser tab' : 'a new window';
    const once = 'Open Here Instead';
    const always = 'Always Open Here';
    const choice = await vscode.window.showInformationMessage(`${lab.title} opened in ${where}: ${dir}`, once, always);
    if (choice === always) await settings.update('openLabIn', 'currentWindow', vscode.ConfigurationTarget.Global);
    if (choice) await openHere();
  }

  /** Asks before a timed lab's clock starts (or says the pack's clock already runs). */
  private confirmClock(lab: Lab, pack: Pack | undefined, limit: TimeLimit, running: TimerRecord | undefined): Thenable<boolean> {
    const parts = running
      ? [`the clock of ${pack?.name ?? 'this pack'} is already running and ends at ${new Date(running.deadline).toLocaleString()}`]
      : [
          limit.minutes !== undefined ? `${limit.minutes} minutes from now${limit.scope === 'pack' ? ' for every lab of the pack' : ''}` : '',
          limit.due ? `no later than ${new Date(limit.due).toLocaleString()}` : '',
        ].filter(Boolean);
    return this.deps.confirm(
      `${lab.title} is timed: ${parts.join(', ')}.`,
      'The clock starts when you press Start and keeps running if you close the editor. Warnings come at 15 and 5 minutes; when time is up your files are frozen as they stand (later edits are marked late). Export your submission from the status bar or the command palette.',
      'Start the Clock',
    );
  }

  async submit(labId?: string): Promise<GradeReport | undefined> {
    const target = await this.target(labId);
    if (!target) return undefined;
    const { lab, dir } = target;
    if (!lab.contents.hiddenTests) {
      const choice = await vscode.window.showInformationMessage(
        `${lab.title} is graded by your instructor: this pack holds no hidden tests. Run the public tests in the Testing view as you work, then export your submission and send it to them.`,
        'Export Submission',
      );
      if (choice) await vscode.commands.executeCommand('mlopsLabs.exportSubmission');
      return undefined;
    }
    try {
      return await this.deps.trust.run(
        async () =>
          vscode.window.withProgress(
            { location: vscode.ProgressLocation.Notification, title: `Grading ${lab.title}`, cancellable: true },
            async (progress, token) => {
              const abort = new AbortController();
              const cancel = token.onCancellationRequested(() => abort.abort());
              let done = 0;
              const total = lab.tasks.reduce((n, t) => n + t.tests.length, 0);
              try {
                const report = await this.deps.grader.grade(lab, dir, 'hidden', {
                  signal: abort.signal,
                  onEvent: (event) => {
                    if (event.kind === 'test') progress.report({ increment: 100 / total, message: `${++done} of ${total} hidden tests` });
                  },
                });
                await this.record(target, report);
                return report;
              } finally {
                cancel.dispose();
              }
            },
          ),
        this.deps.onTrustHeld,
      );
    } catch (error) {
      if (error instanceof CancelledError) return undefined;
      throw error;
    }
  }

  private async record(target: Target, report: GradeReport): Promise<void> {
    const { lab, dir } = target;
    const { state, history } = await this.deps.content.labData();
    const files = await loadCore().readFolder(path.join(dir, 'src'));
    await history.save(lab.qualifiedId, { kind: 'graded', files, report });
    const record = await state.graded(lab.qualifiedId, report);
    this.deps.log.info(`Graded ${lab.qualifiedId}: ${report.status}, ${report.points}/${report.maxPoints} in ${report.durationMs} ms.`);
    this.deps.report.show(reportModel(lab, report, record, new Date()));
  }

  async hint(labId?: string): Promise<void> {
    const target = await this.target(labId);
    if (!target) return;
    const { lab } = target;
    const { state, history } = await this.deps.content.labData();
    const taken = state.get(lab.qualifiedId)?.hintsTaken ?? 0;
    if (taken >= lab.hints.length) {
      void vscode.window.showInformationMessage(`You have seen all ${lab.hints.length} hints for ${lab.title}.`);
      return;
    }
    const count = await state.hintTaken(lab.qualifiedId);
    const last = (await history.list(lab.qualifiedId)).find((a) => a.kind === 'graded');
    if (last) {
      const report = (await history.report(lab.qualifiedId, last.id)) as GradeReport;
      this.deps.report.show(reportModel(lab, report, state.get(lab.qualifiedId), new Date(last.at)));
    } else {
      void vscode.window.showInformationMessage(`Hint ${count} of ${lab.hints.length}: ${lab.hints[count - 1]}`, { modal: true });
    }
  }

  async showHistory(labId?: string): Promise<void> {
    const target = await this.target(labId);
    if (!target) return;
    const { lab, dir } = target;
    const { history, state } = await this.deps.content.labData();
    const attempts = await history.list(lab.qualifiedId);
    if (attempts.length === 0) {
      void vscode.window.showInformationMessage(`No attempts of ${lab.title} yet. Submit to grade one; every graded attempt is kept.`);
      return;
    }
    const picked = await vscode.window.showQuickPick(
      // Icons go in iconPath, not in the label: a screen reader reads a label's $(error) out as "error".
      attempts.map((a) => ({
        label:
          a.kind === 'graded'
            ? `${a.points}/${a.maxPoints} points, ${a.status === 'pass' ? 'passed' : 'not passed'}`
            : a.kind === 'frozen'
              ? 'Frozen when time ran out'
              : 'Files before reset',
        iconPath: new vscode.ThemeIcon(
          a.kind === 'graded' ? (a.status === 'pass' ? 'pass' : 'circle-large-outline') : a.kind === 'frozen' ? 'watch' : 'discard',
        ),
        description: new Date(a.at).toLocaleString(),
        detail: a.files.join(', '),
        attempt: a,
      })),
      { title: `History of ${lab.title}`, placeHolder: 'Pick an attempt to compare with your current files' },
    );
    if (!picked) return;
    const attempt = picked.attempt;
    const actions = [
      ...attempt.files.map((f) => ({ label: `$(diff) ${f}`, description: 'compare with the current file', file: f })),
      ...(attempt.kind === 'graded' ? [{ label: '$(output) Open its grade report', file: '' }] : []),
    ];
    const action = actions.length === 1 ? actions[0] : await vscode.window.showQuickPick(actions, { title: `Attempt of ${picked.description}` });
    if (!action) return;
    if (!action.file) {
      const report = (await history.report(lab.qualifiedId, attempt.id)) as GradeReport;
      this.deps.report.show(reportModel(lab, report, state.get(lab.qualifiedId), new Date(attempt.at)));
      return;
    }
    await vscode.commands.executeCommand(
      'vscode.diff',
      vscode.Uri.file(history.filePath(lab.qualifiedId, attempt.id, action.file)),
      vscode.Uri.file(path.join(dir, 'src', action.file)),
      `${action.file} (${picked.description}) ↔ current`,
    );
  }

  async showSolution(labId?: string): Promise<void> {
    const target = await this.target(labId);
    if (!target) return;
    const { lab, dir } = target;
    if (!lab.contents.solution) {
      void vscode.window.showInformationMessage(`This pack does not include the reference solution of ${lab.title}; your instructor has it.`);
      return;
    }
    const { state } = await this.deps.content.labData();
    if (!state.get(lab.qualifiedId)?.passed) {
      const giveUp = await this.deps.confirm(
        `Show the reference solution of ${lab.title}?`,
        'You have not passed this lab yet. Seeing the solution now ends the challenge; your files stay as they are.',
        'Show Solution',
      );
      if (!giveUp) return;
    }
    const files = [...(await loadCore().readFolder(path.join(lab.dir, 'solution'))).keys()];
    for (const file of files) {
      const solution = vscode.Uri.from({ scheme: SOLUTION_SCHEME, path: `/${lab.qualifiedId}/${file}` });
      await vscode.commands.executeCommand('vscode.diff', vscode.Uri.file(path.join(dir, 'src', file)), solution, `${file}: yours ↔ reference solution`);
    }
  }

  async reset(labId?: string): Promise<void> {
    const target = await this.target(labId);
    if (!target) return;
    const { lab, dir } = target;
    const ok = await this.deps.confirm(
      `Reset ${lab.title} to its starter files?`,
      'Your current files in src/ are saved to the lab History first; nothing is deleted.',
      'Reset Lab',
    );
    if (!ok) return;
    const { history } = await this.deps.content.labData();
    const core = loadCore();
    const src = path.join(dir, 'src') + path.sep;
    const inSrc = (doc: vscode.TextDocument) => doc.uri.scheme === 'file' && doc.uri.fsPath.startsWith(src);
    // Unsaved edits are the candidate's work too: save them so History keeps them.
    for (const doc of vscode.workspace.textDocuments.filter((d) => inSrc(d) && d.isDirty)) await doc.save();
    const files = await core.readFolder(path.join(dir, 'src'));
    await history.save(lab.qualifiedId, { kind: 'reset', files });
    await core.restoreStarter(dir, lab);
    await this.showStarterFromTop(lab, dir, inSrc);
    void vscode.window.showInformationMessage(`${lab.title} is back to its starter. Your previous files are in History.`);
  }

  /** After a reset, each open file of src/ shows the starter from its first line (not where the old file was scrolled). */
  private async showStarterFromTop(lab: Lab, dir: string, inSrc: (doc: vscode.TextDocument) => boolean): Promise<void> {
    const open = vscode.window.visibleTextEditors.filter((e) => inSrc(e.document));
    const first = [...(await loadCore().readFolder(path.join(lab.dir, 'starter'))).keys()][0];
    const targets = open.length
      ? open.map((e) => ({ uri: e.document.uri, column: e.viewColumn }))
      : first
        ? [{ uri: vscode.Uri.file(path.join(dir, 'src', first)), column: vscode.ViewColumn.One }]
        : [];
    for (const { uri, column } of targets) {
      const editor = await vscode.window.showTextDocument(uri, { viewColumn: column ?? vscode.ViewColumn.One, preserveFocus: false });
      // Read the starter from disk now rather than when the file watcher gets to it.
      await vscode.commands.executeCommand('workbench.action.files.revert');
      const top = new vscode.Range(0, 0, 0, 0);
      editor.selection = new vscode.Selection(top.start, top.start);
      editor.revealRange(top, vscode.TextEditorRevealType.AtTop);
    }
  }

  /** The lab to act on: the one named, else the lab workspace open in this window. */
  private async target(labId?: string): Promise<Target | undefined> {
    if (!labId) {
      const session = this.deps.session();
      if (session) return { lab: session.lab, dir: session.dir };
      void vscode.window.showInformationMessage('Open a lab workspace first: pick a lab in the Labs view and start it.');
      return undefined;
    }
    const { catalog } = await this.deps.content.get();
    const lab = catalog.lab(labId);
    if (!lab) return undefined;
    const session = this.deps.session();
    if (session?.lab.qualifiedId === labId) return { lab, dir: session.dir };
    const { state } = await this.deps.content.labData();
    const dir = state.get(labId)?.workspace;
    if (!dir || !existsSync(path.join(dir, 'src'))) {
      void vscode.window.showInformationMessage(`${lab.title} has no workspace yet. Start the lab first.`);
      return undefined;
    }
    return { lab, dir };
  }

  private async pickLab(labId?: string): Promise<Lab | undefined> {
    const { catalog } = await this.deps.content.get();
    if (labId) {
      const lab = catalog.lab(labId);
      if (!lab) void vscode.window.showInformationMessage(`The lab "${labId.split('/')[1] ?? labId}" is planned and not shipped yet.`);
      return lab;
    }
    const { state } = await this.deps.content.labData();
    const picked = await vscode.window.showQuickPick(
      catalog.labs.map((lab) => {
        const status = state.status(lab.qualifiedId);
        return {
          label: `$(${LAB_ICONS[status].id}) ${lab.title}`,
          description: `${labProgressText(status, state.get(lab.qualifiedId))} · ${lab.difficulty} · about ${lab.estimatedMinutes} min`,
          detail: lab.summary,
          lab,
        };
      }),
      { title: 'Start a lab', placeHolder: 'Choose a lab to start, or one you started to reopen', matchOnDescription: true, matchOnDetail: true },
    );
    return picked?.lab;
  }
}

function resolveRoot(setting: string): string {
  return path.resolve(expandHome(setting));
}

/** Serves reference solution files read-only, so a diff never edits the extension's own copy. */
export class SolutionProvider implements vscode.TextDocumentContentProvider {
  constructor(private readonly content: Content) {}

  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    const [, pack, labId, ...rest] = uri.path.split('/');
    const { catalog } = await this.content.get();
    const lab = catalog.lab(`${pack}/${labId}`);
    if (!lab) return '';
    const files = await loadCore().readFolder(path.join(lab.dir, 'solution'));
    return files.get(rest.join('/'))?.toString('utf8') ?? '';
  }
}
