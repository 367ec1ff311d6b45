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

/** Logs a failure nobody awaits. (Local for now; one helper for the whole extension replaces it.) */
/**
 * The grade report: one panel, reused for each report, under the same CSP rules as the question panel. After a
 * window reload the panel comes back: its page saved only the lab's id, and the report is rebuilt from the
 * lab's latest graded attempt.
 */
export class ReportPanel extends Disposable implements vscode.WebviewPanelSerializer<unknown> {
  private panel: vscode.WebviewPanel | undefined;
  private model: ReportPageModel | undefined;
  private outbox: ReadyQueue<ReportHostMessage> | undefined;
  /** The listeners of the panel shown now; they go with it. */
  private panelListeners: vscode.Disposable[] = [];
  private readonly rendered = this.register(new vscode.EventEmitter<void>());
  /** Fires each time a report page says it has rendered (its 'ready' message); the integration suite times Submit by it. */
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
    const panel =
      this.panel ??
      this.adopt(
        vscode.window.createWebviewPanel(REPORT_VIEW_TYPE, 'Grade report', { viewColumn: reportColumn(), preserveFocus: true }, this.webviewOptions()),
      );
    this.render();
    // Stay in the column the report is in: "Beside" would open a new column on every reveal while the report
    // itself is active (a hint, a resubmit), squeezing the code to a sliver.
    panel.reveal(panel.viewColumn, true);
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

  /** The HTML last shown, for the integration suite. */
  get html(): string | undefined {
    return this.panel?.webview.html;
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
        this.outbox = undefined;
        this.panelListeners = [];
      }),
      // Hidden, the page is unloaded (no retained context); shown again, it loads and says ready again.
      panel.onDidChangeViewState(() => {
        if (!panel.visible) outbox.pause();
      }),
      panel.webview.onDidReceiveMessage((raw: unknown) => {
        const message = parseReportMessage(raw);
        if (!message) return;
        if (message.type === 'ready') {
          outbox.open();
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
    this.panel.title = `Grade: ${this.model.labTitle} (${this.model.points}/${this.model.maxPoints})`;
    this.outbox?.reset();
    webview.html = render.buildReportPage(this.model, {
      nonce: render.createNonce(),
      cspSource: webview.cspSource,
      styleUri: this.mediaUri(webview, 'media', 'report.css'),
      scriptUri: this.mediaUri(webview, 'dist', 'webview', 'report.js'),
    });
  }

  private renderMissing(labId: string | undefined): void {
    if (!this.panel) return;
    const render = loadPages();
    const webview = this.panel.webview;
    this.panel.title = 'Grade report';
    this.outbox?.reset();
    webview.html = render.buildReportMissingPage(labId, {
      nonce: render.createNonce(),
      cspSource: webview.cspSource,
      styleUri: this.mediaUri(webview, 'media', 'report.css'),
    });
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
