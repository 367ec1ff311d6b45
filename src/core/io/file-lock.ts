/**
 * An inter-process lock beside a file, so windows, the CLI and tests that share one storage folder take turns.
 * proper-lockfile makes `<file>.lock` with mkdir (atomic on every file system it supports), keeps it fresh
 * while held, and treats one untouched for `staleMs` as left by a crashed holder and takes it over.
 */
import { lock } from 'proper-lockfile';

/** Takes the lock on `file` (the file need not exist) and resolves with its release. */
export type Locker = (file: string) => Promise<() => Promise<void>>;

/** A crashed window's lock is taken over after this long; a live holder refreshes it at half that. */
export const STALE_LOCK_MS = 10_000;

export function fileLocker(staleMs = STALE_LOCK_MS): Locker {
  return (file) =>
    lock(file, {
      realpath: false,
      stale: staleMs,
      // Retries back off to a quarter second and outlast a stale lock, so a crashed holder never blocks for good.
      retries: { retries: Math.ceil((staleMs * 2) / 250) + 20, factor: 1.3, minTimeout: 5, maxTimeout: 250, randomize: true },
      // The default throws from a timer, which would take the whole extension host down. A compromised lock
      // means this process stalled longer than the stale time while holding it; its write is still atomic.
      onCompromised: () => undefined,
    });
}
