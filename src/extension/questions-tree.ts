import * as vscode from 'vscode';
import type { GroupBy, QuestionGroup } from '../core/question-tree';
import { sectionTitle } from '../core/sections';
import type { ProgressState } from '../core/progress';
import type { Question } from '../core/types';
import type { Content } from './content';
import { questionUri } from './difficulty-decorations';
import { loadCore } from './lazy';
import type { ViewSettings } from './view-settings';

type Node = { kind: 'group'; group: QuestionGroup; groupBy: GroupBy } | { kind: 'question'; question: Question; groupKey: string };

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
export class QuestionsTree implements vscode.TreeDataProvider<Node>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<Node | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly subscriptions: vscode.Disposable[];

  constructor(
    private readonly content: Content,
    private readonly settings: ViewSettings,
  ) {
    this.subscriptions = [this.changed, content.onDidChange(() => this.changed.fire(undefined)), settings.onDidChange(() => this.changed.fire(undefined))];
  }

  async getChildren(node?: Node): Promise<Node[]> {
    if (node?.kind === 'question') return [];
    if (node?.kind === 'group') return node.group.questions.map((question) => ({ kind: 'question', question, groupKey: node.group.key }));
    const groups = await this.groups();
    return groups.map((group) => ({ kind: 'group', group, groupBy: this.settings.groupBy }));
  }

  /** The groups as the view shows them now; exported for tests and the integration suite. */
  async groups(): Promise<QuestionGroup[]> {
    const { catalog, progress } = await this.content.get();
    return loadCore().groupQuestions(catalog.questions, this.settings.groupBy, this.settings.filter, (q) => progress.state(q.qualifiedId));
  }

  async getTreeItem(node: Node): Promise<vscode.TreeItem> {
    if (node.kind === 'group') {
      const { group } = node;
      const item = new vscode.TreeItem(group.label, vscode.TreeItemCollapsibleState.Collapsed);
      item.id = `group:${node.groupBy}:${group.key}`;
      item.description = group.questions.length === group.total ? String(group.total) : `${group.questions.length} of ${group.total}`;
      const count = `${group.questions.length} question${group.questions.length === 1 ? '' : 's'}`;
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

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
  }
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

