import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Content } from './content';
import { background } from './errors';
import { loadCore } from './lazy';
import { Disposable } from './lifecycle';

/**
 * VS Code cannot ask before a window closes, so take-home work that has not been exported is made visible
 * instead: a status bar item in every window while any exists, and, on the first start of a window after time
 * ran out, an offer to export it.
 */
export class UnexportedWork extends Disposable {
  private readonly item: vscode.StatusBarItem;
  private offered = false;

  constructor(
    private readonly content: Content,
    private readonly storage: string,
    private readonly log: vscode.LogOutputChannel,
  ) {
    super(log);
    this.item = this.register(vscode.window.createStatusBarItem('mlopsLabs.unexportedWork', vscode.StatusBarAlignment.Left, 48));
    this.item.name = 'Take-home not exported';
    this.item.command = 'mlopsLabs.exportSubmission';
    this.item.backgroundColor = new vscode.ThemeColor('statusBarItem.warningBackground');
  }

  /** Looks once at start-up; windows without a take-home in labs.json never load anything more. */
  async start(): Promise<void> {
    const file = path.join(this.storage, 'labs.json');
    if (!existsSync(file) || !readFileSync(file, 'utf8').includes('"timer"')) return;
    this.register(this.content.onDidChangeLab(() => background(this.update(), this.log, 'Showing unexported take-home work')));
    await this.update(true);
  }

  /** `atStart`: the window just started, the one moment to offer the export (the clock offers it itself when time runs out). */
  private async update(atStart = false): Promise<void> {
    const core = loadCore();
    const { state } = await this.content.labData();
    const now = Date.now();
    const labs = state.ids().filter((id) => core.hasUnexportedWork(state.get(id)));
    if (labs.length === 0) {
      this.item.hide();
      return;
    }
    this.item.text = `$(cloud-upload) ${labs.length === 1 ? 'Take-home not exported' : `${labs.length} take-home labs not exported`}`;
    this.item.tooltip = `Not exported yet: ${labs.join(', ')}. Closing the editor keeps the work, but nothing is submitted until you export the zip and send it. Click to export.`;
    this.item.show();
    // Time ran out (frozen, or past the deadline while no window was open): offer the export once per window start.
    const ended = labs.filter((id) => {
      const timer = state.get(id)?.timer;
      return timer && (timer.frozenAt !== undefined || Date.parse(timer.deadline) <= now);
    });
    if (atStart && ended.length && !this.offered) {
      this.offered = true;
      const choice = await vscode.window.showWarningMessage(
        `Time is up on ${ended.join(', ')} and the work was never exported. Export it now to send it?`,
        'Export Submission',
      );
      if (choice) await vscode.commands.executeCommand('mlopsLabs.exportSubmission');
    }
  }
}
