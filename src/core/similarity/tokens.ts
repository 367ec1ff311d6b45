/**
 * A small TypeScript/JavaScript tokenizer for similarity fingerprints (docs/grading.md, "Similarity"). It
 * keeps each token's kind and line, never its exact spelling where a candidate could change it cheaply:
 * identifiers become `id`, numbers `num`, strings and template text `str`, regular expressions `re`;
 * keywords and punctuation stay as written, so the shape of the code is what gets compared. Comments and
 * whitespace are dropped. It tokenises the candidate's own file (rather than esbuild's type-stripped output)
 * so that every token keeps the line it has in the file the grader will show side by side.
 */

export interface Token {
  /** Normalised text: a keyword or punctuator as written, else id | num | str | re. */
  kind: string;
  /** 1-based line of the token's first character. */
  line: number;
}

const KEYWORDS = new Set(
  (
    'abstract any as async await bigint boolean break case catch class const continue debugger declare default delete do else enum export extends ' +
    'false finally for from function get if implements import in infer instanceof interface is keyof let never new null number object of private ' +
    'protected public readonly return satisfies set static string super switch symbol this throw true try type typeof undefined unique unknown var ' +
    'void while with yield'
  ).split(' '),
);

/** Punctuators, longest first so the scanner takes the longest match. */
const PUNCTUATORS = [
  '>>>=',
  '...',
  '===',
  '!==',
  '**=',
  '<<=',
  '>>=',
  '>>>',
  '&&=',
  '||=',
  '??=',
  '=>',
  '==',
  '!=',
  '<=',
  '>=',
  '&&',
  '||',
  '??',
  '?.',
  '++',
  '--',
  '+=',
  '-=',
  '*=',
  '/=',
  '%=',
  '&=',
  '|=',
  '^=',
  '**',
  '<<',
  '>>',
];

/** After these a `/` starts a regular expression, not a division. */
const BEFORE_REGEX = new Set(['return', 'typeof', 'case', 'do', 'else', 'in', 'of', 'new', 'delete', 'void', 'throw', 'yield', 'await', 'instanceof']);

const isIdStart = (c: string) => /[A-Za-z_$#]/.test(c) || c.charCodeAt(0) > 0x7f;
const isIdPart = (c: string) => /[\w$]/.test(c) || c.charCodeAt(0) > 0x7f;

export function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  /** What each open `{` was: a block or object (`{`), or a template substitution (`${`). */
  const braces: ('{' | '${')[] = [];
  let line = 1;
  let i = 0;
  const n = source.length;
  const push = (kind: string, at: number) => tokens.push({ kind, line: at });

  /** Scans template text from i (just after a backtick or a substitution's `}`) to the closing backtick or the next `${`. */
  const templateText = () => {
    const start = line;
    while (i < n) {
      const c = source[i];
      if (c === '\\') {
        if (source[i + 1] === '\n') line++;
        i += 2;
      } else if (c === '`') {
        i++;
        push('str', start);
        return;
      } else if (c === '$' && source[i + 1] === '{') {
        i += 2;
        push('str', start);
        push('${', line);
        braces.push('${');
        return;
      } else {
        if (c === '\n') line++;
        i++;
      }
    }
    push('str', start);
  };

  while (i < n) {
    const c = source[i] as string;
    const next = source[i + 1];
    if (c === '\n') {
      line++;
      i++;
    } else if (c === ' ' || c === '\t' || c === '\r' || c === '\f' || c === '\v' || c === '\uFEFF' || c === '\u00A0') {
      i++;
    } else if (c === '/' && next === '/') {
      while (i < n && source[i] !== '\n') i++;
    } else if (c === '/' && next === '*') {
      const end = source.indexOf('*/', i + 2);
      const stop = end < 0 ? n : end + 2;
      for (let j = i; j < stop; j++) if (source[j] === '\n') line++;
      i = stop;
    } else if (isIdStart(c)) {
      let j = i + 1;
      while (j < n && isIdPart(source[j] as string)) j++;
      const word = source.slice(i, j);
      push(KEYWORDS.has(word) ? word : 'id', line);
      i = j;
    } else if (/[0-9]/.test(c) || (c === '.' && next !== undefined && /[0-9]/.test(next))) {
      let j = i + 1;
      while (
        j < n &&
        (/[\w.]/.test(source[j] as string) || (/[+-]/.test(source[j] as string) && /[eE]/.test(source[j - 1] as string) && !/^0[xX]/.test(source.slice(i, j))))
      )
        j++;
      push('num', line);
      i = j;
    } else if (c === '"' || c === "'") {
      const start = line;
      let j = i + 1;
      while (j < n && source[j] !== c && source[j] !== '\n') j += source[j] === '\\' ? 2 : 1;
      push('str', start);
      i = j + 1;
    } else if (c === '`') {
      i++;
      templateText();
    } else if (c === '/' && regexAllowed(tokens[tokens.length - 1]?.kind)) {
      const end = regexEnd(source, i);
      if (end < 0) {
        push('/', line);
        i++;
      } else {
        push('re', line);
        i = end;
      }
    } else if (c === '{') {
      braces.push('{');
      push('{', line);
      i++;
    } else if (c === '}') {
      const opened = braces.pop();
      if (opened === '${') {
        push('}', line);
        i++;
        templateText();
      } else {
        push('}', line);
        i++;
      }
    } else {
      const punctuator = PUNCTUATORS.find((p) => source.startsWith(p, i)) ?? c;
      push(punctuator, line);
      i += punctuator.length;
    }
  }
  return tokens;
}

function regexAllowed(previous: string | undefined): boolean {
  if (previous === undefined) return true;
  if (previous === 'id' || previous === 'num' || previous === 'str' || previous === 're' || previous === ')' || previous === ']' || previous === '}')
    return false;
  if (/^[a-z]/.test(previous)) return BEFORE_REGEX.has(previous);
  return true;
}

/** The index just past a regular expression literal's flags, or -1 when the line ends first (then it was a division after all). */
function regexEnd(source: string, start: number): number {
  let inClass = false;
  for (let j = start + 1; j < source.length; j++) {
    const c = source[j];
    if (c === '\n') return -1;
    if (c === '\\') j++;
    else if (c === '[') inClass = true;
    else if (c === ']') inClass = false;
    else if (c === '/' && !inClass) {
      let k = j + 1;
      while (k < source.length && /[a-z]/i.test(source[k] as string)) k++;
      return k;
    }
  }
  return -1;
}
