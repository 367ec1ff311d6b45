/**
 * The Testing view's tree for a lab workspace, built from what discovery found in tests/: the lab's public
 * tests grouped by task (as the candidate has them in their files), then the candidate's own tests in a group
 * of their own, by file, nested as written. A file that does not parse shows its error on its own item.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { LabManifest } from '../core/catalog/types';
import type { DiscoveredFile, DiscoveredTest } from '../grader/index';

export interface TestItemData {
  /** The full name results arrive under ("describe > test"); absent for groups and computed names. */
  name?: string;
  /** The test file this item runs, relative to tests/ ("zero.test.ts"); absent for task groups. */
  file?: string;
}

export const OWN_TESTS_ID = 'own';
const FOUND_WHILE_RUNNING_ID = 'own:found';

export class LabTestTree {
  readonly data = new WeakMap<vscode.TestItem, TestItemData>();
  /** Leaf items by the full name results arrive under; two files may hold the same name. */
  private readonly byName = new Map<string, vscode.TestItem[]>();

  constructor(
    private readonly controller: vscode.TestController,
    private readonly labDir: string,
  ) {}

  itemsNamed(name: string): vscode.TestItem[] {
    return this.byName.get(name) ?? [];
  }

  /** Rebuilds the tree from the files discovery read (tests/<file>, top level only, as the grader runs them). */
  replace(lab: Pick<LabManifest, 'tasks'>, files: DiscoveredFile[]): void {
    this.byName.clear();
    const publicNames = new Map<string, number>();
    for (const task of lab.tasks) for (const name of task.publicTests ?? []) publicNames.set(name, task.id);
    const groups = new Map<number, vscode.TestItem>();
    const roots: vscode.TestItem[] = [];
    for (const task of lab.tasks) {
      // The Testing view reads an item's description out in place of its label, so points go in the label.
      const group = this.controller.createTestItem(`task:${task.id}`, `Task ${task.id}: ${task.title} (${task.points} points)`);
      this.data.set(group, {});
      groups.set(task.id, group);
      roots.push(group);
    }
    const own = this.controller.createTestItem(OWN_TESTS_ID, 'Your tests (never graded)');
    this.data.set(own, {});
    for (const found of files) {
      const uri = vscode.Uri.file(path.join(this.labDir, 'tests', ...found.file.split('/')));
      const relative = found.file;
      let fileItem: vscode.TestItem | undefined;
      const fileNode = (): vscode.TestItem => {
        fileItem ??= this.make(`file:${relative}`, relative, uri, { file: relative }, 1, 1);
        return fileItem;
      };
      if (found.error) {
        const item = fileNode();
        item.error = new vscode.MarkdownString().appendText(`${found.error.message} (line ${found.error.line}, column ${found.error.column})`);
      }
      const place = (test: DiscoveredTest, parent: () => vscode.TestItem): void => {
        const taskId = test.kind === 'test' && test.fullName !== undefined ? publicNames.get(test.fullName) : undefined;
        if (taskId !== undefined && test.fullName !== undefined) {
          const item = this.make(`public:${relative}:${test.fullName}`, test.label, uri, { name: test.fullName, file: relative }, test.line, test.column);
          groups.get(taskId)?.children.add(item);
          return;
        }
        const id = `test:${relative}:${test.fullName ?? `${test.label}@${test.line}:${test.column}`}`;
        const item = this.make(
          id,
          test.label,
          uri,
          { ...(test.fullName !== undefined ? { name: test.fullName } : {}), file: relative },
          test.line,
          test.column,
        );
        let attached = false;
        const attach = () => {
          if (!attached) parent().children.add(item);
          attached = true;
          return item;
        };
        if (test.kind === 'suite') {
          // A describe holding only public tests has nothing of the candidate's to show.
          for (const child of test.children) place(child, attach);
        } else attach();
      };
      for (const test of found.tests) place(test, fileNode);
      if (fileItem) own.children.add(fileItem);
    }
    if (own.children.size > 0) roots.push(own);
    this.controller.items.replace(roots);
  }

  /** An item for a result no discovered test matches (a name computed at run time), under the candidate's tests. */
  found(name: string): vscode.TestItem {
    const known = this.itemsNamed(name)[0];
    if (known) return known;
    let own = this.controller.items.get(OWN_TESTS_ID);
    if (!own) {
      own = this.controller.createTestItem(OWN_TESTS_ID, 'Your tests (never graded)');
      this.data.set(own, {});
      this.controller.items.add(own);
    }
    let group = own.children.get(FOUND_WHILE_RUNNING_ID);
    if (!group) {
      group = this.controller.createTestItem(FOUND_WHILE_RUNNING_ID, 'Found while running');
      this.data.set(group, {});
      own.children.add(group);
    }
    const item = this.controller.createTestItem(`found:${name}`, name);
    this.data.set(item, { name });
    group.children.add(item);
    this.index(name, item);
    return item;
  }

  private make(id: string, label: string, uri: vscode.Uri, data: TestItemData, line: number, column: number): vscode.TestItem {
    const item = this.controller.createTestItem(id, label, uri);
    item.range = new vscode.Range(line - 1, column - 1, line - 1, column - 1);
    this.data.set(item, data);
    if (data.name !== undefined) this.index(data.name, item);
    return item;
  }

  private index(name: string, item: vscode.TestItem): void {
    const list = this.byName.get(name) ?? [];
    if (!list.includes(item)) list.push(item);
    this.byName.set(name, list);
  }
}
