import * as vscode from 'vscode';
import { GROUP_BY, type GroupBy, type TreeFilter } from '../core/questions/question-tree';
import { DIFFICULTIES, type Difficulty } from '../core/catalog/sections';
import { background } from './errors';
import { Disposable } from './lifecycle';

const KEY = 'mlopsLabs.questionsView';

/** How the Questions view groups and filters, remembered across sessions and mirrored in context keys for menus. */
export class ViewSettings extends Disposable {
  private readonly changed = this.register(new vscode.EventEmitter<void>());
  readonly onDidChange = this.changed.event;
  groupBy: GroupBy;
  filter: TreeFilter;

  constructor(
    private readonly memento: vscode.Memento,
    log: vscode.LogOutputChannel,
  ) {
    super(log);
    const saved = memento.get<{ groupBy?: unknown; difficulties?: unknown; hideMastered?: unknown }>(KEY) ?? {};
    this.groupBy = GROUP_BY.includes(saved.groupBy as GroupBy) ? (saved.groupBy as GroupBy) : 'section';
    const difficulties = Array.isArray(saved.difficulties) ? saved.difficulties.filter((d): d is Difficulty => DIFFICULTIES.includes(d as Difficulty)) : [];
    this.filter = { difficulties, hideMastered: saved.hideMastered === true };
    background(this.publish(), log, 'Setting the view context keys');
  }

  async update(change: { groupBy?: GroupBy; filter?: Partial<TreeFilter> }): Promise<void> {
    if (change.groupBy) this.groupBy = change.groupBy;
    if (change.filter) this.filter = { ...this.filter, ...change.filter };
    await this.memento.update(KEY, { groupBy: this.groupBy, ...this.filter });
    await this.publish();
    this.changed.fire();
  }

  /** Text for the view's description, naming any active filter. */
  describeFilter(): string | undefined {
    const parts: string[] = [];
    if (this.filter.difficulties.length > 0 && this.filter.difficulties.length < DIFFICULTIES.length) parts.push(this.filter.difficulties.join(', '));
    if (this.filter.hideMastered) parts.push('mastered hidden');
    return parts.length ? parts.join(' · ') : undefined;
  }

  private async publish(): Promise<void> {
    await vscode.commands.executeCommand('setContext', 'mlopsLabs.groupBy', this.groupBy);
    await vscode.commands.executeCommand('setContext', 'mlopsLabs.hideMastered', this.filter.hideMastered);
    await vscode.commands.executeCommand('setContext', 'mlopsLabs.filtered', this.describeFilter() !== undefined);
  }
}
