import * as vscode from 'vscode';
import type { ReportPageModel } from '../render/report-page';
import { loadRender } from './lazy';

export type ReportAction = 'hint' | 'submit' | 'history' | 'solution';

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

/** The grade report: one panel, reused for each report, under the same CSP rules as the question panel. */
export class ReportPanel implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private model: ReportPageModel | undefined;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly onAction: (action: ReportAction) => void,
  ) {}

  show(model: ReportPageModel): void {
    this.model = model;
    if (!this.panel) {
      this.panel = vscode.window.createWebviewPanel(
        'mlopsLabs.report',
        'Grade report',
        { viewColumn: reportColumn(), preserveFocus: true },
        {
          enableScripts: true,
          localResourceRoots: [vscode.Uri.joinPath(this.extensionUri, 'media'), vscode.Uri.joinPath(this.extensionUri, 'dist')],
        },
      );
      this.panel.onDidDispose(() => (this.panel = undefined));
      this.panel.webview.onDidReceiveMessage((raw: unknown) => {
        const message = loadRender().parseReportMessage(raw);
        if (message) this.onAction(message.type);
      });
    }
    this.render();
    // Stay in the column the report is in: "Beside" would open a new column on every reveal while the report
    // itself is active (a hint, a resubmit), squeezing the code to a sliver.
    this.panel.reveal(this.panel.viewColumn, true);
  }

  /** The HTML last shown, for the integration suite. */
  get html(): string | undefined {
    return this.panel?.webview.html;
  }

  private render(): void {
    if (!this.panel || !this.model) return;
    const render = loadRender();
    const webview = this.panel.webview;
    this.panel.title = `Grade: ${this.model.labTitle} (${this.model.points}/${this.model.maxPoints})`;
    webview.html = render.buildReportPage(this.model, {
      nonce: render.createNonce(),
      cspSource: webview.cspSource,
      styleUri: webview.asWebviewUri(vscode.Uri.joinPath(this.extensionUri, 'media', 'report.css')).toString(),
      scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(this.extensionUri, 'dist', 'webview', 'report.js')).toString(),
    });
  }

  dispose(): void {
    this.panel?.dispose();
  }
}
