/**
 * The final gradebook in the column layouts LMS grade imports read (docs/grading.md "LMS export"):
 * Canvas's Gradebook import and Moodle's "Import grades: CSV file". One row per graded candidate; those not
 * graded are left out so an import never overwrites a grade with a blank.
 */
import { csvLines } from './csv';

export const LMS = ['canvas', 'moodle'] as const;
export type Lms = (typeof LMS)[number];

export interface LmsRow {
  name: string;
  email?: string;
  /** The candidate's id in the gradebook (the submission's name). */
  candidate: string;
  finalPoints: number;
  maxPoints: number;
  /** One line for the LMS's feedback column: the late penalty and manual comments, never integrity flags. */
  feedback: string;
}

/** "Ada King Lovelace" → first "Ada", last "King Lovelace" (Moodle imports want them apart). */
const splitName = (name: string): [string, string] => {
  const parts = name.trim().split(/\s+/);
  return parts.length < 2 ? [name.trim(), ''] : [parts[0] as string, parts.slice(1).join(' ')];
};

export function lmsCsv(lms: Lms, assignment: string, rows: readonly LmsRow[]): string {
  if (lms === 'canvas') {
    // Canvas's import reads Student, ID, SIS User ID, SIS Login ID and Section, then one column per
    // assignment; "Points Possible" as the first data row is how Canvas's own export states the maximum.
    const max = rows[0]?.maxPoints ?? '';
    return csvLines([
      ['Student', 'ID', 'SIS User ID', 'SIS Login ID', 'Section', assignment],
      ['Points Possible', '', '', '', '', max],
      ...rows.map((r) => [r.name, '', '', r.email ?? '', '', r.finalPoints]),
    ]);
  }
  // Moodle maps each column in its import screen: "Email address" to the user's email, the grade column to
  // a grade item, and the feedback column to that item's feedback.
  return csvLines([
    ['First name', 'Last name', 'Email address', assignment, `Feedback: ${assignment}`],
    ...rows.map((r) => [...splitName(r.name), r.email ?? '', r.finalPoints, r.feedback]),
  ]);
}
