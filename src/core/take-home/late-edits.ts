/**
 * Edits after the freeze, measured the way a reviewer reads them: edit sessions (bursts of typing separated
 * by a pause) and changed lines, never keystrokes. One line typed after time ran out is one session and one
 * changed line, however many characters it took.
 */

/** Edits closer together than this are one session; a longer pause starts a new one. */
export const LATE_EDIT_PAUSE_MS = 60_000;

/** Counts edit sessions as edits arrive. One per window: a reload starts a new session. */
export class EditSessions {
  private last: number | undefined;

  /** Records an edit at `at` (ms); true when it starts a new session. */
  edit(at: number): boolean {
    const fresh = this.last === undefined || at - this.last > LATE_EDIT_PAUSE_MS;
    this.last = at;
    return fresh;
  }
}

/** Above this many cells the line diff gives up on alignment and counts the longer side: a bound on time, not a case that happens in a lab. */
const MAX_CELLS = 4_000_000;

/**
 * Lines changed between two texts: for each run of differing lines, the larger of lines removed and lines
 * added, so an edited line counts once, a typed line once and a deleted line once.
 */
export function changedLines(before: string, after: string): number {
  if (before === after) return 0;
  let a = splitLines(before);
  let b = splitLines(after);
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let end = 0;
  while (end < a.length - start && end < b.length - start && a[a.length - 1 - end] === b[b.length - 1 - end]) end++;
  a = a.slice(start, a.length - end);
  b = b.slice(start, b.length - end);
  if (a.length === 0 || b.length === 0) return Math.max(a.length, b.length);
  if (a.length * b.length > MAX_CELLS) return Math.max(a.length, b.length);
  // Longest common subsequence table, then a walk that groups the unmatched lines into runs.
  const n = a.length;
  const m = b.length;
  const lcs = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1));
  for (let i = n - 1; i >= 0; i--) {
    const row = lcs[i] as Uint32Array;
    const below = lcs[i + 1] as Uint32Array;
    for (let j = m - 1; j >= 0; j--) row[j] = a[i] === b[j] ? (below[j + 1] as number) + 1 : Math.max(below[j] as number, row[j + 1] as number);
  }
  let total = 0;
  let removed = 0;
  let added = 0;
  let i = 0;
  let j = 0;
  const closeRun = () => {
    total += Math.max(removed, added);
    removed = 0;
    added = 0;
  };
  while (i < n || j < m) {
    if (i < n && j < m && a[i] === b[j]) {
      closeRun();
      i++;
      j++;
    } else if (j < m && (i === n || (lcs[i]?.[j + 1] ?? 0) >= (lcs[i + 1]?.[j] ?? 0))) {
      added++;
      j++;
    } else {
      removed++;
      i++;
    }
  }
  closeRun();
  return total;
}

/** Changed lines over every file of two file sets (a file only one side has counts all its lines). */
export function changedLinesIn(before: ReadonlyMap<string, Buffer>, after: ReadonlyMap<string, Buffer>): number {
  let total = 0;
  for (const rel of new Set([...before.keys(), ...after.keys()])) {
    total += changedLines(before.get(rel)?.toString('utf8') ?? '', after.get(rel)?.toString('utf8') ?? '');
  }
  return total;
}

function splitLines(text: string): string[] {
  if (text === '') return [];
  const lines = text.split(/\r?\n/);
  // A final newline ends the last line; it does not start another.
  if (lines.at(-1) === '') lines.pop();
  return lines;
}
