/**
 * Where a pack comes from: a folder is used where it is; a .zip is unpacked safely (src/core/io/zip.ts) into a
 * cache folder named by the zip's SHA-256, so the same zip is unpacked once and a changed zip never reuses
 * a stale copy. A pack.json with `checksums` is checked against the files unpacked.
 */
import { createReadStream } from 'node:fs';
import { readFile, readdir, rm, stat } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import * as path from 'node:path';
import { readFolder } from '../io/files';
import { checksumMismatches } from './pack-build';
import type { LoadProblem } from '../catalog/problems';
import { extractZip, PACK_ZIP_LIMITS } from '../io/zip';

export interface PackSource {
  /** The setting's value or the path given: a folder or a .zip. */
  source: string;
  kind: 'folder' | 'zip';
  /** The folder holding pack.json. */
  dir: string;
  /** For zips: the SHA-256 of the file, which trust is granted to. */
  sha256?: string;
}

export class PackSourceError extends Error {
  constructor(
    readonly file: string,
    message: string,
  ) {
    super(message);
  }
}

export const isZipPath = (p: string): boolean => p.toLowerCase().endsWith('.zip');

/** The cache folder a zip's copy is unpacked into: named by its SHA-256. */
export const copyName = (sha256: string): string => sha256.slice(0, 32);

/**
 * Opens a pack folder, or a zip through its unpacked copy. `hold` is told the copy's name before the copy is
 * looked at or made, so another window that cleans the cache never removes it meanwhile (pack-cache.ts).
 */
export async function openPackSource(source: string, cacheRoot: string, hold?: (copy: string) => Promise<void>, recheck = false): Promise<PackSource> {
  const info = await stat(source).catch(() => undefined);
  if (!info) throw new PackSourceError(source, 'not found');
  if (info.isDirectory()) {
    if (!(await stat(path.join(source, 'pack.json')).catch(() => undefined))) throw new PackSourceError(source, 'the folder holds no pack.json');
    return { source, kind: 'folder', dir: source };
  }
  if (!isZipPath(source)) throw new PackSourceError(source, 'a lab pack is a folder holding pack.json or a .zip of one');
  const digest = await fileSha256(source);
  await hold?.(copyName(digest));
  const target = path.join(cacheRoot, copyName(digest));
  // A cache others could write to (or a copy edited since) is checked again before it is trusted.
  if (recheck && (await stat(target).catch(() => undefined))) {
    try {
      await verifyChecksums(await findPackRoot(target, source), source);
    } catch {
      await rm(target, { recursive: true, force: true });
    }
  }
  if (!(await stat(target).catch(() => undefined))) {
    try {
      await extractZip(source, target, PACK_ZIP_LIMITS);
    } catch (error) {
      // Another window may have unpacked the same zip at the same moment; its copy is as good as ours.
      if (!(await stat(target).catch(() => undefined))) throw new PackSourceError(source, (error as Error).message);
      return { source, kind: 'zip', dir: await findPackRoot(target, source), sha256: digest };
    }
    // Checked once, when unpacked: the cache folder's name pins the zip's content from then on.
    try {
      await verifyChecksums(await findPackRoot(target, source), source);
    } catch (error) {
      await rm(target, { recursive: true, force: true });
      throw error;
    }
  }
  return { source, kind: 'zip', dir: await findPackRoot(target, source), sha256: digest };
}

/** pack.json at the zip's root, or inside its one top folder (a zipped folder). */
async function findPackRoot(dir: string, source: string): Promise<string> {
  if (await stat(path.join(dir, 'pack.json')).catch(() => undefined)) return dir;
  const entries = (await readdir(dir, { withFileTypes: true })).filter((e) => !e.name.startsWith('.'));
  const only = entries.length === 1 && entries[0]?.isDirectory() ? path.join(dir, entries[0].name) : undefined;
  if (only && (await stat(path.join(only, 'pack.json')).catch(() => undefined))) return only;
  throw new PackSourceError(source, 'the zip holds no pack.json at its root or in its one top folder');
}

async function verifyChecksums(dir: string, source: string): Promise<void> {
  let checksums: Record<string, string> | undefined;
  try {
    checksums = (JSON.parse(await readFile(path.join(dir, 'pack.json'), 'utf8')) as { checksums?: Record<string, string> }).checksums;
  } catch {
    return; // the catalog reports an unreadable pack.json with its reason
  }
  if (!checksums || typeof checksums !== 'object') return;
  const files = await readFolder(dir, { files: PACK_ZIP_LIMITS.files, bytes: PACK_ZIP_LIMITS.bytes });
  const mismatches = checksumMismatches(checksums, files);
  if (mismatches.length)
    throw new PackSourceError(
      source,
      `the pack's files differ from its checksums: ${mismatches.slice(0, 3).join('; ')}${mismatches.length > 3 ? ` (and ${mismatches.length - 3} more)` : ''}`,
    );
}

export function fileSha256(file: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256');
    createReadStream(file)
      .on('data', (chunk) => hash.update(chunk))
      .on('error', reject)
      .on('end', () => resolve(hash.digest('hex')));
  });
}

/** Opens each source in turn; one that fails is reported with its file and reason, and the rest still open. */
export async function openPackSources(
  sources: readonly string[],
  cacheRoot: string,
  hold?: (copy: string) => Promise<void>,
  recheck = false,
): Promise<{ opened: PackSource[]; problems: LoadProblem[] }> {
  const opened: PackSource[] = [];
  const problems: LoadProblem[] = [];
  for (const source of sources) {
    try {
      opened.push(await openPackSource(source, cacheRoot, hold, recheck));
    } catch (error) {
      if (error instanceof PackSourceError) problems.push({ file: error.file, message: error.message });
      else problems.push({ file: source, message: `cannot open: ${(error as Error).message}` });
    }
  }
  return { opened, problems };
}
