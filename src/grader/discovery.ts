/**
 * Finds the tests in a lab workspace's test files without running them: each `describe`/`suite` and
 * `it`/`test` call of node:test (also when imported under another name, as a default or namespace import),
 * with its place in the file, nested as written. A file that does not parse is reported on that file, with
 * whatever could still be read, and never hides the other files. Also reads each file's relative imports, so
 * a save in src/ re-runs only the test files that reach the saved file.
 */
import { parse, type ParserOptions } from '@babel/parser';
import * as path from 'node:path';

export interface DiscoveredTest {
  /** The name given in the source, or undefined when it is computed (a template with values, a variable). */
  label: string;
  /** The describe path and the name joined with " > ", as the grader reports a result; undefined when not knowable. */
  fullName: string | undefined;
  kind: 'suite' | 'test';
  /** 1-based line and column of the call. */
  line: number;
  column: number;
  children: DiscoveredTest[];
}

export interface DiscoveredFile {
  /** Workspace-relative path with forward slashes, e.g. "tests/zero.test.ts". */
  file: string;
  tests: DiscoveredTest[];
  /** Why the file could not be read whole: a syntax error, with its place. */
  error?: { message: string; line: number; column: number };
}

const PARSER: ParserOptions = {
  sourceType: 'module',
  plugins: ['typescript', 'jsx', 'importAttributes'],
  errorRecovery: true,
  allowReturnOutsideFunction: true,
  allowAwaitOutsideFunction: true,
};

type Node = { type: string; loc?: { start: { line: number; column: number } } | null; [key: string]: unknown };
/** What this module reads of Babel's result: the program's statements and the errors it recovered from. */
type ParseResult<T> = { program: { body: T[] }; errors?: unknown[] };

const TEST_MODULES = new Set(['node:test', 'test']);
const KINDS: Record<string, 'suite' | 'test'> = { describe: 'suite', suite: 'suite', it: 'test', test: 'test' };

/** The test files of a workspace are the ones node:test would pick up in tests/: `*.test.ts` and friends. */
export const isTestFile = (file: string): boolean => /\.test\.[cm]?[jt]sx?$/.test(file);

function parseSource(file: string, text: string): { ast: ParseResult<Node> | undefined; error?: DiscoveredFile['error'] } {
  try {
    const ast = parse(text, { ...PARSER, sourceFilename: file }) as unknown as ParseResult<Node>;
    const first = ast.errors?.[0] as { reasonCode?: string; message?: string; loc?: { line: number; column: number } } | undefined;
    return first ? { ast, error: syntaxError(first) } : { ast };
  } catch (thrown) {
    const error = syntaxError(thrown as { message?: string; loc?: { line: number; column: number } });
    // An error Babel cannot recover from: read what comes before its line, so the tests above it still show.
    try {
      const before = text
        .split('\n')
        .slice(0, error.line - 1)
        .join('\n');
      return { ast: parse(before, { ...PARSER, sourceFilename: file }) as unknown as ParseResult<Node>, error };
    } catch {
      return { ast: undefined, error };
    }
  }
}

function syntaxError(error: { message?: string; loc?: { line: number; column: number } }): NonNullable<DiscoveredFile['error']> {
  const line = error.loc?.line ?? 1;
  const column = (error.loc?.column ?? 0) + 1;
  // Babel appends "(line:column)" to its messages; the place travels separately.
  const message = `Syntax error: ${(error.message ?? 'the file could not be read').replace(/\s*\(\d+:\d+\)$/, '')}`;
  return { message, line, column };
}

/** The local names under which this file imports node:test's functions. */
function testBindings(ast: ParseResult<Node>): { direct: Map<string, 'suite' | 'test'>; namespaces: Set<string> } {
  const direct = new Map<string, 'suite' | 'test'>();
  const namespaces = new Set<string>();
  for (const statement of ast.program.body) {
    if (statement.type !== 'ImportDeclaration' || !TEST_MODULES.has(String((statement['source'] as { value: unknown }).value))) continue;
    for (const spec of statement['specifiers'] as Node[]) {
      const local = String((spec['local'] as { name: string }).name);
      if (spec.type === 'ImportDefaultSpecifier') direct.set(local, 'test');
      else if (spec.type === 'ImportNamespaceSpecifier') namespaces.add(local);
      else {
        const imported = spec['imported'] as { name?: string; value?: string };
        const kind = KINDS[imported.name ?? imported.value ?? ''];
        if (kind) direct.set(local, kind);
      }
    }
  }
  // A file that does not import node:test (globals, a helper re-exporting it) is read by the usual names.
  if (direct.size === 0 && namespaces.size === 0) for (const [name, kind] of Object.entries(KINDS)) direct.set(name, kind);
  return { direct, namespaces };
}

/** `it`, `it.only`, `t.describe`, `describe.skip`…: the kind of test call, or undefined for any other call. */
function kindOf(callee: Node, bindings: ReturnType<typeof testBindings>): 'suite' | 'test' | undefined {
  if (callee.type === 'Identifier') return bindings.direct.get(String(callee['name']));
  if (callee.type !== 'MemberExpression' || callee['computed']) return undefined;
  const object = callee['object'] as Node;
  const property = String((callee['property'] as { name?: string }).name);
  if (object.type === 'Identifier' && bindings.namespaces.has(String(object['name']))) return KINDS[property];
  // describe.skip / it.only / test.todo
  if (['skip', 'only', 'todo'].includes(property)) return kindOf(object, bindings);
  return undefined;
}

