// Over 300 lines: one batch from pack to outputs (find, read, verify, grade, time, write) reads best as one file; the cohort's rules live in cohort.ts and src/core/take-home.
/**
 * `mlops-labs grade --pack <full pack> --submissions <zips or folders…>`: grades exported take-home
 * submissions with the hidden suites in take-home mode, in parallel, and writes a gradebook (CSV, JSON), a
 * JUnit file and an HTML feedback page per candidate. Problems with one submission (unreadable, tampered,
 * late, for another pack) are flagged in its row; only usage and infrastructure errors stop the batch.
 */
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import * as path from 'node:path';
import { loadCatalog } from '../core/catalog/catalog';
import { readFolder } from '../core/io/files';
import { openPackSources } from '../core/packs/pack-source';
import { checkSubmission, submissionFiles, type SubmissionLab, type SubmissionManifest } from '../core/take-home/submission';
import { LATE_GRACE_MS, timeLimitOf } from '../core/take-home/take-home-timer';
import { mergeLatePolicy, type LatePolicy } from '../core/take-home/late-policy';
import type { Lms } from '../core/take-home/lms';
import { parseManualGrades } from '../core/take-home/manual-grades';
import { parseRoster } from '../core/take-home/roster';
import { inShard, type Shard } from '../core/take-home/shard';
import { srcTampered, verifiedFrozenCopy } from '../core/take-home/verified-copy';
import { MARKER, readMarker } from '../core/labs/workspace';
import type { Lab, Pack } from '../core/catalog/types';
import { readZip, SUBMISSION_ZIP_LIMITS } from '../core/io/zip';
import { Grader } from '../grader/grader';
import type { GradeReport } from '../grader/types';
import { encodeClassroomResult, classroomResult } from './classroom';
import { runGradingPool } from './grading-pool';
import { GRADER_VERSION, gradingWorkDir, HARNESS, packCache, PACKAGE_ROOT, UsageError } from './context';
import { candidateSummary, combinedJunit, gradebookJson, shardJson, type Gradebook } from './gradebook-files';
import { gradebookPage } from './gradebook-page';
import { type Cohort, finalize, identify, junitProperties, lmsExport, manualTemplateFor, unknownManualRows } from './cohort';
import { feedbackPage } from './feedback-page';
import { addSimilarity } from './similarity-column';
import { formatReport, junitNotGraded, junitSuites, takeHomeGradebookCsv } from './formats';
import { Progress } from './progress';
import type { CandidateResult, LabResult } from './take-home-result';

export interface TakeHomeOptions {
  pack: string;
  submissions: readonly string[];
  out: string;
  jobs?: number;
  /** Write the GitHub Classroom result (base64 JSON) of the one submission here. */
  classroomResult?: string;
  quiet?: boolean;
  /** roster.csv: submission or GitHub username → name, email, extension minutes. */
  roster?: string;
  /** Fields that replace the pack's late policy (or make one when it has none). */
  late?: Omit<LatePolicy, 'version'>;
  /** The instructor's filled manual grades sheet to merge. */
  manual?: string;
  /** Write a blank manual grades sheet for this batch here. */
  manualTemplate?: string;
  /** Also write the final gradebook in these LMS layouts: lms-<name>.csv in the output folder. */
  lms?: readonly Lms[];
  /** Add the gradebook's similarity column (src/cli/similarity-column.ts). */
  similarity?: boolean;
  /** Grade only this shard's part of the submissions (docs/grading.md, Shards); shard.json records what it saw. */
  shard?: Shard;
}

interface Submission {
  candidate: string;
  file: string;
}

