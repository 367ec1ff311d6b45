/** Client script of the grade report panel: buttons post typed messages; the extension does the work. */
import { isReportAction, type ReportMessage, type ReportState } from '../render/protocol';

declare function acquireVsCodeApi(): { postMessage(message: ReportMessage): void; setState(state: ReportState): void };
const vscode = acquireVsCodeApi();

// Only what finds the report again after a reload: the extension re-renders it from the stored attempts.
vscode.setState(JSON.parse(document.body.dataset['state'] ?? '{}') as ReportState);

document.addEventListener('click', (event) => {
  const button = event.target instanceof Element ? event.target.closest<HTMLElement>('[data-action]') : null;
  const action = button?.dataset['action'];
  if (isReportAction(action)) vscode.postMessage({ type: action });
});

vscode.postMessage({ type: 'ready' });
