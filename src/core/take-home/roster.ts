/**
 * The cohort roster (`--roster roster.csv`, docs/grading.md "Roster"): who each submission belongs to.
 * Columns, matched by header whatever their order and case: `submission` (the file or folder name, with
 * or without `.zip`) and/or `github` (a GitHub username: matches a submission named after it, or ending in
 * `-<username>` as GitHub Classroom names repositories), `name`, `email`, and optional `extension_minutes`
 * (extra minutes this candidate is allowed past the deadline).
 */
import { csvRecords } from './csv';

export interface RosterEntry {
  submission?: string;
  github?: string;
  name: string;
  email?: string;
  extensionMinutes: number;
}

export interface Roster {
  entries: RosterEntry[];
  problems: string[];
}

export function parseRoster(text: string): Roster {
  const { header, records } = csvRecords(text);
  const problems: string[] = [];
  if (!header.includes('name') || (!header.includes('submission') && !header.includes('github')))
    return { entries: [], problems: ['the roster needs a header row with name and submission or github columns'] };
  const entries: RosterEntry[] = [];
  for (const r of records) {
    const submission = r.get('submission').replace(/\.zip$/i, '');
    const github = r.get('github').replace(/^@/, '');
    const name = r.get('name');
    const extension = r.get('extension_minutes');
    if (!submission && !github) {
      problems.push(`line ${r.line}: no submission or github`);
      continue;
    }
    if (!name) problems.push(`line ${r.line}: no name`);
    const minutes = extension === '' ? 0 : Number(extension);
    if (!Number.isFinite(minutes) || minutes < 0) {
      problems.push(`line ${r.line}: extension_minutes "${extension}" is not a number of minutes`);
      continue;
    }
    const email = r.get('email');
    entries.push({
      ...(submission ? { submission } : {}),
      ...(github ? { github } : {}),
      name: name || submission || github,
      ...(email ? { email } : {}),
      extensionMinutes: minutes,
    });
  }
  return { entries, problems };
}

/** The roster row of a submission: by its file name first, then by GitHub username. Case is ignored. */
export function findInRoster(roster: Roster | undefined, candidate: string, submissionFile: string): RosterEntry | undefined {
  if (!roster) return undefined;
  const names = [candidate, submissionFile.replace(/\.zip$/i, '')].map((n) => n.toLowerCase());
  const bySubmission = roster.entries.find((e) => e.submission !== undefined && names.includes(e.submission.toLowerCase()));
  if (bySubmission) return bySubmission;
  return roster.entries.find((e) => {
    const user = e.github?.toLowerCase();
    return user !== undefined && names.some((n) => n === user || n.endsWith(`-${user}`));
  });
}
