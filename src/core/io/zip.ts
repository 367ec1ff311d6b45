/**
 * Zips from strangers (lab packs, take-home submissions) read without trusting a byte of them: entry names by the
 * rules of zip-names.ts (the ones zip-write.ts keeps when it writes), sizes and counts within limits, no links.
 */
import { randomBytes } from 'node:crypto';
import { lstat, mkdir, rename, rm, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import type { Readable } from 'node:stream';
import * as yauzl from 'yauzl';
import { checkCollisions, entryNameProblem, ZipError, type EntryName } from './zip-names';

export { ZipError } from './zip-names';

declare module 'yauzl' {
  // yauzl 3 has these; @types/yauzl was written for 2.x.
  function getFileNameLowLevel(generalPurposeBitFlag: number, fileName: Buffer, extraFields: Entry['extraFields'], strictFileNames: boolean): string;
  interface Entry {
    fileNameRaw: Buffer;
  }
}

export interface ZipLimits {
  files: number;
  bytes: number;
  fileBytes: number;
}

const MiB = 1024 * 1024;
/** Packs: questions and labs, with the odd dataset or model. */
export const PACK_ZIP_LIMITS: ZipLimits = { files: 5000, bytes: 200 * MiB, fileBytes: 100 * MiB };
/** Submissions: a candidate's source files. */
export const SUBMISSION_ZIP_LIMITS: ZipLimits = { files: 2000, bytes: 20 * MiB, fileBytes: 5 * MiB };

const S_IFMT = 0o170000;
const S_IFREG = 0o100000;
const S_IFDIR = 0o040000;
const S_IFLNK = 0o120000;
const DOS_DIRECTORY = 0x10;

const TEMP_MARK = '.tmp-';

/** Reads every file entry into memory (directories omitted; relative POSIX paths). */
export async function readZip(zipFile: string, limits: ZipLimits): Promise<Map<string, Buffer>> {
  return readAll(() => openZipFile(zipFile), zipFile, limits);
}

/** Same, from a buffer (for tests and for zips already in memory). */
export async function readZipBuffer(data: Buffer, label: string, limits: ZipLimits): Promise<Map<string, Buffer>> {
  const openBuffer = () =>
    new Promise<yauzl.ZipFile>((resolve, reject) => yauzl.fromBuffer(data, readOptions(), (error, zip) => (error ? reject(error) : resolve(zip))));
  return readAll(openBuffer, label, limits);
}

/**
 * Unpacks into `targetDir`, which must not exist yet: writes into a temp sibling folder and renames it into
 * place, so a failure leaves nothing behind. Returns the relative paths written.
 */
export async function extractZip(zipFile: string, targetDir: string, limits: ZipLimits): Promise<string[]> {
  const target = path.resolve(targetDir);
  if (await lstat(target).catch(() => undefined)) throw new ZipError(zipFile, `cannot be unpacked into ${target}: it already exists`);
  await mkdir(path.dirname(target), { recursive: true });
  const temp = `${target}${TEMP_MARK}${process.pid}-${randomBytes(4).toString('hex')}`;
  try {
    const written = await withZip(
      () => openZipFile(zipFile),
      zipFile,
      async (zip) => {
        const { files, folders } = await scanEntries(zip, zipFile, limits);
        await mkdir(temp);
        for (const folder of folders) await mkdir(insideFolder(temp, folder, zipFile), { recursive: true });
        const reader = new DataReader(zip, zipFile, limits);
        for (const { name, entry } of files) {
          const file = insideFolder(temp, name, zipFile);
          const data = await reader.read(entry, name);
          await mkdir(path.dirname(file), { recursive: true });
          await writeFile(file, data, { flag: 'wx' });
        }
        return files.map((f) => f.name);
      },
    );
    await rename(temp, target);
    return written;
  } catch (error) {
    await rm(temp, { recursive: true, force: true });
    throw error;
  }
}

/** Error on zip-slip even though entry names were checked: the last word belongs to the real path. */
function insideFolder(folder: string, name: string, zipFile: string): string {
  const full = path.resolve(folder, ...name.split('/').filter(Boolean));
  if (!full.startsWith(folder + path.sep)) throw new ZipError(zipFile, 'points outside the folder it is unpacked into', name);
  return full;
}

/** Raw names (decodeStrings off), so our checks see backslashes before yauzl rewrites them. A fresh object each time: yauzl writes its defaults into it. */
const readOptions = (): yauzl.Options => ({ lazyEntries: true, autoClose: false, decodeStrings: false, validateEntrySizes: true });

const openZipFile = (zipFile: string) =>
  new Promise<yauzl.ZipFile>((resolve, reject) => yauzl.open(zipFile, readOptions(), (error, zip) => (error ? reject(error) : resolve(zip))));

async function readAll(openZip: () => Promise<yauzl.ZipFile>, zipFile: string, limits: ZipLimits): Promise<Map<string, Buffer>> {
  return withZip(openZip, zipFile, async (zip) => {
    const { files } = await scanEntries(zip, zipFile, limits);
    const reader = new DataReader(zip, zipFile, limits);
    const contents = new Map<string, Buffer>();
    for (const { name, entry } of files) contents.set(name, await reader.read(entry, name));
    return contents;
  });
}

/** Opens the zip, runs `use`, turns yauzl's and zlib's errors into ZipErrors, and always closes the file. */
async function withZip<T>(openZip: () => Promise<yauzl.ZipFile>, zipFile: string, use: (zip: yauzl.ZipFile) => Promise<T>): Promise<T> {
  let zip: yauzl.ZipFile;
  try {
    zip = await openZip();
  } catch (error) {
    throw asZipError(error, zipFile);
  }
  // After reading, yauzl reports only a failure to close the file, which leaves nothing to act on.
  zip.on('error', () => undefined);
  try {
    return await use(zip);
  } catch (error) {
    throw asZipError(error, zipFile);
  } finally {
    zip.close();
  }
}

/** File-system errors (they carry `syscall`) pass through; anything else yauzl or zlib raised means a bad zip. */
function asZipError(error: unknown, zipFile: string, entry?: string): unknown {
  if (error instanceof ZipError || !(error instanceof Error) || 'syscall' in error) return error;
  if (error.message.startsWith('End of central directory record signature not found')) return new ZipError(zipFile, 'is not a zip file');
  if (error.message.startsWith('too many bytes in the stream')) return new ZipError(zipFile, 'inflates to more bytes than its header declares', entry);
  if (error.message.startsWith('not enough bytes in the stream')) return new ZipError(zipFile, 'inflates to fewer bytes than its header declares', entry);
  return new ZipError(zipFile, `is damaged (${error.message})`, entry);
}

interface FileEntry {
  name: string;
  entry: yauzl.Entry;
}

/**
 * Reads the central directory and checks every entry (name, kind, encryption, sizes, collisions) before any
 * data is inflated. Folders come back without their trailing '/'.
 */
async function scanEntries(zip: yauzl.ZipFile, zipFile: string, limits: ZipLimits): Promise<{ files: FileEntry[]; folders: string[] }> {
  const files: FileEntry[] = [];
  const folders: string[] = [];
  const names: EntryName[] = [];
  let declaredBytes = 0;
  for (let entry = await nextEntry(zip); entry; entry = await nextEntry(zip)) {
    const name = yauzl.getFileNameLowLevel(entry.generalPurposeBitFlag, entry.fileNameRaw, entry.extraFields, true);
    const kind = entryKind(entry, name);
    if (kind === 'link') throw new ZipError(zipFile, 'is a symbolic link', name);
    if (kind === 'other') throw new ZipError(zipFile, 'is neither a file nor a folder', name);
    const problem = entryNameProblem(name, name.endsWith('/'));
    if (problem) throw new ZipError(zipFile, problem, name);
    const entryPath = name.replace(/\/$/, '');
    names.push({ name, path: entryPath, isFolder: kind === 'folder' });
    if (kind === 'folder') {
      // A bound on folders too, so a zip of nothing but folders cannot run on forever.
      if (folders.length >= limits.files) throw new ZipError(zipFile, `holds more than ${limits.files} folders`);
      folders.push(entryPath);
      continue;
    }
    if (entry.isEncrypted()) throw new ZipError(zipFile, 'is encrypted', name);
    if (entry.compressionMethod !== 0 && entry.compressionMethod !== 8) {
      throw new ZipError(zipFile, `uses compression method ${entry.compressionMethod}, which is not supported`, name);
    }
    if (files.length >= limits.files) throw new ZipError(zipFile, `holds more than ${limits.files} files`);
    if (entry.uncompressedSize > limits.fileBytes) {
      throw new ZipError(zipFile, `is ${formatSize(entry.uncompressedSize)} unpacked; a file may be at most ${formatSize(limits.fileBytes)}`, name);
    }
    declaredBytes += entry.uncompressedSize;
    if (declaredBytes > limits.bytes) throw new ZipError(zipFile, `unpacks to more than ${formatSize(limits.bytes)}`);
    files.push({ name, entry });
  }
  checkCollisions(names, zipFile);
  return { files, folders };
}

function entryKind(entry: yauzl.Entry, name: string): 'file' | 'folder' | 'link' | 'other' {
  const type = (entry.externalFileAttributes >>> 16) & S_IFMT;
  const namedAsFolder = name.endsWith('/');
  if (type === S_IFLNK) return 'link';
  // Zips made on Windows carry no Unix type: the name or the DOS attribute says it is a folder.
  if (type === 0) return namedAsFolder || entry.externalFileAttributes & DOS_DIRECTORY ? 'folder' : 'file';
  if (type === S_IFDIR) return namedAsFolder ? 'folder' : 'other';
  if (type === S_IFREG) return namedAsFolder ? 'other' : 'file';
  return 'other';
}

function nextEntry(zip: yauzl.ZipFile): Promise<yauzl.Entry | undefined> {
  return new Promise((resolve, reject) => {
    const settle = (): void => {
      zip.off('entry', onEntry);
      zip.off('end', onEnd);
      zip.off('error', onError);
    };
    const onEntry = (entry: yauzl.Entry): void => {
      settle();
      resolve(entry);
    };
    const onEnd = (): void => {
      settle();
      resolve(undefined);
    };
    const onError = (error: Error): void => {
      settle();
      reject(error);
    };
    zip.on('entry', onEntry);
    zip.on('end', onEnd);
    zip.on('error', onError);
    zip.readEntry();
  });
}

/**
 * Inflates entries, counting the bytes that actually come out. yauzl already stops an entry at its declared
 * size, and declared sizes were checked; this count is the second lock, should either ever give way.
 */
class DataReader {
  private total = 0;

  constructor(
    private readonly zip: yauzl.ZipFile,
    private readonly zipFile: string,
    private readonly limits: ZipLimits,
  ) {}

  async read(entry: yauzl.Entry, name: string): Promise<Buffer> {
    try {
      const stream = await new Promise<Readable>((resolve, reject) => this.zip.openReadStream(entry, (error, s) => (error ? reject(error) : resolve(s))));
      const chunks: Buffer[] = [];
      let size = 0;
      for await (const chunk of stream as AsyncIterable<Buffer>) {
        size += chunk.length;
        this.total += chunk.length;
        if (size > this.limits.fileBytes) throw new ZipError(this.zipFile, `inflates to more than ${formatSize(this.limits.fileBytes)}`, name);
        if (this.total > this.limits.bytes) throw new ZipError(this.zipFile, `unpacks to more than ${formatSize(this.limits.bytes)}`);
        chunks.push(chunk);
      }
      return Buffer.concat(chunks, size);
    } catch (error) {
      throw asZipError(error, this.zipFile, name);
    }
  }
}

function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  if (bytes < MiB) return `${+(bytes / 1024).toFixed(1)} KB`;
  return `${+(bytes / MiB).toFixed(1)} MB`;
}
