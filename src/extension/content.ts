import { homedir } from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Catalog } from '../core/catalog';
import type { AttemptHistory } from '../core/history';
import type { LabState } from '../core/lab-state';
import type { ProgressBook } from '../core/progress-book';
import type { SearchIndex } from '../core/search';
import type { PackSource } from '../core/pack-source';
import { loadCore } from './lazy';

export function expandHome(p: string): string {
  return p === '~' || p.startsWith('~/') || p.startsWith('~\\') ? path.join(homedir(), p.slice(1)) : p;
}

/**
 * The loaded catalog and progress, created on first use (the tree's first request or a command), and the
 * reports of anything that failed to load.
 */
export class Content implements vscode.Disposable {
  private loading: Promise<{ catalog: Catalog; progress: ProgressBook }> | undefined;
  private searchIndex: SearchIndex | undefined;
  private labs: Promise<{ state: LabState; history: AttemptHistory }> | undefined;
  private readonly labChanged = new vscode.EventEmitter<string>();
  /** Fires with the id of a lab whose state changed (started, graded, hint taken). */
  readonly onDidChangeLab = this.labChanged.event;
  private readonly changed = new vscode.EventEmitter<readonly string[] | undefined>();
  /** Fires with the ids whose progress changed, or undefined when everything may have. */
  readonly onDidChange = this.changed.event;
  private readonly disposables: vscode.Disposable[] = [this.changed, this.labChanged];

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  get(): Promise<{ catalog: Catalog; progress: ProgressBook }> {
    this.loading ??= this.load();
    return this.loading;
  }

  async search(): Promise<SearchIndex> {
    const { catalog } = await this.get();
    this.searchIndex ??= loadCore().buildSearchIndex(catalog.questions);
    return this.searchIndex;
  }

  private loadedSetting = '';

  /** Reloads when `mlopsLabs.packs` differs from what was loaded; either way, resolves once the packs it names are loaded. */
  async reloadIfPacksChanged(): Promise<void> {
    if (!this.loading) return;
    if (JSON.stringify(Content.packSetting()) !== this.loadedSetting) await this.reload();
    else await this.loading;
  }

  /** Reloads questions from disk (progress stays in memory). */
  async reload(): Promise<void> {
    const previous = this.loading;
    const progress = previous ? (await previous).progress : undefined;
    this.searchIndex = undefined;
    this.loading = this.load(progress);
    await this.loading;
    this.changed.fire(undefined);
  }

  /** The packs from `mlopsLabs.packs` as opened on the last load: where each came from, by pack id. */
  private sources = new Map<string, PackSource>();

  /** Where a loaded pack came from; undefined for the built-in pack. */
  source(packId: string): PackSource | undefined {
    return this.sources.get(packId);
  }

  /** The `mlopsLabs.packs` setting, with `~` expanded. */
  static packSetting(): string[] {
    const value = vscode.workspace.getConfiguration('mlopsLabs').get<unknown>('packs');
    return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string' && v.trim() !== '').map(expandHome) : [];
  }

  private async load(existing?: ProgressBook): Promise<{ catalog: Catalog; progress: ProgressBook }> {
    const core = loadCore();
    const started = Date.now();
    const setting = Content.packSetting();
    this.loadedSetting = JSON.stringify(setting);
    const { opened, problems } = await core.openPackSources(setting, path.join(this.context.globalStorageUri.fsPath, 'packs'));
    const catalog = await core.loadCatalog([this.context.extensionPath, ...opened.map((o) => o.dir)], problems);
    this.sources = new Map(catalog.packs.flatMap((pack) => {
      const source = opened.find((o) => path.resolve(o.dir) === path.resolve(pack.dir));
      return source ? [[pack.id, source] as const] : [];
    }));
    this.log.info(`Loaded ${catalog.packs.length} pack${catalog.packs.length === 1 ? '' : 's'}, ${catalog.questions.length} questions and ${catalog.labs.length} labs in ${Date.now() - started} ms.`);
    this.reportProblems(catalog);
    const progress = existing ?? (await this.openProgress());
    return { catalog, progress };
  }

  /** Lab state (labs.json) and attempt history, both in global storage. */
  labData(): Promise<{ state: LabState; history: AttemptHistory }> {
    this.labs ??= (async () => {
      const core = loadCore();
      const storage = this.context.globalStorageUri.fsPath;
      const { state, notice } = await core.LabState.open(path.join(storage, 'labs.json'));
      if (notice?.kind === 'recovered') {
        this.log.warn(`Lab state was unreadable (${notice.reason}); kept as ${notice.backupFile}.`);
        void vscode.window.showWarningMessage(`MLOps Interview Labs could not read its lab records (${notice.reason}). They were kept as ${path.basename(notice.backupFile)}; your attempt history is untouched.`);
      }
      this.disposables.push(state.onDidChange((id) => this.labChanged.fire(id)));
      return { state, history: new core.AttemptHistory(path.join(storage, 'history')) };
    })();
    return this.labs;
  }

  /** Where progress is kept: the extension's global storage. */
  get progressFile(): string {
    return path.join(this.context.globalStorageUri.fsPath, 'progress.json');
  }

  private async openProgress(): Promise<ProgressBook> {
    const core = loadCore();
    const file = this.progressFile;
    const store = new core.ProgressStore(file);
    const { book, notice } = await core.ProgressBook.open(store);
    this.disposables.push(book.onDidChange((ids) => this.changed.fire(ids)));
    if (notice?.kind === 'recovered') {
      this.log.warn(`Progress file was unreadable (${notice.reason}); kept as ${notice.backupFile}.`);
      void vscode.window.showWarningMessage(
        `MLOps Interview Labs could not read your progress file (${notice.reason}). It was kept as ${path.basename(notice.backupFile)} and progress starts fresh.`,
      );
    } else if (notice?.kind === 'read-only') {
      this.log.warn(`Progress file ${file}: ${notice.reason}.`);
      void vscode.window.showWarningMessage(`MLOps Interview Labs: your progress file ${notice.reason}.`);
    }
    return book;
  }

  private reportProblems(catalog: Catalog): void {
    if (catalog.problems.length === 0) return;
    const core = loadCore();
    for (const problem of catalog.problems) this.log.warn(core.formatProblem(problem));
    const first = catalog.problems[0];
    const files = new Set(catalog.problems.map((p) => p.file)).size;
    const rest = files > 1 ? ` (and ${files - 1} more file${files > 2 ? 's' : ''})` : '';
    void vscode.window
      .showWarningMessage(`MLOps Interview Labs skipped content that failed to load: ${first ? core.formatProblem(first) : ''}${rest}`, 'Show Details')
      .then((choice) => {
        if (choice) this.log.show(true);
      });
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}
