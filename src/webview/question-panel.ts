/**
 * Client script of the question panel (runs inside the webview, bundled to dist/webview/question.js).
 * It only posts typed messages; the extension validates them and owns all state.
 */
import { suggestRating } from '../core/progress/key-points';
import { isSelfRating } from '../core/progress/progress';
import { parsePanelState, RATINGS, type HostMessage, type PanelMessage, type PanelState, type Rating } from '../render/protocol';

interface VsCodeApi {
  postMessage(message: PanelMessage): void;
  setState(state: PanelState): void;
  getState(): unknown;
}
declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();
const state = JSON.parse(document.body.dataset['state'] ?? '{}') as PanelState;

const byId = (id: string) => document.getElementById(id);
const answer = byId('answer');
const revealBar = document.querySelector<HTMLElement>('.reveal-bar');
const status = byId('rating-status');
const yourAnswer = byId('your-answer') as HTMLTextAreaElement | null;
const draftStatus = byId('draft-status');
const checkboxes = [...document.querySelectorAll<HTMLInputElement>('input[data-point]')];
const suggestion = byId('suggestion');
const acceptSuggestion = byId('accept-suggestion');
let suggested: Rating | undefined;

// The draft is saved a moment after typing stops, and at once when the text area loses focus or the page hides.
const DRAFT_DELAY_MS = 600;
let draftTimer: ReturnType<typeof setTimeout> | undefined;
/** The draft as the extension last had it (the page's HTML holds the stored one). */
let savedDraft = yourAnswer?.value ?? '';

// A page unloaded while hidden is rebuilt from the HTML it was given: what was typed since comes back from state.
const previous = parsePanelState(vscode.getState());
if (yourAnswer && !state.revealed && previous?.questionId === state.questionId && previous.draft !== undefined) yourAnswer.value = previous.draft;
vscode.setState(yourAnswer && yourAnswer.value !== savedDraft ? { ...state, draft: yourAnswer.value } : state);

function saveDraft(): void {
  if (draftTimer !== undefined) clearTimeout(draftTimer);
  draftTimer = undefined;
  if (!yourAnswer || state.revealed || yourAnswer.value === savedDraft) return;
  savedDraft = yourAnswer.value;
  vscode.postMessage({ type: 'draft', text: savedDraft });
  if (draftStatus) draftStatus.textContent = 'Draft saved.';
}

yourAnswer?.addEventListener('input', () => {
  vscode.setState({ ...state, draft: yourAnswer.value });
  if (draftStatus) draftStatus.textContent = '';
  if (draftTimer !== undefined) clearTimeout(draftTimer);
  draftTimer = setTimeout(saveDraft, DRAFT_DELAY_MS);
});
yourAnswer?.addEventListener('blur', saveDraft);
if (yourAnswer && yourAnswer.value !== savedDraft) saveDraft();
document.addEventListener('visibilitychange', () => document.visibilityState === 'hidden' && saveDraft());
window.addEventListener('pagehide', saveDraft);

/** Shows the rating the ticked key points suggest, and marks its button. */
function updateSuggestion(): void {
  if (checkboxes.length === 0 || !suggestion) return;
  const ticked = checkboxes.filter((c) => c.checked).length;
  suggested = suggestRating(ticked, checkboxes.length);
  const label = suggested ? suggested[0]?.toUpperCase() + suggested.slice(1) : '';
  suggestion.textContent = `${ticked} of ${checkboxes.length} key points ticked: suggested rating ${label}.`;
  if (acceptSuggestion) {
    acceptSuggestion.hidden = !suggested;
    acceptSuggestion.textContent = `Accept ${label}`;
  }
  for (const b of document.querySelectorAll<HTMLButtonElement>('[data-rating]')) b.classList.toggle('suggested', b.dataset['rating'] === suggested);
}

for (const box of checkboxes) box.addEventListener('change', updateSuggestion);
acceptSuggestion?.addEventListener('click', () => rate(suggested));

function reveal(): void {
  if (!answer || !answer.hidden) return;
  if (draftTimer !== undefined) clearTimeout(draftTimer);
  draftTimer = undefined;
  const written = yourAnswer?.value ?? '';
  const yourText = byId('your-text');
  if (yourText) yourText.textContent = written.trim() ? written : (yourText.dataset['empty'] ?? '');
  document.querySelector<HTMLElement>('.your-answer')?.setAttribute('hidden', '');
  answer.hidden = false;
  if (revealBar) revealBar.hidden = true;
  document.querySelector('main')?.classList.add('revealed');
  state.revealed = true;
  vscode.setState(state);
  vscode.postMessage(yourAnswer ? { type: 'reveal', answer: written } : { type: 'reveal' });
  updateSuggestion();
  answer.querySelector<HTMLElement>('h2')?.setAttribute('tabindex', '-1');
  answer.querySelector<HTMLElement>('h2')?.focus();
}

function rate(rating: string | undefined): void {
  if (!isSelfRating(rating)) return;
  for (const b of document.querySelectorAll<HTMLButtonElement>('[data-rating]')) b.setAttribute('aria-pressed', String(b.dataset['rating'] === rating));
  if (status) status.textContent = 'Saving…';
  const ticked = checkboxes.flatMap((c, i) => (c.checked ? [i] : []));
  vscode.postMessage(checkboxes.length ? { type: 'rate', rating, ticked } : { type: 'rate', rating });
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

/** Whether a key goes to text being typed: the answer's text area or a text field (a check box is not one). */
function typing(target: EventTarget | null): boolean {
  if (target instanceof HTMLTextAreaElement) return true;
  if (target instanceof HTMLInputElement) return target.type !== 'checkbox';
  return target instanceof HTMLElement && target.isContentEditable;
}

// Keyboard: r reveals, 1-4 rate once revealed, n and p move; never while typing or with modifiers.
document.addEventListener('keydown', (event) => {
  if (event.ctrlKey || event.metaKey || event.altKey || typing(event.target)) return;
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

if (state.revealed) updateSuggestion();
vscode.postMessage({ type: 'ready' });
