import * as path from 'node:path';
import type * as vscode from 'vscode';
import type { Content } from './content';
import { loadCore } from './lazy';

/** The URI scheme of reference solution files: `mlops-labs-solution:/<pack>/<lab>/<file>`. */
export const SOLUTION_SCHEME = 'mlops-labs-solution';

/** Serves reference solution files read-only, so a diff never edits the extension's own copy. */
export class SolutionProvider implements vscode.TextDocumentContentProvider {
  constructor(private readonly content: Content) {}

  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    const [, pack, labId, ...rest] = uri.path.split('/');
    const { catalog } = await this.content.get();
    const lab = catalog.lab(`${pack}/${labId}`);
    if (!lab) return '';
    const files = await loadCore().readFolder(path.join(lab.dir, 'solution'));
    return files.get(rest.join('/'))?.toString('utf8') ?? '';
  }
}
