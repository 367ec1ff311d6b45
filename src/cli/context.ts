/** What every command needs: the packs to load, the catalog, and a lab looked up by id or by folder. */
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { loadCatalog, type Catalog } from '../core/catalog';
import { CORE_PACK_ID, qualify } from '../core/ids';
import { validateLabManifest } from '../core/schemas';
import type { Lab } from '../core/types';
import { readFile } from 'node:fs/promises';

/** The repository (or installed extension) root: dist/cli.js sits one folder below it. */
export const PACKAGE_ROOT = path.resolve(__dirname, '..');
export const HARNESS = path.join(PACKAGE_ROOT, 'dist', 'grader-harness.js');

export class UsageError extends Error {}

export async function openCatalog(extraPacks: readonly string[] = []): Promise<Catalog> {
  return loadCatalog([PACKAGE_ROOT, ...extraPacks.map((p) => path.resolve(p))]);
}

/** A lab by qualified id, local id (any loaded pack, core first) or the path of a lab folder. */
export async function resolveLab(catalog: Catalog, reference: string): Promise<Lab> {
  const folder = path.resolve(reference);
  if (existsSync(path.join(folder, 'lab.json'))) return readLabFolder(folder, catalog);
  const byId = catalog.lab(reference) ?? catalog.lab(qualify(CORE_PACK_ID, reference)) ?? catalog.labs.find((l) => l.id === reference);
  if (!byId) {
    const known = catalog.labs.map((l) => l.qualifiedId).join(', ') || 'none';
    throw new UsageError(`no lab "${reference}": give a lab id (loaded: ${known}) or a folder holding lab.json`);
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
  return { ...checked.value, qualifiedId: qualify('local', checked.value.id), packId: 'local', dir };
}
