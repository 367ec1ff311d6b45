import { describe, expect, it } from 'vitest';
import { csvCell, csvLines, csvRecords, parseCsv } from '../../../../src/core/take-home/csv';

describe('csv', () => {
  it('reads quoted cells with commas, doubled quotes and line breaks, a BOM and CRLF, and drops blank lines', () => {
    expect(parseCsv('\uFEFFa,b\r\n"x, y","say ""hi""\nthere"\r\n\r\n,\n3,4')).toEqual([
      ['a', 'b'],
      ['x, y', 'say "hi"\nthere'],
      ['3', '4'],
    ]);
  });

  it('round-trips what it writes, and defuses formulas', () => {
    const rows = [['=SUM(A1)', 'a,b', '"q"', -3, '+1']];
    expect(csvCell('=SUM(A1)')).toBe("'=SUM(A1)");
    expect(csvCell(-3)).toBe('-3');
    expect(parseCsv(csvLines(rows))).toEqual([["'=SUM(A1)", 'a,b', '"q"', '-3', "'+1"]]);
  });

  it('finds columns by header whatever their case, spaces or underscores', () => {
    const { records } = csvRecords('Extension Minutes,NAME\n30, Ada \n');
    expect(records[0]?.get('extension_minutes')).toBe('30');
    expect(records[0]?.get('name')).toBe('Ada');
    expect(records[0]?.get('email')).toBe('');
    expect(records[0]?.line).toBe(2);
  });
});
