import { randomBytes } from 'node:crypto';
import { mkdir, open, readdir, rename, unlink } from 'node:fs/promises';
import * as path from 'node:path';

/** The file operations an atomic write needs; tests swap in failing ones to simulate a crash. */
export interface AtomicFs {
  rename(from: string, to: string): Promise<void>;
}

const TEMP_MARK = '.tmp-';

export interface AtomicWriteOptions {
  /** Flush the temp file to disk before the rename (default). Caches that are rebuilt when lost skip it. */
  flush?: boolean;
  /** The new file's mode: private (0600) unless it is made to be shared, as a pack zip is. */
  mode?: number;
  fs?: AtomicFs;
}

/**
 * Writes `text` to `file` so that a reader sees either the old or the new content, never a mix:
 * write a temp file in the same folder, flush it to disk, then rename it over the target.
 */
export async function writeFileAtomic(
  file: string,
  content: string | Buffer,
  { flush = true, mode = 0o600, fs = { rename } }: AtomicWriteOptions = {},
): Promise<void> {
  const dir = path.dirname(file);
  await mkdir(dir, { recursive: true });
  const temp = path.join(dir, `${path.basename(file)}${TEMP_MARK}${process.pid}-${randomBytes(4).toString('hex')}`);
  try {
    const handle = await open(temp, 'wx', mode);
    try {
      await handle.writeFile(content);
      if (flush) await handle.sync();
    } finally {
      await handle.close();
    }
    await fs.rename(temp, file);
  } catch (error) {
    await unlink(temp).catch(() => undefined);
    throw error;
  }
}

/** Removes temp files a crashed writer left beside `file`. */
export async function removeStaleTempFiles(file: string): Promise<void> {
  const dir = path.dirname(file);
  const prefix = `${path.basename(file)}${TEMP_MARK}`;
  const names = await readdir(dir).catch(() => [] as string[]);
  await Promise.all(names.filter((n) => n.startsWith(prefix)).map((n) => unlink(path.join(dir, n)).catch(() => undefined)));
}
