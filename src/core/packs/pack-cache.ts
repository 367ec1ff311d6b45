/**
 * Unpacked copies of zip packs in global storage are shared by every window. Each window (one extension host
 * process) records the copies it uses in `.holders/<holder>.json`; a copy that no live holder records is
 * removed, so removing a pack frees its copy once the last window using it lets go. A holder whose process is
 * gone (a crashed window) counts as having let go.
 */
import { mkdir, readdir, readFile, rm, unlink } from 'node:fs/promises';
import * as path from 'node:path';
import { writeFileAtomic } from '../io/atomic-file';
import { fileLocker, type Locker } from '../io/file-lock';

/** A copy's folder name: the first 32 hex digits of its zip's SHA-256 (pack-source.ts). */
const COPY_NAME = /^[0-9a-f]{32}$/;
const HOLDERS = '.holders';

interface HolderFile {
  pid: number;
  copies: string[];
}

export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export class PackCopies {
  private held = new Set<string>();

  constructor(
    private readonly root: string,
    private readonly holder = `${process.pid}`,
    private readonly pid = process.pid,
    private readonly alive: (pid: number) => boolean = processAlive,
    private readonly locker: Locker = fileLocker(),
  ) {}

  /** Records a copy as used by this window before it is unpacked or read, so no other window removes it meanwhile. */
  async hold(copy: string): Promise<void> {
    if (this.held.has(copy)) return;
    this.held.add(copy);
    await this.locked(() => this.writeHolds());
  }

  /** After a load: this window uses exactly `copies`; every copy no live window uses is removed. Returns those removed. */
  async settle(copies: readonly string[]): Promise<string[]> {
    this.held = new Set(copies);
    return this.locked(async () => {
      await this.writeHolds();
      return this.collect();
    });
  }

  /** The window closes: it uses nothing any more. */
  async release(): Promise<string[]> {
    return this.settle([]);
  }

  private async writeHolds(): Promise<void> {
    const file = path.join(this.root, HOLDERS, `${this.holder}.json`);
    if (this.held.size === 0) await unlink(file).catch(() => undefined);
    else await writeFileAtomic(file, `${JSON.stringify({ pid: this.pid, copies: [...this.held].sort() } satisfies HolderFile)}\n`);
  }

  private async collect(): Promise<string[]> {
    const holdersDir = path.join(this.root, HOLDERS);
    const used = new Set<string>();
    for (const name of await readdir(holdersDir).catch(() => [] as string[])) {
      if (!name.endsWith('.json')) continue;
      const file = path.join(holdersDir, name);
      const holder = await readFile(file, 'utf8').then(
        (t) => JSON.parse(t) as HolderFile,
        () => undefined,
      );
      if (!holder || typeof holder.pid !== 'number' || !Array.isArray(holder.copies)) continue;
      if (!this.alive(holder.pid)) {
        await unlink(file).catch(() => undefined);
        continue;
      }
      for (const copy of holder.copies) used.add(copy);
    }
    const removed: string[] = [];
    for (const name of await readdir(this.root).catch(() => [] as string[])) {
      if (!COPY_NAME.test(name) || used.has(name)) continue;
      await rm(path.join(this.root, name), { recursive: true, force: true });
      removed.push(name);
    }
    return removed;
  }

  private async locked<R>(body: () => Promise<R>): Promise<R> {
    const holdersDir = path.join(this.root, HOLDERS);
    await mkdir(holdersDir, { recursive: true });
    const release = await this.locker(holdersDir);
    try {
      return await body();
    } finally {
      await release().catch(() => undefined);
    }
  }
}
