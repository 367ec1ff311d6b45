import * as vscode from 'vscode';
import { background, type ErrorLog } from './errors';

/**
 * Notifications the extension shows without waiting for the user to close them (a command ends when its work
 * does). A failure to show one is logged to the project's log, never dropped.
 */
export function inform(log: ErrorLog, message: string, options: vscode.MessageOptions = {}): void {
  background(vscode.window.showInformationMessage(message, options), log, 'Showing a message');
}

export function warn(log: ErrorLog, message: string): void {
  background(vscode.window.showWarningMessage(message), log, 'Showing a warning');
}

export function complain(log: ErrorLog, message: string): void {
  background(vscode.window.showErrorMessage(message), log, 'Showing an error message');
}
