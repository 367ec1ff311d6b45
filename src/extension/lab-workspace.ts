import { existsSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { TrustGate } from '../core/labs/trust-gate';
import type { GradeReport } from '../grader/types';
import type { Content } from './content';
import { background, describeError } from './errors';
import type { GraderHost } from './grader-host';
import { detectSession, showLabFiles, type LabSession } from './lab-session';
import { LabTesting } from './lab-testing';
import { loadCore } from './lazy';
import { Disposable } from './lifecycle';
import type { PackTrust } from './pack-trust';
import { TakeHomeClock } from './take-home-clock';
import type { TimeUpOffers } from './time-up-offers';

/**
 * The lab workspace open in this window, if any: the Testing view, the README beside the starter, a warm grader,
 * the take-home clock and the score in the status bar. Also the window's trust gate for running lab code.
 */
export class LabWorkspace extends Disposable {
  session: LabSession | undefined;
  testing: LabTesting | undefined;
  clock: TakeHomeClock | undefined;
  private trustGate: TrustGate | undefined;
  private waiting: vscode.Disposable | undefined;
  private readonly statusBar: vscode.StatusBarItem;
  private clockStarted: () => void = () => undefined;
  /** How long each step of the last set-up took, in order, as the log shows them; the integration suite prints them. */
  readonly steps: { step: string; ms: number }[] = [];
  /** Settles once the first detect() has started the window's clock (its first reading is done), or found none to start. */
  readonly clockSettled = new Promise<void>((resolve) => (this.clockStarted = resolve));

  constructor(
    private readonly content: Content,
    private readonly grader: GraderHost,
    private readonly packTrust: PackTrust,
    private readonly workspaceState: vscode.Memento,
    private readonly log: vscode.LogOutputChannel,
    private readonly offers: TimeUpOffers,
    /** The folder to treat as the window's (the integration suite's lab windows); by default the first workspace folder. */
    private readonly folder?: string,
  ) {
    super(log);
    this.statusBar = this.register(vscode.window.createStatusBarItem('mlopsLabs.lastScore', vscode.StatusBarAlignment.Left, 50));
    this.statusBar.name = 'MLOps Lab score';
  }

  /** Detects and sets up the window's lab workspace; never rejects (a failure is logged). */
  async detect(): Promise<void> {
    try {
      await this.setUp();
    } finally {
      this.clockStarted();
    }
  }

  /** Runs one step of the set-up, noting how long it took. */
  private async step<T>(name: string, work: () => T | PromiseLike<T>): Promise<T> {
    const start = performance.now();
    try {
      return await work();
    } finally {
      const ms = Math.round(performance.now() - start);
      this.steps.push({ step: name, ms });
      this.log.debug(`Lab workspace set-up: ${name} took ${ms} ms.`);
    }
  }

  private async setUp(): Promise<void> {
    this.steps.length = 0;
    const first = vscode.workspace.workspaceFolders?.[0];
    const folder = this.folder ?? (first?.uri.scheme === 'file' ? first.uri.fsPath : undefined);
    // A cheap check first, so ordinary windows never load the catalog at start-up.
    if (!folder || !existsSync(path.join(folder, '.mlops-lab.json'))) return;
    // What the candidate came for, started first and awaited last: it needs nothing of what follows, which runs
    // meanwhile (the catalog, the clock, the Testing view); only the spare grading child waits for it.
    const shown = showLabFiles(folder, this.workspaceState, (name, work) => this.step(name, work)).catch((error: unknown) =>
      this.log.error(`Showing the README and the starter failed: ${describeError(error)}`),
    );
    let session: LabSession | undefined;
    try {
      session = await this.configure(folder);
    } finally {
      await shown;
    }
    // Last: the spare child (for an ONNX lab it loads onnxruntime) would compete for the cores with the window's start.
    if (session && this.testing && vscode.workspace.isTrusted) {
      const lab = session.lab;
      await this.step('start a spare grading child', () => this.grader.prepare(lab));
    }
  }

  /** The session, the clock and the Testing view of the lab in `folder`; the session once found (even when tests stay off). */
  private async configure(folder: string): Promise<LabSession | undefined> {
    try {
      const session = await this.step('read the marker and the catalog', () => detectSession(this.content, this.log, folder));
      if (!session) {
        this.waitForPack();
        return undefined;
      }
      this.session = session;
      await this.step('set the inLab context', () => vscode.commands.executeCommand('setContext', 'mlopsLabs.inLab', true));
      const { catalog } = await this.content.get();
      const pack = catalog.packs.find((p) => p.id === session.lab.packId);
      this.clock = await this.step('start the clock', () => this.startClock(session));
      this.clockStarted();
      // A lab from a zip pack runs nothing until the pack is trusted (the window's own trust comes on top).
      if (pack && !(await this.step('check the pack trust', () => this.packTrust.ensure(pack)))) {
        this.log.info(`Lab pack ${pack.id} is not trusted: tests and grading stay off in this window.`);
        return session;
      }
      this.testing = await this.step('create the Testing controller', () =>
        this.register(
          new LabTesting(
            session,
            this.grader,
            this.trust(),
            () => this.explainTrust(),
            this.log,
            (report) => this.onPublicRun(report),
          ),
        ),
      );
      this.register(this.content.onDidChangeLab((id) => id === session.lab.qualifiedId && background(this.updateStatusBar(), this.log, 'Updating the score')));
      await this.step('show the score', () => this.updateStatusBar());
      return session;
    } catch (error) {
      this.log.error(`Setting up the lab workspace failed: ${describeError(error)}`);
      return undefined;
    }
  }

  /**
   * The folder is a lab of a pack that is not loaded (removed, or not added on this computer): when the packs
   * reload with it (Add Lab Pack), the clock and the lab commands come back without a window reload.
   */
  private waitForPack(): void {
    if (this.waiting) return;
    this.waiting = this.register(
      this.content.onDidChange((ids) => {
        if (ids !== undefined || this.session) return;
        this.waiting?.dispose();
        this.waiting = undefined;
        background(this.detect(), this.log, 'Setting up the lab workspace after the packs changed');
      }),
    );
  }

  private onPublicRun(report: GradeReport): void {
    const session = this.session;
    if (!session) return;
    // The walkthrough's "run the public tests" step completes on this context key.
    background(vscode.commands.executeCommand('setContext', 'mlopsLabs.ranPublicTests', true), this.log, 'Setting the ranPublicTests context');
    background(
      this.content.labData().then(({ history }) => history.savePublicRun(session.lab.qualifiedId, report)),
      this.log,
      'Saving the public test run',
    );
  }

  /** The take-home clock of a lab workspace; integrity signals are kept for labs of added packs only. */
  async startClock(session: LabSession, recordIntegrity = session.lab.packId !== 'core'): Promise<TakeHomeClock> {
    const clock = this.register(new TakeHomeClock(session, this.content, this.log, recordIntegrity, (id) => this.offers.clockOffered(id)));
    await clock.start();
    return clock;
  }

  private async updateStatusBar(): Promise<void> {
    if (!this.session) return;
    const { lab } = this.session;
    const { state } = await this.content.labData();
    const last = state.get(lab.qualifiedId)?.last;
    if (!lab.contents.hiddenTests) {
      this.statusBar.text = `$(mortar-board) ${lab.id}: graded by your instructor`;
      this.statusBar.tooltip = 'This pack holds no hidden tests: run the public tests as you work, then click to export your submission.';
      this.statusBar.command = 'mlopsLabs.exportSubmission';
      this.statusBar.show();
      return;
    }
    this.statusBar.text = last ? `$(beaker) ${lab.id}: ${last.points}/${last.maxPoints}` : `$(beaker) ${lab.id}: not graded`;
    this.statusBar.tooltip = last ? `Last grade of ${lab.title} (${last.status}). Click to submit again.` : `Submit ${lab.title} for grading`;
    this.statusBar.command = 'mlopsLabs.submitLab';
    this.statusBar.show();
  }

  /** The gate that holds running lab code until the folder is trusted, made on first use. */
  trust(): TrustGate {
    this.trustGate ??= this.register(
      new (loadCore().TrustGate)({
        isTrusted: () => vscode.workspace.isTrusted,
        onDidGrant: (listener) => vscode.workspace.onDidGrantWorkspaceTrust(listener),
      }),
    );
    return this.trustGate;
  }

  explainTrust(): void {
    background(
      vscode.window
        .showWarningMessage('Running and grading lab code waits until you trust this folder. It will start as soon as you do.', 'Manage Workspace Trust')
        .then((choice) => choice && vscode.commands.executeCommand('workbench.trust.manage')),
      this.log,
      'Explaining workspace trust',
    );
  }
}
