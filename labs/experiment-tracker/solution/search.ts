/**
 * experiment-tracker, Tasks 2 and 3: MLflow's search filter (clauses joined by AND) and order_by, over plain Run
 * objects. The README gives the grammar, the comparators each kind of key takes and the error columns.
 */
import type { Run } from './tracker';

/** A filter or order_by string that does not parse. `column` is 1-based: where the offending token starts. */
export class FilterParseError extends Error {
  readonly column: number;

  constructor(message: string, column: number) {
    super(`${message} (column ${column})`);
    this.name = 'FilterParseError';
    this.column = column;
  }
}

export interface SearchOptions {
  /** MLflow filter string; empty or absent matches every run. */
  readonly filter?: string;
  /** Items such as "metrics.rmse ASC"; the direction defaults to ASC. */
  readonly orderBy?: readonly string[];
  /** At most this many runs (an integer ≥ 1); 1000 by default, as MLflow. */
  readonly maxResults?: number;
}

type Kind = 'metric' | 'param' | 'tag' | 'attribute';
type Comparator = '=' | '!=' | '>' | '>=' | '<' | '<=' | 'LIKE' | 'ILIKE' | 'IN';

interface Key {
  kind: Kind;
  name: string;
  numeric: boolean;
}

interface Clause {
  key: Key;
  comparator: Comparator;
  value: number | string | string[];
}

const PREFIXES: Record<string, Kind> = {
  metric: 'metric',
  metrics: 'metric',
  param: 'param',
  params: 'param',
  parameter: 'param',
  parameters: 'param',
  tag: 'tag',
  tags: 'tag',
  attr: 'attribute',
  attribute: 'attribute',
  attributes: 'attribute',
};

/** Searchable attributes: true when numeric. */
const ATTRIBUTES: Record<string, boolean> = { run_id: false, run_name: false, status: false, start_time: true, end_time: true };

const NUMERIC_COMPARATORS = ['=', '!=', '>', '>=', '<', '<='];
const STRING_COMPARATORS = ['=', '!=', 'LIKE', 'ILIKE'];
const NUMBER = /^-?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?/;

/** A cursor over one string; columns are 1-based. */
class Scanner {
  pos = 0;

  constructor(readonly text: string) {}

  skipSpace(): void {
    while (this.pos < this.text.length && /\s/.test(this.text[this.pos])) this.pos++;
  }

  atEnd(): boolean {
    return this.pos >= this.text.length;
  }

  column(): number {
    return this.pos + 1;
  }

  word(): string {
    const match = /^[A-Za-z_]+/.exec(this.text.slice(this.pos));
    const word = match ? match[0] : '';
    this.pos += word.length;
    return word;
  }

  /** A string quoted with `quote`, the scanner on the opening quote; no escapes. */
  quoted(): string {
    const start = this.pos;
    const end = this.text.indexOf(this.text[start], start + 1);
    if (end === -1) throw new FilterParseError('unterminated quote', start + 1);
    this.pos = end + 1;
    return this.text.slice(start + 1, end);
  }
}

function parseKey(s: Scanner): Key {
  const start = s.column();
  const kind = PREFIXES[s.word()];
  if (kind === undefined || s.text[s.pos] !== '.') throw new FilterParseError('expected metrics., params., tags. or attributes.', start);
  s.pos++;
  let name: string;
  const c = s.text[s.pos];
  if (c === '`' || c === '"') name = s.quoted();
  else {
    const match = /^[A-Za-z_][A-Za-z0-9_.]*/.exec(s.text.slice(s.pos));
    if (!match) throw new FilterParseError('expected a name after the prefix', start);
    name = match[0];
    s.pos += name.length;
  }
  if (kind !== 'attribute') return { kind, name, numeric: kind === 'metric' };
  if (!Object.hasOwn(ATTRIBUTES, name)) throw new FilterParseError(`unknown attribute '${name}'`, start);
  return { kind, name, numeric: ATTRIBUTES[name] };
}

function parseComparator(s: Scanner, key: Key): Comparator {
  s.skipSpace();
  const start = s.column();
  const symbol = /^(?:[<>!]=|[=<>])/.exec(s.text.slice(s.pos));
  let comparator: string;
  if (symbol) {
    comparator = symbol[0];
    s.pos += comparator.length;
  } else comparator = s.word().toUpperCase();
  const allowed = key.numeric ? NUMERIC_COMPARATORS : key.kind === 'attribute' && key.name === 'run_id' ? [...STRING_COMPARATORS, 'IN'] : STRING_COMPARATORS;
  if (!allowed.includes(comparator)) throw new FilterParseError(`expected a comparator for ${key.kind} '${key.name}'`, start);
  return comparator as Comparator;
}

function parseString(s: Scanner): string {
  const c = s.text[s.pos];
  if (c !== "'" && c !== '"') throw new FilterParseError('expected a quoted string', s.column());
  return s.quoted();
}