function literalName(node: Node | undefined): string | undefined {
  if (!node) return undefined;
  if (node.type === 'StringLiteral') return String(node['value']);
  if (node.type === 'TemplateLiteral' && (node['expressions'] as unknown[]).length === 0)
    return String(((node['quasis'] as { value: { cooked: string } }[])[0]?.value.cooked ?? '') as string);
  return undefined;
}

/** A node's fields that may hold child nodes: everything but positions, Babel's extras and comments. */
function childValues(node: Node): unknown[] {
  return Object.entries(node)
    .filter(([key]) => key !== 'loc' && key !== 'start' && key !== 'end' && key !== 'extra' && !key.endsWith('Comments'))
    .map(([, value]) => value);
}

/** Finds the tests of one file. */
export function discoverTests(file: string, text: string): DiscoveredFile {
  const { ast, error } = parseSource(file, text);
  const result: DiscoveredFile = { file, tests: [], ...(error ? { error } : {}) };
  if (!ast) return result;
  const bindings = testBindings(ast);
  const visit = (node: unknown, into: DiscoveredTest[], names: (string | undefined)[]): void => {
    if (Array.isArray(node)) {
      for (const child of node) visit(child, into, names);
      return;
    }
    if (!node || typeof node !== 'object' || typeof (node as Node).type !== 'string') return;
    const n = node as Node;
    if (n.type === 'CallExpression') {
      const kind = kindOf(n['callee'] as Node, bindings);
      if (kind) {
        const args = n['arguments'] as Node[];
        const name = literalName(args[0]);
        const path = [...names, name];
        const known = path.every((part) => part !== undefined);
        const test: DiscoveredTest = {
          label: name ?? '(a computed name)',
          fullName: known ? path.join(' > ') : undefined,
          kind,
          line: n.loc?.start.line ?? 1,
          column: (n.loc?.start.column ?? 0) + 1,
          children: [],
        };
        into.push(test);
        for (const arg of args) visit(arg, test.children, path);
        return;
      }
    }
    for (const child of childValues(n)) visit(child, into, names);
  };
  visit(ast.program.body, result.tests, []);
  return result;
}

/** The module names a file imports or requires with a literal string: `./zero`, `../src/zero`, `node:test`. */
export function importsOf(file: string, text: string): string[] {
  const { ast } = parseSource(file, text);
  if (!ast) return [];
  const found = new Set<string>();
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (!node || typeof node !== 'object' || typeof (node as Node).type !== 'string') return;
    const n = node as Node;
    const source = n['source'] as Node | undefined;
    if ((n.type === 'ImportDeclaration' || n.type === 'ExportNamedDeclaration' || n.type === 'ExportAllDeclaration') && source) {
      const name = literalName(source);
      if (name !== undefined) found.add(name);
    }
    if (n.type === 'CallExpression' || n.type === 'ImportExpression') {
      const callee = n['callee'] as Node | undefined;
      const isRequire = callee?.type === 'Identifier' && callee['name'] === 'require';
      const isImport = n.type === 'ImportExpression' || callee?.type === 'Import';
      const first = n.type === 'ImportExpression' ? (n['source'] as Node) : (n['arguments'] as Node[])[0];
      const name = literalName(first);
      if ((isRequire || isImport) && name !== undefined) found.add(name);
    }
    for (const child of childValues(n)) visit(child);
  };
  visit(ast.program.body);
  return [...found];
}

const RESOLVE_SUFFIXES = ['', '.ts', '.tsx', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs', '.json', '/index.ts', '/index.js'];

/** A relative import as the workspace file it names (TypeScript's `.js` spelling of a `.ts` file included). */
function resolveImport(from: string, specifier: string, files: ReadonlySet<string>): string | undefined {
  if (!specifier.startsWith('.')) return undefined;
  const base = path.posix.normalize(path.posix.join(path.posix.dirname(from), specifier));
  const stems = [base, base.replace(/\.[cm]?js$/, '')];
  for (const stem of stems) for (const suffix of RESOLVE_SUFFIXES) if (files.has(stem + suffix)) return stem + suffix;
  return undefined;
}

/**
 * The test files to run again after `changed` files were saved: a changed test file itself, and every test file
 * that reaches a changed file through its relative imports (src/ modules importing each other included).
 * `sources` holds the text of every workspace file under src/ and tests/, by workspace-relative path.
 */
export function affectedTestFiles(changed: readonly string[], sources: ReadonlyMap<string, string>): string[] {
  const files = new Set(sources.keys());
  const imports = new Map<string, string[]>();
  const importsFor = (file: string): string[] => {
    let list = imports.get(file);
    if (!list) {
      list = importsOf(file, sources.get(file) ?? '')
        .map((spec) => resolveImport(file, spec, files))
        .filter((f): f is string => f !== undefined);
      imports.set(file, list);
    }
    return list;
  };
  const wanted = new Set(changed);
  const reaches = (start: string): boolean => {
    const seen = new Set<string>();
    const queue = [start];
    while (queue.length) {
      const file = queue.pop() as string;
      if (wanted.has(file)) return true;
      if (seen.has(file)) continue;
      seen.add(file);
      queue.push(...importsFor(file));
    }
    return false;
  };
  return [...files].filter((file) => file.startsWith('tests/') && isTestFile(file) && reaches(file)).sort();
}