export async function gradeTakeHome(options: TakeHomeOptions): Promise<{ results: CandidateResult[]; durationMs: number }> {
  const started = performance.now();
  const { pack, labs } = await openFullPack(options.pack);
  const seen = await findSubmissions(options.submissions);
  const { shard } = options;
  const submissions = shard ? seen.filter((s) => inShard(s.candidate, shard)) : seen;
  if (seen.length === 0) throw new UsageError(`no submissions (.zip files or folders holding manifest.json) in ${options.submissions.join(', ')}`);
  if (options.classroomResult && submissions.length !== 1) throw new UsageError(`--classroom-result needs exactly one submission; found ${submissions.length}`);
  const cohort = await readCohort(options, pack);
  for (const folder of ['junit', 'feedback', 'instructor', 'reports']) await mkdir(path.join(options.out, folder), { recursive: true });

  const results: CandidateResult[] = [];
  const progress = new Progress(submissions.length, options.quiet ?? false);
  const jobs = Math.max(1, Math.min(options.jobs ?? availableParallelism(), submissions.length));
  await runGradingPool(submissions, {
    jobs,
    // An explicit --jobs is exactly that many at once; by default a long grade lets another start (grading-pool.ts).
    maxJobs: options.jobs ? jobs : jobs * 2,
    newWorker: () => {
      const grader = new Grader({ harness: HARNESS, warm: true, overlap: true, ...gradingWorkDir() });
      if (labs[0]) grader.prepare(labs[0]);
      return grader;
    },
    work: async (grader, submission) => {
      const result = await gradeSubmission(grader, pack, labs, submission, cohort);
      finalize(result, cohort);
      await writeOutputs(options.out, result);
      results.push(result);
      progress.tick(
        submission.candidate,
        `${result.finalPoints ?? result.points}/${result.maxPoints + (result.manualMaxPoints ?? 0)}${result.flags.length ? ` (${result.flags.length} flag${result.flags.length === 1 ? '' : 's'})` : ''}`,
      );
    },
  });
  progress.done();
  results.sort((a, b) => a.candidate.localeCompare(b.candidate));
  if (cohort.manual) for (const problem of unknownManualRows(cohort.manual, results)) console.error(`warning: ${problem}`);
  if (options.similarity) await addSimilarity(results, submissions, labs);
  if (options.manualTemplate) await writeFile(options.manualTemplate, manualTemplateFor(results, labs));
  for (const lms of options.lms ?? []) await writeFile(path.join(options.out, `lms-${lms}.csv`), lmsExport(lms, pack.name, results));
  await writeFile(path.join(options.out, 'gradebook.csv'), takeHomeGradebookCsv(results, labs));
  const packRef = { id: pack.id, version: pack.version };
  const latePolicy = cohort.latePolicy ?? null;
  const gradedAt = new Date().toISOString();
  const book: Gradebook = { pack: packRef, grader: GRADER_VERSION, latePolicy, gradedAt, candidates: results.map(candidateSummary) };
  await writeFile(path.join(options.out, 'gradebook.json'), gradebookJson(book));
  await writeFile(path.join(options.out, 'index.html'), gradebookPage(book));
  const junit = await Promise.all(results.map((r) => readFile(path.join(options.out, 'junit', `${r.candidate}.xml`), 'utf8')));
  await writeFile(path.join(options.out, 'junit.xml'), combinedJunit(junit));
  const names = (list: readonly { candidate: string }[]) => list.map((s) => s.candidate).sort((a, b) => a.localeCompare(b));
  await writeFile(
    path.join(options.out, 'shard.json'),
    shardJson({ shard: shard ?? { index: 0, count: 1 }, pack: packRef, grader: GRADER_VERSION, latePolicy, seen: names(seen), graded: names(results) }),
  );
  if (options.classroomResult && results[0]) await writeFile(options.classroomResult, encodeClassroomResult(classroomResult(results[0])));
  return { results, durationMs: performance.now() - started };
}

/** The roster, the late policy (the pack's, with the command line's fields over it) and the manual grades; any problem in them stops the batch before it starts. */
async function readCohort(options: TakeHomeOptions, pack: Pack): Promise<Cohort> {
  const cohort: Cohort = {};
  const read = async (file: string, what: string) => {
    try {
      return await readFile(file, 'utf8');
    } catch (error) {
      throw new UsageError(`cannot read the ${what} ${file}: ${(error as Error).message}`);
    }
  };
  if (options.roster) {
    const roster = parseRoster(await read(options.roster, 'roster'));
    if (roster.problems.length) throw new UsageError(`the roster ${options.roster}:\n  ${roster.problems.join('\n  ')}`);
    cohort.roster = roster;
  }
  const policy = mergeLatePolicy(pack.latePolicy, options.late ?? {});
  if (policy) cohort.latePolicy = policy;
  if (options.manual) {
    const manual = parseManualGrades(await read(options.manual, 'manual grades'));
    if (manual.problems.length) throw new UsageError(`the manual grades ${options.manual}:\n  ${manual.problems.join('\n  ')}`);
    cohort.manual = manual.byCandidate;
  }
  if (options.manualTemplate && existsSync(options.manualTemplate))
    throw new UsageError(`${options.manualTemplate} exists: the template never overwrites a sheet that may hold grades; give another file name`);
  return cohort;
}

