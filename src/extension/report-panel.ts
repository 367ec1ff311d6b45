import * as vscode from 'vscode';
import type { GradeReport } from '../grader/types';
import { parseReportMessage, parseReportState, ReadyQueue, type ReportAction, type ReportHostMessage } from '../render/protocol';
import type { ReportPageModel } from '../render/report-page';
import type { Content } from './content';
import { reportModel } from './lab-report-model';
import { loadPages } from './lazy';
import { logFailure } from './errors';
import { Disposable, disposeAll } from './lifecycle';

export type { ReportAction } from '../render/protocol';

export const REPORT_VIEW_TYPE = 'mlopsLabs.report';

const reportTitle = (model: ReportPageModel) => `Grade: ${model.labTitle} (${model.points}/${model.maxPoints})`;

/** Where a new report opens: the README preview's column when one is open, so the code keeps its own; else beside. */
function reportColumn(): vscode.ViewColumn {
  for (const group of vscode.window.tabGroups.all) {
    const readme = group.tabs.some(
      (tab) => tab.input instanceof vscode.TabInputWebview && /markdown\.preview/.test(tab.input.viewType) && /README/i.test(tab.label),
    );
    if (readme && group.viewColumn !== vscode.window.activeTextEditor?.viewColumn) return group.viewColumn;
  }
  return vscode.ViewColumn.Beside;
}

/**
 * The grade report: one panel, reused for each report, under the same CSP rules as the question panel. Submit
 * opens it at once on a "grading" page (the panel loads while the grade runs); a report for a page already open
 * is posted to it and swapped in place, so the panel loads a page only when it is new or was unloaded. After a
 * window reload the panel comes back: its page saved only the lab's id, and the report is rebuilt from the
 * lab's latest graded attempt.
 */
