import { readFile, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ExportCounts } from '../../core/progress/export';
import type { Content } from '../content';
import { loadCore } from '../lazy';
import { complain, inform } from '../messages';
import type { CommandTable } from './register';

/** "3 questions reviewed (5 reviews), 2 written answers, 1 lab (1 redo review)". */
export function describeCounts(c: ExportCounts): string {
  const n = (count: number, one: string, many = `${one}s`) => `${count} ${count === 1 ? one : many}`;
  return `${n(c.questions, 'question')} reviewed (${n(c.reviews, 'review')}), ${n(c.answers, 'written answer')}, ${n(c.labs, 'lab')} (${n(c.labReviews, 'redo review')})`;
}

/**
 * Export Progress… and Import Progress…: the candidate's practice in one JSON file, to move machines. Both read
 * the stored files as they are now (another window may have just rated a question); an import is checked whole
 * before anything changes, then merged into each file in one locked change, so another window loses nothing.
 */
export class ProgressTransfer {
  constructor(
    private readonly content: Content,
    private readonly version: string,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  private async books() {
    const [{ progress }, answers, { state: labs }] = await Promise.all([this.content.get(), this.content.answers(), this.content.labData()]);
    await Promise.all([progress.refresh(), answers.refresh(), labs.refresh()]);
    return { progress, answers, labs };
  }

  private async counts(): Promise<ExportCounts> {
    const { progress, answers, labs } = await this.books();
    return loadCore().countsOf({ progress: progress.snapshot(), answers: answers.snapshot(), labs: labs.snapshot() });
  }

  /** Writes the export to `target` (a path, as the integration suite passes one), else where the user picks. */
  async export(target?: string): Promise<ExportCounts | undefined> {
    const file = target ?? (await this.pickSave());
    if (!file) return undefined;
    const { progress, answers, labs } = await this.books();
    const core = loadCore();
    const parts = { progress: progress.snapshot(), answers: answers.snapshot(), labs: labs.snapshot() };
    const exported = core.buildExport(parts, new Date(), this.version);
    await writeFile(file, `${JSON.stringify(exported, null, 2)}\n`);
    const counts = core.countsOf(parts);
    this.log.info(`Exported progress to ${file}: ${describeCounts(counts)}.`);
    inform(this.log, `Progress exported to ${path.basename(file)}: ${describeCounts(counts)}. Lab folders stay on this machine.`);
    return counts;
  }

  /** Merges the export in `source` (a path, or one the user picks); resolves with the counts after, or undefined. */
  async import(source?: string): Promise<ExportCounts | undefined> {
    const file = source ?? (await this.pickOpen());
    if (!file) return undefined;
    const core = loadCore();
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      return this.reject(
        `${path.basename(file)} cannot be imported: it cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}).`,
      );
    }
    const read = core.readExport(text, path.basename(file));
    if (!read.ok) return this.reject(read.error);
    const incoming = read.value;
    const { progress, answers, labs } = await this.books();
    await progress.merge((current) => core.mergeProgress(current, incoming.progress));
    await answers.merge((current) => core.mergeAnswers(current, incoming.answers));
    await labs.merge((current) => core.mergeLabs(current, incoming.labs));
    const after = await this.counts();
    this.log.info(`Imported progress from ${file} (exported ${incoming.exportedAt}). Now: ${describeCounts(after)}.`);
    inform(this.log, `Imported ${path.basename(file)}, merged with your progress here (newer reviews kept). Now: ${describeCounts(after)}.`);
    return after;
  }

  private reject(error: string): undefined {
    this.log.warn(error);
    complain(this.log, `${error} Nothing was changed.`);
    return undefined;
  }

  private async pickSave(): Promise<string | undefined> {
    const day = new Date().toISOString().slice(0, 10);
    const uri = await vscode.window.showSaveDialog({
      title: 'Export Progress',
      defaultUri: vscode.Uri.file(path.join(homedir(), `mlops-labs-progress-${day}.json`)),
      filters: { 'Progress export': ['json'] },
      saveLabel: 'Export',
    });
    return uri?.fsPath;
  }

  private async pickOpen(): Promise<string | undefined> {
    const picked = await vscode.window.showOpenDialog({
      title: 'Import Progress',
      canSelectMany: false,
      filters: { 'Progress export': ['json'] },
      openLabel: 'Import',
    });
    return picked?.[0]?.fsPath;
  }
}

export function progressTransferCommands(transfer: ProgressTransfer): CommandTable {
  return {
    'mlopsLabs.exportProgress': (file) => transfer.export(typeof file === 'string' ? file : undefined),
    'mlopsLabs.importProgress': (file) => transfer.import(typeof file === 'string' ? file : undefined),
  };
}
