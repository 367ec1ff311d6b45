import * as vscode from 'vscode';
import { commandBoundary } from '../errors';

/** Command ids and their handlers, one table per feature. */
export type CommandTable = Record<string, (...args: unknown[]) => unknown>;

/**
 * Registers every handler of `tables` behind the one error boundary: a failing command is logged with its stack
 * to the project's log and shown with a Show Log button. Returns the registrations for their owner to dispose.
 */
export function registerCommands(
  log: vscode.LogOutputChannel,
  onFailure: (id: string, error: unknown) => void,
  ...tables: CommandTable[]
): vscode.Disposable[] {
  const guard = commandBoundary({
    log,
    onFailure,
    showError: (message, ...actions) => vscode.window.showErrorMessage(message, ...actions),
    showLog: () => log.show(),
  });
  return tables.flatMap((table) => Object.entries(table).map(([id, handler]) => vscode.commands.registerCommand(id, guard(id, handler))));
}
