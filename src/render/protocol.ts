/**
 * Every message between the extension and its webviews, in one place: the lists below are the only copy of
 * the strings; the message types, the validators, the page renderers and the webview scripts derive from them.
 * Everything a webview sends (and every state it saved) is untrusted input: the parsers accept only these shapes
 * and drop anything else.
 */
import { isSelfRating, MAX_ANSWER_LENGTH, MAX_KEY_POINTS, SELF_RATINGS, type ProgressState, type SelfRating } from '../core/progress/progress';

export { MAX_ANSWER_LENGTH, MAX_KEY_POINTS };

/** The question panel's self-ratings, in button order (key 1 is the first). The progress file owns the list. */
export const RATINGS: typeof SELF_RATINGS = SELF_RATINGS;
export type Rating = SelfRating;

/** The buttons of the grade report, each posted as `{ type: action }`. */
export const REPORT_ACTIONS = ['hint', 'submit', 'history', 'solution'] as const;
export type ReportAction = (typeof REPORT_ACTIONS)[number];

/** Every page posts this once its script runs; the host posts nothing to a page before it. */
export type ReadyMessage = { type: 'ready' };

export type PanelMessage =
  | ReadyMessage
  /** `answer`: what the candidate wrote before revealing, kept as an attempt. */
  | { type: 'reveal'; answer?: string }
  /** The answer being written, saved as it is typed (debounced by the page). */
  | { type: 'draft'; text: string }
  /** `ticked`: indices of the key points ticked before rating, for a question that has them. */
  | { type: 'rate'; rating: Rating; ticked?: number[] }
  | { type: 'navigate'; direction: 1 | -1 }
  | { type: 'pin' }
  | { type: 'copy'; text: string }
  | { type: 'openLab'; labId: string };

/** Messages the extension sends to the question page. */
export type HostMessage = { type: 'progress'; state: ProgressState; nextReview?: string };

/** `shown`: the page swapped in a report the host posted (the integration suite times Submit to it). */
export type ReportMessage = ReadyMessage | { type: 'shown' } | { type: ReportAction };

/**
 * Messages the extension sends to the report page, through the ready queue: a grade under way (a note over the
 * report shown, which stays until the next one), and a report to show in place of the page's `<main>`. The
 * report's HTML is the extension's own (report-page.ts, every value escaped), never text from a submission unescaped.
 */
export type ReportHostMessage = { type: 'grading'; labTitle: string } | { type: 'report'; main: string; state: ReportState };

/** Longer than any report the grader can produce (its output and failure messages are capped well below). */
export const MAX_REPORT_HTML = 4 * 1024 * 1024;

export const MAX_COPY_LENGTH = 200_000;
const QUALIFIED_ID = /^[a-z0-9]+(-[a-z0-9]+)*\/[a-z0-9]+(-[a-z0-9]+)*$/;

