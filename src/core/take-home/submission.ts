/**
 * An exported take-home submission (docs/grading.md, "Submissions"): a zip holding the candidate's files,
 * their attempt history, the last public test run and `manifest.json` with the pack, times, integrity
 * signals and a SHA-256 of every other file. The candidate's machine holds no secret, so the checksums
 * catch damage and naive edits, not a determined forger; the grader never trusts the manifest's own
 * judgement of lateness and recomputes it from the full pack's limits.
 */
import type { AttemptMeta } from '../labs/history';
import type { IntegrityRecord, LabRecord } from '../labs/lab-state';
import { sha256 } from '../io/hash';
import { validator } from '../io/schema';
import { isLate, LATE_GRACE_MS, type TimerRecord } from './take-home-timer';
import { changedLinesIn } from './late-edits';
import type { Lab, Pack } from '../catalog/types';

const validateSubmissionManifest = validator<SubmissionManifest>('submission', 'manifest.json');

export const MANIFEST = 'manifest.json';

export interface SubmissionLab {
  id: string;
  version: string;
  startedAt?: string;
  finishedAt: string;
  frozenAt?: string;
  deadline?: string;
  timeLimitMinutes?: number;
  elapsedMinutes?: number;
  late: boolean;
  hintsTaken: number;
  attempts: number;
  publicRun?: { passed: number; failed: number };
  integrity: {
    changedStarterFiles: string[];
    unchangedStarterFiles: string[];
    addedFiles: string[];
    largeInsertions: { count: number; characters: number };
    workspaceOpenMinutes: number;
    /** Edit sessions in src/ after the freeze (edits separated by a pause of a minute or more; src/core/take-home/late-edits.ts). */
    lateEdits: number;
    /** Lines that differ between the frozen files and the files at export. */
    lateChangedLines?: number;
    clockSetbacks: number;
  };
}

export interface SubmissionManifest {
  format: 'mlops-labs-submission';
  formatVersion: 1;
  extensionVersion: string;
  exportedAt: string;
  /** Typed by the candidate at export, if they chose to. */
  candidateName?: string;
  /** The candidate's UTC offset at export, in minutes (east positive). */
  utcOffsetMinutes?: number;
  pack: { id: string; version: string };
  labs: SubmissionLab[];
  files: Record<string, string>;
}

export interface LabExport {
  lab: Lab;
  record: LabRecord | undefined;
  /** The candidate's src/ now. */
  current: ReadonlyMap<string, Buffer>;
  /** src/ as it stood when time ran out, when it did. */
  frozen?: ReadonlyMap<string, Buffer>;
  starter: ReadonlyMap<string, Buffer>;
  attempts: { meta: AttemptMeta; files: ReadonlyMap<string, Buffer>; report?: unknown }[];
  publicRun?: { tests: { status: string }[] };
}

const minutes = (ms: number) => Math.round(ms / 6_000) / 10;

/** The zip's files: `labs/<lab>/src/…` is what gets graded (the frozen files when time ran out), `labs/<lab>/late/src/…` what changed after. */
export function buildSubmission(
  pack: Pack,
  labs: readonly LabExport[],
  extensionVersion: string,
  now: Date,
  /** `utcOffsetMinutes`: the candidate's time zone at export (east positive), so their feedback shows local times. */
  options: { candidateName?: string; utcOffsetMinutes?: number } = {},
): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  const entries: SubmissionLab[] = [];
  for (const item of labs) {
    const base = `labs/${item.lab.id}`;
    const graded = item.frozen ?? item.current;
    for (const [rel, data] of graded) files.set(`${base}/src/${rel}`, data);
    const lateFiles = item.frozen ? changedFiles(item.frozen, item.current) : [];
    for (const rel of lateFiles) {
      const data = item.current.get(rel);
      if (data) files.set(`${base}/late/src/${rel}`, data);
    }
    for (const attempt of item.attempts) {
      const dir = `${base}/history/${attempt.meta.id}`;
      files.set(`${dir}/attempt.json`, json(attempt.meta));
      if (attempt.report) files.set(`${dir}/report.json`, json(attempt.report));
      for (const [rel, data] of attempt.files) files.set(`${dir}/files/${rel}`, data);
    }
    if (item.publicRun) files.set(`${base}/public-run.json`, json(item.publicRun));
    entries.push(describeLab(item, graded, lateFiles.length, now));
  }
  const manifest: SubmissionManifest = {
    format: 'mlops-labs-submission',
    formatVersion: 1,
    extensionVersion,
    exportedAt: now.toISOString(),
    ...(options.candidateName?.trim() ? { candidateName: options.candidateName.trim().slice(0, 200) } : {}),
    ...(Number.isInteger(options.utcOffsetMinutes) && Math.abs(options.utcOffsetMinutes ?? 0) <= 840 ? { utcOffsetMinutes: options.utcOffsetMinutes } : {}),
    pack: { id: pack.id, version: pack.version },
    labs: entries,
    files: Object.fromEntries([...files].sort(([a], [b]) => a.localeCompare(b)).map(([rel, data]) => [rel, sha256(data)])),
  };
  files.set(MANIFEST, json(manifest));
  return files;
}

