/**
 * Client script of the question panel (runs inside the webview, bundled to dist/webview/question.js).
 * It only posts typed messages; the extension validates them and owns all state.
 */
import { isSelfRating } from '../core/progress/progress';
import { RATINGS, type HostMessage, type PanelMessage, type PanelState } from '../render/protocol';

interface VsCodeApi {
  postMessage(message: PanelMessage): void;
  setState(state: PanelState): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();
const state = JSON.parse(document.body.dataset['state'] ?? '{}') as PanelState;
vscode.setState(state);

const byId = (id: string) => document.getElementById(id);
const answer = byId('answer');
const revealBar = document.querySelector<HTMLElement>('.reveal-bar');
const status = byId('rating-status');

function reveal(): void {
  if (!answer || !answer.hidden) return;
  answer.hidden = false;
  if (revealBar) revealBar.hidden = true;
  document.querySelector('main')?.classList.add('revealed');
  state.revealed = true;
  vscode.setState(state);
  vscode.postMessage({ type: 'reveal' });
  answer.querySelector<HTMLElement>('h2')?.setAttribute('tabindex', '-1');
  answer.querySelector<HTMLElement>('h2')?.focus();
}

function rate(rating: string | undefined): void {
  if (!isSelfRating(rating)) return;
  for (const b of document.querySelectorAll<HTMLButtonElement>('[data-rating]')) b.setAttribute('aria-pressed', String(b.dataset['rating'] === rating));
  if (status) status.textContent = 'Saving…';
  vscode.postMessage({ type: 'rate', rating });
}

byId('reveal')?.addEventListener('click', reveal);
byId('previous')?.addEventListener('click', () => vscode.postMessage({ type: 'navigate', direction: -1 }));
byId('next')?.addEventListener('click', () => vscode.postMessage({ type: 'navigate', direction: 1 }));
byId('pin')?.addEventListener('click', () => vscode.postMessage({ type: 'pin' }));

document.addEventListener('click', (event) => {
  const target = event.target instanceof Element ? event.target : undefined;
  const ratingButton = target?.closest<HTMLElement>('[data-rating]');
  if (ratingButton) return rate(ratingButton.dataset['rating']);
  const copyButton = target?.closest<HTMLButtonElement>('.copy-code');
  if (copyButton) {
    const code = copyButton.closest('.code-block')?.querySelector('pre')?.textContent ?? '';
    vscode.postMessage({ type: 'copy', text: code });
    copyButton.textContent = 'Copied';
    setTimeout(() => (copyButton.textContent = 'Copy'), 1500);
    return;
  }
  const labButton = target?.closest<HTMLElement>('[data-lab]');
  if (labButton?.dataset['lab']) vscode.postMessage({ type: 'openLab', labId: labButton.dataset['lab'] });
});

// Keyboard: r reveals, 1-4 rate once revealed, n and p move; never while typing or with modifiers.
document.addEventListener('keydown', (event) => {
  if (event.ctrlKey || event.metaKey || event.altKey || event.target instanceof HTMLInputElement) return;
  if (event.key === 'r' && answer?.hidden) reveal();
  else if (event.key === 'n') vscode.postMessage({ type: 'navigate', direction: 1 });
  else if (event.key === 'p') vscode.postMessage({ type: 'navigate', direction: -1 });
  else if (answer && !answer.hidden && /^[1-9]$/.test(event.key)) rate(RATINGS[Number(event.key) - 1]);
});

window.addEventListener('message', (event: MessageEvent<HostMessage>) => {
  const message = event.data;
  if (message?.type !== 'progress') return;
  const badge = byId('state-badge');
  if (badge) {
    badge.textContent = message.state;
    badge.className = `badge state-${message.state}`;
  }
  if (status && message.nextReview) status.textContent = `Saved. Next review ${message.nextReview}.`;
});

vscode.postMessage({ type: 'ready' });
