/**
 * `mlops-labs pack init`: the files of a new lab pack, copied from templates/pack/. That folder is a real pack
 * that validates as it stands, with one example of each kind (a question and a small lab with starter,
 * solution, public and hidden tests), so an author edits working content instead of reading the format from
 * scratch; `npm run test:labs` and tests/unit/cli/pack-template.test.ts check it like any lab.
 *
 * The template's own pack.json holds the placeholders: its `id`, `name` and `author`. A copy replaces them with
 * the new pack's inside the string values of pack.json (written out as JSON again, so any name is escaped) and
 * in Markdown files. Every other file is copied as it is, so only pack.json names the pack.
 */
import * as path from 'node:path';
import { LOCAL_ID } from '../core/catalog/ids';
import { readFolder } from '../core/io/files';
import { PACKAGE_ROOT } from './context';

export interface PackTemplateOptions {
  id: string;
  name: string;
  author: string;
}

/** The template shipped with the CLI: beside dist/ in the extension and the npm package, at the root of a checkout. */
export const PACK_TEMPLATE_DIR = path.join(PACKAGE_ROOT, 'templates', 'pack');

/** The fields of the template's pack.json whose values are placeholders. */
const PLACEHOLDER_FIELDS = ['id', 'name', 'author'] as const;

/** Relative path → content of a new pack, in the order an author reads them (pack.json first, then its README, questions, labs). */
export async function packTemplate(options: PackTemplateOptions, templateDir = PACK_TEMPLATE_DIR): Promise<Map<string, string>> {
  const { id, name, author } = options;
  if (!LOCAL_ID.test(id) || id.length > 64) throw new RangeError(`pack id "${id}" must be kebab-case (a-z, 0-9 and single hyphens), at most 64 characters`);
  if (id === 'core') throw new RangeError('pack id "core" is the built-in pack\'s: choose another');
  if (!name.trim()) throw new RangeError('the pack needs a name');
  if (!author.trim()) throw new RangeError('the pack needs an author');

  const files = await readFolder(templateDir);
  const manifestFile = path.join(templateDir, 'pack.json');
  const manifestText = files.get('pack.json');
  if (!manifestText) throw new Error(`${manifestFile} is missing: the pack template is incomplete`);
  const manifest = JSON.parse(manifestText.toString('utf8')) as Record<string, unknown>;
  const substitute = substitution(new Map(PLACEHOLDER_FIELDS.map((field) => [placeholder(manifest, field, manifestFile), options[field]])));

  const out = new Map<string, string>();
  for (const rel of [...files.keys()].sort(authoringOrder)) {
    const text = files.get(rel)?.toString('utf8') ?? '';
    if (rel === 'pack.json') out.set(rel, `${JSON.stringify(mapStrings(manifest, substitute), null, 2)}\n`);
    else out.set(rel, rel.endsWith('.md') ? substitute(text) : text);
  }
  return out;
}

function placeholder(manifest: Record<string, unknown>, field: string, file: string): string {
  const value = manifest[field];
  if (typeof value !== 'string' || !value)
    throw new Error(`${file}: "${field}" must be a non-empty string (it is the placeholder a new pack's ${field} replaces)`);
  return value;
}

/** Replaces every placeholder in one pass, longest first, so a value never has its own text replaced again. */
function substitution(values: ReadonlyMap<string, string>): (text: string) => string {
  const escaped = [...values.keys()].sort((a, b) => b.length - a.length).map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  const pattern = new RegExp(escaped.join('|'), 'g');
  return (text) => text.replace(pattern, (match) => values.get(match) ?? match);
}

function mapStrings(value: unknown, map: (text: string) => string): unknown {
  if (typeof value === 'string') return map(value);
  if (Array.isArray(value)) return value.map((v) => mapStrings(v, map));
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, mapStrings(v, map)]));
  return value;
}

/** Names in the order an author meets them, level by level; anything else after them, alphabetically. */
const READING_ORDER = ['pack.json', 'lab.json', 'README.md', 'questions', 'labs', 'starter', 'solution', 'tests', 'public', 'hidden', 'mutants', 'assets'];

function authoringOrder(a: string, b: string): number {
  const left = a.split('/');
  const right = b.split('/');
  for (let i = 0; i < Math.min(left.length, right.length); i++) {
    const [x = '', y = ''] = [left[i], right[i]];
    if (x === y) continue;
    const rank = (name: string) => (READING_ORDER.includes(name) ? READING_ORDER.indexOf(name) : READING_ORDER.length);
    return rank(x) - rank(y) || x.localeCompare(y);
  }
  return left.length - right.length;
}
