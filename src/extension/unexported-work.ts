import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { LabState } from '../core/labs/lab-state';
import type { Content } from './content';
import { background } from './errors';
import { loadCore } from './lazy';
import { Disposable } from './lifecycle';
import type { TimeUpOffers } from './time-up-offers';

/** Take-home labs whose work has not been exported, loaded pack or not. */
export function unexportedLabs(state: LabState): string[] {
  const core = loadCore();
  return state.ids().filter((id) => core.hasUnexportedWork(state.get(id)));
}

/**
 * VS Code cannot ask before a window closes, so take-home work that has not been exported is made visible
 * instead: a status bar item in every window while any exists, and, on the first start of a window after time
 * ran out, an offer to export it.
 */
export class UnexportedWork extends Disposable {
  private readonly item: vscode.StatusBarItem;

  constructor(
    private readonly content: Content,
    private readonly storage: string,
    private readonly log: vscode.LogOutputChannel,
    /** Shared with the take-home clock: a lab its time-up modal offered is not offered again at the start. */
    private readonly offers: TimeUpOffers,
  ) {
    super(log);
    this.item = this.register(vscode.window.createStatusBarItem('mlopsLabs.unexportedWork', vscode.StatusBarAlignment.Left, 48));
    this.item.name = 'Take-home not exported';
    this.item.command = 'mlopsLabs.exportSubmission';
    this.item.backgroundColor = new vscode.ThemeColor('statusBarItem.warningBackground');
  }

  /**
   * Looks once at start-up; windows without a take-home in labs.json never load anything more. `clockStarted`
   * settles once a lab window's clock has had its first reading (and shown its time-up modal if time ran out
   * while the window was closed), so that lab is not offered twice.
   */
  async start(clockStarted: Promise<void> = Promise.resolve()): Promise<void> {
    const file = path.join(this.storage, 'labs.json');
    if (!existsSync(file) || !readFileSync(file, 'utf8').includes('"timer"')) return;
    this.register(this.content.onDidChangeLab(() => background(this.update(), this.log, 'Showing unexported take-home work')));
    await clockStarted;
    await this.update(true);
  }

  /** `atStart`: the window just started, the one moment to offer the export (the clock offers it itself when time runs out). */
  private async update(atStart = false): Promise<void> {
    const { state } = await this.content.labData();
    const now = Date.now();
    const labs = unexportedLabs(state);
    if (labs.length === 0) {
      this.item.hide();
      return;
    }
    this.item.text = `$(cloud-upload) ${labs.length === 1 ? 'Take-home not exported' : `${labs.length} take-home labs not exported`}`;
    this.item.tooltip = `Not exported yet: ${labs.join(', ')}. Closing the editor keeps the work, but nothing is submitted until you export the zip and send it. Click to export.`;
    this.item.show();
    if (!atStart) return;
    // Time ran out (frozen, or past the deadline while no window was open): offer the export once per lab and window.
    const ended = this.offers.atStart(new Map(labs.map((id) => [id, state.get(id)])), now);
    if (ended.length) {
      const choice = await vscode.window.showWarningMessage(
        `Time is up on ${ended.join(', ')} and the work was never exported. Export it now to send it?`,
        'Export Submission',
      );
      if (choice) await vscode.commands.executeCommand('mlopsLabs.exportSubmission');
    }
  }
}
