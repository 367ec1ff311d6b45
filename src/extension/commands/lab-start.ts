import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Lab, Pack } from '../../core/catalog/types';
import type { TimeLimit, TimerRecord } from '../../core/take-home/take-home-timer';
import { expandHome, type Content } from '../content';
import type { LabSession } from '../lab-session';
import { LAB_ICONS, labProgressText } from '../lab-status';
import { loadCore } from '../lazy';
import { inform } from '../messages';
import type { PackTrust } from '../pack-trust';

export interface LabStartDeps {
  content: Content;
  log: vscode.LogOutputChannel;
  confirm(message: string, detail: string, action: string): Thenable<boolean>;
  session(): LabSession | undefined;
  extensionPath: string;
  packTrust: Pick<PackTrust, 'ensure'>;
}

/** Start Lab: pick a lab, confirm a timed lab's clock, lay out its workspace (never over the candidate's files) and open it. */
export class LabStart {
  constructor(private readonly deps: LabStartDeps) {}

  /**
   * Starts or reopens a lab. A redo (`fresh`, Redo Lab from Scratch or a due lab's review) always lays out the
   * starter in a new folder beside the earlier ones, which stay as they are.
   */
  async start(labId?: string, options: { fresh?: boolean } = {}): Promise<void> {
    const fresh = options.fresh === true;
    const lab = fresh ? await this.pickRedo(labId) : await this.pickLab(labId);
    if (!lab) return;
    const session = this.deps.session();
    if (!fresh && session?.lab.qualifiedId === lab.qualifiedId) {
      inform(this.deps.log, `This window is already the ${lab.title} workspace.`);
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
    const plan = await core.planStart(root, core.labFolderName(lab));
    let dir = plan.dir;
    if (plan.kind === 'existing' && fresh) dir = plan.alternative;
    else if (plan.kind === 'existing') {
      const mine = plan.marker?.lab === lab.qualifiedId;
      const reopen = mine ? 'Reopen It' : undefined;
      const startFresh = `Start Fresh in ${path.basename(plan.alternative)}`;
      const choice = await vscode.window.showInformationMessage(
        mine ? `You already started ${lab.title} in ${path.basename(plan.dir)}` : `The folder ${path.basename(plan.dir)} is taken`,
        {
          modal: true,
          detail: mine
            ? `${plan.dir} holds your earlier work on ${lab.title}. Reopen it to carry on, or start over from the starter files in ${plan.alternative}; the earlier folder is kept either way.`
            : `${plan.dir} holds ${plan.marker ? `work on another lab (${plan.marker.lab}, from the pack ${plan.marker.pack})` : 'files that are not a lab'}. Nothing there is changed: ${lab.title} starts in ${plan.alternative} instead.`,
        },
        ...(reopen ? [reopen] : []),
        startFresh,
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
    const now = Date.now();
    const end = Math.min(limit.minutes !== undefined ? now + limit.minutes * 60_000 : Infinity, limit.due ? Date.parse(limit.due) : Infinity);
    const warnings = loadCore().warningsFor(running ?? { startedAt: new Date(now).toISOString(), deadline: new Date(end).toISOString() });
    return this.deps.confirm(
      `${lab.title} is timed: ${parts.join(', ')}.`,
      [
        `The clock starts when you press Start and keeps running if you close the editor.${warnings.length ? ` Warnings come at ${warnings.join(' and ')} minutes left;` : ''} when time is up your files are frozen as they stand (later edits are marked late). Submit freezes and exports in one step.`,
        '',
        'Your submission records: your files and History, your last public test run, when you started and finished, hints taken and submissions, which starter files you changed or added, how many large insertions (pastes) and their size, how long the lab was open, edits after time ran out (sessions and lines), and clock setbacks. Never the text you typed or pasted, your clipboard or keystrokes; your name only if you type it at export. Nothing is sent: you send the zip yourself.',
      ].join('\n'),
      'Start the Clock',
    );
  }

  /** The lab to redo: the one named, else one picked among the passed labs, those due for a redo first. */
  private async pickRedo(labId?: string): Promise<Lab | undefined> {
    if (labId) return this.pickLab(labId);
    const { catalog } = await this.deps.content.get();
    const { state } = await this.deps.content.labData();
    const passed = catalog.labs.filter((lab) => state.status(lab.qualifiedId) === 'passed');
    if (passed.length === 0) {
      inform(this.deps.log, 'No lab is passed yet: a lab joins the review schedule when it passes. Start one from the Labs view.');
      return undefined;
    }
    passed.sort((a, b) => Number(state.isDue(b.qualifiedId)) - Number(state.isDue(a.qualifiedId)));
    const picked = await vscode.window.showQuickPick(
      passed.map((lab) => ({
        label: lab.title,
        description: `${state.isDue(lab.qualifiedId) ? 'redo due now · ' : ''}${labProgressText('passed', state.get(lab.qualifiedId))}`,
        detail: lab.summary,
        lab,
      })),
      { title: 'Redo a lab from scratch', placeHolder: 'The starter opens in a new folder; your earlier folders stay as they are' },
    );
    return picked?.lab;
  }

  private async pickLab(labId?: string): Promise<Lab | undefined> {
    const { catalog } = await this.deps.content.get();
    if (labId) {
      const lab = catalog.lab(labId);
      if (!lab) inform(this.deps.log, `The lab "${labId.split('/')[1] ?? labId}" is planned and not shipped yet.`);
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
