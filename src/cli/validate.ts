/**
 * `mlops-labs validate`: schema, ids and links for packs; and for every lab the nbgrader rule both ways: the
 * reference solution passes every public and hidden test, and the starter fails every hidden task. Then the
 * suite's strength: every mutant (a realistic wrong answer) loses points, and every alternative right answer
 * scores full marks.
 */
import { existsSync } from 'node:fs';
import { cp, mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import * as path from 'node:path';
import type { Catalog } from '../core/catalog/catalog';
import { collectPackFiles, findLeaks } from '../core/packs/pack-build';
import { isZipPath, openPackSources } from '../core/packs/pack-source';
import { readMutants, writeMutant } from '../core/labs/mutants';
import type { Lab } from '../core/catalog/types';
import { Grader } from '../grader/grader';
import type { GradeReport, Suite } from '../grader/types';
import { gradingWorkDir, HARNESS, openCatalog, packCache, PACKAGE_ROOT, resolveLab, UsageError } from './context';

export interface ValidateOptions {
  /** A folder of `<lab-id>/<name>/` right answers written differently from the reference; each must score full marks. */
  alternatives?: string;
  /** Fail a lab with fewer mutants than this (the built-in pack asks for 25). */
  minMutants?: number;
}

/** Validates packs (folders or zips) and lab folders, printing ✓/✗ lines; returns the exit code. */
export async function validate(targets: readonly string[], options: ValidateOptions = {}): Promise<number> {
  for (const target of targets) if (!existsSync(target)) throw new UsageError(`no such file or folder: ${target}`);
  const zips = await openPackSources(targets.filter(isZipPath), packCache(), undefined, true);
  for (const problem of zips.problems) console.log(`✗ ${problem.file}: ${problem.message}`);
  const folders = [...targets.filter((t) => !isZipPath(t)), ...zips.opened.map((o) => o.dir)];
  const packDirs = folders.filter((f) => existsSync(path.join(f, 'pack.json')));
  const labDirs = folders.filter((f) => existsSync(path.join(f, 'lab.json')));
  const other = folders.filter((f) => !packDirs.includes(f) && !labDirs.includes(f));
  if (other.length) throw new UsageError(`not a pack or a lab (no pack.json or lab.json): ${other.join(', ')}`);
  const catalog = await openCatalog(packDirs.filter((d) => path.resolve(d) !== PACKAGE_ROOT));
  let failures = zips.problems.length;
  const fail = (line: string) => {
    failures++;
    console.log(`✗ ${line}`);
  };
  for (const problem of catalogProblems(catalog, packDirs)) fail(problem);
  const inPack = (file: string) => packDirs.some((d) => path.resolve(file).startsWith(path.resolve(d) + path.sep));
  const labs = [...catalog.labs.filter((l) => inPack(l.dir)), ...(await Promise.all(labDirs.map((d) => resolveLab(catalog, d))))];
  // One warm grader per core: a lab's mutants and alternatives are graded side by side.
  const graders = Array.from(
    { length: Math.max(1, availableParallelism()) },
    () => new Grader({ harness: HARNESS, warm: true, overlap: true, ...gradingWorkDir() }),
  );
  try {
    for (const lab of labs) {
      if (!lab.contents.solution && !lab.contents.hiddenTests) {
        console.log(`✓ ${lab.qualifiedId}: a student build (no solution, no hidden tests): manifest and checksums checked; grade it with the full pack`);
        continue;
      }
      const check = await checkLab(graders, lab, options);
      if (check.problems.length === 0) {
        console.log(
          `✓ ${lab.qualifiedId}: solution passes ${check.counts.public} public and ${check.counts.hidden} hidden tests; the starter fails all ${lab.tasks.length} tasks; ${strength(check)}`,
        );
      } else {
        console.log(`✗ ${lab.qualifiedId}`);
        failures += check.problems.length;
        for (const problem of check.problems) console.log(`    ${problem.split('\n').join('\n    ')}`);
      }
    }
  } finally {
    for (const grader of graders) grader.dispose();
  }
  for (const pack of catalog.packs.filter((p) => packDirs.some((d) => path.resolve(d) === path.resolve(p.dir)))) {
    const packLabs = catalog.labs.filter((l) => l.packId === pack.id && l.contents.solution && l.contents.hiddenTests);
    if (packLabs.length === 0) continue;
    const build = await collectPackFiles(pack, packLabs, 'student');
    const leaks = await findLeaks(pack, packLabs, build.files);
    if (leaks.length) for (const leak of leaks) fail(`${pack.id}: the student build leaks: ${leak}`);
    else console.log(`✓ ${pack.id}: the student build (${build.files.size} files) holds no solution or hidden-test file and none of their distinctive lines`);
  }
  const questions = catalog.questions.filter((q) => inPack(q.file)).length;
  console.log(
    `${failures === 0 ? 'valid' : `${failures} problem${failures === 1 ? '' : 's'}`}: ${labs.length} lab${labs.length === 1 ? '' : 's'}, ${questions} question${questions === 1 ? '' : 's'} checked`,
  );
  return failures === 0 ? 0 : 1;
}

export interface LabCheck {
  lab: Lab;
  problems: string[];
  /** Test counts as run: public and hidden. */
  counts: { public: number; hidden: number };
  /** Mutants that lost points, of those that apply; right answers that scored full marks, of those found. */
  mutants: { killed: number; total: number };
  alternatives: { passed: number; total: number };
}

const percent = (part: number, whole: number) => (whole === 0 ? '' : ` (${Math.round((100 * part) / whole)}%)`);

/** The suite-strength figures of a checked lab, as validate prints them. */
export function strength(check: LabCheck): string {
  const { mutants, alternatives } = check;
  const killed = `mutants killed ${mutants.killed}/${mutants.total}${percent(mutants.killed, mutants.total)}`;
  return alternatives.total
    ? `${killed}; alternative solutions passing ${alternatives.passed}/${alternatives.total}${percent(alternatives.passed, alternatives.total)}`
    : killed;
}

/** Runs `task` for every item, on as many graders at once as there are. */
async function onGraders<T>(graders: readonly Grader[], items: readonly T[], task: (grader: Grader, item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    graders.map(async (grader) => {
      for (let i = next++; i < items.length; i = next++) await task(grader, items[i] as T);
    }),
  );
}

export async function checkLab(graders: Grader | readonly Grader[], lab: Lab, options: ValidateOptions = {}): Promise<LabCheck> {
  const pool: readonly Grader[] = Array.isArray(graders) ? graders : [graders as Grader];
  const grader = pool[0] as Grader;
  const problems: string[] = [];
  const counts = { public: 0, hidden: 0 };
  const mutants = { killed: 0, total: 0 };
  const alternatives = { passed: 0, total: 0 };
  for (const [folder, kind] of [
    ['README.md', 'file'],
    ['starter', 'dir'],
    ['solution', 'dir'],
    ['tests/hidden', 'dir'],
  ] as const) {
    const info = await stat(path.join(lab.dir, folder)).catch(() => undefined);
    if (!info || (kind === 'dir' ? !info.isDirectory() : !info.isFile())) problems.push(`${folder} is missing`);
  }
  lab.tasks.forEach((task, index) => {
    if (task.id !== index + 1) problems.push(`task ${task.id} should have id ${index + 1} (its position)`);
  });
  const names = lab.tasks.flatMap((t) => [...t.tests, ...(t.publicTests ?? [])]);
  for (const duplicate of new Set(names.filter((n, i) => names.indexOf(n) !== i))) problems.push(`test "${duplicate}" is listed more than once`);
  if (problems.length) return { lab, problems, counts, mutants, alternatives };

  const hasPublic = (await readdir(path.join(lab.dir, 'tests', 'public')).catch(() => [] as string[])).some((f) => /\.test\.[cm]?[jt]s$/.test(f));
  const suites: ('public' | 'hidden')[] = hasPublic ? ['public', 'hidden'] : ['hidden'];
  for (const suite of suites) {
    const report = await gradeFolder(grader, lab, 'solution', suite);
    counts[suite] = report.tests.length;
    const notPassing = report.tests.filter((t) => t.status !== 'pass');
    if (report.status !== 'pass') {
      problems.push(
        `the reference solution does not pass the ${suite} suite: ${report.message ?? ''}${notPassing.map((t) => `\n      ${t.status} ${t.name}: ${(t.message ?? '').split('\n')[0]}`).join('')}`.trim(),
      );
    }
    for (const t of report.tests.filter((r) => r.task_id === undefined)) problems.push(`${suite} test "${t.name}" is in no task of lab.json`);
  }
  if (!hasPublic && lab.tasks.some((t) => (t.publicTests ?? []).length > 0)) problems.push('lab.json lists public tests but tests/public holds none');

  const starter = await gradeFolder(grader, lab, 'starter', 'hidden');
  for (const task of starter.tasks) {
    if (task.total > 0 && task.passed === task.total)
      problems.push(`the starter already passes task ${task.id} ("${task.title}"): its hidden tests do not tell a stub from a solution`);
  }
  await checkMutants(pool, lab, options, problems, mutants);
  await checkAlternatives(pool, lab, options, problems, alternatives);
  return { lab, problems, counts, mutants, alternatives };
}

/** Every mutant must lose points: one that scores full marks is a wrong answer the hidden suite lets through. */
async function checkMutants(graders: readonly Grader[], lab: Lab, options: ValidateOptions, problems: string[], tally: LabCheck['mutants']): Promise<void> {
  const set = await readMutants(lab.dir);
  problems.push(...set.problems);
  if (options.minMutants !== undefined && set.mutants.length < options.minMutants)
    problems.push(`mutants/ holds ${set.mutants.length} mutant${set.mutants.length === 1 ? '' : 's'}; this pack asks for at least ${options.minMutants}`);
  // Each mutant's problem, if any, in the mutants' order whatever order they finish in.
  const found = new Map<string, string>();
  await onGraders(graders, set.mutants, async (grader, mutant) => {
    const submission = await mkdtemp(path.join(tmpdir(), 'mlops-validate-mutant-'));
    try {
      const unusable = await writeMutant(lab.dir, mutant, submission);
      if (unusable) {
        found.set(mutant.name, `mutant "${mutant.name}": ${unusable}`);
        return;
      }
      tally.total++;
      const report = await grader.grade({ lab, submissionDir: submission, suite: 'hidden' });
      if (report.points < report.maxPoints) tally.killed++;
      else found.set(mutant.name, `mutant "${mutant.name}" scores ${report.points}/${report.maxPoints}: the hidden suite does not catch "${mutant.mistake}"`);
    } finally {
      await rm(submission, { recursive: true, force: true });
    }
  });
  for (const mutant of set.mutants) if (found.has(mutant.name)) problems.push(found.get(mutant.name) as string);
}

/** Every alternative right answer (`<alternatives>/<lab-id>/<name>/`) must score full marks. */
async function checkAlternatives(
  graders: readonly Grader[],
  lab: Lab,
  options: ValidateOptions,
  problems: string[],
  tally: LabCheck['alternatives'],
): Promise<void> {
  if (!options.alternatives) return;
  const dir = path.join(options.alternatives, lab.id);
  const names = (await readdir(dir, { withFileTypes: true }).catch(() => [])).filter((e) => e.isDirectory()).map((e) => e.name);
  names.sort();
  const found = new Map<string, string>();
  await onGraders(graders, names, async (grader, name) => {
    tally.total++;
    const submission = await mkdtemp(path.join(tmpdir(), 'mlops-validate-alternative-'));
    try {
      await cp(path.join(dir, name), path.join(submission, 'src'), { recursive: true });
      const report = await grader.grade({ lab, submissionDir: submission, suite: 'hidden' });
      if (report.status === 'pass' && report.points === report.maxPoints) tally.passed++;
      else {
        const lost = report.tests.filter((t) => t.status !== 'pass');
        found.set(
          name,
          `the alternative solution "${name}" scores ${report.points}/${report.maxPoints}: a right answer must not lose points${lost.map((t) => `\n      ${t.status} ${t.name}: ${(t.message ?? '').split('\n')[0]}`).join('')}`,
        );
      }
    } finally {
      await rm(submission, { recursive: true, force: true });
    }
  });
  for (const name of names) if (found.has(name)) problems.push(found.get(name) as string);
}

/** Grades one of the lab's own folders (solution/ or starter/) as if it were a candidate's src/. */
async function gradeFolder(grader: Grader, lab: Lab, folder: 'solution' | 'starter', suite: Suite): Promise<GradeReport> {
  const submission = await mkdtemp(path.join(tmpdir(), `mlops-validate-${folder}-`));
  try {
    await cp(path.join(lab.dir, folder), path.join(submission, 'src'), { recursive: true });
    return await grader.grade({ lab, submissionDir: submission, suite });
  } finally {
    await rm(submission, { recursive: true, force: true });
  }
}

/** Catalog problems that belong to the packs being validated. */
export function catalogProblems(catalog: Catalog, packDirs: readonly string[]): string[] {
  const roots = packDirs.map((d) => path.resolve(d));
  return catalog.problems.filter((p) => roots.some((r) => path.resolve(p.file).startsWith(r))).map((p) => `${p.file}: ${p.message}`);
}
