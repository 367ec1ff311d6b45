import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { LabExport } from '../core/take-home/submission';
import type { Lab, Pack } from '../core/catalog/types';
import type { GradeReport } from '../grader/types';
import { expandHome, type Content } from './content';
import { loadCore } from './lazy';
import { inform } from './messages';

/** A pack with started labs, loaded or (after Remove Lab Pack) rebuilt from what the lab folders and labs.json still hold. */
interface PackWork {
  pack: Pack;
  labs: Lab[];
  /** The pack is no longer loaded: its starter files are gone, so the export cannot compare with them. */
  removed: boolean;
}

export interface ExportOptions {
  /** Submit: freeze the pack's timed labs first, count the submission, and say the export is final. */
  final?: boolean;
  /** Only this lab's pack. */
  labId?: string;
  /** The name to record; when absent and the user is asked where to save, they are asked for it too. */
  candidateName?: string;
}

export interface ExportReceipt {
  file: string;
  sha256: string;
  candidateName?: string;
}

/**
 * Export Submission, and a take-home's one-step Submit: one zip for a pack's started labs, with the files to
 * grade (frozen ones when time ran out or the candidate submitted), attempt history, the last public run and
 * the manifest (src/core/take-home/submission.ts); then a receipt with the zip's path and SHA-256.
 */
export class SubmissionExport {
  constructor(
    private readonly content: Content,
    private readonly extensionVersion: string,
    private readonly log: vscode.LogOutputChannel,
    /** Writes pending integrity signals first, when a lab workspace is open. */
    private readonly beforeExport: () => Promise<void>,
    private readonly sessionPackId: () => string | undefined,
    /** After a Submit froze labs: the open lab's clock shows it at once. */
    private readonly afterFreeze: () => Promise<void> = async () => undefined,
  ) {}

  /** Submit for a take-home or a student pack: final in one step (freeze, export, receipt). */
  async submit(labId: string): Promise<ExportReceipt | undefined> {
    return this.export(undefined, { final: true, labId });
  }

  async run(target?: string): Promise<string | undefined> {
    return (await this.export(target, {}))?.file;
  }

  async export(target: string | undefined, options: ExportOptions): Promise<ExportReceipt | undefined> {
    await this.beforeExport();
    const core = loadCore();
    const { state, history } = await this.content.labData();
    await state.refresh();
    const work = await this.packsWithWork();
    const wanted = options.labId?.slice(0, options.labId.indexOf('/'));
    const candidates = wanted ? work.filter((w) => w.pack.id === wanted) : work;
    const chosen = candidates.find((w) => w.pack.id === this.sessionPackId()) ?? (candidates.length === 1 ? candidates[0] : await this.pickPack(candidates));
    if (!chosen) {
      if (candidates.length === 0) inform(this.log, 'Nothing to export yet: start a lab first.');
      return undefined;
    }
    const { pack, labs } = chosen;
    if (options.final && !(await this.confirmFinal(pack, labs))) return undefined;
    const interactive = target === undefined;
    const candidateName = options.candidateName ?? (interactive ? await this.askName() : undefined);
    if (candidateName === undefined && interactive) return undefined;
    const file = target ?? (await this.askWhere(pack));
    if (!file) return undefined;
    if (options.final) {
      for (const lab of labs) {
        await this.freeze(lab);
        if (!lab.contents.hiddenTests) await state.submitted(lab.qualifiedId);
      }
      await this.afterFreeze();
    }
    const exports: LabExport[] = [];
    for (const lab of labs) {
      const record = state.get(lab.qualifiedId);
      const dir = record?.workspace as string;
      const frozenId = record?.timer?.frozenAttempt;
      const attempts = await history.list(lab.qualifiedId);
      exports.push({
        lab,
        record,
        current: await core.readFolder(path.join(dir, 'src')),
        ...(frozenId ? { frozen: await history.attemptFiles(lab.qualifiedId, frozenId) } : {}),
        starter: chosen.removed ? new Map() : await core.readFolder(path.join(lab.dir, 'starter')),
        attempts: await Promise.all(
          attempts.map(async (meta) => ({
            meta,
            files: await history.attemptFiles(lab.qualifiedId, meta.id),
            ...(meta.kind === 'graded' ? { report: await history.report(lab.qualifiedId, meta.id).catch(() => undefined) } : {}),
          })),
        ),
        ...(await history.publicRun(lab.qualifiedId).then((run) => (run ? { publicRun: run as GradeReport } : {}))),
      });
    }
    const now = new Date();
    // getTimezoneOffset is west-positive; the manifest counts east-positive, as UTC offsets are written.
    const utcOffsetMinutes = -now.getTimezoneOffset();
    const files = core.buildSubmission(pack, exports, this.extensionVersion, now, { ...(candidateName ? { candidateName } : {}), utcOffsetMinutes });
    await core.writeZip(files, file);
    const sha256 = core.sha256(await readFile(file));
    for (const lab of labs) await state.exported(lab.qualifiedId);
    this.log.info(`Exported ${pack.id} (${labs.map((l) => l.id).join(', ')}) to ${file}: ${files.size} files, SHA-256 ${sha256}.`);
    const receipt: ExportReceipt = { file, sha256, ...(candidateName ? { candidateName } : {}) };
    if (interactive) await this.showReceipt(pack, labs, receipt, options.final === true);
    else inform(this.log, `Exported your submission for ${pack.name} (${labs.length} lab${labs.length === 1 ? '' : 's'}) to ${file}. SHA-256: ${sha256}`);
    return receipt;
  }

