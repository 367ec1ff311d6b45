import * as path from 'node:path';
import * as vscode from 'vscode';
import type { IntegrityRecord } from '../core/labs/lab-state';
import type { EditSessions } from '../core/take-home/late-edits';
import type { TimerRecord } from '../core/take-home/take-home-timer';
import type { Content } from './content';
import type { LabSession } from './lab-session';
import { loadCore } from './lazy';
import { background } from './errors';
import { Disposable } from './lifecycle';

/** How often signals gathered in memory are written to labs.json. */
const FLUSH_MS = 30_000;

/**
 * In a lab workspace: the take-home countdown in the status bar (warnings at 15 and 5 minutes when the limit
 * is longer than that, the freeze when time is up) and, for labs from added packs, the integrity signals an
 * export carries: large insertions (count and size, never content), edit sessions after the freeze, and how
 * long the workspace was open.
 */
export class TakeHomeClock extends Disposable {
  private readonly item: vscode.StatusBarItem;
  private timer: TimerRecord | undefined;
  private pending: IntegrityRecord = { largeInsertions: { count: 0, characters: 0 }, openMs: 0, lateEdits: 0 };
  private openSince = Date.now();
  private freezing = false;
  private lateSessions: EditSessions | undefined;

  constructor(
    private readonly session: LabSession,
    private readonly content: Content,
    private readonly log: vscode.LogOutputChannel,
    /** Record integrity signals (labs of added packs only: the built-in labs are practice). */
    private readonly recordIntegrity: boolean,
    /** Told when the time-up modal offers the export, so the window's start does not offer it again. */
    private readonly onTimeUpOffered: (labId: string) => void = () => undefined,
  ) {
    super(log);
    this.item = this.register(vscode.window.createStatusBarItem('mlopsLabs.takeHomeClock', vscode.StatusBarAlignment.Left, 49));
    this.item.name = 'Take-home time left';
    this.item.command = 'mlopsLabs.exportSubmission';
  }

  /** What the status bar item shows now ('' before the clock started or for an untimed lab). */
  get text(): string {
    return this.item.text;
  }

  async start(): Promise<void> {
    const { state } = await this.content.labData();
    this.timer = state.get(this.session.lab.qualifiedId)?.timer;
    if (this.timer) {
      const interval = setInterval(() => background(this.tick(), this.log, 'The take-home clock tick'), 1000);
      this.register({ dispose: () => clearInterval(interval) });
      await this.tick();
      this.item.show();
    }
    if (this.recordIntegrity) {
      this.register(vscode.workspace.onDidChangeTextDocument((event) => this.onEdit(event)));
      const flush = setInterval(() => background(this.flush(), this.log, 'Saving the integrity record'), FLUSH_MS);
      this.register({ dispose: () => clearInterval(flush) });
    }
  }

  /** Takes in a freeze made outside the clock (Submit) and shows it now, not on the next saved tick. */
  async sync(): Promise<void> {
    if (!this.timer) return;
    const { state } = await this.content.labData();
    this.timer = await state.saveTimer(this.session.lab.qualifiedId, this.timer);
    this.render(loadCore().readTimer(this.timer, new Date()).remainingMs);
  }

  /** Writes the signals gathered since the last write; the export calls it first. */
  async flush(): Promise<void> {
    if (!this.recordIntegrity) return;
    const now = Date.now();
    const delta = { ...this.pending, openMs: this.pending.openMs + (now - this.openSince) };
    this.openSince = now;
    this.pending = { largeInsertions: { count: 0, characters: 0 }, openMs: 0, lateEdits: 0 };
    const { state } = await this.content.labData();
    await state.recordIntegrity(this.session.lab.qualifiedId, (r) => ({
      largeInsertions: {
        count: r.largeInsertions.count + delta.largeInsertions.count,
        characters: r.largeInsertions.characters + delta.largeInsertions.characters,
      },
      openMs: r.openMs + delta.openMs,
      lateEdits: r.lateEdits + delta.lateEdits,
    }));
  }

  private onEdit(event: vscode.TextDocumentChangeEvent): void {
    const src = path.join(this.session.dir, 'src') + path.sep;
    if (event.document.uri.scheme !== 'file' || !event.document.uri.fsPath.startsWith(src) || event.contentChanges.length === 0) return;
    // Undo and redo replay earlier edits; they are not new text.
    if (event.reason !== undefined) return;
    for (const change of event.contentChanges) {
      if (change.text.length >= loadCore().LARGE_INSERTION_CHARS) {
        this.pending.largeInsertions.count++;
        this.pending.largeInsertions.characters += change.text.length;
      }
    }
    // Late edits count sessions (bursts separated by a pause), not keystrokes; the export counts the changed lines.
    if (this.timer?.frozenAt && (this.lateSessions ??= new (loadCore().EditSessions)()).edit(Date.now())) this.pending.lateEdits++;
  }

