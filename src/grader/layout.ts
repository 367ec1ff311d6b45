/**
 * Lays out a fresh folder for one grade: `src/` from the submission, `tests/` from the chosen suite (the
 * workspace layout of docs/formats.md §6). The submission folder is only read, never written.
 */
import { copyFile, lstat, mkdir, mkdtemp, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { Suite } from './types';

/** Limits on what a submission's src/ may hold: enough for any lab, too little to hurt the grader. */
export const SUBMISSION_LIMITS = { files: 200, bytes: 5 * 1024 * 1024 };

export class SubmissionError extends Error {}

export interface Layout {
  dir: string;
  testFiles: string[];
}

export async function layOut(labDir: string, submissionDir: string, suite: Suite): Promise<Layout> {
  const dir = await mkdtemp(path.join(tmpdir(), 'mlops-layout-'));
  const budget = { files: 0, bytes: 0 };
  await copyTree(path.join(submissionDir, 'src'), path.join(dir, 'src'), budget, 'src');
  await copyTree(path.join(labDir, 'tests', suite), path.join(dir, 'tests'), { files: 0, bytes: 0 }, `tests/${suite}`);
  const testFiles = (await readdir(path.join(dir, 'tests')))
    .filter((name) => /\.test\.[cm]?[jt]s$/.test(name))
    .sort()
    .map((name) => path.join(dir, 'tests', name));
  return { dir, testFiles };
}

async function copyTree(from: string, to: string, budget: { files: number; bytes: number }, label: string): Promise<void> {
  let entries;
  try {
    entries = await readdir(from, { withFileTypes: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new SubmissionError(`${label}/ is missing`);
    throw error;
  }
  await mkdir(to, { recursive: true });
  for (const entry of entries) {
    const source = path.join(from, entry.name);
    const target = path.join(to, entry.name);
    // Links are skipped: a submission must not point the grader at files outside it.
    if (entry.isSymbolicLink()) continue;
    if (entry.isDirectory()) {
      if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
      await copyTree(source, target, budget, `${label}/${entry.name}`);
    } else if (entry.isFile()) {
      const { size } = await lstat(source);
      budget.files += 1;
      budget.bytes += size;
      if (budget.files > SUBMISSION_LIMITS.files) throw new SubmissionError(`${label} holds more than ${SUBMISSION_LIMITS.files} files`);
      if (budget.bytes > SUBMISSION_LIMITS.bytes) throw new SubmissionError(`${label} holds more than ${SUBMISSION_LIMITS.bytes / 1024 / 1024} MB`);
      await copyFile(source, target);
    }
  }
}
