import * as vscode from 'vscode';
import type { LabRecord, LabStatus } from '../core/labs/lab-state';

/** One icon per status, shared by the Labs view and the Start Lab picker. */
export const LAB_ICONS: Record<LabStatus, vscode.ThemeIcon> = {
  'not-started': new vscode.ThemeIcon('beaker'),
  'in-progress': new vscode.ThemeIcon('play-circle', new vscode.ThemeColor('charts.yellow')),
  passed: new vscode.ThemeIcon('pass-filled', new vscode.ThemeColor('charts.green')),
};

export const LAB_STATUS_TEXT: Record<LabStatus, string> = { 'not-started': 'not started', 'in-progress': 'in progress', passed: 'passed' };

/** The best score, short ("76/100"), or undefined before a grade. */
export function bestScore(record: LabRecord | undefined): string | undefined {
  return record?.best ? `${record.best.points}/${record.best.maxPoints}` : undefined;
}

/** "passed · best 100/100", "in progress", "not started": what the picker and screen readers say. */
export function labProgressText(status: LabStatus, record: LabRecord | undefined): string {
  const best = bestScore(record);
  return `${LAB_STATUS_TEXT[status]}${best ? ` · best ${best}` : ''}`;
}
