import * as vscode from 'vscode';
import type { GroupBy, QuestionGroup } from '../core/questions/question-tree';
import { sectionTitle } from '../core/catalog/sections';
import type { ProgressState } from '../core/progress/progress';
import type { Pack, Question } from '../core/catalog/types';
import type { Content } from './content';
import { questionUri } from './difficulty-decorations';
import { loadCore } from './lazy';
import type { ViewSettings } from './view-settings';
import { Disposable } from './lifecycle';

export type QuestionNode = Node;

type Node =
  | { kind: 'pack'; pack: Pack }
  | { kind: 'group'; group: QuestionGroup; groupBy: GroupBy; packId?: string }
  | { kind: 'question'; question: Question; groupKey: string };

const STATE_ICONS: Record<ProgressState, vscode.ThemeIcon> = {
  new: new vscode.ThemeIcon('circle-large-outline'),
  learning: new vscode.ThemeIcon('circle-large-filled', new vscode.ThemeColor('charts.yellow')),
  mastered: new vscode.ThemeIcon('pass-filled', new vscode.ThemeColor('charts.green')),
};

const GROUP_ICONS: Record<GroupBy, vscode.ThemeIcon> = {
  section: new vscode.ThemeIcon('book'),
  difficulty: new vscode.ThemeIcon('dashboard'),
  tag: new vscode.ThemeIcon('tag'),
};

/** The Questions view: groups (section, difficulty or tag) holding questions with their progress state. */
export class QuestionsTree extends Disposable implements vscode.TreeDataProvider<Node> {
  private readonly changed = this.register(new vscode.EventEmitter<Node | undefined>());
  readonly onDidChangeTreeData = this.changed.event;

  constructor(
    private readonly content: Content,
    private readonly settings: ViewSettings,
  ) {
    super();
    this.register(content.onDidChange(() => this.changed.fire(undefined)));
    this.register(settings.onDidChange(() => this.changed.fire(undefined)));
  }

  async getChildren(node?: Node): Promise<Node[]> {
    if (node?.kind === 'question') return [];
    if (node?.kind === 'group')
      return node.group.questions.map((question) => ({ kind: 'question', question, groupKey: `${node.packId ?? ''}:${node.group.key}` }));
    if (node?.kind === 'pack')
      return (await this.groups(node.pack.id)).map((group) => ({ kind: 'group', group, groupBy: this.settings.groupBy, packId: node.pack.id }));
    const { catalog } = await this.content.get();
    // With packs added, each pack is a top-level node; the built-in bank alone needs no such level.
    const packs = catalog.packs.filter((p) => catalog.questions.some((q) => q.packId === p.id));
    if (catalog.packs.length > 1) return packs.map((pack) => ({ kind: 'pack', pack }));
    return (await this.groups()).map((group) => ({ kind: 'group', group, groupBy: this.settings.groupBy }));
  }

  /** The node of a question as the view shows it now (its first group), for revealing it; undefined when filtered out. */
  async nodeOf(questionId: string): Promise<Node | undefined> {
    const { catalog } = await this.content.get();
    const packId = catalog.packs.length > 1 ? catalog.question(questionId)?.packId : undefined;
    for (const group of await this.groups(packId)) {
      const question = group.questions.find((q) => q.qualifiedId === questionId);
      if (question) return { kind: 'question', question, groupKey: `${packId ?? ''}:${group.key}` };
    }
    return undefined;
  }

  async getParent(node: Node): Promise<Node | undefined> {
    if (node.kind === 'pack') return undefined;
    const { catalog } = await this.content.get();
    const packed = catalog.packs.length > 1;
    if (node.kind === 'group') {
      const pack = packed ? catalog.packs.find((p) => p.id === node.packId) : undefined;
      return pack ? { kind: 'pack', pack } : undefined;
    }
    const packId = packed ? node.question.packId : undefined;
    const group = (await this.groups(packId)).find((g) => `${packId ?? ''}:${g.key}` === node.groupKey);
    return group ? { kind: 'group', group, groupBy: this.settings.groupBy, ...(packId ? { packId } : {}) } : undefined;
  }

  /** Ids of questions due for review now, for the view's badge. */
  async dueCount(): Promise<number> {
    const { catalog, progress } = await this.content.get();
    const due = new Set(progress.dueIds());
    return catalog.questions.filter((q) => due.has(q.qualifiedId)).length;
  }