/** The full pack (folder or zip) and its labs; a student build cannot grade anything. */
async function openFullPack(source: string): Promise<{ pack: Pack; labs: Lab[] }> {
  const resolved = path.resolve(source);
  const { opened, problems } = await openPackSources([resolved], packCache(), undefined, true);
  const dir = opened[0]?.dir;
  if (!dir) throw new UsageError(`cannot open the pack: ${problems.map((p) => `${p.file}: ${p.message}`).join('; ')}`);
  const catalog = await loadCatalog(path.resolve(dir) === PACKAGE_ROOT ? [PACKAGE_ROOT] : [PACKAGE_ROOT, dir], problems);
  const pack = catalog.packs.find((p) => path.resolve(p.dir) === path.resolve(dir));
  const ownProblems = catalog.problems.filter((p) => path.resolve(p.file).startsWith(path.resolve(dir)) || p.file === resolved);
  if (!pack || ownProblems.length) throw new UsageError(`the pack does not load cleanly:\n  ${ownProblems.map((p) => `${p.file}: ${p.message}`).join('\n  ')}`);
  const labs = catalog.labs.filter((l) => l.packId === pack.id);
  if (labs.length === 0) throw new UsageError(`pack ${pack.id} has no labs to grade`);
  const student = labs.filter((l) => !l.contents.hiddenTests).map((l) => l.id);
  if (student.length)
    throw new UsageError(
      `${student.join(', ')} ha${student.length === 1 ? 's' : 've'} no hidden tests here: grade with the full pack (mlops-labs pack build --full), not the student build`,
    );
  return { pack, labs };
}

const isSubmissionFolder = (dir: string) => existsSync(path.join(dir, 'manifest.json')) || existsSync(path.join(dir, MARKER));

/** Zips, unpacked submission folders (holding manifest.json), lab workspaces (a repository graded in CI), and folders of these (also what `similarity` reads). */
export async function findSubmissions(inputs: readonly string[]): Promise<Submission[]> {
  const found: Submission[] = [];
  const add = (file: string) => found.push({ candidate: path.basename(file).replace(/\.zip$/i, ''), file });
  for (const input of inputs.map((i) => path.resolve(i))) {
    const info = await stat(input).catch(() => undefined);
    if (!info) throw new UsageError(`no such file or folder: ${input}`);
    if (info.isFile()) {
      if (!/\.zip$/i.test(input)) throw new UsageError(`${input} is not a .zip`);
      add(input);
    } else if (isSubmissionFolder(input)) {
      add(input);
    } else {
      for (const entry of (await readdir(input, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name))) {
        if (entry.name.startsWith('.')) continue;
        const full = path.join(input, entry.name);
        if (entry.isFile() && /\.zip$/i.test(entry.name)) add(full);
        else if (entry.isDirectory() && isSubmissionFolder(full)) add(full);
      }
    }
  }
  const seen = new Map<string, number>();
  return found.map((s) => {
    const safe = s.candidate.replace(/[^A-Za-z0-9._@-]+/g, '-').replace(/^[.-]+/, '') || 'submission';
    const n = (seen.get(safe) ?? 0) + 1;
    seen.set(safe, n);
    return { ...s, candidate: n === 1 ? safe : `${safe}-${n}` };
  });
}

