import { existsSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { LabExport } from '../core/take-home/submission';
import type { Pack } from '../core/catalog/types';
import type { GradeReport } from '../grader/types';
import { expandHome, type Content } from './content';
import { loadCore } from './lazy';
import { inform } from './messages';

/**
 * Export Submission: one zip for a pack's started labs, with the files to grade (frozen ones when time ran
 * out), attempt history, the last public run and the manifest (src/core/take-home/submission.ts).
 */
export class SubmissionExport {
  constructor(
    private readonly content: Content,
    private readonly extensionVersion: string,
    private readonly log: vscode.LogOutputChannel,
    /** Writes pending integrity signals first, when a lab workspace is open. */
    private readonly beforeExport: () => Promise<void>,
    private readonly sessionPackId: () => string | undefined,
  ) {}

  async run(target?: string): Promise<string | undefined> {
    await this.beforeExport();
    const core = loadCore();
    const { catalog } = await this.content.get();
    const { state, history } = await this.content.labData();
    const started = catalog.labs.filter((l) => {
      const dir = state.get(l.qualifiedId)?.workspace;
      return dir !== undefined && existsSync(path.join(dir, 'src'));
    });
    const packs = catalog.packs.filter((p) => started.some((l) => l.packId === p.id));
    const pack = packs.find((p) => p.id === this.sessionPackId()) ?? (packs.length === 1 ? packs[0] : await this.pickPack(packs));
    if (!pack) {
      if (packs.length === 0) inform(this.log, 'Nothing to export yet: start a lab first.');
      return undefined;
    }
    const labs = started.filter((l) => l.packId === pack.id);
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
        starter: await core.readFolder(path.join(lab.dir, 'starter')),
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
    const file = target ?? (await this.askWhere(pack));
    if (!file) return undefined;
    const files = core.buildSubmission(pack, exports, this.extensionVersion, new Date());
    await core.writeZip(files, file);
    this.log.info(`Exported ${pack.id} (${labs.map((l) => l.id).join(', ')}) to ${file}: ${files.size} files.`);
    inform(
      this.log,
      `Exported your submission for ${pack.name} (${labs.length} lab${labs.length === 1 ? '' : 's'}) to ${file}. Send that file as your submission.`,
    );
    return file;
  }

  private async pickPack(packs: Pack[]): Promise<Pack | undefined> {
    const picked = await vscode.window.showQuickPick(
      packs.map((pack) => ({ label: pack.name, description: `${pack.id} ${pack.version}`, pack })),
      { title: 'Export a submission for which pack?' },
    );
    return picked?.pack;
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
