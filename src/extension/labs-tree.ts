import * as vscode from 'vscode';
import { PLANNED_CORE_LABS } from '../core/catalog/labs-planned';
import type { Lab, Pack } from '../core/catalog/types';
import { packItem } from './questions-tree';
import type { Content } from './content';
import { bestScore, LAB_ICONS, LAB_STATUS_TEXT, labProgressText } from './lab-status';
import { loadCore } from './lazy';
import { Disposable } from './lifecycle';

export type LabNode = { kind: 'pack'; pack: Pack } | { kind: 'lab'; lab: Lab } | { kind: 'planned'; id: string };

/** The Labs view: every shipped lab with its status and best score; planned labs shown as coming. */
export class LabsTree extends Disposable implements vscode.TreeDataProvider<LabNode> {
  private readonly changed = this.register(new vscode.EventEmitter<LabNode | undefined>());
  readonly onDidChangeTreeData = this.changed.event;

  constructor(
    private readonly content: Content,
    /** False in the targetless build, which carries no onnxruntime: its ONNX labs need a platform build. */
    private readonly onnxRuntimeAvailable: boolean,
  ) {
    super();
    this.register(content.onDidChangeLab(() => this.changed.fire(undefined)));
    this.register(content.onDidChange(() => this.changed.fire(undefined)));
  }

  async getChildren(node?: LabNode): Promise<LabNode[]> {
    if (node && node.kind !== 'pack') return [];
    const { catalog } = await this.content.get();
    if (!node && catalog.packs.length > 1)
      return catalog.packs.filter((p) => catalog.labs.some((l) => l.packId === p.id)).map((pack) => ({ kind: 'pack', pack }));
    const packId = node?.pack.id;
    const shipped: LabNode[] = catalog.labs.filter((lab) => !packId || lab.packId === packId).map((lab) => ({ kind: 'lab', lab }));
    const planned: LabNode[] =
      !packId || packId === 'core' ? PLANNED_CORE_LABS.filter((id) => !catalog.lab(`core/${id}`)).map((id) => ({ kind: 'planned', id })) : [];
    return [...shipped, ...planned];
  }

  async getTreeItem(node: LabNode): Promise<vscode.TreeItem> {
    if (node.kind === 'pack') return packItem(node.pack, (await this.content.get()).catalog.labs.filter((l) => l.packId === node.pack.id).length, 'lab');
    if (node.kind === 'planned') {
      const item = new vscode.TreeItem(node.id, vscode.TreeItemCollapsibleState.None);
      item.description = 'coming soon';
      item.iconPath = new vscode.ThemeIcon('clock');
      item.contextValue = 'plannedLab';
      item.tooltip = 'This lab is planned and not shipped yet.';
      return item;
    }
    const { lab } = node;
    const { state } = await this.content.labData();
    const status = state.status(lab.qualifiedId);
    const record = state.get(lab.qualifiedId);
    // The best score leads the label: long titles cut the description off at the default sidebar width.
    const best = bestScore(record);
    const label: vscode.TreeItemLabel | string = best ? { label: `${best}  ${lab.title}`, highlights: [[0, best.length]] } : lab.title;
    const item = new vscode.TreeItem(label, vscode.TreeItemCollapsibleState.None);
    item.id = `lab:${lab.qualifiedId}`;
    item.description = LAB_STATUS_TEXT[status];
    item.iconPath = LAB_ICONS[status];
    item.contextValue = `lab.${status}`;
    const tooltip = new vscode.MarkdownString(undefined, true);
    tooltip.appendMarkdown(`**${lab.title}**\n\n${lab.summary}\n\n`);
    tooltip.appendMarkdown(`${lab.difficulty} · about ${lab.estimatedMinutes} minutes · ${lab.tasks.length} tasks\n\n`);
    tooltip.appendMarkdown(`$(${LAB_ICONS[status].id}) ${labProgressText(status, record)}`);
    if (record?.best) tooltip.appendMarkdown(` · ${record.attempts} graded attempt${record.attempts === 1 ? '' : 's'}`);
    if (record?.hintsTaken) tooltip.appendMarkdown(` · ${record.hintsTaken} hint${record.hintsTaken === 1 ? '' : 's'} taken`);
    if (!lab.contents.hiddenTests)
      tooltip.appendMarkdown('\n\n$(mortar-board) Graded by your instructor: run the public tests as you work, then export your submission.');
    const { catalog } = await this.content.get();
    const limit = loadCore().timeLimitOf(
      lab,
      catalog.packs.find((p) => p.id === lab.packId),
    );
    if (limit) {
      const timer = record?.timer;
      tooltip.appendMarkdown(
        `\n\n$(watch) Timed${limit.minutes ? `: ${limit.minutes} minutes${limit.scope === 'pack' ? ' for the whole pack' : ''}` : ''}${limit.due ? `, due ${new Date(limit.due).toLocaleString()}` : ''}.${timer ? ` Ends ${new Date(timer.deadline).toLocaleString()}.` : ' The clock starts when you start the lab.'}`,
      );
      item.description = `${item.description} · timed`;
    }
    if (lab.runtime.onnxruntime && !this.onnxRuntimeAvailable) {
      item.description = `${item.description} · needs the build for your platform`;
      item.iconPath = new vscode.ThemeIcon('warning');
      tooltip.appendMarkdown(
        '\n\n$(warning) This lab runs ONNX models with onnxruntime, which this build of the extension does not include. Install the extension build for your platform (linux-x64, linux-arm64, win32-x64, win32-arm64 or darwin-arm64) to grade it.',
      );
    }
    const redoDue = state.isDue(lab.qualifiedId);
    if (redoDue) {
      item.description = `${item.description} · redo due`;
      item.iconPath = new vscode.ThemeIcon('debug-restart', new vscode.ThemeColor('charts.orange'));
      tooltip.appendMarkdown('\n\n$(debug-restart) Due for review: redo it from scratch (Review Next Due, or Redo Lab from Scratch in its menu).');
    } else if (record?.review) {
      tooltip.appendMarkdown(`\n\n$(calendar) Redo from scratch ${loadCore().describeDue(new Date(record.review.card.due), new Date())}.`);
    }
    item.tooltip = tooltip;
    item.accessibilityInformation = {
      label: `${lab.title}, ${lab.difficulty}, about ${lab.estimatedMinutes} minutes, ${labProgressText(status, record)}${redoDue ? ', redo due' : ''}`,
    };
    item.command = { command: 'mlopsLabs.startLab', title: 'Start Lab', arguments: [lab.qualifiedId] };
    return item;
  }
}
