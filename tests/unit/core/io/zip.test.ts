import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import * as yauzl from 'yauzl';
import { extractZip, readZip, readZipBuffer, ZipError, type ZipLimits } from '../../../../src/core/io/zip';
import { writeZip, zipToBuffer } from '../../../../src/core/io/zip-write';
import { tempDir } from '../../helpers';
import { rawZip, unixMode, type RawEntry } from './zip-fixtures';

const LIMITS: ZipLimits = { files: 10, bytes: 10_000, fileBytes: 4_000 };

const sample = (): Map<string, Buffer | string> =>
  new Map<string, Buffer | string>([
    ['src/train.ts', 'export const epochs = 3;\n'],
    ['README.md', '# Lab\n'],
    ['data/weights.bin', Buffer.from([0, 1, 2, 255])],
  ]);

const asBuffers = (files: Map<string, Buffer | string>): Map<string, Buffer> =>
  new Map([...files].map(([name, content]) => [name, Buffer.isBuffer(content) ? content : Buffer.from(content)]));

/** The ZipError a read of `entries` fails with. */
async function readError(entries: RawEntry[], limits = LIMITS): Promise<ZipError> {
  const error: unknown = await readZipBuffer(rawZip(entries), 'hostile.zip', limits).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ZipError);
  return error as ZipError;
}

/** Unpacks `entries` into a fresh folder, expects a ZipError, and checks nothing is left behind. */
async function extractError(entries: RawEntry[], limits = LIMITS): Promise<ZipError> {
  const dir = await tempDir();
  const zipFile = path.join(dir, 'hostile.zip');
  await writeFile(zipFile, rawZip(entries));
  const parent = path.join(dir, 'unpacked');
  await mkdir(parent);
  const error: unknown = await extractZip(zipFile, path.join(parent, 'lab'), limits).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ZipError);
  expect(await readdir(parent)).toEqual([]);
  return error as ZipError;
}

describe('writing zips', () => {
  it('round-trips files and gives the same bytes for the same files, whatever their order', async () => {
    const files = sample();
    const zip = await zipToBuffer(files);
    expect(await readZipBuffer(zip, 'sample.zip', LIMITS)).toEqual(asBuffers(files));
    const reordered = new Map([...files].reverse());
    expect((await zipToBuffer(reordered)).equals(zip)).toBe(true);
  });

  it('writes entries sorted, with mode 0644 and a fixed timestamp', async () => {
    const data = await zipToBuffer(sample());
    const entries = await new Promise<yauzl.Entry[]>((resolve, reject) =>
      yauzl.fromBuffer(data, {}, (error, zip) => {
        if (error) return reject(error);
        const all: yauzl.Entry[] = [];
        zip.on('entry', (entry: yauzl.Entry) => all.push(entry));
        zip.on('end', () => resolve(all));
        zip.on('error', reject);
      }),
    );
    const seen = entries.map((e) => ({ name: e.fileName, mode: e.externalFileAttributes >>> 16, date: e.lastModFileDate, time: e.lastModFileTime }));
    expect(seen.map((e) => e.name)).toEqual(['README.md', 'data/weights.bin', 'src/train.ts']);
    for (const entry of seen) expect(entry).toMatchObject({ mode: 0o100644, date: 0x21, time: 0 });
  });

  it('writes a zip file atomically, which readZip reads back', async () => {
    const dir = await tempDir();
    const out = path.join(dir, 'nested', 'pack.zip');
    await writeZip(sample(), out);
    expect(await readdir(path.dirname(out))).toEqual(['pack.zip']);
    expect(await readZip(out, LIMITS)).toEqual(asBuffers(sample()));
    expect((await readFile(out)).equals(await zipToBuffer(sample()))).toBe(true);
  });

  it.each([['../x'], ['/abs'], ['C:\\x'], ['a\\b'], ['a//b'], ['./a'], ['dir/']])('refuses to write the entry name %j', async (name) => {
    await expect(zipToBuffer(new Map([[name, 'x']]))).rejects.toMatchObject({ name: 'ZipError', entry: name });
  });

  it('refuses names that collide on a case-insensitive disk, and leaves no file behind', async () => {
    const dir = await tempDir();
    const out = path.join(dir, 'pack.zip');
    await expect(
      writeZip(
        new Map([
          ['a.txt', '1'],
          ['A.txt', '2'],
        ]),
        out,
      ),
    ).rejects.toThrow(/pack\.zip: entry "a\.txt" collides with entry "A\.txt"/);
    expect(await readdir(dir)).toEqual([]);
  });
});

describe('extractZip', () => {
  it('writes the files and folders and returns the paths written', async () => {
    const dir = await tempDir();
    const zipFile = path.join(dir, 'lab.zip');
    await writeFile(zipFile, rawZip([{ name: 'empty/' }, { name: 'src/a.ts', data: 'a' }, { name: 'b.txt', data: 'b', method: 0 }]));
    const target = path.join(dir, 'out', 'lab');
    expect(await extractZip(zipFile, target, LIMITS)).toEqual(['src/a.ts', 'b.txt']);
    expect((await readdir(target)).sort()).toEqual(['b.txt', 'empty', 'src']);
    expect(await readFile(path.join(target, 'src', 'a.ts'), 'utf8')).toBe('a');
    expect(await readdir(path.join(dir, 'out'))).toEqual(['lab']);
  });

  it('refuses a target that already exists, and leaves it alone', async () => {
    const dir = await tempDir();
    const zipFile = path.join(dir, 'lab.zip');
    await writeZip(sample(), zipFile);
    const target = path.join(dir, 'lab');
    await mkdir(target);
    await writeFile(path.join(target, 'mine.txt'), 'keep');
    await expect(extractZip(zipFile, target, LIMITS)).rejects.toThrow(/already exists/);
    expect(await readdir(target)).toEqual(['mine.txt']);
  });
});