function describeLab(item: LabExport, graded: ReadonlyMap<string, Buffer>, lateFileCount: number, now: Date): SubmissionLab {
  const timer: TimerRecord | undefined = item.record?.timer;
  const integrity: IntegrityRecord = item.record?.integrity ?? { largeInsertions: { count: 0, characters: 0 }, openMs: 0, lateEdits: 0 };
  const finishedAt = timer?.frozenAt ?? now.toISOString();
  const startedAt = timer?.startedAt ?? item.record?.startedAt;
  const changed = changedFiles(item.starter, graded);
  const tests = item.publicRun?.tests ?? [];
  return {
    id: item.lab.id,
    version: item.lab.version,
    ...(startedAt ? { startedAt, elapsedMinutes: minutes(Math.max(0, Date.parse(finishedAt) - Date.parse(startedAt))) } : {}),
    finishedAt,
    ...(timer?.frozenAt ? { frozenAt: timer.frozenAt } : {}),
    ...(timer ? { deadline: timer.deadline } : {}),
    ...(timer?.limitMinutes ? { timeLimitMinutes: timer.limitMinutes } : {}),
    // A frozen lab is judged by when it froze (the clock is read on after that); an unfrozen one by now.
    late: timer ? (timer.frozenAt ? Date.parse(timer.frozenAt) > Date.parse(timer.deadline) + LATE_GRACE_MS : isLate(timer, now)) || lateFileCount > 0 : false,
    hintsTaken: item.record?.hintsTaken ?? 0,
    attempts: item.record?.attempts ?? 0,
    ...(item.publicRun
      ? { publicRun: { passed: tests.filter((t) => t.status === 'pass').length, failed: tests.filter((t) => t.status !== 'pass').length } }
      : {}),
    integrity: {
      // A starter file the candidate deleted is a change, never "unchanged".
      changedStarterFiles: [...item.starter.keys()].filter((f) => changed.includes(f) || !graded.has(f)).sort(),
      unchangedStarterFiles: [...item.starter.keys()].filter((f) => graded.has(f) && !changed.includes(f)),
      addedFiles: [...graded.keys()].filter((f) => !item.starter.has(f)),
      largeInsertions: integrity.largeInsertions,
      workspaceOpenMinutes: minutes(integrity.openMs),
      lateEdits: integrity.lateEdits,
      ...(item.frozen ? { lateChangedLines: changedLinesIn(item.frozen, item.current) } : {}),
      clockSetbacks: timer?.clockSetbacks ?? 0,
    },
  };
}

/** Paths whose content differs between two file sets, including ones only `after` has. */
function changedFiles(before: ReadonlyMap<string, Buffer>, after: ReadonlyMap<string, Buffer>): string[] {
  return [...after.keys()].filter((rel) => !before.get(rel)?.equals(after.get(rel) as Buffer)).sort();
}

const json = (value: unknown) => Buffer.from(`${JSON.stringify(value, null, 2)}\n`);

export interface SubmissionCheck {
  manifest: SubmissionManifest;
  /** Checksum mismatches, files missing or not listed: the zip was changed after export. */
  tampering: string[];
}

/** Reads and checks a submission's files. Throws with the reason when it is not a submission at all. */
export function checkSubmission(files: ReadonlyMap<string, Buffer>): SubmissionCheck {
  const raw = files.get(MANIFEST);
  if (!raw) throw new Error(`no ${MANIFEST}: not an exported submission`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw.toString('utf8'));
  } catch (error) {
    throw new Error(`${MANIFEST} is not valid JSON: ${(error as Error).message}`);
  }
  const checked = validateSubmissionManifest(parsed);
  if (!checked.ok) throw new Error(`${MANIFEST}: ${checked.errors.slice(0, 3).join('; ')}`);
  const manifest = checked.value;
  const tampering: string[] = [];
  for (const [rel, expected] of Object.entries(manifest.files)) {
    const data = files.get(rel);
    if (!data) tampering.push(`${rel} is listed in the manifest but missing`);
    else if (sha256(data) !== expected) tampering.push(`${rel} was changed after export (checksum differs)`);
  }
  for (const rel of files.keys()) if (rel !== MANIFEST && !(rel in manifest.files)) tampering.push(`${rel} was added after export (not in the manifest)`);
  return { manifest, tampering };
}

/** One lab's graded files (`src`) or late edits (`late`) out of a submission. */
export function submissionFiles(files: ReadonlyMap<string, Buffer>, labId: string, which: 'src' | 'late'): Map<string, Buffer> {
  const prefix = which === 'src' ? `labs/${labId}/src/` : `labs/${labId}/late/src/`;
  return new Map([...files].filter(([rel]) => rel.startsWith(prefix)).map(([rel, data]) => [rel.slice(prefix.length), data]));
}
