/** `mlops-labs grade`: one submission, or a folder of them in parallel with a CSV gradebook. */
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import * as path from 'node:path';
import type { Lab } from '../core/catalog/types';
import { Grader } from '../grader/grader';
import type { GradeMode, GradeReport, Suite } from '../grader/types';
import { gradingWorkDir, HARNESS, UsageError } from './context';
import { formatReport, gradebookCsv, type Format } from './formats';
import { runGradingPool } from './grading-pool';
import { Progress } from './progress';

export interface GradeOptions {
  suite: Suite;
  mode: GradeMode;
}

/**
 * A single submission folder must hold src/: without it nothing can be graded, so it is a usage error that
 * says where the command looked and what it found, rather than a report of every test not run.
 */
export async function checkSubmissionFolder(lab: Lab, folder: string): Promise<void> {
  const dir = path.resolve(folder);
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => undefined);
  if (!entries) throw new UsageError(`${dir} is not a folder: give the submission's folder, the one holding src/`);
  if (entries.some((e) => e.name === 'src' && e.isDirectory())) return;
  const src = entries.find((e) => e.name === 'src');
  if (src)
    throw new UsageError(
      `${path.join(dir, 'src')} is ${src.isSymbolicLink() ? 'a link' : 'not a folder'}: a submission's src/ must be a real folder holding its files`,
    );
  const starter = new Set((await readdir(path.join(lab.dir, 'starter')).catch(() => [] as string[])).filter((f) => /\.[cm]?[jt]s$/.test(f)));
  const code = (name: string) => (starter.size ? starter.has(name) : /\.[cm]?[jt]s$/.test(name));
  const loose = entries.filter((e) => e.isFile() && code(e.name)).map((e) => e.name);
  const found = entries.length
    ? `it holds ${entries
        .slice(0, 6)
        .map((e) => (e.isDirectory() ? `${e.name}/` : e.name))
        .join(', ')}${entries.length > 6 ? ', …' : ''}`
    : 'it is empty';
  const hint = loose.length
    ? `: ${loose.join(', ')} ${loose.length === 1 ? 'is' : 'are'} at the top level; move ${loose.length === 1 ? 'it' : 'them'} into src/`
    : '';
  throw new UsageError(`${dir} has no src/ folder, where the grader reads the code of ${lab.id} (${found})${hint}`);
}

export async function gradeOne(lab: Lab, folder: string, options: GradeOptions & { format: Format; out?: string }): Promise<number> {
  await checkSubmissionFolder(lab, folder);
  const grader = new Grader({ harness: HARNESS, ...gradingWorkDir() });
  try {
    const report = await grader.grade({ lab, submissionDir: path.resolve(folder), suite: options.suite, mode: options.mode });
    const text = formatReport(report, options.format);
    if (options.out) await writeFile(options.out, text);
    else process.stdout.write(text);
    return report.status === 'pass' ? 0 : 1;
  } finally {
    grader.dispose();
  }
}

export interface BatchResult {
  rows: { submission: string; report: GradeReport }[];
  durationMs: number;
}

/** Grades every submission folder in `dir`, `jobs` at a time (more while some run long: grading-pool.ts), each worker with its own warm child. */
export async function gradeBatch(lab: Lab, dir: string, options: GradeOptions & { out: string; jobs?: number; quiet?: boolean }): Promise<BatchResult> {
  const started = performance.now();
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => {
    throw new UsageError(`cannot read the submissions folder ${dir}`);
  });
  const submissions = entries
    .filter((e) => e.isDirectory() && !e.name.startsWith('.'))
    .map((e) => e.name)
    .sort();
  if (submissions.length === 0) throw new UsageError(`no submission folders in ${dir}`);
  const jobs = Math.max(1, Math.min(options.jobs ?? availableParallelism(), submissions.length));
  await mkdir(path.join(options.out, 'reports'), { recursive: true });
  const progress = new Progress(submissions.length, options.quiet ?? false);
  const rows: BatchResult['rows'] = [];
  await runGradingPool(submissions, {
    jobs,
    // An explicit --jobs is exactly that many at once; by default a long grade lets another start (grading-pool.ts).
    maxJobs: options.jobs ? jobs : jobs * 2,
    newWorker: () => {
      const grader = new Grader({ harness: HARNESS, warm: true, overlap: true, ...gradingWorkDir() });
      grader.prepare(lab);
      return grader;
    },
    work: async (grader, name) => {
      const report = await grader.grade({ lab, submissionDir: path.join(dir, name), suite: options.suite, mode: options.mode });
      await writeFile(path.join(options.out, 'reports', `${name}.json`), formatReport(report, 'json'));
      rows.push({ submission: name, report });
      progress.tick(name, `${report.status} ${report.points}/${report.maxPoints}`);
    },
  });
  rows.sort((a, b) => a.submission.localeCompare(b.submission));
  await writeFile(path.join(options.out, 'gradebook.csv'), gradebookCsv(rows, lab.tasks));
  progress.done();
  return { rows, durationMs: performance.now() - started };
}
