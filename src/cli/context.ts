/** What every command needs: the packs to load, the catalog, and a lab looked up by id or by folder. */
import { chmodSync, existsSync, mkdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { labContents, loadCatalog, type Catalog } from '../core/catalog/catalog';
import { CORE_PACK_ID, qualify } from '../core/catalog/ids';
import { validateLabManifest } from '../core/catalog/manifests';
import type { Lab } from '../core/catalog/types';
import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { openPackSources } from '../core/packs/pack-source';

/** The repository (or installed extension) root, holding the built-in pack.json: one folder above dist/ (or, run from source, above src/cli/). */
export const PACKAGE_ROOT =
  [path.resolve(__dirname, '..'), path.resolve(__dirname, '../..')].find((dir) => existsSync(path.join(dir, 'pack.json'))) ?? path.resolve(__dirname, '..');
export const HARNESS = path.join(PACKAGE_ROOT, 'dist', 'grader-harness.js');

/** The version of mlops-labs (package.json), recorded in every take-home gradebook so shards graded by different versions are never merged. */
export const GRADER_VERSION = (JSON.parse(readFileSync(path.join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { version: string }).version;

export class UsageError extends Error {}

/**
 * How to run this CLI again from where it was run: `mlops-labs` when that name on PATH is this very script
 * (installed or linked), else `node <path to it>` relative to the current folder (a checkout).
 */
export function selfCommand(script = process.argv[1] ?? '', cwd = process.cwd(), pathVar = process.env['PATH'] ?? ''): string {
  const real = (file: string) => {
    try {
      return realpathSync(file);
    } catch {
      return undefined;
    }
  };
  const me = real(script);
  const onPath = pathVar.split(path.delimiter).some((dir) => dir && me !== undefined && real(path.join(dir, 'mlops-labs')) === me);
  if (onPath) return 'mlops-labs';
  const relative = path.relative(cwd, script) || script;
  return `node ${/\s/.test(relative) ? JSON.stringify(relative) : relative}`;
}

/**
 * Zip packs given on the command line are unpacked here, once per zip content: a private per-user cache (mode
 * 0700), never the shared temporary folder, where another user could plant or read a copy. Copies are checked
 * against their checksums again each time they are reused.
 */
export function packCache(env: NodeJS.ProcessEnv = process.env): string {
  return privateCacheDir('packs', env);
}

/** Parsed questions, kept between runs (src/core/catalog/question-cache.ts); undefined when no private cache folder can be made. */
export function questionCache(env: NodeJS.ProcessEnv = process.env): string | undefined {
  try {
    return privateCacheDir('questions', env);
  } catch {
    // Without a cache every run parses the questions again: slower, never wrong.
    return undefined;
  }
}

/**
 * Where graders lay out submissions (src/grader/layout.ts): a private folder outside /tmp, whose crowding slows
 * every esbuild resolve; the system's temp folder when no private folder can be made.
 */
export function gradingWorkDir(env: NodeJS.ProcessEnv = process.env): { workDir?: string } {
  try {
    return { workDir: privateCacheDir('grading', env) };
  } catch {
    return {};
  }
}

function privateCacheDir(name: string, env: NodeJS.ProcessEnv): string {
  const base = env['XDG_CACHE_HOME'] && path.isAbsolute(env['XDG_CACHE_HOME']) ? env['XDG_CACHE_HOME'] : path.join(homedir(), '.cache');
  const dir = path.join(base, 'mlops-labs', name);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const info = statSync(dir);
  if (typeof process.getuid === 'function' && info.uid !== process.getuid())
    throw new UsageError(`${dir} belongs to another user; set XDG_CACHE_HOME to a folder of yours`);
  if ((info.mode & 0o077) !== 0) chmodSync(dir, 0o700);
  return dir;
}

/** The built-in pack plus the packs given (folders or zips). */
export async function openCatalog(extraPacks: readonly string[] = []): Promise<Catalog> {
  const { opened, problems } = extraPacks.length
    ? await openPackSources(
        extraPacks.map((p) => path.resolve(p)),
        packCache(),
        undefined,
        true,
      )
    : { opened: [], problems: [] };
  const cacheDir = questionCache();
  return loadCatalog([PACKAGE_ROOT, ...opened.map((o) => o.dir)], problems, cacheDir ? { cacheDir } : {});
}

/** A lab by qualified id, local id (any loaded pack, core first) or the path of a lab folder. */
export async function resolveLab(catalog: Catalog, reference: string): Promise<Lab> {
  const folder = path.resolve(reference);
  if (existsSync(path.join(folder, 'lab.json'))) return readLabFolder(folder, catalog);
  const byId = catalog.lab(reference) ?? catalog.lab(qualify(CORE_PACK_ID, reference)) ?? catalog.labs.find((l) => l.id === reference);
  if (!byId) {
    const near = nearest(
      reference,
      catalog.labs.flatMap((l) => [l.id, l.qualifiedId]),
    );
    const known = catalog.labs.map((l) => l.qualifiedId).join(', ') || 'none';
    throw new UsageError(
      `no lab "${reference}"${near.length ? `. Did you mean ${near.map((n) => `"${n}"`).join(' or ')}?` : ''} Give a lab id (loaded: ${known}) or a folder holding lab.json`,
    );
  }
  return byId;
}

async function readLabFolder(dir: string, catalog: Catalog): Promise<Lab> {
  const known = catalog.labs.find((l) => path.resolve(l.dir) === dir);
  if (known) return known;
  const file = path.join(dir, 'lab.json');
  let data: unknown;
  try {
    data = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    throw new UsageError(`${file}: not valid JSON: ${(error as Error).message}`);
  }
  const checked = validateLabManifest(data);
  if (!checked.ok) throw new UsageError(`${file}: ${checked.errors.join('; ')}`);
  return { ...checked.value, qualifiedId: qualify('local', checked.value.id), packId: 'local', dir, contents: await labContents(dir) };
}

/** Names within a few edits of `word` (typos, a missing word), closest first. */
export function nearest(word: string, names: readonly string[], max = 2): string[] {
  const limit = Math.max(2, Math.floor(word.length / 3));
  const scored = [...new Set(names)].map((name) => ({ name, d: editDistance(word.toLowerCase(), name.toLowerCase()) }));
  const close = scored.filter((s) => s.d <= limit || s.name.includes(word) || word.includes(s.name.split('/').pop() ?? s.name));
  // Prefer the short (local) spelling when both it and the qualified id are as close.
  return close
    .sort((a, b) => a.d - b.d || a.name.length - b.name.length)
    .slice(0, max)
    .map((s) => s.name);
}

/** Levenshtein distance, by rows. */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min((previous[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = row;
  }
  return previous[b.length] ?? 0;
}
