/**
 * Every graded attempt, and every set of files a reset replaced, kept in global storage:
 * `history/<pack>/<lab>/<attempt>/` with the files under `files/`, `attempt.json`, and the report when graded.
 * An attempt is written into a temp folder and renamed into place, so a crash leaves no half attempt.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { writeFileAtomic } from '../io/atomic-file';
import { systemClock, type Clock } from '../io/clock';
import { readFolder } from '../io/files';

export interface AttemptMeta {
  id: string;
  /** graded: a submit; reset: files a reset replaced; frozen: the files as they stood when a take-home's time ran out. */
  kind: 'graded' | 'reset' | 'frozen';
  at: string;
  files: string[];
  status?: 'pass' | 'fail' | 'error';
  points?: number;
  maxPoints?: number;
}

const INCOMING = '.incoming-';
const PUBLIC_RUN = 'public-run.json';

export class AttemptHistory {
  constructor(
    private readonly root: string,
    private readonly clock: Clock = systemClock,
  ) {}

  dir(labId: string): string {
    return path.join(this.root, ...labId.split('/'));
  }

  /** The stored copy of one file of an attempt. */
  filePath(labId: string, attemptId: string, relative: string): string {
    return path.join(this.dir(labId), attemptId, 'files', relative);
  }

  async save(
    labId: string,
    attempt: { kind: AttemptMeta['kind']; files: Map<string, Buffer>; report?: { status: AttemptMeta['status']; points: number; maxPoints: number } & object },
  ): Promise<AttemptMeta> {
    const now = this.clock.now();
    const id = `${now.toISOString().replace(/[:.]/g, '-')}-${randomBytes(3).toString('hex')}`;
    const dir = this.dir(labId);
    const incoming = path.join(dir, `${INCOMING}${id}`);
    const meta: AttemptMeta = {
      id,
      kind: attempt.kind,
      at: now.toISOString(),
      files: [...attempt.files.keys()],
      ...(attempt.report ? { status: attempt.report.status, points: attempt.report.points, maxPoints: attempt.report.maxPoints } : {}),
    };
    await mkdir(incoming, { recursive: true });
    for (const [relative, content] of attempt.files) {
      const target = path.join(incoming, 'files', relative);
      await mkdir(path.dirname(target), { recursive: true });
      await writeFile(target, content);
    }
    if (attempt.report) await writeFile(path.join(incoming, 'report.json'), `${JSON.stringify(attempt.report, null, 2)}\n`);
    await writeFile(path.join(incoming, 'attempt.json'), `${JSON.stringify(meta, null, 2)}\n`);
    await rename(incoming, path.join(dir, id));
    return meta;
  }

  /** Attempts, newest first. Half-written ones (a crash before the rename) are skipped and cleared away. */
  async list(labId: string): Promise<AttemptMeta[]> {
    const dir = this.dir(labId);
    const names = await readdir(dir).catch(() => [] as string[]);
    const attempts: AttemptMeta[] = [];
    for (const name of names) {
      if (name.startsWith(INCOMING)) {
        await rm(path.join(dir, name), { recursive: true, force: true });
        continue;
      }
      try {
        attempts.push(JSON.parse(await readFile(path.join(dir, name, 'attempt.json'), 'utf8')) as AttemptMeta);
      } catch {
        // Not an attempt folder, or one damaged by hand: leave it, list the rest.
      }
    }
    return attempts.sort((a, b) => b.id.localeCompare(a.id));
  }

  /** The files of one attempt (relative path → content). */
  async attemptFiles(labId: string, attemptId: string): Promise<Map<string, Buffer>> {
    return readFolder(path.join(this.dir(labId), attemptId, 'files'));
  }

  /** Keeps the latest public test run, which an exported submission carries. */
  async savePublicRun(labId: string, report: object): Promise<void> {
    await writeFileAtomic(path.join(this.dir(labId), PUBLIC_RUN), `${JSON.stringify(report, null, 2)}\n`);
  }

  async publicRun(labId: string): Promise<unknown> {
    return readFile(path.join(this.dir(labId), PUBLIC_RUN), 'utf8').then((t) => JSON.parse(t) as unknown, () => undefined);
  }

  async report(labId: string, attemptId: string): Promise<unknown> {
    return JSON.parse(await readFile(path.join(this.dir(labId), attemptId, 'report.json'), 'utf8'));
  }
}
