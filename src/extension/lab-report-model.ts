import type { LabRecord } from '../core/labs/lab-state';
import type { Lab } from '../core/catalog/types';
import type { GradeReport } from '../grader/types';
import type { ReportPageModel } from '../render/report-page';
import { loadGrader } from './lazy';

/** What the report panel shows for a graded attempt, including the hints taken so far. */
export function reportModel(lab: Lab, report: GradeReport, record: LabRecord | undefined, gradedAt: Date): ReportPageModel {
  const hintsTaken = Math.min(record?.hintsTaken ?? 0, lab.hints.length);
  const grader = loadGrader();
  const p = report.protections;
  return {
    labTitle: lab.title,
    labId: lab.qualifiedId,
    status: report.status,
    points: report.points,
    maxPoints: report.maxPoints,
    message: report.message,
    durationMs: report.durationMs,
    gradedAt: gradedAt.toLocaleString(),
    tasks: report.tasks,
    // Tests the run never reached are counted once; the reason is the report's message, shown at the top.
    failures: report.tests
      .filter((t) => t.status !== 'pass' && !grader.isNotRun(t))
      .map((t) => ({ name: t.name, status: t.status, message: grader.failureText(t).join('\n'), ...(t.task_id !== undefined ? { taskId: t.task_id } : {}) })),
    notRun: report.tests.filter((t) => grader.isNotRun(t)).length,
    hints: { shown: lab.hints.slice(0, hintsTaken), remaining: lab.hints.length - hintsTaken },
    protections: `Graded in an isolated process: permission model ${p.permissionModel}, ${p.timeoutMs} ms limit, ${p.heapMb} MB heap, Node ${p.nodeVersion}.`,
    canShowSolution: record?.passed === true || report.status === 'pass',
  };
}
