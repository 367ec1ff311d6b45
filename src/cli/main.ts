/**
 * The `mlops-labs` command: list, validate and grade labs without an editor.
 * Exit codes: 0 success (or a passing grade), 1 a failing grade or invalid content, 2 usage or infrastructure.
 */
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { Command, InvalidArgumentError, Option } from 'commander';
import { sectionTitle } from '../core/sections';
import { Grader } from '../grader/grader';
import { HARNESS, openCatalog, PACKAGE_ROOT, resolveLab, UsageError } from './context';
import { FORMATS, type Format } from './formats';
import { gradeBatch, gradeOne } from './grade';
import { catalogProblems, checkLab } from './validate';

const { version } = JSON.parse(readFileSync(path.join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { version: string };

const program = new Command('mlops-labs')
  .description('List, validate and grade MLOps Interview Labs content from the command line.')
  .version(version)
  .showHelpAfterError()
  .exitOverride();

const packOption = () => new Option('--pack <dir...>', 'also load these lab packs (folders holding pack.json)').default([]);

program
  .command('list')
  .description('list the loaded packs, their labs and their questions')
  .addOption(packOption())
  .option('--json', 'print JSON instead of text')
  .action(async (options: { pack: string[]; json?: boolean }) => {
    const catalog = await openCatalog(options.pack);
    if (options.json) {
      const out = {
        packs: catalog.packs.map(({ id, name, version: v, author }) => ({ id, name, version: v, author })),
        labs: catalog.labs.map(({ qualifiedId, title, difficulty, estimatedMinutes }) => ({ id: qualifiedId, title, difficulty, estimatedMinutes })),
        questions: catalog.questions.map(({ qualifiedId, title, section, difficulty }) => ({ id: qualifiedId, title, section, difficulty })),
      };
      process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
      return;
    }
    for (const pack of catalog.packs) {
      console.log(`Pack ${pack.id} ${pack.version}: ${pack.name} (${pack.author})`);
      const labs = catalog.labs.filter((l) => l.packId === pack.id);
      console.log(`  Labs (${labs.length})`);
      for (const lab of labs) console.log(`    ${lab.qualifiedId.padEnd(32)} ${lab.difficulty.padEnd(6)} ${String(lab.estimatedMinutes).padStart(3)} min  ${lab.title}`);
      const questions = catalog.questions.filter((q) => q.packId === pack.id);
      console.log(`  Questions (${questions.length})`);
      for (const q of questions) console.log(`    ${q.qualifiedId.padEnd(48)} ${q.difficulty.padEnd(6)} ${sectionTitle(q.section)}`);
    }
    for (const problem of catalog.problems) console.error(`warning: ${problem.file}: ${problem.message}`);
  });

program
  .command('validate')
  .description('check packs or labs: schemas, ids and links; the reference solution passes every test; the starter fails every hidden task')
  .argument('[targets...]', 'pack folders or lab folders (default: the built-in pack)')
  .action(async (targets: string[]) => {
    const folders = targets.length ? targets.map((t) => path.resolve(t)) : [PACKAGE_ROOT];
    for (const folder of folders) if (!existsSync(folder)) throw new UsageError(`no such folder: ${folder}`);
    const packDirs = folders.filter((f) => existsSync(path.join(f, 'pack.json')));
    const labDirs = folders.filter((f) => existsSync(path.join(f, 'lab.json')));
    const other = folders.filter((f) => !packDirs.includes(f) && !labDirs.includes(f));
    if (other.length) throw new UsageError(`not a pack or a lab (no pack.json or lab.json): ${other.join(', ')}`);
    const catalog = await openCatalog(packDirs.filter((d) => path.resolve(d) !== PACKAGE_ROOT));
    let failures = 0;
    for (const problem of catalogProblems(catalog, packDirs)) {
      failures++;
      console.log(`✗ ${problem}`);
    }
    const labs = [
      ...catalog.labs.filter((l) => packDirs.some((d) => path.resolve(l.dir).startsWith(path.resolve(d) + path.sep))),
      ...(await Promise.all(labDirs.map((d) => resolveLab(catalog, d)))),
    ];
    const grader = new Grader({ harness: HARNESS, warm: true });
    try {
      for (const lab of labs) {
        const check = await checkLab(grader, lab);
        if (check.problems.length === 0) {
          console.log(`✓ ${lab.qualifiedId}: solution passes ${check.counts.public} public and ${check.counts.hidden} hidden tests; the starter fails all ${lab.tasks.length} tasks`);
        } else {
          failures += check.problems.length;
          console.log(`✗ ${lab.qualifiedId}`);
          for (const problem of check.problems) console.log(`    ${problem.split('\n').join('\n    ')}`);
        }
      }
    } finally {
      grader.dispose();
    }
    const questions = catalog.questions.filter((q) => packDirs.some((d) => path.resolve(q.file).startsWith(path.resolve(d) + path.sep))).length;
    console.log(`${failures === 0 ? 'valid' : `${failures} problem${failures === 1 ? '' : 's'}`}: ${labs.length} lab${labs.length === 1 ? '' : 's'}, ${questions} question${questions === 1 ? '' : 's'} checked`);
    process.exitCode = failures === 0 ? 0 : 1;
  });

const choice = <T extends string>(values: readonly T[]) => (value: string): T => {
  if (!values.includes(value as T)) throw new InvalidArgumentError(`expected one of: ${values.join(', ')}`);
  return value as T;
};

program
  .command('grade')
  .description('grade a submission folder (workspace layout: src/ holds the code), or every folder in --batch')
  .argument('[lab]', 'lab id or lab folder (with --batch, use --lab)')
  .argument('[folder]', 'the submission folder')
  .addOption(packOption())
  .addOption(new Option('--suite <suite>', 'which tests to run').choices(['public', 'hidden']).default('hidden'))
  .addOption(new Option('--mode <mode>', 'take-home treats the submission as hostile').choices(['practice', 'take-home']).default('practice'))
  .option('--format <format>', `report format: ${FORMATS.join(', ')}`, choice(FORMATS), 'text' as Format)
  .option('--out <path>', 'write the report to a file (with --batch: the output folder)')
  .option('--batch <dir>', 'grade every submission folder in <dir> in parallel; writes a CSV gradebook and a JSON report each')
  .option('--lab <lab>', 'the lab to grade against (with --batch)')
  .option('--jobs <n>', 'parallel graders for --batch (default: all cores)', (v) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('expected a positive integer');
    return n;
  })
  .action(async (labArg: string | undefined, folder: string | undefined, options: { pack: string[]; suite: 'public' | 'hidden'; mode: 'practice' | 'take-home'; format: Format; out?: string; batch?: string; lab?: string; jobs?: number }) => {
    const catalog = await openCatalog(options.pack);
    if (options.batch) {
      const labRef = options.lab ?? labArg;
      if (!labRef) throw new UsageError('--batch needs --lab <lab>');
      const lab = await resolveLab(catalog, labRef);
      const out = path.resolve(options.out ?? path.join(options.batch, '..', `${path.basename(options.batch)}-grades`));
      const result = await gradeBatch(lab, path.resolve(options.batch), { suite: options.suite, mode: options.mode, out, ...(options.jobs ? { jobs: options.jobs } : {}) });
      const passed = result.rows.filter((r) => r.report.status === 'pass').length;
      console.log(`graded ${result.rows.length} submissions in ${(result.durationMs / 1000).toFixed(1)} s: ${passed} passed; gradebook ${path.join(out, 'gradebook.csv')}`);
      return;
    }
    if (!labArg || !folder) throw new UsageError('grade needs a lab and a submission folder (or --batch <dir> --lab <lab>)');
    process.exitCode = await gradeOne(await resolveLab(catalog, labArg), folder, { suite: options.suite, mode: options.mode, format: options.format, ...(options.out ? { out: options.out } : {}) });
  });

async function main(): Promise<void> {
  try {
    await program.parseAsync(process.argv);
  } catch (error) {
    const code = (error as { code?: string; exitCode?: number }).code;
    if (code === 'commander.helpDisplayed' || code === 'commander.version') process.exit(0);
    if (code?.startsWith('commander.')) process.exit(2);
    if (error instanceof UsageError) {
      console.error(`mlops-labs: ${error.message}`);
      process.exit(2);
    }
    console.error(`mlops-labs: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    process.exit(2);
  }
}

void main();