  /** The groups as the view shows them now, of one pack or all; exported for tests and the integration suite. */
  async groups(packId?: string): Promise<QuestionGroup[]> {
    const { catalog, progress } = await this.content.get();
    const questions = packId ? catalog.questions.filter((q) => q.packId === packId) : catalog.questions;
    return loadCore().groupQuestions(questions, this.settings.groupBy, this.settings.filter, (q) => progress.state(q.qualifiedId));
  }

  async getTreeItem(node: Node): Promise<vscode.TreeItem> {
    if (node.kind === 'pack')
      return packItem(node.pack, (await this.content.get()).catalog.questions.filter((q) => q.packId === node.pack.id).length, 'question');
    if (node.kind === 'group') {
      const { group } = node;
      const item = new vscode.TreeItem(group.label, vscode.TreeItemCollapsibleState.Collapsed);
      item.id = `group:${node.packId ?? ''}:${node.groupBy}:${group.key}`;
      // Progress where people look: mastered of all, and how many a filter hides.
      const shown = group.questions.length === group.total ? '' : ` · ${group.questions.length} shown`;
      item.description = `${group.mastered}/${group.total}${shown}`;
      const count = `${group.mastered} of ${group.total} question${group.total === 1 ? '' : 's'} mastered${shown ? `, ${group.questions.length} shown` : ''}`;
      item.tooltip = count;
      item.accessibilityInformation = { label: `${group.label}, ${count}` };
      item.iconPath = GROUP_ICONS[node.groupBy];
      item.contextValue = 'questionGroup';
      return item;
    }
    const { question } = node;
    const { progress } = await this.content.get();
    const state = progress.state(question.qualifiedId);
    const item = new vscode.TreeItem(question.title, vscode.TreeItemCollapsibleState.None);
    // Unique per group: a question appears under each of its tags when grouped by tag.
    item.id = `${node.groupKey}:${question.qualifiedId}`;
    item.description = `${question.difficulty} · ${state}`;
    item.resourceUri = questionUri(question.qualifiedId, question.difficulty);
    item.iconPath = STATE_ICONS[state];
    item.contextValue = 'question';
    item.accessibilityInformation = { label: `${question.title}, ${question.difficulty}, ${state}` };
    item.tooltip = tooltip(question, state, progress.nextReview(question.qualifiedId));
    item.command = { command: 'mlopsLabs.openQuestion', title: 'Open Question', arguments: [question.qualifiedId] };
    return item;
  }
}

/** A pack as a top-level node of the Questions or Labs view, when more than one pack is loaded. */
export function packItem(pack: Pack, count: number, noun: 'question' | 'lab'): vscode.TreeItem {
  const item = new vscode.TreeItem(pack.name, vscode.TreeItemCollapsibleState.Expanded);
  item.id = `pack:${noun}:${pack.id}`;
  item.description = `${pack.version} · ${count} ${noun}${count === 1 ? '' : 's'}`;
  item.iconPath = new vscode.ThemeIcon('package');
  item.contextValue = pack.id === 'core' ? 'builtinPack' : 'pack';
  const tip = new vscode.MarkdownString(undefined, true);
  tip.appendMarkdown(
    `**${escapeMd(pack.name)}** ${escapeMd(pack.version)}\n\n${escapeMd(pack.description)}\n\nBy ${escapeMd(pack.author)} · id \`${pack.id}\``,
  );
  if (pack.timeLimitMinutes || pack.due)
    tip.appendMarkdown(
      `\n\n$(watch) Timed: ${[pack.timeLimitMinutes ? `${pack.timeLimitMinutes} minutes per lab` : '', pack.due ? `due ${new Date(pack.due).toLocaleString()}` : ''].filter(Boolean).join(', ')}`,
    );
  item.tooltip = tip;
  item.accessibilityInformation = { label: `Pack ${pack.name} ${pack.version}, ${count} ${noun}${count === 1 ? '' : 's'}` };
  return item;
}

function tooltip(question: Question, state: ProgressState, due: Date | undefined): vscode.MarkdownString {
  const md = new vscode.MarkdownString(undefined, true);
  md.appendMarkdown(`**${escapeMd(question.title)}**\n\n`);
  md.appendMarkdown(`${sectionTitle(question.section)} · ${question.difficulty} · $(${STATE_ICONS[state].id}) ${state}\n\n`);
  if (due) md.appendMarkdown(`Next review: ${loadCore().describeDue(due, new Date())}\n\n`);
  md.appendMarkdown(question.tags.map((t) => `\`${t}\``).join(' '));
  return md;
}

function escapeMd(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>]/g, '\\$&');
}