function parseValue(s: Scanner, key: Key, comparator: Comparator): number | string | string[] {
  s.skipSpace();
  if (key.numeric) {
    const match = NUMBER.exec(s.text.slice(s.pos));
    if (!match) throw new FilterParseError('expected a number', s.column());
    s.pos += match[0].length;
    return Number(match[0]);
  }
  if (comparator !== 'IN') return parseString(s);
  if (s.text[s.pos] !== '(') throw new FilterParseError("expected '(' after IN", s.column());
  s.pos++;
  s.skipSpace();
  const values = [parseString(s)];
  for (;;) {
    s.skipSpace();
    const c = s.text[s.pos];
    s.pos++;
    if (c === ')') return values;
    if (c !== ',') throw new FilterParseError("expected ',' or ')'", s.pos);
    s.skipSpace();
    values.push(parseString(s));
  }
}

/** Parses a whole filter into its clauses. */
function parseFilter(filter: string): Clause[] {
  const s = new Scanner(filter);
  const clauses: Clause[] = [];
  s.skipSpace();
  if (s.atEnd()) return clauses;
  for (;;) {
    const key = parseKey(s);
    const comparator = parseComparator(s, key);
    clauses.push({ key, comparator, value: parseValue(s, key, comparator) });
    s.skipSpace();
    if (s.atEnd()) return clauses;
    const start = s.column();
    if (s.word().toUpperCase() !== 'AND') throw new FilterParseError('expected AND (OR is not supported)', start);
    s.skipSpace();
  }
}

function lookup(run: Run, key: Key): string | number | null | undefined {
  if (key.kind === 'metric') return run.data.metrics[key.name];
  if (key.kind === 'param') return run.data.params[key.name];
  if (key.kind === 'tag') return run.data.tags[key.name];
  const info = run.info;
  const fields: Record<string, string | number | null> = {
    run_id: info.runId,
    run_name: info.runName,
    status: info.status,
    start_time: info.startTime,
    end_time: info.endTime,
  };
  return fields[key.name];
}

function like(value: string, pattern: string, flags: string): boolean {
  const body = pattern.replace(/[.*+?^${}()|[\]\\%_]/g, (c) => (c === '%' ? '[\\s\\S]*' : c === '_' ? '[\\s\\S]' : `\\${c}`));
  return new RegExp(`^${body}$`, flags).test(value);
}

function matches(run: Run, clause: Clause): boolean {
  const actual = lookup(run, clause.key);
  if (actual === undefined || actual === null) return false;
  const value = clause.value;
  switch (clause.comparator) {
    case '=':
      return actual === value;
    case '!=':
      return actual !== value;
    case '>':
      return actual > value;
    case '>=':
      return actual >= value;
    case '<':
      return actual < value;
    case '<=':
      return actual <= value;
    case 'LIKE':
      return like(actual as string, value as string, '');
    case 'ILIKE':
      return like(actual as string, value as string, 'i');
    case 'IN':
      return (value as string[]).includes(actual as string);
  }
}

interface OrderKey {
  key: Key;
  descending: boolean;
}

function parseOrderBy(item: string): OrderKey {
  const s = new Scanner(item);
  s.skipSpace();
  const key = parseKey(s);
  s.skipSpace();
  const start = s.column();
  const direction = s.word().toUpperCase();
  if (direction !== '' && direction !== 'ASC' && direction !== 'DESC') throw new FilterParseError('expected ASC or DESC', start);
  s.skipSpace();
  if (!s.atEnd()) throw new FilterParseError('expected the end of the order_by item', s.column());
  return { key, descending: direction === 'DESC' };
}

/** Missing values sort last whatever the direction, as MLflow's SQL store does. */
function compareBy(a: Run, b: Run, order: OrderKey): number {
  const x = lookup(a, order.key);
  const y = lookup(b, order.key);
  const xMissing = x === undefined || x === null;
  const yMissing = y === undefined || y === null;
  if (xMissing || yMissing) return Number(xMissing) - Number(yMissing);
  const sign = order.descending ? -1 : 1;
  return x < y ? -sign : x > y ? sign : 0;
}

/** What MLflow's SQL store sorts by after the caller's keys, and instead of them when there are none. */
const TIE_BREAKERS = ['attributes.start_time DESC', 'attributes.run_id ASC'].map(parseOrderBy);

/**
 * Tasks 2 and 3: the runs that match every clause of the filter, sorted by orderBy, then by start_time DESC and
 * run_id ASC, at most maxResults of them. Throws FilterParseError for a bad filter or order_by item.
 */
export function searchRuns(runs: readonly Run[], options: SearchOptions = {}): Run[] {
  const maxResults = options.maxResults ?? 1000;
  if (!Number.isInteger(maxResults) || maxResults < 1) throw new RangeError(`maxResults must be an integer >= 1, got ${maxResults}`);
  const clauses = parseFilter(options.filter ?? '');
  const order = (options.orderBy ?? []).map(parseOrderBy);
  order.push(...TIE_BREAKERS);
  const found = runs.filter((run) => clauses.every((clause) => matches(run, clause)));
  found.sort((a, b) => {
    for (const o of order) {
      const c = compareBy(a, b, o);
      if (c !== 0) return c;
    }
    return 0;
  });
  return found.slice(0, maxResults);
}
