/**
 * Zips we write (packs, submissions) made deterministic: entries sorted by path, a fixed timestamp and mode, so
 * the same files always give the same bytes (and the same SHA-256). Names follow the reader's rules (zip.ts).
 */
import * as yazl from 'yazl';
import { writeFileAtomic } from './atomic-file';
import { checkCollisions, entryNameProblem, ZipError } from './zip-names';

/** DOS dates start in 1980; built from local fields because yazl writes local time, so every time zone gets the same bytes. */
const FIXED_MTIME = new Date(1980, 0, 1, 0, 0, 0);
const FILE_MODE = 0o100644;

/** Deterministic zip: entries sorted by path, fixed timestamp, mode 0644; the same files give the same bytes. */
export async function zipToBuffer(files: ReadonlyMap<string, Buffer | string>): Promise<Buffer> {
  return buildZip(files, 'new zip');
}

/** zipToBuffer written atomically (temp file + rename) to outFile, with the mode any new file gets (the umask decides). */
export async function writeZip(files: ReadonlyMap<string, Buffer | string>, outFile: string): Promise<void> {
  await writeFileAtomic(outFile, await buildZip(files, outFile), { mode: 0o666 });
}

async function buildZip(files: ReadonlyMap<string, Buffer | string>, zipFile: string): Promise<Buffer> {
  // Plain code-unit order, not localeCompare: the same on every machine and locale.
  const names = [...files.keys()].sort();
  for (const name of names) {
    const problem = entryNameProblem(name, false);
    if (problem) throw new ZipError(zipFile, problem, name);
  }
  checkCollisions(
    names.map((name) => ({ name, path: name, isFolder: false })),
    zipFile,
  );
  const zip = new yazl.ZipFile();
  for (const name of names) {
    const content = files.get(name) ?? '';
    zip.addBuffer(Buffer.isBuffer(content) ? content : Buffer.from(content, 'utf8'), name, {
      mtime: FIXED_MTIME,
      forceDosTimestamp: true,
      mode: FILE_MODE,
      compress: true,
    });
  }
  zip.end();
  const chunks: Buffer[] = [];
  for await (const chunk of zip.outputStream) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
  return Buffer.concat(chunks);
}