async function gradeSubmission(grader: Grader, pack: Pack, labs: readonly Lab[], submission: Submission, cohort: Cohort): Promise<CandidateResult> {
  const maxPoints = labs.reduce((n, l) => n + l.tasks.reduce((m, t) => m + t.points, 0), 0);
  const base: CandidateResult = {
    candidate: submission.candidate,
    submission: path.basename(submission.file),
    pack: { id: pack.id, version: pack.version },
    late: false,
    tampered: false,
    flags: [],
    labs: [],
    points: 0,
    maxPoints,
  };
  identify(base, cohort.roster);
  if (!/\.zip$/i.test(submission.file) && !existsSync(path.join(submission.file, 'manifest.json'))) return gradeWorkspace(grader, labs, submission, base);
  let files: Map<string, Buffer>;
  let manifest: SubmissionManifest;
  try {
    files = /\.zip$/i.test(submission.file)
      ? await readZip(submission.file, SUBMISSION_ZIP_LIMITS)
      : await readFolder(submission.file, { files: SUBMISSION_ZIP_LIMITS.files, bytes: SUBMISSION_ZIP_LIMITS.bytes });
    const check = checkSubmission(files);
    manifest = check.manifest;
    if (check.tampering.length) {
      base.tampered = true;
      base.flags.push(...check.tampering.map((t) => `tampered: ${t}`));
    }
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return { ...base, notGraded: reason, flags: [`not graded: ${reason}`] };
  }
  if (manifest.candidateName) base.typedName = manifest.candidateName;
  if (manifest.utcOffsetMinutes !== undefined) base.utcOffsetMinutes = manifest.utcOffsetMinutes;
  if (manifest.pack.id !== pack.id) {
    const reason = `made for pack "${manifest.pack.id}", not "${pack.id}"`;
    return { ...base, notGraded: reason, flags: [...base.flags, `not graded: ${reason}`] };
  }
  if (manifest.pack.version !== pack.version) base.flags.push(`made with pack version ${manifest.pack.version}; graded with ${pack.version}`);

  for (const lab of labs) {
    const entry = manifest.labs.find((l) => l.id === lab.id);
    if (!entry) base.flags.push(`${lab.id}: not submitted`);
    const submitted = entry ? submissionFiles(files, lab.id, 'src') : new Map<string, Buffer>();
    // src/ changed after export, but the frozen copy in the same zip still matches: that is the work as it stood at time-up.
    const verified = entry && srcTampered(files, manifest, lab.id) ? verifiedFrozenCopy(files, manifest, lab.id) : undefined;
    const report = await gradeFiles(grader, lab, verified ? verified.files : submitted);
    let asSubmitted: LabResult['asSubmitted'];
    if (verified) {
      const original = await gradeFiles(grader, lab, submitted);
      asSubmitted = { points: original.points, maxPoints: original.maxPoints };
      base.flags.push(
        `tampered: ${lab.id}: graded from the verified frozen copy (${verified.prefix}): ${report.points}/${report.maxPoints}; src/ as submitted scores ${original.points}/${original.maxPoints}`,
      );
    }
    if (report.tampering.length) {
      base.tampered = true;
      base.flags.push(...report.tampering.map((t) => `tampered: ${lab.id}: ${t}`));
    }
    const labResult: LabResult = {
      id: lab.qualifiedId,
      title: lab.title,
      report,
      hints: lab.hints.slice(0, entry?.hintsTaken ?? 0),
      ...(asSubmitted ? { asSubmitted } : {}),
    };
    base.labs.push(labResult);
    base.points += report.points;
    if (entry) describeTiming(base, lab, pack, entry);
  }
  if (base.labs.some((l) => l.asSubmitted)) base.asSubmittedPoints = base.labs.reduce((n, l) => n + (l.asSubmitted ?? l.report).points, 0);
  return base;
}

/**
 * A lab workspace rather than an export (a candidate's repository graded by CI): its marker names the lab,
 * its src/ is graded. It carries no manifest, so there are no times or checksums to check, and the row says so.
 */
async function gradeWorkspace(grader: Grader, labs: readonly Lab[], submission: Submission, base: CandidateResult): Promise<CandidateResult> {
  const marker = await readMarker(submission.file);
  const lab = labs.find((l) => l.qualifiedId === marker?.lab);
  if (!lab) {
    const reason = `the workspace is for ${marker?.lab ?? 'an unknown lab'}, which the pack does not hold`;
    return { ...base, notGraded: reason, flags: [`not graded: ${reason}`] };
  }
  let files: Map<string, Buffer>;
  try {
    files = await readFolder(path.join(submission.file, 'src'));
  } catch (error) {
    return { ...base, notGraded: (error as Error).message, flags: [`not graded: ${(error as Error).message}`] };
  }
  const report = await gradeFiles(grader, lab, files);
  const tampered = report.tampering.length > 0;
  return {
    ...base,
    maxPoints: report.maxPoints,
    points: report.points,
    tampered,
    flags: ['a lab workspace, not an exported submission: no times or checksums to check', ...report.tampering.map((t) => `tampered: ${lab.id}: ${t}`)],
    labs: [{ id: lab.qualifiedId, title: lab.title, report, hints: [] }],
  };
}

