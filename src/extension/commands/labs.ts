import { existsSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Lab } from '../../core/catalog/types';
import type { TrustGate } from '../../core/labs/trust-gate';
import type { GradeReport } from '../../grader/types';
import type { Content } from '../content';
import { CancelledError, type GraderHost } from '../grader-host';
import { reportModel } from '../lab-report-model';
import type { LabSession } from '../lab-session';
import { loadCore } from '../lazy';
import { inform } from '../messages';
import type { ReportPanel } from '../report-panel';
import { SOLUTION_SCHEME } from '../solution-provider';
import type { SubmissionExport } from '../submission-export';
import type { CommandTable } from './register';
import type { LabStart } from './lab-start';

export interface LabCommandDeps {
  content: Content;
  grader: GraderHost;
  report: ReportPanel;
  trust: Pick<TrustGate, 'run'>;
  log: vscode.LogOutputChannel;
  confirm(message: string, detail: string, action: string): Thenable<boolean>;
  session(): LabSession | undefined;
  onTrustHeld(): void;
  /** A take-home's or a student pack's Submit: final in one step (freeze, export, receipt). */
  finalSubmit?(labId: string): Promise<unknown>;
}

interface Target {
  lab: Lab;
  dir: string;
}

/** Submit, hints, history, solution and reset: the candidate's actions on a started lab. */
export class LabCommands {
  /** How long the steps of the last Submit took, in the extension host; the integration suite prints them. */
  submitSteps: { step: string; ms: number }[] = [];

  constructor(private readonly deps: LabCommandDeps) {}