export class ReportPanel extends Disposable implements vscode.WebviewPanelSerializer<unknown> {
  private panel: vscode.WebviewPanel | undefined;
  private model: ReportPageModel | undefined;
  /** What the page's HTML shows as loaded: a report posted since then is shown by the page but not in its HTML. */
  private page: 'report' | 'grading' | 'missing' | undefined;
  /** A report was posted to the page since its HTML was set: set the HTML again before the page next loads. */
  private htmlBehind = false;
  /** The report `<main>` in the HTML as loaded, and the one last posted to the page. */
  private loadedMain: string | undefined;
  private postedMain: string | undefined;
  /** The report `<main>` the page said it shows (it loaded it, or swapped it in), for the integration suite. */
  displayed: string | undefined;
  /** Pages the panel loaded (each says `ready` once), for the integration suite: a report posted in place loads none. */
  loads = 0;
  private outbox: ReadyQueue<ReportHostMessage> | undefined;
  /** The listeners of the panel shown now; they go with it. */
  private panelListeners: vscode.Disposable[] = [];
  private readonly rendered = this.register(new vscode.EventEmitter<void>());
  /** Fires each time the page says a report is on screen (`ready` on a report page, `shown` for one posted); Submit is timed by it. */
  readonly onDidRender: vscode.Event<void> = this.rendered.event;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly content: Content,
    private readonly log: vscode.LogOutputChannel,
    private readonly onAction: (action: ReportAction, labId: string) => void,
  ) {
    super(log);
    this.register(vscode.window.registerWebviewPanelSerializer(REPORT_VIEW_TYPE, this));
  }

  show(model: ReportPageModel): void {
    this.model = model;
    // A visible page takes the report in place; a hidden one is unloaded anyway, and loads the new HTML when shown.
    if (this.panel?.visible && this.page !== 'missing') {
      this.panel.title = reportTitle(model);
      this.postedMain = loadPages().buildReportMain(model);
      this.outbox?.post({ type: 'report', main: this.postedMain, state: { labId: model.labId } });
      this.htmlBehind = true;
    } else {
      this.panel ??= this.create();
      this.render();
    }
    // Stay in the column the report is in: "Beside" would open a new column on every reveal while the report
    // itself is active (a hint, a resubmit), squeezing the code to a sliver.
    this.panel.reveal(this.panel.viewColumn, true);
  }

  /**
   * A grade of `lab` has begun: a new panel opens on the "grading" page, so it is on screen when the report is
   * ready; an open one keeps its report, with a note that a new one is coming.
   */
  grading(lab: { title: string; qualifiedId: string }): void {
    if (!this.panel) {
      this.panel = this.create();
      const render = loadPages();
      const webview = this.panel.webview;
      this.panel.title = `Grading ${lab.title}`;
      this.setHtml(
        'grading',
        render.buildReportGradingPage(lab.title, lab.qualifiedId, {
          nonce: render.createNonce(),
          cspSource: webview.cspSource,
          styleUri: this.mediaUri(webview, 'media', 'report.css'),
          scriptUri: this.mediaUri(webview, 'dist', 'webview', 'report.js'),
        }),
      );
      this.panel.reveal(this.panel.viewColumn, true);
    } else if (this.page !== 'missing') this.outbox?.post({ type: 'grading', labTitle: lab.title });
  }

  /** A grade begun with `grading` ended without a report (cancelled, failed): the panel goes back to what it showed. */
  gradingEnded(): void {
    if (!this.panel) return;
    if (this.model) this.show(this.model);
    else if (this.page === 'grading') this.panel.dispose();
  }

  private create(): vscode.WebviewPanel {
    return this.adopt(
      vscode.window.createWebviewPanel(REPORT_VIEW_TYPE, 'Grade report', { viewColumn: reportColumn(), preserveFocus: true }, this.webviewOptions()),
    );
  }

  async deserializeWebviewPanel(webviewPanel: vscode.WebviewPanel, state: unknown): Promise<void> {
    if (this.panel) {
      // A report opened before the window finished restoring: that one is current.
      webviewPanel.dispose();
      return;
    }
    webviewPanel.webview.options = this.webviewOptions();
    this.adopt(webviewPanel);
    const saved = parseReportState(state);
    const model = saved && (await this.restoredModel(saved.labId).catch(logFailure(this.log, `Restoring the grade report of ${saved.labId}`)));
    if (this.panel !== webviewPanel) return;
    if (model && !this.model) {
      this.model = model;
      this.render();
    } else if (!this.model) {
      this.renderMissing(saved?.labId);
    }
  }

  /** The page's HTML as last loaded, for the integration suite. */
  get html(): string | undefined {
    return this.panel?.webview.html;
  }

  get isOpen(): boolean {
    return this.panel !== undefined;
  }

  /** The report of a lab's latest graded attempt, as the panel showed it; undefined when the lab or its attempts are gone. */
  private async restoredModel(labId: string): Promise<ReportPageModel | undefined> {
    const { catalog } = await this.content.get();
    const lab = catalog.lab(labId);
    if (!lab) return undefined;
    const { state, history } = await this.content.labData();
    const last = (await history.list(labId)).find((a) => a.kind === 'graded');
    if (!last) return undefined;
    const report = (await history.report(labId, last.id)) as GradeReport;
    return reportModel(lab, report, state.get(labId), new Date(last.at));
  }

  private adopt(panel: vscode.WebviewPanel): vscode.WebviewPanel {
    this.panel = panel;
    const outbox = new ReadyQueue<ReportHostMessage>((message) => {
      panel.webview.postMessage(message).then(undefined, logFailure(this.log, 'Posting to the grade report'));
    });
    this.outbox = outbox;
    const listeners = [
      panel.onDidDispose(() => {
        disposeAll(listeners, this.log);
        if (this.panel !== panel) return;
        this.panel = undefined;
        this.model = undefined;
        this.page = undefined;
        this.htmlBehind = false;
        this.outbox = undefined;
        this.panelListeners = [];
      }),
      // Hidden, the page is unloaded (no retained context); shown again, it loads its HTML and says ready again. So
      // a report that was posted to it goes into the HTML now, while nobody sees the page load.
      panel.onDidChangeViewState(() => {
        if (panel.visible) return;
        outbox.pause();
        if (this.htmlBehind && this.panel === panel) this.render();
      }),
      panel.webview.onDidReceiveMessage((raw: unknown) => {
        const message = parseReportMessage(raw);
        if (!message) return;
        if (message.type === 'ready') {
          this.loads++;
          this.displayed = this.page === 'report' ? this.loadedMain : undefined;
          outbox.open();
          if (this.page === 'report') this.rendered.fire();
        } else if (message.type === 'shown') {
          this.displayed = this.postedMain;
          this.rendered.fire();
        } else if (this.model) this.onAction(message.type, this.model.labId);
      }),
    ];
    this.panelListeners = listeners;
    return panel;
  }

  private webviewOptions(): vscode.WebviewPanelOptions & vscode.WebviewOptions {
    return {
      enableScripts: true,
      localResourceRoots: [vscode.Uri.joinPath(this.extensionUri, 'media'), vscode.Uri.joinPath(this.extensionUri, 'dist')],
    };
  }

  private render(): void {
    if (!this.panel || !this.model) return;
    const render = loadPages();
    const webview = this.panel.webview;
    this.panel.title = reportTitle(this.model);
    this.loadedMain = render.buildReportMain(this.model);
    this.setHtml(
      'report',
      render.buildReportPage(this.model, {
        nonce: render.createNonce(),
        cspSource: webview.cspSource,
        styleUri: this.mediaUri(webview, 'media', 'report.css'),
        scriptUri: this.mediaUri(webview, 'dist', 'webview', 'report.js'),
      }),
    );
  }

  /** Loads a new page: messages meant for the old one are dropped (the new one is built from current data). */
  private setHtml(page: 'report' | 'grading' | 'missing', html: string): void {
    if (!this.panel) return;
    this.outbox?.reset();
    this.page = page;
    this.htmlBehind = false;
    this.panel.webview.html = html;
  }

  private renderMissing(labId: string | undefined): void {
    if (!this.panel) return;
    const render = loadPages();
    const webview = this.panel.webview;
    this.panel.title = 'Grade report';
    this.setHtml(
      'missing',
      render.buildReportMissingPage(labId, {
        nonce: render.createNonce(),
        cspSource: webview.cspSource,
        styleUri: this.mediaUri(webview, 'media', 'report.css'),
      }),
    );
  }

  private mediaUri(webview: vscode.Webview, ...segments: string[]): string {
    return webview.asWebviewUri(vscode.Uri.joinPath(this.extensionUri, ...segments)).toString();
  }

  override dispose(): void {
    this.panel?.dispose();
    disposeAll(this.panelListeners, this.log);
    super.dispose();
  }
}
