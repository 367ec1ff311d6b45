/** `mlops-labs pack init` and `pack build`: scaffold a pack, and build its student and full zips. */
import { mkdir, readdir, stat, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import type { Catalog } from '../core/catalog/catalog';
import { collectPackFiles, findLeaks, type BuildKind } from '../core/packs/pack-build';
import type { Pack } from '../core/catalog/types';
import { writeZip } from '../core/io/zip-write';
import { UsageError } from './context';
import { packTemplate } from './pack-template';

export async function initPack(dir: string, options: { id: string; name: string; author: string }): Promise<string[]> {
  const existing = await readdir(dir).catch(() => [] as string[]);
  if (existing.length) throw new UsageError(`${dir} is not empty; pack init writes only into a new or empty folder`);
  const files = await packTemplate(options);
  for (const [rel, text] of files) {
    const file = path.join(dir, ...rel.split('/'));
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, text, { flag: 'wx' });
  }
  return [...files.keys()];
}

export interface BuiltPack {
  file: string;
  files: number;
  bytes: number;
  excluded: string[];
}

/**
 * Writes `<id>-<version>-<kind>.zip` into the pack's own folder (or `out`); an existing zip is replaced only
 * with `force`. A student build that would leak a solution or hidden test is refused.
 */
export async function buildPack(catalog: Catalog, pack: Pack, kind: BuildKind, out: string | undefined, force = false): Promise<BuiltPack> {
  // Only pack.json and the folders it lists go into a build, so a zip beside pack.json never ends up in the next one.
  const file = path.resolve(out ?? path.join(pack.dir, `${pack.id}-${pack.version}-${kind}.zip`));
  if (!force && (await stat(file).catch(() => undefined))) throw new UsageError(`${file} exists; give --force to replace it, or --out <file> to write another`);
  const labs = catalog.labs.filter((l) => l.packId === pack.id);
  if (kind === 'student') {
    const withoutHidden = labs.filter((l) => !l.contents.hiddenTests || !l.contents.solution).map((l) => l.id);
    if (withoutHidden.length)
      throw new UsageError(
        `build the student pack from the full pack: ${withoutHidden.join(', ')} lack${withoutHidden.length === 1 ? 's' : ''} hidden tests or a solution here`,
      );
  }
  const build = await collectPackFiles(pack, labs, kind);
  if (kind === 'student') {
    const leaks = await findLeaks(pack, labs, build.files);
    if (leaks.length) throw new UsageError(`the student build would leak:\n  ${leaks.join('\n  ')}`);
  }
  await writeZip(build.files, file);
  const bytes = [...build.files.values()].reduce((n, b) => n + b.length, 0);
  return { file, files: build.files.size, bytes, excluded: build.excluded };
}
