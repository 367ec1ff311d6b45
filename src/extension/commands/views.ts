import * as vscode from 'vscode';
import { DIFFICULTIES, type Difficulty } from '../../core/catalog/sections';
import type { ViewSettings } from '../view-settings';
import type { CommandTable } from './register';

/** Grouping and filtering of the Questions view, the log and the walkthrough. */
export function viewCommands(settings: ViewSettings, log: vscode.LogOutputChannel, extensionId: string): CommandTable {
  return {
    'mlopsLabs.groupBySection': () => settings.update({ groupBy: 'section' }),
    'mlopsLabs.groupByDifficulty': () => settings.update({ groupBy: 'difficulty' }),
    'mlopsLabs.groupByTag': () => settings.update({ groupBy: 'tag' }),
    'mlopsLabs.hideMastered': () => settings.update({ filter: { hideMastered: true } }),
    'mlopsLabs.showMastered': () => settings.update({ filter: { hideMastered: false } }),
    'mlopsLabs.filterDifficulty': () => pickDifficulties(settings),
    'mlopsLabs.clearFilters': () => settings.update({ filter: { difficulties: [], hideMastered: false } }),
    'mlopsLabs.showLog': () => log.show(),
    'mlopsLabs.openWalkthrough': () => vscode.commands.executeCommand('workbench.action.openWalkthrough', `${extensionId}#gettingStarted`, false),
  };
}

async function pickDifficulties(settings: ViewSettings): Promise<void> {
  const current = settings.filter.difficulties;
  const picked = await vscode.window.showQuickPick(
    DIFFICULTIES.map((d) => ({ label: d, picked: current.length === 0 || current.includes(d) })),
    { canPickMany: true, title: 'Show questions of these difficulties' },
  );
  if (!picked) return;
  const difficulties = picked.map((p) => p.label as Difficulty);
  await settings.update({ filter: { difficulties: difficulties.length === DIFFICULTIES.length ? [] : difficulties } });
}