/** Lateness from the full pack's own limits (the manifest's `late` is only one more signal), and the integrity signals. */
function describeTiming(result: CandidateResult, lab: Lab, pack: Pack, entry: SubmissionLab): void {
  const limit = timeLimitOf(lab, pack);
  const finished = Date.parse(entry.finishedAt);
  if (entry.startedAt) {
    result.startedAt ??= entry.startedAt;
    result.finishedAt = entry.finishedAt;
    result.elapsedMinutes = (result.elapsedMinutes ?? 0) + (entry.elapsedMinutes ?? 0);
  }
  if (limit?.minutes !== undefined) result.timeLimitMinutes = limit.minutes;
  const deadlines = [
    ...(limit?.minutes !== undefined && entry.startedAt ? [Date.parse(entry.startedAt) + limit.minutes * 60_000] : []),
    ...(limit?.due ? [Date.parse(limit.due)] : []),
  ];
  const deadline = deadlines.length ? Math.min(...deadlines) : undefined;
  if (limit && !entry.startedAt) result.flags.push(`${lab.id}: no start time recorded for a timed lab`);
  const extension = (result.extensionMinutes ?? 0) * 60_000;
  if (deadline !== undefined && finished > deadline + LATE_GRACE_MS) {
    const past = Math.round(((finished - deadline) / 60_000) * 100) / 100;
    result.minutesPastDeadline = Math.max(result.minutesPastDeadline ?? 0, past);
    if (finished > deadline + extension + LATE_GRACE_MS) {
      result.late = true;
      result.flags.push(
        `late: ${lab.id} finished ${Math.ceil((finished - deadline) / 60_000)} min after the deadline${extension ? ` (${result.extensionMinutes} min extension)` : ''}`,
      );
    } else
      result.flags.push(
        `${lab.id} finished ${Math.ceil((finished - deadline) / 60_000)} min after the deadline, within its ${result.extensionMinutes} min extension`,
      );
  } else if (entry.late) {
    result.late = true;
    result.flags.push(
      `late: ${lab.id} has edits made after time ran out (${entry.integrity.lateEdits} edit${entry.integrity.lateEdits === 1 ? '' : 's'}; graded as frozen)`,
    );
  }
  const { largeInsertions, clockSetbacks, unchangedStarterFiles } = entry.integrity;
  if (largeInsertions.count)
    result.flags.push(
      `${lab.id}: ${largeInsertions.count} large insertion${largeInsertions.count === 1 ? '' : 's'} (${largeInsertions.characters.toLocaleString('en-US')} characters)`,
    );
  if (clockSetbacks) result.flags.push(`${lab.id}: the computer's clock was set back ${clockSetbacks} time${clockSetbacks === 1 ? '' : 's'}`);
  if (unchangedStarterFiles.length && entry.integrity.changedStarterFiles.length === 0) result.flags.push(`${lab.id}: starter files unchanged`);
}

async function gradeFiles(grader: Grader, lab: Lab, files: ReadonlyMap<string, Buffer>): Promise<GradeReport> {
  const dir = await mkdtemp(path.join(tmpdir(), 'mlops-take-home-'));
  try {
    for (const [rel, data] of files) {
      const target = path.join(dir, 'src', ...rel.split('/'));
      await mkdir(path.dirname(target), { recursive: true });
      await writeFile(target, data);
    }
    await mkdir(path.join(dir, 'src'), { recursive: true });
    return await grader.grade({ lab, submissionDir: dir, suite: 'hidden', mode: 'take-home' });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function writeOutputs(out: string, result: CandidateResult): Promise<void> {
  const name = result.candidate;
  const properties = junitProperties(result);
  await writeFile(
    path.join(out, 'junit', `${name}.xml`),
    result.notGraded
      ? junitNotGraded(name, result.notGraded, properties)
      : junitSuites(
          name,
          result.labs.map((l) => l.report),
          properties,
        ),
  );
  const now = new Date();
  await writeFile(path.join(out, 'feedback', `${name}.html`), feedbackPage(result, now, 'candidate'));
  await writeFile(path.join(out, 'instructor', `${name}.html`), feedbackPage(result, now, 'instructor'));
  await mkdir(path.join(out, 'reports', name), { recursive: true });
  for (const lab of result.labs) await writeFile(path.join(out, 'reports', name, `${lab.id.split('/').pop() ?? 'lab'}.json`), formatReport(lab.report, 'json'));
}
