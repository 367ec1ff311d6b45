/**
 * Client script of the grade report panel: buttons post typed messages; the extension does the work. A report the
 * extension posts replaces the page's `<main>` in place (a resubmit, a hint, the report arriving on the "grading"
 * page), so the panel never reloads while the candidate reads it.
 */
import { isReportAction, parseReportHostMessage, type ReportMessage, type ReportState } from '../render/protocol';

declare function acquireVsCodeApi(): { postMessage(message: ReportMessage): void; setState(state: ReportState): void };
const vscode = acquireVsCodeApi();

// Only what finds the report again after a reload: the extension re-renders it from the stored attempts.
vscode.setState(JSON.parse(document.body.dataset['state'] ?? '{}') as ReportState);

document.addEventListener('click', (event) => {
  const button = event.target instanceof Element ? event.target.closest<HTMLElement>('[data-action]') : null;
  const action = button?.dataset['action'];
  if (isReportAction(action)) vscode.postMessage({ type: action });
});

window.addEventListener('message', (event: MessageEvent<unknown>) => {
  const message = parseReportHostMessage(event.data);
  const main = document.querySelector('main');
  if (!message || !main) return;
  if (message.type === 'grading') {
    // The report shown stays readable, marked as being replaced; the next report removes the note.
    main.setAttribute('aria-busy', 'true');
    let note = main.querySelector('.grading-note');
    if (!note) {
      note = document.createElement('p');
      note.className = 'grading-note';
      note.setAttribute('role', 'status');
      main.prepend(note);
    }
    note.textContent = `Grading ${message.labTitle} again: running the hidden tests…`;
    return;
  }
  const template = document.createElement('template');
  template.innerHTML = message.main;
  const next = template.content.querySelector('main');
  if (!next) return;
  main.replaceWith(next);
  document.body.dataset['state'] = JSON.stringify(message.state);
  vscode.setState(message.state);
  vscode.postMessage({ type: 'shown' });
});

vscode.postMessage({ type: 'ready' });
