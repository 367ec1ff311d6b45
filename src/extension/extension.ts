import * as vscode from 'vscode';
import type { MlopsLabsApi } from './api';
import { ExtensionRoot } from './root';

/**
 * Builds the extension. The API it returns is empty for users; in the extension host's test mode it carries the
 * narrow surface the integration suite reads (api.ts), never the object graph.
 */
export function activate(context: vscode.ExtensionContext): MlopsLabsApi {
  const root = new ExtensionRoot(context);
  context.subscriptions.push(root);
  return context.extensionMode === vscode.ExtensionMode.Test ? { testing: root.testSurface() } : {};
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
