import * as vscode from 'vscode';
import type { DashboardData, MockInterviewRow } from '../core/progress/dashboard-data';
import { parseDashboardMessage, type DashboardHostMessage } from '../render/dashboard-protocol';
import { ReadyQueue } from '../render/protocol';
import type { Content } from './content';
import { background, logFailure } from './errors';
import { loadCore, loadPages } from './lazy';
import { Disposable, disposeAll } from './lifecycle';

export const DASHBOARD_VIEW_TYPE = 'mlopsLabs.dashboard';

/** Past mock interviews for the dashboard, newest first; the mock interview's history store supplies them. */
export type InterviewRows = () => Promise<readonly MockInterviewRow[]>;

const noInterviews: InterviewRows = async () => [];

/** Progress changes come in bursts (a rating, then the file watcher's echo): one redraw after they settle. */
const REFRESH_DELAY_MS = 150;

/**
 * `MLOps Labs: Show Progress`: one dashboard panel. It is built from progress.json, labs.json and the catalog, and
 * sent fresh data whenever progress or a lab changes, in this window or another (Content hears both). Days are
 * counted in this machine's time zone.
 */
export class DashboardPanel extends Disposable implements vscode.WebviewPanelSerializer<unknown> {
  private panel: vscode.WebviewPanel | undefined;
  private outbox: ReadyQueue<DashboardHostMessage> | undefined;
  private panelListeners: vscode.Disposable[] = [];
  private refreshTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly content: Content,
    private readonly log: vscode.LogOutputChannel,
    private readonly interviews: InterviewRows = noInterviews,
  ) {
    super(log);
    this.register(vscode.window.registerWebviewPanelSerializer(DASHBOARD_VIEW_TYPE, this));
    this.register(content.onDidChange(() => this.scheduleRefresh()));
    this.register(content.onDidChangeLab(() => this.scheduleRefresh()));
  }

  async show(): Promise<void> {
    if (this.panel) {
      this.panel.reveal();
      return;
    }
    const panel = vscode.window.createWebviewPanel(DASHBOARD_VIEW_TYPE, 'Progress', vscode.ViewColumn.Active, this.webviewOptions());
    this.adopt(panel);
    await this.render();
  }

  async deserializeWebviewPanel(webviewPanel: vscode.WebviewPanel): Promise<void> {
    if (this.panel) {
      webviewPanel.dispose();
      return;
    }
    webviewPanel.webview.options = this.webviewOptions();
    this.adopt(webviewPanel);
    await this.render();
  }

  /** The HTML last shown, for tests. */
  get html(): string | undefined {
    return this.panel?.webview.html;
  }

  private async data(): Promise<DashboardData> {
    const core = loadCore();
    const { catalog, progress } = await this.content.get();
    const { state } = await this.content.labData();
    const interviews = await this.interviews().catch((error: unknown) => {
      this.log.warn(`Could not read the mock interview history: ${(error as Error).message}`);
      return [];
    });
    return core.buildDashboardData({
      progress: progress.current,
      questions: catalog.questions,
      labs: core.labRows(catalog.labs, (id) => {
        const record = state.get(id);
        return record && { status: core.labStatus(record), attempts: record.attempts, ...(record.best ? { best: record.best } : {}) };
      }),
      interviews,
      now: new Date(),
      timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone,
    });
  }

  private adopt(panel: vscode.WebviewPanel): void {
    this.panel = panel;
    const outbox = new ReadyQueue<DashboardHostMessage>((message) => {
      panel.webview.postMessage(message).then(undefined, logFailure(this.log, 'Posting to the progress dashboard'));
    });
    this.outbox = outbox;
    const listeners = [
      panel.onDidDispose(() => {
        disposeAll(listeners, this.log);
        if (this.panel !== panel) return;
        this.panel = undefined;
        this.outbox = undefined;
        this.panelListeners = [];
      }),
      panel.onDidChangeViewState(() => {
        if (!panel.visible) outbox.pause();
      }),
      panel.webview.onDidReceiveMessage((raw: unknown) => {
        if (parseDashboardMessage(raw)?.type !== 'ready') return;
        outbox.open();
        // A page reloaded after being hidden starts from the HTML it was given: bring it up to date.
        this.scheduleRefresh();
      }),
    ];
    this.panelListeners = listeners;
  }

  private scheduleRefresh(): void {
    if (!this.panel) return;
    if (this.refreshTimer !== undefined) clearTimeout(this.refreshTimer);
    this.refreshTimer = setTimeout(() => {
      this.refreshTimer = undefined;
      background(this.refresh(), this.log, 'Refreshing the progress dashboard');
    }, REFRESH_DELAY_MS);
  }

  private async refresh(): Promise<void> {
    if (!this.panel || !this.outbox) return;
    const data = await this.data();
    this.outbox.post({ type: 'data', data });
  }

  private async render(): Promise<void> {
    const panel = this.panel;
    if (!panel) return;
    const data = await this.data();
    if (this.panel !== panel) return;
    const render = loadPages();
    const webview = panel.webview;
    this.outbox?.reset();
    webview.html = render.buildDashboardPage(data, {
      nonce: render.createNonce(),
      cspSource: webview.cspSource,
      styleUri: this.uri(webview, 'media', 'dashboard.css'),
      chartStyleUri: this.uri(webview, 'dist', 'webview', 'dashboard.css'),
      scriptUri: this.uri(webview, 'dist', 'webview', 'dashboard.js'),
    });
  }

  private webviewOptions(): vscode.WebviewPanelOptions & vscode.WebviewOptions {
    return {
      enableScripts: true,
      localResourceRoots: [vscode.Uri.joinPath(this.extensionUri, 'media'), vscode.Uri.joinPath(this.extensionUri, 'dist')],
    };
  }

  private uri(webview: vscode.Webview, ...segments: string[]): string {
    return webview.asWebviewUri(vscode.Uri.joinPath(this.extensionUri, ...segments)).toString();
  }

  override dispose(): void {
    if (this.refreshTimer !== undefined) clearTimeout(this.refreshTimer);
    this.panel?.dispose();
    disposeAll(this.panelListeners, this.log);
    super.dispose();
  }
}