  async submit(labId?: string): Promise<GradeReport | undefined> {
    const target = await this.target(labId);
    if (!target) return undefined;
    const { lab, dir } = target;
    const timed = (await this.deps.content.labData()).state.get(lab.qualifiedId)?.timer !== undefined;
    if (this.deps.finalSubmit && (timed || !lab.contents.hiddenTests)) {
      // Graded by the instructor, or a take-home: Submit freezes, exports and gives a receipt in one step.
      await this.deps.finalSubmit(lab.qualifiedId);
      return undefined;
    }
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
              // The report panel opens now and loads while the grade runs; the report is swapped into it.
              this.deps.report.grading(lab);
              let reported = false;
              try {
                const graded = performance.now();
                const report = await this.deps.grader.grade(lab, dir, 'hidden', {
                  signal: abort.signal,
                  onEvent: (event) => {
                    if (event.kind === 'test') progress.report({ increment: 100 / total, message: `${++done} of ${total} hidden tests` });
                  },
                });
                const recorded = performance.now();
                await this.record(target, report);
                reported = true;
                const shown = performance.now();
                this.submitSteps = [
                  { step: 'grade (grader)', ms: Math.round(recorded - graded) },
                  { step: 'of which the grader reports', ms: Math.round(report.durationMs) },
                  { step: 'record the score, show the report (the attempt saved meanwhile)', ms: Math.round(shown - recorded) },
                ];
                this.deps.log.debug(`Submit of ${lab.qualifiedId}: ${this.submitSteps.map((s) => `${s.step} ${s.ms} ms`).join(', ')}.`);
                return report;
              } finally {
                cancel.dispose();
                if (!reported) this.deps.report.gradingEnded();
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
    // The attempt's files go to history while the score is recorded and the report shows: the report needs only the score.
    const saved = loadCore()
      .readFolder(path.join(dir, 'src'))
      .then((files) => history.save(lab.qualifiedId, { kind: 'graded', files, report }));
    // Handled here too, so a failure while the score is recorded leaves no unhandled rejection; `await saved` reports it.
    saved.catch(() => undefined);
    const record = await state.graded(lab.qualifiedId, report);
    this.deps.log.info(`Graded ${lab.qualifiedId}: ${report.status}, ${report.points}/${report.maxPoints} in ${report.durationMs} ms.`);
    const redo = record.review?.ratings.at(-1)?.at === record.last?.at ? record.review : undefined;
    if (redo) this.deps.log.info(`${lab.qualifiedId} joins the review schedule: redo it from scratch on or after ${redo.card.due}.`);
    this.deps.report.show(reportModel(lab, report, record, new Date()));
    await saved;
  }

  async hint(labId?: string): Promise<void> {
    const target = await this.target(labId);
    if (!target) return;
    const { lab } = target;
    const { state, history } = await this.deps.content.labData();
    const taken = state.get(lab.qualifiedId)?.hintsTaken ?? 0;
    if (taken >= lab.hints.length) {
      inform(this.deps.log, `You have seen all ${lab.hints.length} hints for ${lab.title}.`);
      return;
    }
    const count = await state.hintTaken(lab.qualifiedId);
    const last = (await history.list(lab.qualifiedId)).find((a) => a.kind === 'graded');
    if (last) {
      const report = (await history.report(lab.qualifiedId, last.id)) as GradeReport;
      this.deps.report.show(reportModel(lab, report, state.get(lab.qualifiedId), new Date(last.at)));
    } else {
      inform(this.deps.log, `Hint ${count} of ${lab.hints.length}: ${lab.hints[count - 1]}`, { modal: true });
    }
  }

  async showHistory(labId?: string): Promise<void> {
    const target = await this.target(labId);
    if (!target) return;
    const { lab, dir } = target;
    const { history, state } = await this.deps.content.labData();
    const attempts = await history.list(lab.qualifiedId);
    if (attempts.length === 0) {
      inform(this.deps.log, `No attempts of ${lab.title} yet. Submit to grade one; every graded attempt is kept.`);
      return;
    }
    const picked = await vscode.window.showQuickPick(
      // Icons go in iconPath, not in the label: a screen reader reads a label's $(error) out as "error".
      attempts.map((a) => ({
        label: loadCore().attemptLabel(a, state.get(lab.qualifiedId)?.timer),
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
      `${action.file} (${picked.label.toLowerCase()}, ${picked.description}) ↔ current`,
    );
  }

  async showSolution(labId?: string): Promise<void> {
    const target = await this.target(labId);
    if (!target) return;
    const { lab, dir } = target;
    if (!lab.contents.solution) {
      inform(this.deps.log, `This pack does not include the reference solution of ${lab.title}; your instructor has it.`);
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
    inform(this.deps.log, `${lab.title} is back to its starter. Your previous files are in History.`);
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
      inform(this.deps.log, 'Open a lab workspace first: pick a lab in the Labs view and start it.');
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
      inform(this.deps.log, `${lab.title} has no workspace yet. Start the lab first.`);
      return undefined;
    }
    return { lab, dir };
  }
}

/** A lab command's argument: a lab id, or a node of the Labs view. */
function labId(arg: unknown): string | undefined {
  return typeof arg === 'string' ? arg : (arg as { lab?: { qualifiedId?: string } } | undefined)?.lab?.qualifiedId;
}

export function labCommands(start: LabStart, labs: LabCommands, submissions: SubmissionExport): CommandTable {
  return {
    'mlopsLabs.startLab': (arg) => start.start(labId(arg)),
    'mlopsLabs.redoLab': (arg) => start.start(labId(arg), { fresh: true }),
    'mlopsLabs.submitLab': (arg) => labs.submit(labId(arg)),
    'mlopsLabs.takeHint': (arg) => labs.hint(labId(arg)),
    'mlopsLabs.showHistory': (arg) => labs.showHistory(labId(arg)),
    'mlopsLabs.showSolution': (arg) => labs.showSolution(labId(arg)),
    'mlopsLabs.resetLab': (arg) => labs.reset(labId(arg)),
    'mlopsLabs.exportSubmission': (arg) => submissions.run(typeof arg === 'string' ? arg : undefined),
  };
}
