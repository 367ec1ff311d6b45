/**
 * Messages between the extension and the mock interview panel (its question pages and its summary). Like every
 * webview message (protocol.ts), what the page sends is untrusted: the parser accepts only these shapes.
 */
import { isAnswerText, isQualifiedId, isTickList, record, type ReadyMessage } from './protocol';

export type InterviewMessage =
  | ReadyMessage
  /** The answer being written, saved as it is typed (into answers.json, like the question panel's). */
  | { type: 'draft'; text: string }
  /** Show the key points: `answer` (what was written) becomes an attempt. */
  | { type: 'check'; answer: string }
  /** The key points ticked on the question on screen. */
  | { type: 'ticks'; ticked: number[] }
  | { type: 'go'; direction: 1 | -1 }
  | { type: 'finish' }
  /** From the summary: open a question to review it, or start the lab offered. */
  | { type: 'openQuestion'; questionId: string }
  | { type: 'startLab'; labId: string };

export function parseInterviewMessage(value: unknown): InterviewMessage | undefined {
  const m = record(value);
  if (!m) return undefined;
  switch (m['type']) {
    case 'ready':
    case 'finish':
      return { type: m['type'] };
    case 'draft':
      return isAnswerText(m['text']) ? { type: 'draft', text: m['text'] } : undefined;
    case 'check':
      return isAnswerText(m['answer']) ? { type: 'check', answer: m['answer'] } : undefined;
    case 'ticks':
      return isTickList(m['ticked']) ? { type: 'ticks', ticked: [...m['ticked']] } : undefined;
    case 'go':
      return m['direction'] === 1 || m['direction'] === -1 ? { type: 'go', direction: m['direction'] } : undefined;
    case 'openQuestion':
      return isQualifiedId(m['questionId']) ? { type: 'openQuestion', questionId: m['questionId'] } : undefined;
    case 'startLab':
      return isQualifiedId(m['labId']) ? { type: 'startLab', labId: m['labId'] } : undefined;
    default:
      return undefined;
  }
}
