import * as path from 'node:path';
import * as vscode from 'vscode';
import { Content, expandHome } from '../content';
import { loadCore } from '../lazy';
import { complain, inform } from '../messages';
import type { PackTrust } from '../pack-trust';
import type { CommandTable } from './register';

/** "Add Lab Pack…" and "Remove Lab Pack…": they edit the `mlopsLabs.packs` setting and reload. */
export class PackCommands {
  constructor(
    private readonly content: Content,
    private readonly trust: PackTrust,
    private readonly storage: string,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  async add(arg?: unknown): Promise<void> {
    const chosen = typeof arg === 'string' ? arg : arg instanceof vscode.Uri ? arg.fsPath : await this.pick();
    if (!chosen) return;
    const source = path.resolve(expandHome(chosen));
    const core = loadCore();
    // Open it first, so a broken pack is reported now and never lands in the setting.
    const { opened, problems } = await core.openPackSources([source], path.join(this.storage, 'packs'), (copy) => this.content.hold(copy));
    const first = problems[0];
    if (first || !opened[0]) {
      complain(this.log, `Cannot add the lab pack: ${first ? `${path.basename(first.file)}: ${first.message}` : 'it did not open'}`);
      return;
    }
    const catalog = await core.loadCatalog([opened[0].dir]);
    const pack = catalog.packs[0];
    if (!pack) {
      const problem = catalog.problems[0];
      complain(this.log, `Cannot add the lab pack: ${problem ? core.formatProblem(problem) : 'its pack.json did not load'}`);
      return;
    }
    const { catalog: loaded } = await this.content.get();
    const clash = loaded.packs.find((p) => p.id === pack.id);
    if (clash) {
      complain(this.log, `A pack with the id "${pack.id}" is already loaded (${clash.name} ${clash.version}). Remove it first to replace it.`);
      return;
    }
    const current = Content.packSetting();
    await vscode.workspace.getConfiguration('mlopsLabs').update('packs', [...current, source], vscode.ConfigurationTarget.Global);
    await this.content.reloadIfPacksChanged();
    if (opened[0].kind === 'zip') await this.trust.ensure(pack);
    const skipped = catalog.problems.length ? ` ${catalog.problems.length} item${catalog.problems.length === 1 ? ' was' : 's were'} skipped; see the log.` : '';
    this.log.info(`Added lab pack ${pack.id} ${pack.version} from ${source}.`);
    inform(
      this.log,
      `Added "${pack.name}" ${pack.version}: ${catalog.labs.length} lab${catalog.labs.length === 1 ? '' : 's'}, ${catalog.questions.length} question${catalog.questions.length === 1 ? '' : 's'}.${skipped}`,
    );
  }

  async remove(arg?: unknown): Promise<void> {
    const current = Content.packSetting();
    if (current.length === 0) {
      inform(this.log, 'No lab packs are added. The built-in questions and labs cannot be removed.');
      return;
    }
    const { catalog } = await this.content.get();
    const packFor = (source: string) => catalog.packs.find((p) => this.content.source(p.id)?.source === source);
    const named = typeof arg === 'string' ? current.find((s) => s === arg || packFor(s)?.id === arg) : undefined;
    const source =
      named ??
      (
        await vscode.window.showQuickPick(
          current.map((s) => {
            const pack = packFor(s);
            return {
              label: pack ? `${pack.name} ${pack.version}` : path.basename(s),
              description: pack ? `${pack.id} · ${pack.author}` : 'did not load',
              detail: s,
              source: s,
            };
          }),
          { title: 'Remove a lab pack', placeHolder: 'Your progress and lab folders are kept' },
        )
      )?.source;
    if (!source) return;
    const pack = packFor(source);
    if (pack && !(await this.confirmUnexported(pack.id, pack.name))) return;
    await vscode.workspace.getConfiguration('mlopsLabs').update(
      'packs',
      current.filter((s) => s !== source),
      vscode.ConfigurationTarget.Global,
    );
    await this.content.reloadIfPacksChanged();
    inform(this.log, `Removed the lab pack ${path.basename(source)}. Your progress and lab folders are kept.`);
  }

  /**
   * A pack whose take-home is running, or whose work was never exported, asks first: removing it keeps the
   * files, but the candidate may not know the export is still to do. True to go on removing.
   */
  private async confirmUnexported(packId: string, packName: string): Promise<boolean> {
    const { catalog } = await this.content.get();
    const { state } = await this.content.labData();
    await state.refresh();
    const core = loadCore();
    const labs = catalog.labs.filter((l) => l.packId === packId && core.hasUnexportedWork(state.get(l.qualifiedId)));
    if (labs.length === 0) return true;
    const now = new Date();
    const running = labs.filter((l) => {
      const timer = state.get(l.qualifiedId)?.timer;
      return timer && !timer.frozenAt && Date.parse(timer.deadline) > now.getTime();
    });
    const names = labs.map((l) => `"${l.title}"`).join(', ');
    const exportFirst = 'Export First';
    const removeAnyway = 'Remove Anyway';
    const choice = await vscode.window.showWarningMessage(
      `${names} ${running.length ? (labs.length === 1 ? 'is a take-home still running' : 'are take-homes, some still running') : labs.length === 1 ? 'has work you have not exported' : 'have work you have not exported'}.`,
      {
        modal: true,
        detail: `Removing ${packName} keeps your lab folders and their history, and Export Submission can still find the work afterwards. If the take-home is for an employer or a course, export it now and send the zip.`,
      },
      exportFirst,
      removeAnyway,
    );
    if (choice === exportFirst) await vscode.commands.executeCommand('mlopsLabs.exportSubmission');
    return choice === removeAnyway;
  }

  private async pick(): Promise<string | undefined> {
    const kind = await vscode.window.showQuickPick(
      [
        { label: '$(file-zip) From a .zip file…', detail: 'A pack your bootcamp or employer sent you', zip: true },
        { label: '$(folder) From a folder…', detail: 'A folder holding pack.json, e.g. one you are writing', zip: false },
      ],
      { title: 'Add a lab pack' },
    );
    if (!kind) return undefined;
    const uris = await vscode.window.showOpenDialog({
      title: kind.zip ? 'Choose a lab pack (.zip)' : 'Choose a lab pack folder (holding pack.json)',
      canSelectFiles: kind.zip,
      canSelectFolders: !kind.zip,
      canSelectMany: false,
      openLabel: 'Add Lab Pack',
      ...(kind.zip ? { filters: { 'Lab packs': ['zip'] } } : {}),
    });
    return uris?.[0]?.fsPath;
  }
}

export function packCommands(packs: PackCommands): CommandTable {
  return {
    'mlopsLabs.addPack': (arg) => packs.add(arg),
    'mlopsLabs.removePack': (arg) => packs.remove((arg as { pack?: { id?: string } } | undefined)?.pack?.id ?? arg),
  };
}