  /** Packs with started labs: the loaded ones, and take-homes of packs removed since, found through labs.json and the lab folders' markers. */
  private async packsWithWork(): Promise<PackWork[]> {
    const core = loadCore();
    const { catalog } = await this.content.get();
    const { state } = await this.content.labData();
    const hasSrc = (id: string) => {
      const dir = state.get(id)?.workspace;
      return dir !== undefined && existsSync(path.join(dir, 'src'));
    };
    const started = catalog.labs.filter((l) => hasSrc(l.qualifiedId));
    const work: PackWork[] = catalog.packs.flatMap((pack) => {
      const labs = started.filter((l) => l.packId === pack.id);
      return labs.length ? [{ pack, labs, removed: false }] : [];
    });
    const removed = new Map<string, PackWork>();
    for (const id of state.ids()) {
      const record = state.get(id);
      const packId = id.slice(0, id.indexOf('/'));
      if (!record?.timer || catalog.packs.some((p) => p.id === packId) || !hasSrc(id)) continue;
      const marker = await core.readMarker(record.workspace as string);
      if (!marker || marker.lab !== id) continue;
      const entry = removed.get(packId) ?? {
        pack: { id: packId, name: packId, version: marker.packVersion, author: '', description: '', questions: [], labs: [], dir: '' } as Pack,
        labs: [],
        removed: true,
      };
      const labId = id.slice(packId.length + 1);
      entry.labs.push({
        id: labId,
        qualifiedId: id,
        packId,
        version: marker.version,
        title: labId,
        dir: '',
        contents: { hiddenTests: false, solution: false },
      } as unknown as Lab);
      removed.set(packId, entry);
    }
    return [...work, ...removed.values()];
  }

  /** Freezes a timed lab's files as they stand now, unless time already froze them (here or in another window). */
  private async freeze(lab: Lab): Promise<void> {
    const { state, history } = await this.content.labData();
    const record = state.get(lab.qualifiedId);
    if (!record?.timer || record.timer.frozenAt || !record.workspace) return;
    const files = await loadCore().readFolder(path.join(record.workspace, 'src'));
    const attempt = await history.save(lab.qualifiedId, { kind: 'frozen', files });
    await state.saveTimer(lab.qualifiedId, { ...record.timer, frozenAt: attempt.at, frozenAttempt: attempt.id });
    this.log.info(`Submitted ${lab.qualifiedId}: ${files.size} files frozen as attempt ${attempt.id}.`);
  }

  private async confirmFinal(pack: Pack, labs: readonly Lab[]): Promise<boolean> {
    const action = 'Submit and Export';
    const choice = await vscode.window.showWarningMessage(
      `Submit ${pack.name}? This is final.`,
      {
        modal: true,
        detail: `Your files in ${labs.map((l) => l.title).join(', ')} are frozen as they stand now and exported as one zip for you to send. Edits after this are marked late.`,
      },
      action,
    );
    return choice === action;
  }

  /** The candidate's name for the manifest: their choice; empty leaves it out; undefined is Escape. */
  private async askName(): Promise<string | undefined> {
    return vscode.window.showInputBox({
      title: 'Your name on the submission (optional)',
      prompt: 'Stored in the submission so your instructor can tell it is yours. Leave it empty to leave it out.',
      placeHolder: 'e.g. Ada Lovelace',
      ignoreFocusOut: true,
      validateInput: (value) => (value.length > 200 ? 'At most 200 characters.' : undefined),
    });
  }

  /** The receipt: where the zip is and its SHA-256 to send along, each copyable. */
  private async showReceipt(pack: Pack, labs: readonly Lab[], receipt: ExportReceipt, final: boolean): Promise<void> {
    const copyHash = 'Copy SHA-256';
    const copyPath = 'Copy Path';
    const reveal = 'Reveal File';
    const detail = [
      `File: ${receipt.file}`,
      `SHA-256: ${receipt.sha256}`,
      receipt.candidateName ? `Name recorded: ${receipt.candidateName}` : 'No name recorded.',
      `Labs: ${labs.map((l) => l.title).join(', ')}`,
      '',
      'Send the file and its SHA-256 to your instructor: the checksum shows the file they received is the one you exported.',
    ].join('\n');
    const choice = await vscode.window.showInformationMessage(
      final ? `Submitted ${pack.name}. Your receipt:` : `Exported your ${pack.name} submission. Your receipt:`,
      { modal: true, detail },
      copyHash,
      copyPath,
      reveal,
    );
    if (choice === copyHash) await vscode.env.clipboard.writeText(receipt.sha256);
    if (choice === copyPath) await vscode.env.clipboard.writeText(receipt.file);
    if (choice === reveal) await vscode.commands.executeCommand('revealFileInOS', vscode.Uri.file(receipt.file));
  }

  private async pickPack(packs: PackWork[]): Promise<PackWork | undefined> {
    const picked = await vscode.window.showQuickPick(
      packs.map((work) => ({
        label: work.pack.name,
        description: `${work.pack.id} ${work.pack.version}${work.removed ? ' (removed)' : ''}`,
        work,
      })),
      { title: 'Export a submission for which pack?' },
    );
    return picked?.work;
  }

  private async askWhere(pack: Pack): Promise<string | undefined> {
    const root = path.resolve(expandHome(vscode.workspace.getConfiguration('mlopsLabs').get<string>('workspaceRoot') ?? '~/mlops-labs'));
    const uri = await vscode.window.showSaveDialog({
      title: `Export your ${pack.name} submission`,
      defaultUri: vscode.Uri.file(path.join(root, `${pack.id}-submission.zip`)),
      filters: { 'Submission zip': ['zip'] },
      saveLabel: 'Export Submission',
    });
    if (!uri) return undefined;
    return uri.fsPath.toLowerCase().endsWith('.zip') ? uri.fsPath : `${uri.fsPath}.zip`;
  }
}
