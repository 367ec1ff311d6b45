/**
 * Client script of the mock interview panel (bundled to dist/webview/interview.js): the question pages and the
 * summary. It only posts typed messages; the extension validates them, keeps the time and owns all state. The
 * clock on the page counts on from the time the extension gave it, for display only.
 */
import { formatDuration } from '../core/practice/interview';
import type { InterviewMessage } from '../render/interview-protocol';

interface VsCodeApi {
  postMessage(message: InterviewMessage): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();
const body = document.body;
const byId = (id: string) => document.getElementById(id);

if (body.dataset['page'] === 'question') {
  const shownAt = Date.now();
  const elapsed = Number(body.dataset['elapsed'] ?? '0');
  const minutes = Number(body.dataset['minutes'] ?? '0');
  const clock = byId('interview-clock');
  const tick = () => {
    const ms = elapsed + Date.now() - shownAt;
    if (!clock) return;
    clock.textContent = formatDuration(ms);
    clock.classList.toggle('over', ms > minutes * 60_000);
  };
  tick();
  setInterval(tick, 1000);

  const yourAnswer = byId('your-answer') as HTMLTextAreaElement | null;
  const answer = byId('answer');
  const checkboxes = [...document.querySelectorAll<HTMLInputElement>('input[data-point]')];
  const ticked = new Set<number>(JSON.parse(body.dataset['ticked'] ?? '[]') as number[]);
  checkboxes.forEach((box, i) => (box.checked = ticked.has(i)));

  let saved = yourAnswer?.value ?? '';
  let timer: ReturnType<typeof setTimeout> | undefined;
  const saveDraft = () => {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
    if (!yourAnswer || !answer?.hidden || yourAnswer.value === saved) return;
    saved = yourAnswer.value;
    vscode.postMessage({ type: 'draft', text: saved });
  };
  yourAnswer?.addEventListener('input', () => {
    if (timer !== undefined) clearTimeout(timer);
    timer = setTimeout(saveDraft, 600);
  });
  yourAnswer?.addEventListener('blur', saveDraft);
  window.addEventListener('pagehide', saveDraft);

  byId('check')?.addEventListener('click', () => {
    if (!answer?.hidden) return;
    if (timer !== undefined) clearTimeout(timer);
    const written = yourAnswer?.value ?? '';
    const yourText = byId('your-text');
    if (yourText) yourText.textContent = written.trim() ? written : (yourText.dataset['empty'] ?? '');
    document.querySelector<HTMLElement>('.your-answer')?.setAttribute('hidden', '');
    document.querySelector<HTMLElement>('.reveal-bar')?.setAttribute('hidden', '');
    answer.hidden = false;
    vscode.postMessage({ type: 'check', answer: written });
    checkboxes[0]?.focus();
  });
  for (const box of checkboxes)
    box.addEventListener('change', () => vscode.postMessage({ type: 'ticks', ticked: checkboxes.flatMap((c, i) => (c.checked ? [i] : [])) }));

  const leave = (message: InterviewMessage) => {
    saveDraft();
    vscode.postMessage(message);
  };
  byId('previous')?.addEventListener('click', () => leave({ type: 'go', direction: -1 }));
  byId('next')?.addEventListener('click', () => leave({ type: 'go', direction: 1 }));
  byId('finish')?.addEventListener('click', () => leave({ type: 'finish' }));
} else {
  document.addEventListener('click', (event) => {
    const target = event.target instanceof Element ? event.target : undefined;
    const open = target?.closest<HTMLElement>('[data-open]')?.dataset['open'];
    if (open) return vscode.postMessage({ type: 'openQuestion', questionId: open });
    const lab = target?.closest<HTMLElement>('[data-lab]')?.dataset['lab'];
    if (lab) vscode.postMessage({ type: 'startLab', labId: lab });
  });
}

vscode.postMessage({ type: 'ready' });
