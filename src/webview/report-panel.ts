/** Client script of the grade report panel: buttons post typed messages; the extension does the work. */
import type { ReportMessage } from '../render/report-page';

declare function acquireVsCodeApi(): { postMessage(message: ReportMessage): void };
const vscode = acquireVsCodeApi();

document.addEventListener('click', (event) => {
  const button = event.target instanceof Element ? event.target.closest<HTMLElement>('[data-action]') : null;
  const action = button?.dataset['action'];
  if (action === 'hint' || action === 'submit' || action === 'history' || action === 'solution') vscode.postMessage({ type: action });
});
