/**
 * Lays out a fresh folder for one grade: `src/` from the submission, `tests/` from the chosen suite (the
 * workspace layout of docs/formats.md §6). The submission folder is only read, never written.
 */
import { createHash } from 'node:crypto';
import { lstat, mkdir, mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { FolderLimitError, readFolder } from '../core/io/files';
import { SCRATCH_PREFIX } from './child-process';
import type { Suite } from './types';

export class SubmissionError extends Error {}

export interface Layout {
  dir: string;
  testFiles: string[];
  /** SHA-256 of every file laid out in tests/ (names and contents): what a cached suite bundle must match. */
  testsDigest: string;
}

/** The prefixes of the folders a grader makes in its work folder (layouts, suite warm-ups): a sweep removes only those. */
const LAYOUT_PREFIX = 'mlops-layout-';
export const WARM_PREFIX = 'mlops-warm-';

/**
 * Where grading lays out its folders when the caller names none. esbuild reads every folder above a layout while it
 * resolves imports, so callers pass a folder of their own (the extension's global storage, the CLI's cache): a
 * crowded /tmp (11,000 entries on one development machine) cost each of a grade's builds about 7 ms.
 */
export function defaultWorkDir(): string {
  return tmpdir();
}

/**
 * Removes what killed processes left in `workDir`, which a reboot never empties (it is outside /tmp): layouts older
 * than `maxAgeMs` (a grade lasts seconds, so a day-old layout belongs to no one; two windows share the folder), and
 * grading children's scratch folders whose grading process is gone (a kept child may idle for days, so age cannot
 * tell). Best effort.
 */
export async function sweepStaleLayouts(workDir: string, maxAgeMs = 24 * 60 * 60 * 1000, now = Date.now()): Promise<void> {
  const names = await readdir(workDir).catch(() => [] as string[]);
  for (const name of names) {
    const dir = path.join(workDir, name);
    let stale = false;
    if (name.startsWith(LAYOUT_PREFIX) || name.startsWith(WARM_PREFIX)) {
      const info = await stat(dir).catch(() => undefined);
      stale = info !== undefined && now - info.mtimeMs > maxAgeMs;
    } else if (name.startsWith(SCRATCH_PREFIX)) {
      const pid = Number(/^(\d+)-/.exec(name.slice(SCRATCH_PREFIX.length))?.[1]);
      stale = Number.isInteger(pid) && pid > 0 && !processAlive(pid);
    }
    if (stale) await rm(dir, { recursive: true, force: true }).catch(() => undefined);
  }
}

/** Whether a process with this pid exists (one of another user's counts: it cannot be signalled, but it is there). */
function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * `only` names the test files to run (paths under tests/, e.g. "zero.test.ts"); all of them when absent. The
 * workspace suite takes tests/ from the submission itself (what the candidate has there), the others from the lab.
 */
export async function layOut(labDir: string, submissionDir: string, suite: Suite, only?: readonly string[], workDir = defaultWorkDir()): Promise<Layout> {
  const srcDir = path.join(submissionDir, 'src');
  // src/ itself must be a real folder: a link would let a submission grade files from anywhere on the machine.
  const info = await lstat(srcDir).catch(() => undefined);
  if (!info) throw new SubmissionError('src/ is missing');
  if (info.isSymbolicLink()) throw new SubmissionError("src/ is a link; a submission's src/ must be a real folder holding its files");
  if (!info.isDirectory()) throw new SubmissionError("src is not a folder; a submission's code goes in a folder named src/");
  const src = await readSubmissionFolder(srcDir, 'src/');
  if (suite === 'workspace' && (await lstat(path.join(submissionDir, 'tests')).catch(() => undefined))?.isSymbolicLink())
    throw new SubmissionError("tests/ is a link; the workspace's tests/ must be a real folder holding its files");
  const tests =
    suite === 'workspace'
      ? await readSubmissionFolder(path.join(submissionDir, 'tests'), 'tests/')
      : await readFolder(path.join(labDir, 'tests', suite), { files: 1000, bytes: 50 * 1024 * 1024 }, `tests/${suite}`);
  await mkdir(workDir, { recursive: true, mode: 0o700 });
  const dir = await mkdtemp(path.join(workDir, LAYOUT_PREFIX));
  await writeAll(path.join(dir, 'src'), src);
  await writeAll(path.join(dir, 'tests'), tests);
  const testFiles = [...tests.keys()]
    .filter((name) => !name.includes('/') && /\.test\.[cm]?[jt]s$/.test(name) && (!only || only.includes(name)))
    .sort()
    .map((name) => path.join(dir, 'tests', name));
  return { dir, testFiles, testsDigest: digest(tests) };
}

function digest(files: ReadonlyMap<string, Buffer>): string {
  const hash = createHash('sha256');
  for (const name of [...files.keys()].sort()) hash.update(`${name}\0${files.get(name)?.length ?? 0}\0`).update(files.get(name) ?? '');
  return hash.digest('hex');
}

/** A folder of the submission, read within the limits for submissions (links are skipped, never followed). */
async function readSubmissionFolder(dir: string, label: string): Promise<Map<string, Buffer>> {
  try {
    return await readFolder(dir, undefined, label);
  } catch (error) {
    if (error instanceof FolderLimitError) throw new SubmissionError(error.message);
    throw error;
  }
}

async function writeAll(root: string, files: Map<string, Buffer>): Promise<void> {
  await mkdir(root, { recursive: true });
  for (const [relative, content] of files) {
    const target = path.join(root, relative);
    await mkdir(path.dirname(target), { recursive: true });
    await writeFile(target, content);
  }
}