export function record(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

export function isQualifiedId(value: unknown): value is string {
  return typeof value === 'string' && QUALIFIED_ID.test(value);
}

export function isReportAction(value: unknown): value is ReportAction {
  return typeof value === 'string' && (REPORT_ACTIONS as readonly string[]).includes(value);
}

export function isAnswerText(value: unknown): value is string {
  return typeof value === 'string' && value.length <= MAX_ANSWER_LENGTH;
}

/** Distinct key point indices, each an integer from 0 below MAX_KEY_POINTS. */
export function isTickList(value: unknown): value is number[] {
  return (
    Array.isArray(value) &&
    value.length <= MAX_KEY_POINTS &&
    value.every((i) => Number.isInteger(i) && i >= 0 && i < MAX_KEY_POINTS) &&
    new Set(value).size === value.length
  );
}

export function parsePanelMessage(value: unknown): PanelMessage | undefined {
  const m = record(value);
  if (!m) return undefined;
  switch (m['type']) {
    case 'ready':
    case 'pin':
      return { type: m['type'] };
    case 'reveal':
      if (m['answer'] === undefined) return { type: 'reveal' };
      return isAnswerText(m['answer']) ? { type: 'reveal', answer: m['answer'] } : undefined;
    case 'draft':
      return isAnswerText(m['text']) ? { type: 'draft', text: m['text'] } : undefined;
    case 'rate': {
      if (!isSelfRating(m['rating'])) return undefined;
      if (m['ticked'] === undefined) return { type: 'rate', rating: m['rating'] };
      return isTickList(m['ticked']) ? { type: 'rate', rating: m['rating'], ticked: [...m['ticked']] } : undefined;
    }
    case 'navigate':
      return m['direction'] === 1 || m['direction'] === -1 ? { type: 'navigate', direction: m['direction'] } : undefined;
    case 'copy':
      return typeof m['text'] === 'string' && m['text'].length <= MAX_COPY_LENGTH ? { type: 'copy', text: m['text'] } : undefined;
    case 'openLab':
      return isQualifiedId(m['labId']) ? { type: 'openLab', labId: m['labId'] } : undefined;
    default:
      return undefined;
  }
}

export function parseReportMessage(value: unknown): ReportMessage | undefined {
  const type = record(value)?.['type'];
  if (type === 'ready' || type === 'shown') return { type };
  return isReportAction(type) ? { type } : undefined;
}

/** The report page's check of what the host posts: a shape it does not know is dropped. */
export function parseReportHostMessage(value: unknown): ReportHostMessage | undefined {
  const m = record(value);
  if (!m) return undefined;
  if (m['type'] === 'grading')
    return typeof m['labTitle'] === 'string' && m['labTitle'].length <= 200 ? { type: 'grading', labTitle: m['labTitle'] } : undefined;
  if (m['type'] !== 'report' || typeof m['main'] !== 'string' || m['main'].length > MAX_REPORT_HTML || !m['main'].startsWith('<main')) return undefined;
  const state = parseReportState(m['state']);
  return state ? { type: 'report', main: m['main'], state } : undefined;
}

/** What the question page persists through `setState`, read back by the panel serializer after a reload. */
export interface PanelState {
  questionId: string;
  revealed: boolean;
  pinned: boolean;
  /** The answer as last typed, so a page unloaded while hidden shows it again when shown (the page's own use). */
  draft?: string;
}

export function parsePanelState(value: unknown): PanelState | undefined {
  const s = record(value);
  if (!s || !isQualifiedId(s['questionId'])) return undefined;
  const state: PanelState = { questionId: s['questionId'], revealed: s['revealed'] === true, pinned: s['pinned'] === true };
  return isAnswerText(s['draft']) ? { ...state, draft: s['draft'] } : state;
}

/** What the report page persists: only what finds the report again; it is re-rendered from stored attempts. */
export interface ReportState {
  labId: string;
}

export function parseReportState(value: unknown): ReportState | undefined {
  const s = record(value);
  return s && isQualifiedId(s['labId']) ? { labId: s['labId'] } : undefined;
}

/**
 * The host's side of the ready handshake: messages posted before the page said `ready` wait, and go out in
 * order once it has. A page that is replaced (new HTML) or unloaded (hidden without retained context) says
 * `ready` again when it next runs.
 */
export class ReadyQueue<T> {
  private ready = false;
  private waiting: T[] = [];

  constructor(private readonly send: (message: T) => void) {}

  get isReady(): boolean {
    return this.ready;
  }

  /** Sends now if the page is ready, else when it is. */
  post(message: T): void {
    if (this.ready) this.send(message);
    else this.waiting.push(message);
  }

  /** The page said `ready`: send what waited, oldest first. */
  open(): void {
    this.ready = true;
    const waiting = this.waiting;
    this.waiting = [];
    for (const message of waiting) this.send(message);
  }

  /** The page went away (hidden, its context not retained): hold messages until it is back and ready. */
  pause(): void {
    this.ready = false;
  }

  /** A new page replaces the old: it is built from current data, so messages meant for the old page are dropped. */
  reset(): void {
    this.ready = false;
    this.waiting = [];
  }
}
