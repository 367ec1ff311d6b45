/**
 * Lays out a fresh folder for one grade: `src/` from the submission, `tests/` from the chosen suite (the
 * workspace layout of docs/formats.md §6). The submission folder is only read, never written.
 */
import { createHash } from 'node:crypto';
import { lstat, mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { FolderLimitError, readFolder } from '../core/io/files';
import type { Suite } from './types';

export class SubmissionError extends Error {}

export interface Layout {
  dir: string;
  testFiles: string[];
  /** SHA-256 of every file laid out in tests/ (names and contents): what a cached suite bundle must match. */
  testsDigest: string;
}

/**
 * `only` names the test files to run (paths under tests/, e.g. "zero.test.ts"); all of them when absent. The
 * workspace suite takes tests/ from the submission itself (what the candidate has there), the others from the lab.
 */
export async function layOut(labDir: string, submissionDir: string, suite: Suite, only?: readonly string[]): Promise<Layout> {
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
  const dir = await mkdtemp(path.join(tmpdir(), 'mlops-layout-'));
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
