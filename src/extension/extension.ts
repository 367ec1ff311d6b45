import type * as vscode from 'vscode';
import { ExtensionRoot } from './root';

export function activate(context: vscode.ExtensionContext): ExtensionRoot {
  const root = new ExtensionRoot(context);
  context.subscriptions.push(root);
  // Returned as the extension's API so the integration suite can inspect the tree and panels.
  return root;
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