  private async tick(): Promise<void> {
    if (!this.timer || this.freezing) return;
    const core = loadCore();
    const reading = core.readTimer(this.timer, new Date());
    this.timer = reading.record;
    const lab = this.session.lab;
    if (reading.expiredNow) {
      await this.freeze();
    } else if (reading.changed) {
      const { state } = await this.content.labData();
      this.timer = await state.saveTimer(lab.qualifiedId, this.timer);
    }
    if (reading.announce !== undefined) {
      this.offerExport(
        vscode.window.showWarningMessage(
          `${core.timeLeftText(reading.remainingMs)} left on ${lab.title}. Submit (it freezes and exports in one step) before time runs out.`,
          'Submit Now',
        ),
      );
    }
    this.render(reading.remainingMs);
  }

  /** Time is up: keep the files as they stand in history; that copy is what an export submits. */
  private async freeze(): Promise<void> {
    if (!this.timer) return;
    this.freezing = true;
    try {
      const lab = this.session.lab;
      const { state, history } = await this.content.labData();
      // Another window of the same lab may have frozen it already: its freeze stands.
      await state.refresh();
      const stored = state.get(lab.qualifiedId)?.timer;
      if (stored?.frozenAt) {
        this.timer = await state.saveTimer(lab.qualifiedId, this.timer);
        return;
      }
      const files = await loadCore().readFolder(path.join(this.session.dir, 'src'));
      const attempt = await history.save(lab.qualifiedId, { kind: 'frozen', files });
      this.timer = await state.saveTimer(lab.qualifiedId, { ...this.timer, frozenAt: attempt.at, frozenAttempt: attempt.id });
      this.log.info(`Time is up for ${lab.qualifiedId}: ${files.size} files frozen as attempt ${attempt.id}.`);
      this.onTimeUpOffered(lab.qualifiedId);
      this.offerExport(
        vscode.window.showWarningMessage(
          `Time is up for ${lab.title}.`,
          {
            modal: true,
            detail: `Your files were frozen as they stood at ${new Date(attempt.at).toLocaleTimeString()}: that is what your submission holds. Export it now and send the zip. You can keep editing, but later edits are marked late.`,
          },
          'Export Submission',
        ),
      );
    } finally {
      this.freezing = false;
    }
  }

  private render(remainingMs: number): void {
    if (!this.timer) return;
    const deadline = new Date(this.timer.deadline).toLocaleString();
    if (this.timer.frozenAt && Date.parse(this.timer.frozenAt) < Date.parse(this.timer.deadline)) {
      this.item.text = '$(check) Submitted';
      this.item.tooltip = `You submitted ${this.session.lab.title} at ${new Date(this.timer.frozenAt).toLocaleString()}; later edits are marked late. Click to export again.`;
      this.item.backgroundColor = undefined;
    } else if (this.timer.frozenAt) {
      this.item.text = '$(watch) Time is up';
      this.item.tooltip = `The take-home ended at ${deadline}. Your files were frozen then; later edits are marked late. Click to export your submission.`;
      this.item.backgroundColor = new vscode.ThemeColor('statusBarItem.errorBackground');
    } else {
      this.item.text = `$(watch) ${loadCore().formatRemaining(remainingMs)} left`;
      this.item.tooltip = `Time left for ${this.session.lab.title}: ends at ${deadline}. Click to export your submission.`;
      this.item.backgroundColor =
        remainingMs <= 5 * 60_000
          ? new vscode.ThemeColor('statusBarItem.errorBackground')
          : remainingMs <= 15 * 60_000
            ? new vscode.ThemeColor('statusBarItem.warningBackground')
            : undefined;
    }
    this.item.accessibilityInformation = {
      label: this.timer.frozenAt ? 'Take-home time is up' : `Take-home time left: ${Math.ceil(remainingMs / 60_000)} minutes`,
    };
  }

  /** Runs Export Submission when the user picks it from `message`; the message is not waited for. */
  private offerExport(message: Thenable<string | undefined>): void {
    background(
      Promise.resolve(message).then((choice) => choice && vscode.commands.executeCommand('mlopsLabs.exportSubmission')),
      this.log,
      'Offering to export the submission',
    );
  }

  override dispose(): void {
    if (this.isDisposed) return;
    background(this.flush(), this.log, 'Saving the integrity record');
    super.dispose();
  }
}
