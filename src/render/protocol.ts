/**
 * Messages between the question panel's webview and the extension. Everything the webview sends is
 * untrusted input: `parsePanelMessage` accepts only these shapes and drops anything else.
 */
import { isSelfRating, type SelfRating } from '../core/progress/progress';

export type PanelMessage =
  | { type: 'ready' }
  | { type: 'reveal' }
  | { type: 'rate'; rating: SelfRating }
  | { type: 'navigate'; direction: 1 | -1 }
  | { type: 'pin' }
  | { type: 'copy'; text: string }
  | { type: 'openLab'; labId: string };

/** Messages the extension sends to the webview. */
export type HostMessage = { type: 'progress'; state: string; nextReview?: string };

export const MAX_COPY_LENGTH = 200_000;
const QUALIFIED_ID = /^[a-z0-9]+(-[a-z0-9]+)*\/[a-z0-9]+(-[a-z0-9]+)*$/;

export function parsePanelMessage(value: unknown): PanelMessage | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const m = value as Record<string, unknown>;
  switch (m['type']) {
    case 'ready':
    case 'reveal':
    case 'pin':
      return { type: m['type'] };
    case 'rate':
      return isSelfRating(m['rating']) ? { type: 'rate', rating: m['rating'] } : undefined;
    case 'navigate':
      return m['direction'] === 1 || m['direction'] === -1 ? { type: 'navigate', direction: m['direction'] } : undefined;
    case 'copy':
      return typeof m['text'] === 'string' && m['text'].length <= MAX_COPY_LENGTH ? { type: 'copy', text: m['text'] } : undefined;
    case 'openLab':
      return typeof m['labId'] === 'string' && QUALIFIED_ID.test(m['labId']) ? { type: 'openLab', labId: m['labId'] } : undefined;
    default:
      return undefined;
  }
}

/** What the webview persists through `setState`, read back by the panel serializer after a reload. */
export interface PanelState {
  questionId: string;
  revealed: boolean;
  pinned: boolean;
}

export function parsePanelState(value: unknown): PanelState | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const s = value as Record<string, unknown>;
  if (typeof s['questionId'] !== 'string' || !QUALIFIED_ID.test(s['questionId'])) return undefined;
  return { questionId: s['questionId'], revealed: s['revealed'] === true, pinned: s['pinned'] === true };
}
