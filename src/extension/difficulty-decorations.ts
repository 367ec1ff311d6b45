import * as vscode from 'vscode';
import { DIFFICULTIES, type Difficulty } from '../core/catalog/sections';

/**
 * Question titles are long, so a tree item's description is often cut off. A file-decoration badge (J, M, S)
 * stays visible at the right edge of each row, the way source control marks files.
 */
export const QUESTION_URI_SCHEME = 'mlops-labs-question';

const BADGES: Record<Difficulty, vscode.FileDecoration> = {
  junior: new vscode.FileDecoration('J', 'Junior'),
  mid: new vscode.FileDecoration('M', 'Mid-level'),
  senior: new vscode.FileDecoration('S', 'Senior'),
};

export function questionUri(questionId: string, difficulty: Difficulty): vscode.Uri {
  return vscode.Uri.from({ scheme: QUESTION_URI_SCHEME, path: `/${questionId}`, query: difficulty });
}

export class DifficultyDecorations implements vscode.FileDecorationProvider {
  provideFileDecoration(uri: vscode.Uri): vscode.FileDecoration | undefined {
    if (uri.scheme !== QUESTION_URI_SCHEME) return undefined;
    return DIFFICULTIES.includes(uri.query as Difficulty) ? BADGES[uri.query as Difficulty] : undefined;
  }
}
