import { homedir } from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Catalog } from '../core/catalog/catalog';
import type { AttemptHistory } from '../core/labs/history';
import type { LoadNotice } from '../core/io/json-file';
import type { LabState } from '../core/labs/lab-state';
import type { PackCopies } from '../core/packs/pack-cache';
import type { ProgressBook } from '../core/progress/progress-book';
import type { AnswerBook } from '../core/progress/answers';
import type { StorageWatch } from '../core/io/storage-watch';
import type { SearchIndex } from '../core/questions/search';
import type { Question } from '../core/catalog/types';
import type { QuestionRenders } from '../render/prerendered';
import type { RenderedQuestion } from '../render/question-view';
import type { PackSource } from '../core/packs/pack-source';
import { background } from './errors';
import { warn } from './messages';
import { loadCore, loadPages, loadRender } from './lazy';
import { Disposable } from './lifecycle';

export function expandHome(p: string): string {
  return p === '~' || p.startsWith('~/') || p.startsWith('~\\') ? path.join(homedir(), p.slice(1)) : p;
}

/**
 * The loaded catalog and progress, created on first use (the tree's first request or a command), and the
 * reports of anything that failed to load.
 */
export class Content extends Disposable {
  private loading: Promise<{ catalog: Catalog; progress: ProgressBook }> | undefined;
  private searchIndex: Promise<SearchIndex> | undefined;
  private labs: Promise<{ state: LabState; history: AttemptHistory }> | undefined;
  private answerBook: Promise<AnswerBook> | undefined;
  private renders: QuestionRenders | undefined;
  private readonly labChanged = this.register(new vscode.EventEmitter<string>());
  /** Fires with the id of a lab whose state changed (started, graded, hint taken). */
  readonly onDidChangeLab = this.labChanged.event;
  private readonly changed = this.register(new vscode.EventEmitter<readonly string[] | undefined>());
  /** Fires with the ids whose progress changed, or undefined when everything may have. */
  readonly onDidChange = this.changed.event;
  private watcher: StorageWatch | undefined;
  private copies: PackCopies | undefined;
  /** Each kind of storage notice is shown once per window. */
  private readonly told = new Set<string>();

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly log: vscode.LogOutputChannel,
  ) {
    super(log);
  }

  get(): Promise<{ catalog: Catalog; progress: ProgressBook }> {
    this.loading ??= this.load();
    return this.loading;
  }

  /** The search index, built on first use a slice at a time (a large pack's takes over a second) and kept until a reload. */
  search(): Promise<SearchIndex> {
    this.searchIndex ??= this.get().then(({ catalog }) => loadCore().buildSearchIndexInSlices(catalog.questions));
    // A failed build is tried again next time instead of being remembered.
    this.searchIndex.catch(() => (this.searchIndex = undefined));
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
    const copies = this.packCopies();
    const { opened, problems } = await core.openPackSources(setting, this.packCache, (copy) => this.hold(copy));
    const catalog = await core.loadCatalog([this.context.extensionPath, ...opened.map((o) => o.dir)], problems, { cacheDir: this.questionCache });
    this.sources = new Map(
      catalog.packs.flatMap((pack) => {
        const source = opened.find((o) => path.resolve(o.dir) === path.resolve(pack.dir));
        return source ? [[pack.id, source] as const] : [];
      }),
    );
    this.log.info(
      `Loaded ${catalog.packs.length} pack${catalog.packs.length === 1 ? '' : 's'}, ${catalog.questions.length} questions and ${catalog.labs.length} labs in ${Date.now() - started} ms.`,
    );
    this.reportProblems(catalog);
    // Copies of zip packs that no window uses any more (a removed pack) are removed once the last window lets go.
    background(
      copies
        .settle(opened.flatMap((o) => (o.sha256 ? [core.copyName(o.sha256)] : [])))
        .then(
          (removed) =>
            removed.length &&
            this.log.info(`Removed ${removed.length} unpacked cop${removed.length === 1 ? 'y' : 'ies'} of lab packs no window uses: ${removed.join(', ')}.`),
        )
        .then(undefined, (error: unknown) => this.log.warn(`Could not tidy the lab pack cache: ${(error as Error).message}`)),
      this.log,
      'Tidying the lab pack cache',
    );
    const progress = existing ?? (await this.openProgress());
    return { catalog, progress };
  }

  /** Where parsed questions are kept between starts, so only changed files are parsed again. */
  get questionCache(): string {
    return path.join(this.context.globalStorageUri.fsPath, 'questions');
  }

  /** Where zip packs are unpacked. */
  get packCache(): string {
    return path.join(this.context.globalStorageUri.fsPath, 'packs');
  }

  /** This window's record of the pack copies it uses, made on first need. */
  private packCopies(): PackCopies {
    this.copies ??= new (loadCore().PackCopies)(this.packCache);
    return this.copies;
  }

  /** Marks a pack copy as used by this window before it is opened (Add Lab Pack opens one too). */
  hold(copy: string): Promise<void> {
    return this.packCopies()
      .hold(copy)
      .catch((error: unknown) => this.log.warn(`Could not record the lab pack copy ${copy} as in use: ${(error as Error).message}`));
  }

  /**
   * Watches the storage folder once either shared file is open: another window's rating or grade is read in
   * and the views refresh. Each change re-reads the file under its lock anyway, so the watcher only keeps the
   * views current.
   */
  private watchStorage(): void {
    if (this.watcher) return;
    this.watcher = this.register(
      loadCore().watchStorage(this.context.globalStorageUri.fsPath, ['progress.json', 'labs.json', 'answers.json'], (name) => {
        const refresh =
          name === 'progress.json'
            ? this.loading?.then(({ progress }) => progress.refresh())
            : name === 'answers.json'
              ? this.answerBook?.then((answers) => answers.refresh())
              : this.labs?.then(({ state }) => state.refresh());
        if (refresh) background(refresh, this.log, `Reading ${name} after another window changed it`);
      }),
    );
  }

  /** Tells the user once about progress or lab records that could not be saved or had to be recovered. */
  private tell(what: 'progress' | 'lab records' | 'answers', file: string, notice: LoadNotice | undefined): void {
    if (!notice) return;
    if (notice.kind === 'recovered') {
      this.log.warn(`${file} was unreadable (${notice.reason}); kept as ${notice.backupFile}.`);
      const rest = what === 'progress' ? 'progress starts fresh' : what === 'answers' ? 'your answers start fresh' : 'your attempt history is untouched';
      warn(this.log, `MLOps Interview Labs could not read your ${what} (${notice.reason}). It was kept as ${path.basename(notice.backupFile)} and ${rest}.`);
      return;
    }
    this.log.warn(`${file} ${notice.reason}.`);
    if (this.told.has(`${what}:read-only`)) return;
    this.told.add(`${what}:read-only`);
    background(
      vscode.window
        .showWarningMessage(`MLOps Interview Labs: your ${what} file ${notice.reason}. This window works on, but changes are not saved.`, 'Show Log')
        .then((choice) => choice && this.log.show(true)),
      this.log,
      'Telling of a read-only file',
    );
  }

  /** Lab state (labs.json) and attempt history, both in global storage. */
  labData(): Promise<{ state: LabState; history: AttemptHistory }> {
    this.labs ??= (async () => {
      const core = loadCore();
      const storage = this.context.globalStorageUri.fsPath;
      const file = path.join(storage, 'labs.json');
      const { state, notice } = await core.LabState.open(file);
      this.tell('lab records', file, notice);
      this.register(state.onDidChange((ids) => ids.forEach((id) => this.labChanged.fire(id))));
      this.register(state.onNotice((n) => this.tell('lab records', file, n)));
      this.watchStorage();
      return { state, history: new core.AttemptHistory(path.join(storage, 'history')) };
    })();
    return this.labs;
  }

  /** The candidate's own answers (answers.json in global storage), opened on first use; never sent anywhere. */
  answers(): Promise<AnswerBook> {
    this.answerBook ??= (async () => {
      const core = loadCore();
      const file = path.join(this.context.globalStorageUri.fsPath, 'answers.json');
      const { book, notice } = await core.AnswerBook.open(new core.AnswersStore(file));
      this.tell('answers', file, notice);
      this.register(book.onNotice((n) => this.tell('answers', file, n)));
      this.watchStorage();
      return book;
    })();
    return this.answerBook;
  }

  /**
   * A question's HTML fragments: the build's pre-render for a built-in question, else the rendering cached in
   * global storage, else rendered now (and cached). The renderer loads only in that last case.
   */
  renderQuestion(question: Question): Promise<RenderedQuestion> {
    const pages = loadPages();
    this.renders ??= new pages.QuestionRenders({
      prerenderFile: path.join(this.context.extensionPath, 'dist', pages.PRERENDER_FILE),
      cacheDir: path.join(this.context.globalStorageUri.fsPath, 'rendered-questions'),
      renderer: loadRender,
      onCacheError: (error) => this.log.warn(`Could not cache the rendering of ${question.qualifiedId}: ${(error as Error).message}`),
    });
    return this.renders.get(question);
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
    this.tell('progress', file, notice);
    this.register(book.onDidChange((ids) => this.changed.fire(ids)));
    this.register(book.onNotice((n) => this.tell('progress', file, n)));
    this.watchStorage();
    return book;
  }

  private reportProblems(catalog: Catalog): void {
    if (catalog.problems.length === 0) return;
    const core = loadCore();
    for (const problem of catalog.problems) this.log.warn(core.formatProblem(problem));
    const first = catalog.problems[0];
    const files = new Set(catalog.problems.map((p) => p.file)).size;
    const rest = files > 1 ? ` (and ${files - 1} more file${files > 2 ? 's' : ''})` : '';
    background(
      vscode.window
        .showWarningMessage(`MLOps Interview Labs skipped content that failed to load: ${first ? core.formatProblem(first) : ''}${rest}`, 'Show Details')
        .then((choice) => choice && this.log.show(true)),
      this.log,
      'Reporting content that failed to load',
    );
  }

  override dispose(): void {
    if (this.isDisposed) return;
    // The window lets go of its pack copies; if it dies first, the next window to tidy sees its process gone.
    if (this.copies) background(this.copies.release(), this.log, 'Releasing the lab pack copies');
    super.dispose();
  }
}
