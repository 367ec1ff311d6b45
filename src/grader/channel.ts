/**
 * Messages from the grading child to the grader, over the child's IPC channel. Each message carries a
 * sequence number and an HMAC keyed by a nonce the child learns before any candidate code loads, so a
 * message forged by candidate code (which never sees the key) is detected.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export interface FailureDetail {
  message: string;
  failureType?: string;
  expected?: string;
  actual?: string;
  operator?: string;
  stack?: string;
}

export type ChildEvent =
  | { kind: 'ready' }
  | { kind: 'load-error'; file: string; error: FailureDetail }
  | { kind: 'test-start'; name: string }
  | { kind: 'test'; name: string; passed: boolean; durationMs: number; error?: FailureDetail; afterOutputLimit?: boolean }
  | { kind: 'tampering'; what: string }
  | { kind: 'output-limit'; bytes: number }
  /** What a test printed, tied to its full name. */
  | { kind: 'output'; test: string; text: string }
  /** Console output of a child that may be kept (it does not go to the pipes): the job's and no other's. */
  | { kind: 'stdio'; text: string }
  | { kind: 'done' };

export interface SignedMessage {
  seq: number;
  body: ChildEvent;
  mac: string;
}

/** The job the grader sends a waiting child. */
export interface ChildJob {
  kind: 'job';
  nonce: string;
  modules: { file: string; code: string }[];
  /** Default per-test timeout: one hung test fails alone and the others still run. */
  testTimeoutMs: number;
  /** Full names of the tests the suite must report; once all have, the run is over. */
  expected: string[];
  /** Bytes of console output allowed; past it, output is dropped and the run is marked as flooding. */
  outputLimitBytes: number;
  /** The candidate's src/ as one bundle, evaluated in the sandbox's compartment. */
  candidate: { code: string; map: string; file: string };
  /** Where the layout was (stack frames in the candidate's bundle are mapped back to its files there). */
  layoutDir: string;
  /**
   * The tests are the candidate's (a workspace run): each is evaluated in a compartment that can read only
   * `assetsDir`, and the run has no list of expected tests (it ends when node:test does).
   */
  candidateTests?: { assetsDir: string };
  /**
   * The child may be given another job after this one: it keeps listening, its output comes over the channel, and
   * after 'done' it says whether it can be kept (a plain `{ kind: 'ready', retire? }`).
   */
  reuse?: boolean;
}

export function sign(nonce: string, seq: number, body: ChildEvent): SignedMessage {
  return { seq, body, mac: mac(nonce, seq, body) };
}

/** Returns the event when the message is genuine and next in sequence; undefined when forged or replayed. */
export function verify(nonce: string, expectedSeq: number, message: unknown): ChildEvent | undefined {
  if (typeof message !== 'object' || message === null) return undefined;
  const { seq, body, mac: given } = message as Partial<SignedMessage>;
  if (seq !== expectedSeq || typeof given !== 'string' || typeof body !== 'object' || body === null) return undefined;
  const want = Buffer.from(mac(nonce, seq, body), 'hex');
  const got = Buffer.from(given, 'hex');
  return want.length === got.length && timingSafeEqual(want, got) ? body : undefined;
}

function mac(nonce: string, seq: number, body: ChildEvent): string {
  return createHmac('sha256', nonce)
    .update(`${seq}\n${JSON.stringify(body)}`)
    .digest('hex');
}
