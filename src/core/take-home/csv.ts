/** CSV in and out for the grader's files (roster, manual grades, gradebooks): RFC 4180 quoting, a BOM and CRLF tolerated. */

/** Rows of cells. Quoted cells may hold commas, quotes ("") and line breaks; blank lines are dropped. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  const src = text.replace(/^\uFEFF/, '');
  for (let i = 0; i < src.length; i++) {
    const c = src[i] as string;
    if (quoted) {
      if (c === '"' && src[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"' && cell === '') quoted = true;
    else if (c === ',') {
      row.push(cell);
      cell = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && src[i + 1] === '\n') i++;
      row.push(cell);
      if (row.some((x) => x.trim() !== '')) rows.push(row);
      row = [];
      cell = '';
    } else cell += c;
  }
  row.push(cell);
  if (row.some((x) => x.trim() !== '')) rows.push(row);
  return rows;
}

/** One cell: quoted when it must be, and a leading = + - @ defused so a spreadsheet never runs it as a formula. */
export function csvCell(value: string | number): string {
  const s = String(value);
  const safe = /^[=+\-@]/.test(s) && !/^-?\d/.test(s) ? `'${s}` : s;
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export const csvLines = (rows: readonly (readonly (string | number)[])[]): string => `${rows.map((cells) => cells.map(csvCell).join(',')).join('\n')}\n`;

/** Header names normalised for matching: case, spaces, dashes and underscores ignored. */
export const headerKey = (name: string): string => name.toLowerCase().replace(/[\s_-]+/g, '');

/** Rows as objects keyed by normalised header. */
export function csvRecords(text: string): { header: string[]; records: { line: number; get: (column: string) => string }[] } {
  const [head, ...rows] = parseCsv(text);
  const header = (head ?? []).map((h) => headerKey(h.trim()));
  return {
    header,
    records: rows.map((cells, i) => ({
      line: i + 2,
      get: (column: string) => {
        const at = header.indexOf(headerKey(column));
        return at < 0 ? '' : (cells[at] ?? '').trim();
      },
    })),
  };
}
