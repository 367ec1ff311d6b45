import { describe, expect, it } from 'vitest';
import { changedLines, changedLinesIn, EditSessions, LATE_EDIT_PAUSE_MS } from '../../../../src/core/take-home/late-edits';

const FROZEN = 'export function slo(p: number) {\n  return p;\n}\n';

describe('EditSessions', () => {
  it('counts one typed line (a keystroke per character) as one session', () => {
    const sessions = new EditSessions();
    const line = '  const budget = 0.999;';
    const starts = [...line].map((_, i) => sessions.edit(1_000 + i * 150)).filter(Boolean);
    expect(starts).toHaveLength(1);
  });

  it('starts a new session only after a pause longer than the threshold', () => {
    const sessions = new EditSessions();
    expect(sessions.edit(0)).toBe(true);
    expect(sessions.edit(LATE_EDIT_PAUSE_MS)).toBe(false);
    expect(sessions.edit(2 * LATE_EDIT_PAUSE_MS + 1)).toBe(true);
  });
});

describe('changedLines', () => {
  it('counts one typed line after the freeze as one changed line', () => {
    expect(changedLines(FROZEN, FROZEN.replace('  return p;\n', '  const q = p * 2;\n  return p;\n'))).toBe(1);
  });

  it('counts an edited line once, not as a removal and an addition', () => {
    expect(changedLines(FROZEN, FROZEN.replace('return p;', 'return p * 2;'))).toBe(1);
  });

  it('counts deleted lines, separate runs, and nothing for equal texts or a line-ending change', () => {
    expect(changedLines(FROZEN, 'export function slo(p: number) {\n}\n')).toBe(1);
    expect(changedLines('a\nb\nc\nd\ne\n', 'A\nb\nc\nD\nE\nf\n')).toBe(4);
    expect(changedLines(FROZEN, FROZEN)).toBe(0);
    expect(changedLines('a\nb', 'a\nb\n')).toBe(0);
    expect(changedLines('a\r\nb\r\n', 'a\nb\n')).toBe(0);
  });

  it('sums over files, counting every line of a file only one side has', () => {
    const frozen = new Map([['slo.ts', Buffer.from(FROZEN)]]);
    const current = new Map([
      ['slo.ts', Buffer.from(FROZEN.replace('return p;', 'return 1;'))],
      ['extra.ts', Buffer.from('a\nb\n')],
    ]);
    expect(changedLinesIn(frozen, current)).toBe(3);
    expect(changedLinesIn(frozen, new Map())).toBe(3);
  });
});
