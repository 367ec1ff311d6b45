/**
 * Manual grading beside the automatic (docs/grading.md "Manual grading"): the grader writes a CSV with a
 * row per candidate, lab and task (`--manual-template`); the instructor names rubric items, gives points
 * out of a maximum and writes comments (adding rows for more items), and the next `grade --manual` merges
 * it back. Manual points add to the automatic ones, before any late penalty.
 */
import { csvLines, csvRecords } from './csv';

export const MANUAL_COLUMNS = ['candidate', 'name', 'lab', 'task', 'item', 'max_points', 'points', 'comment'] as const;

export interface ManualItem {
  lab: string;
  /** The task number, or undefined for a comment on the whole lab. */
  task?: number;
  item: string;
  maxPoints: number;
  points: number;
  comment: string;
}

export interface TemplateCandidate {
  candidate: string;
  name: string;
  labs: { id: string; tasks: { id: number; title: string }[] }[];
}

/** The blank sheet: one row per task of every lab, and one per lab for an overall comment. */
export function manualTemplate(candidates: readonly TemplateCandidate[]): string {
  const rows: (string | number)[][] = [[...MANUAL_COLUMNS]];
  for (const c of candidates)
    for (const lab of c.labs) {
      for (const task of lab.tasks) rows.push([c.candidate, c.name, lab.id, task.id, '', '', '', '']);
      rows.push([c.candidate, c.name, lab.id, '', 'overall', '', '', '']);
    }
  return csvLines(rows);
}

/** The filled sheet, by candidate. Rows with neither points nor a comment are blanks and skipped. */
export function parseManualGrades(text: string): { byCandidate: Map<string, ManualItem[]>; problems: string[] } {
  const { header, records } = csvRecords(text);
  const problems: string[] = [];
  const byCandidate = new Map<string, ManualItem[]>();
  for (const column of ['candidate', 'lab', 'points', 'comment'])
    if (!header.includes(column)) return { byCandidate, problems: [`the manual grades need a ${column} column (columns: ${MANUAL_COLUMNS.join(', ')})`] };
  for (const r of records) {
    const [candidate, lab, pointsText, comment, maxText, taskText] = ['candidate', 'lab', 'points', 'comment', 'max_points', 'task'].map((c) => r.get(c)) as [
      string,
      string,
      string,
      string,
      string,
      string,
    ];
    if (!pointsText && !comment) continue;
    if (!candidate || !lab) {
      problems.push(`line ${r.line}: no candidate or lab`);
      continue;
    }
    const points = pointsText === '' ? 0 : Number(pointsText);
    const maxPoints = maxText === '' ? points : Number(maxText);
    const task = taskText === '' ? undefined : Number(taskText);
    if (!Number.isFinite(points) || points < 0 || !Number.isFinite(maxPoints) || maxPoints < 0 || points > maxPoints) {
      problems.push(`line ${r.line}: points "${pointsText}" must be a number from 0 to max_points ("${maxText}")`);
      continue;
    }
    if (task !== undefined && !Number.isInteger(task)) {
      problems.push(`line ${r.line}: task "${taskText}" is not a task number`);
      continue;
    }
    const items = byCandidate.get(candidate) ?? [];
    items.push({ lab, ...(task !== undefined ? { task } : {}), item: r.get('item'), maxPoints, points, comment });
    byCandidate.set(candidate, items);
  }
  return { byCandidate, problems };
}

export const manualTotals = (items: readonly ManualItem[]) => ({
  points: Math.round(items.reduce((n, i) => n + i.points, 0) * 100) / 100,
  maxPoints: Math.round(items.reduce((n, i) => n + i.maxPoints, 0) * 100) / 100,
});