describe('hostile zips', () => {
  it.each([
    ['../x', /points outside the folder it is unpacked into/],
    ['a/../../x', /points outside/],
    ['/abs', /is an absolute path/],
    ['C:\\x', /is an absolute path/],
    ['C:x', /is an absolute path/],
    ['\\x', /is an absolute path/],
    ['a\\..\\b', /contains a backslash/],
    ['a//b', /empty or "\." path segment/],
    ['./a', /empty or "\." path segment/],
    ['a\u0000b', /control character/],
    ['a\nb', /control character/],
    ['', /empty name/],
  ])('refuses the entry name %j', async (name, reason) => {
    const error = await extractError([
      { name: 'ok.txt', data: 'fine' },
      { name, data: 'evil' },
    ]);
    expect(error.entry).toBe(name);
    expect(error.message).toMatch(reason);
    expect(error.message.startsWith(`hostile.zip: entry ${JSON.stringify(name)} `)).toBe(true);
  });

  it('names the zip file and the entry, as in the example', async () => {
    const error = await readError([{ name: '../evil.ts', data: 'x' }]);
    expect(error.message).toBe('hostile.zip: entry "../evil.ts" points outside the folder it is unpacked into');
    expect(error.zipFile).toBe('hostile.zip');
  });

  it('refuses symbolic links and entries that are neither file nor folder', async () => {
    const link = await extractError([{ name: 'link', data: '/etc/passwd', externalAttributes: unixMode(0o120777) }]);
    expect(link.message).toBe('hostile.zip: entry "link" is a symbolic link');
    const fifo = await readError([{ name: 'pipe', externalAttributes: unixMode(0o010644) }]);
    expect(fifo.message).toMatch(/"pipe" is neither a file nor a folder/);
    const folderNamedAsFile = await readError([{ name: 'dir', externalAttributes: unixMode(0o040755) }]);
    expect(folderNamedAsFile.message).toMatch(/neither a file nor a folder/);
  });

  it('refuses encrypted entries and unknown compression methods', async () => {
    expect((await extractError([{ name: 'secret.txt', data: 'x', flags: 0x1 }])).message).toBe('hostile.zip: entry "secret.txt" is encrypted');
    expect((await readError([{ name: 'a.txt', data: 'x', method: 14 }])).message).toMatch(/compression method 14, which is not supported/);
  });

  it('refuses duplicate names, names equal ignoring case, and files inside files', async () => {
    expect(
      (
        await extractError([
          { name: 'a.txt', data: '1' },
          { name: 'a.txt', data: '2' },
        ])
      ).message,
    ).toBe('hostile.zip: entry "a.txt" appears twice');
    expect(
      (
        await readError([
          { name: 'src/Model.ts', data: '1' },
          { name: 'SRC/model.ts', data: '2' },
        ])
      ).message,
    ).toMatch(/entry "SRC\/model\.ts" collides with entry "src\/Model\.ts": they are the same path on Windows and macOS/);
    expect(
      (
        await readError([
          { name: 'a', data: '1' },
          { name: 'a/', externalAttributes: unixMode(0o040755) },
        ])
      ).message,
    ).toMatch(/both a file and a folder/);
    const inside = await readError([
      { name: 'a/b/c.txt', data: '1' },
      { name: 'A/b', data: '2' },
    ]);
    expect(inside.message).toBe('hostile.zip: entry "a/b/c.txt" sits inside "A/b", which is a file');
  });

  it('refuses a file whose declared size is over the limit before inflating it', async () => {
    const error = await extractError([{ name: 'big.bin', data: Buffer.alloc(5_000) }]);
    expect(error.message).toBe('hostile.zip: entry "big.bin" is 4.9 KB unpacked; a file may be at most 3.9 KB');
  });

  it('refuses too many files, and too many bytes in all', async () => {
    const many = Array.from({ length: 11 }, (_, i) => ({ name: `f${i}.txt`, data: 'x' }));
    expect((await extractError(many)).message).toBe('hostile.zip: holds more than 10 files');
    const heavy = Array.from({ length: 3 }, (_, i) => ({ name: `f${i}.bin`, data: Buffer.alloc(3_500) }));
    expect((await extractError(heavy)).message).toBe('hostile.zip: unpacks to more than 9.8 KB');
  });

  it('stops a bomb whose headers declare a small size', async () => {
    const bomb: RawEntry[] = [{ name: 'bomb.bin', data: Buffer.alloc(50 * 1024 * 1024), declaredSize: 100 }];
    expect(rawZip(bomb).length).toBeLessThan(100_000);
    const error = await extractError(bomb, { files: 10, bytes: 1024 * 1024, fileBytes: 1024 * 1024 });
    expect(error.message).toBe('hostile.zip: entry "bomb.bin" inflates to more bytes than its header declares');
    expect(error.entry).toBe('bomb.bin');
  });

  it('says a file that is not a zip is not a zip file', async () => {
    const dir = await tempDir();
    const notZip = path.join(dir, 'notes.zip');
    await writeFile(notZip, 'just some text, not a zip at all');
    await expect(readZip(notZip, LIMITS)).rejects.toThrow(new ZipError(notZip, 'is not a zip file'));
    await expect(readZipBuffer(Buffer.alloc(0), 'empty.zip', LIMITS)).rejects.toThrow('empty.zip: is not a zip file');
    const target = path.join(dir, 'out');
    await expect(extractZip(notZip, target, LIMITS)).rejects.toBeInstanceOf(ZipError);
    expect(await readdir(dir)).toEqual(['notes.zip']);
  });
});
