/** `mlops-labs grade`: one submission, or a folder of them in parallel with a CSV gradebook. */
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import * as path from 'node:path';
import type { Lab } from '../core/types';
import { Grader } from '../grader/grader';
import type { GradeMode, GradeReport, Suite } from '../grader/types';
import { HARNESS, UsageError } from './context';
import { formatReport, gradebookCsv, type Format } from './formats';
import { Progress } from './progress';

export interface GradeOptions {
  suite: Suite;
  mode: GradeMode;
}

export async function gradeOne(lab: Lab, folder: string, options: GradeOptions & { format: Format; out?: string }): Promise<number> {
  const grader = new Grader({ harness: HARNESS });
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

/** Grades every submission folder in `dir` across `jobs` workers, each with its own warm child. */
export async function gradeBatch(lab: Lab, dir: string, options: GradeOptions & { out: string; jobs?: number; quiet?: boolean }): Promise<BatchResult> {
  const started = performance.now();
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => {
    throw new UsageError(`cannot read the submissions folder ${dir}`);
  });
  const submissions = entries.filter((e) => e.isDirectory() && !e.name.startsWith('.')).map((e) => e.name).sort();
  if (submissions.length === 0) throw new UsageError(`no submission folders in ${dir}`);
  const jobs = Math.max(1, Math.min(options.jobs ?? availableParallelism(), submissions.length));
  await mkdir(path.join(options.out, 'reports'), { recursive: true });
  const progress = new Progress(submissions.length, options.quiet ?? false);
  const rows: BatchResult['rows'] = [];
  let next = 0;
  const worker = async () => {
    const grader = new Grader({ harness: HARNESS, warm: true });
    grader.prepare(lab);
    try {
      for (let i = next++; i < submissions.length; i = next++) {
        const name = submissions[i] ?? '';
        const report = await grader.grade({ lab, submissionDir: path.join(dir, name), suite: options.suite, mode: options.mode });
        await writeFile(path.join(options.out, 'reports', `${name}.json`), formatReport(report, 'json'));
        rows.push({ submission: name, report });
        progress.tick(name, `${report.status} ${report.points}/${report.maxPoints}`);
      }
    } finally {
      grader.dispose();
    }
  };
  await Promise.all(Array.from({ length: jobs }, worker));
  rows.sort((a, b) => a.submission.localeCompare(b.submission));
  await writeFile(path.join(options.out, 'gradebook.csv'), gradebookCsv(rows, lab.tasks));
  progress.done();
  return { rows, durationMs: performance.now() - started };
}
