// Over 300 lines on purpose: one declaration per command keeps the whole command line readable in one place (each action is a call into its own module).
/**
 * The `mlops-labs` command: list, validate and grade labs without an editor.
 * Exit codes: 0 success (or a passing grade), 1 a failing grade or invalid content, 2 usage or infrastructure.
 */
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { Command, InvalidArgumentError, Option } from 'commander';
import { LOCAL_ID } from '../core/catalog/ids';
import { sectionTitle } from '../core/catalog/sections';
import { GRADER_VERSION, openCatalog, PACKAGE_ROOT, resolveLab, selfCommand, UsageError } from './context';
import { FORMATS, type Format } from './formats';
import { gradeBatch, gradeOne } from './grade';
import { gradeTakeHome } from './take-home';
import { similarityOf, summaryText } from './similarity';
import { DEFAULTS } from '../core/similarity/compare';
import { mergeCommand } from './gradebook-merge';
import { parseShard, type Shard } from '../core/take-home/shard';
import { LMS, type Lms } from '../core/take-home/lms';
import { initPack, buildPack } from './pack';
import { catalogProblems, validate } from './validate';

const program = new Command('mlops-labs')
  .description('List, validate and grade MLOps Interview Labs content from the command line.')
  .version(GRADER_VERSION)
  .showHelpAfterError()
  .exitOverride();

const packOption = () => new Option('--pack <pack...>', 'also load these lab packs (folders holding pack.json, or zips)').default([]);

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
      for (const lab of labs)
        console.log(`    ${lab.qualifiedId.padEnd(32)} ${lab.difficulty.padEnd(6)} ${String(lab.estimatedMinutes).padStart(3)} min  ${lab.title}`);
      const questions = catalog.questions.filter((q) => q.packId === pack.id);
      console.log(`  Questions (${questions.length})`);
      for (const q of questions) console.log(`    ${q.qualifiedId.padEnd(48)} ${q.difficulty.padEnd(6)} ${sectionTitle(q.section)}`);
    }
    for (const problem of catalog.problems) console.error(`warning: ${problem.file}: ${problem.message}`);
  });

program
  .command('validate')
  .description(
    'check packs or labs: schemas, ids and links; the reference solution passes every test; the starter fails every hidden task; every mutant loses points; the student build leaks nothing',
  )
  .argument('[targets...]', 'pack folders or zips, or lab folders (default: the built-in pack)')
  .option('--alternatives <dir>', 'also grade the right answers in <dir>/<lab-id>/<name>/: each must score full marks')
  .option('--min-mutants <n>', 'fail a lab whose mutants/ holds fewer than n mutants', (value) => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('a whole number of mutants');
    return n;
  })
  .action(async (targets: string[], options: { alternatives?: string; minMutants?: number }) => {
    const alternatives = options.alternatives === undefined ? undefined : path.resolve(options.alternatives);
    if (alternatives && !existsSync(alternatives)) throw new UsageError(`no such folder: ${options.alternatives}`);
    process.exitCode = await validate(targets.length ? targets.map((t) => path.resolve(t)) : [PACKAGE_ROOT], {
      ...(alternatives ? { alternatives } : {}),
      ...(options.minMutants === undefined ? {} : { minMutants: options.minMutants }),
    });
  });

const pack = program.command('pack').description('author lab packs: scaffold one, build its student and full zips');

pack
  .command('init')
  .description('scaffold a pack with one example question and one example lab that validate')
  .argument('<dir>', 'a new or empty folder')
  .option('--id <id>', 'the pack id: the namespace of its questions and labs (kebab-case)')
  .option('--name <name>', 'the name shown to students')
  .option('--author <author>', 'shown when a student is asked to trust the pack', 'Your Bootcamp')
  .action(async (dir: string, options: { id?: string; name?: string; author: string }) => {
    const id =
      options.id ??
      path
        .basename(path.resolve(dir))
        .toLowerCase()
        .replace(/[^a-z0-9]+/g, '-')
        .replace(/^-+|-+$/g, '');
    if (!LOCAL_ID.test(id)) throw new UsageError(`pack id "${id}" must be kebab-case (a-z, 0-9, single dashes); give one with --id`);
    const files = await initPack(path.resolve(dir), { id, name: options.name ?? id, author: options.author });
    console.log(`Created pack "${id}" in ${dir} (${files.length} files):`);
    for (const f of files) console.log(`  ${f}`);
    console.log(`Next: ${selfCommand()} validate ${/\s/.test(dir) ? JSON.stringify(dir) : dir}`);
  });

pack
  .command('build')
  .description('write the student zip (no solutions, no hidden tests, with checksums) or the full zip for grading')
  .argument('<pack>', 'the pack folder')
  .option('--student', 'the build students load (the default)')
  .option('--full', "the grader's copy: everything, with checksums")
  .option('--out <file>', 'the zip to write (default: <id>-<version>-<student|full>.zip in the pack folder)')
  .option('--force', 'replace the zip if it exists')
  .action(async (dir: string, options: { student?: boolean; full?: boolean; out?: string; force?: boolean }) => {
    if (options.student && options.full) throw new UsageError('choose one of --student and --full');
    const folder = path.resolve(dir);
    if (!existsSync(path.join(folder, 'pack.json'))) throw new UsageError(`${folder} holds no pack.json`);
    const catalog = await openCatalog(folder === PACKAGE_ROOT ? [] : [folder]);
    const target = catalog.packs.find((p) => path.resolve(p.dir) === folder);
    const problems = catalogProblems(catalog, [folder]);
    if (!target || problems.length) throw new UsageError(`the pack does not load cleanly; run mlops-labs validate first:\n  ${problems.join('\n  ')}`);
    const built = await buildPack(catalog, target, options.full ? 'full' : 'student', options.out, options.force === true);
    console.log(
      `Wrote ${built.file}: ${built.files} files, ${(built.bytes / 1024).toFixed(0)} KiB before compression${built.excluded.length ? `; left out ${built.excluded.length} solution and hidden-test files` : ''}`,
    );
  });

/** A number from 0 to `max` (minutes or percent). */
const percentOrMinutes = (max: number) => (value: string) => {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n < 0 || n > max) throw new InvalidArgumentError(`expected a number from 0 to ${max}`);
  return n;
};

const choice =
  <T extends string>(values: readonly T[]) =>
  (value: string): T => {
    if (!values.includes(value as T)) throw new InvalidArgumentError(`expected one of: ${values.join(', ')}`);
    return value as T;
  };

program
  .command('grade')
  .description(
    'grade a submission folder (workspace layout: src/ holds the code), every folder in --batch, or exported take-home submissions with --pack <full pack> --submissions <zips or folders...>',
  )
  .argument('[lab]', 'lab id or lab folder (with --batch, use --lab)')
  .argument('[folder]', 'the submission folder')
  .addOption(packOption())
  .addOption(new Option('--suite <suite>', 'which tests to run').choices(['public', 'hidden']).default('hidden'))
  .addOption(new Option('--mode <mode>', 'take-home treats the submission as hostile').choices(['practice', 'take-home']).default('practice'))
  .option('--format <format>', `report format: ${FORMATS.join(', ')}`, choice(FORMATS), 'text' as Format)
  .option('--out <path>', 'write the report to a file (with --batch: the output folder)')
  .option('--batch <dir>', 'grade every submission folder in <dir> in parallel; writes a CSV gradebook and a JSON report each')
  .option('--lab <lab>', 'the lab to grade against (with --batch)')
  .option(
    '--submissions <paths...>',
    'exported take-home submissions: .zip files, unpacked folders, or folders of them; graded in take-home mode against --pack (the full pack)',
  )
  .option('--classroom-result <file>', 'with --submissions and one submission: write its GitHub Classroom result (base64 JSON) here')
  .option('--roster <csv>', 'with --submissions: names, emails and extensions by submission file or GitHub username (docs/grading.md, Roster)')
  .option('--late-grace <minutes>', 'late policy: minutes after the deadline that cost nothing (replaces the pack latePolicy field)', percentOrMinutes(10080))
  .option('--late-penalty <percent>', 'late policy: percent of the points possible deducted per started hour late', percentOrMinutes(100))
  .option('--late-max-penalty <percent>', 'late policy: the most the per-hour deduction can reach', percentOrMinutes(100))
  .option('--late-cap <percent>', 'late policy: the most late work can score, in percent of the points possible', percentOrMinutes(100))
  .option('--manual <csv>', 'with --submissions: merge the manual grades sheet (rubric items, points, comments) filled in from --manual-template')
  .option('--manual-template <csv>', 'with --submissions: write a blank manual grades sheet for this batch (never overwrites)')
  .addOption(new Option('--lms <lms...>', 'with --submissions: also write the final gradebook as lms-<lms>.csv for an LMS import').choices(LMS))
  .option('--similarity', 'with --submissions: add a similarity column (the closest other submission and its score; a reason to talk, not a verdict)')
  .option(
    '--shard <i/n>',
    'with --submissions: grade only shard i of n (from 0): the submissions whose name hashes to i; merge the shards with gradebook merge',
    (v) => {
      const shard = parseShard(v);
      if (typeof shard === 'string') throw new InvalidArgumentError(shard);
      return shard;
    },
  )
  .option('--jobs <n>', 'grades at once for --batch and take-homes, exactly (default: one per core, and one more while a grade runs past 1 s)', (v) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('expected a positive integer');
    return n;
  })
  .action(
    async (
      labArg: string | undefined,
      folder: string | undefined,
      options: {
        pack: string[];
        suite: 'public' | 'hidden';
        mode: 'practice' | 'take-home';
        format: Format;
        out?: string;
        batch?: string;
        lab?: string;
        jobs?: number;
        submissions?: string[];
        classroomResult?: string;
        roster?: string;
        lateGrace?: number;
        latePenalty?: number;
        lateMaxPenalty?: number;
        lateCap?: number;
        manual?: string;
        manualTemplate?: string;
        lms?: Lms[];
        similarity?: boolean;
        shard?: Shard;
      },
    ) => {
      if (options.shard && !options.submissions) throw new UsageError('--shard splits take-home batches: use it with --pack <full pack> --submissions …');
      if (options.submissions) {
        if (options.pack.length !== 1) throw new UsageError('--submissions needs exactly one --pack: the full pack (folder or zip) holding the hidden tests');
        const out = path.resolve(options.out ?? 'grades');
        const { results, durationMs } = await gradeTakeHome({
          pack: options.pack[0] as string,
          submissions: options.submissions,
          out,
          ...(options.jobs ? { jobs: options.jobs } : {}),
          ...(options.classroomResult ? { classroomResult: path.resolve(options.classroomResult) } : {}),
          ...(options.roster ? { roster: path.resolve(options.roster) } : {}),
          ...(options.manual ? { manual: path.resolve(options.manual) } : {}),
          ...(options.manualTemplate ? { manualTemplate: path.resolve(options.manualTemplate) } : {}),
          ...(options.lms ? { lms: options.lms } : {}),
          ...(options.similarity ? { similarity: true } : {}),
          ...(options.shard ? { shard: options.shard } : {}),
          late: {
            ...(options.lateGrace !== undefined ? { graceMinutes: options.lateGrace } : {}),
            ...(options.latePenalty !== undefined ? { penaltyPercentPerHour: options.latePenalty } : {}),
            ...(options.lateMaxPenalty !== undefined ? { maxPenaltyPercent: options.lateMaxPenalty } : {}),
            ...(options.lateCap !== undefined ? { capPercent: options.lateCap } : {}),
          },
        });
        const flagged = results.filter((r) => r.flags.length).length;
        const part = options.shard ? `shard ${options.shard.index}/${options.shard.count}: ` : '';
        console.log(
          `${part}graded ${results.length} submission${results.length === 1 ? '' : 's'} in ${(durationMs / 1000).toFixed(1)} s (${flagged} flagged); gradebook ${path.join(out, 'gradebook.csv')}, feedback pages in ${path.join(out, 'feedback')}`,
        );
        return;
      }
      const catalog = await openCatalog(options.pack);
      if (options.batch) {
        const labRef = options.lab ?? labArg;
        if (!labRef) throw new UsageError('--batch needs --lab <lab>');
        const lab = await resolveLab(catalog, labRef);
        const out = path.resolve(options.out ?? path.join(options.batch, '..', `${path.basename(options.batch)}-grades`));
        const result = await gradeBatch(lab, path.resolve(options.batch), {
          suite: options.suite,
          mode: options.mode,
          out,
          ...(options.jobs ? { jobs: options.jobs } : {}),
        });
        const passed = result.rows.filter((r) => r.report.status === 'pass').length;
        console.log(
          `graded ${result.rows.length} submissions in ${(result.durationMs / 1000).toFixed(1)} s: ${passed} passed; gradebook ${path.join(out, 'gradebook.csv')}`,
        );
        return;
      }
      if (!labArg || !folder) throw new UsageError('grade needs a lab and a submission folder (or --batch <dir> --lab <lab>)');
      process.exitCode = await gradeOne(await resolveLab(catalog, labArg), folder, {
        suite: options.suite,
        mode: options.mode,
        format: options.format,
        ...(options.out ? { out: options.out } : {}),
      });
    },
  );

program
  .command('similarity')
  .description(
    'score every pair of submissions of a lab by shared code (winnowed token fingerprints, identifiers and literals normalised, starter code left out); list the pairs above the threshold side by side in similarity.html. A reason to talk, not a verdict',
  )
  .argument('<submissions...>', 'exported take-home submissions: .zip files, unpacked folders, lab workspaces, or folders of them')
  .requiredOption('--lab <lab>', 'the lab whose files to compare (its starter code is left out)')
  .addOption(packOption())
  .option('--threshold <score>', `list pairs scoring at least this, from 0 to 1 (default ${DEFAULTS.threshold})`, percentOrMinutes(1))
  .option('--out <dir>', 'write similarity.json and similarity.html here', 'similarity')
  .action(async (submissions: string[], options: { lab: string; pack: string[]; threshold?: number; out: string }) => {
    const out = path.resolve(options.out);
    const result = await similarityOf({
      lab: options.lab,
      pack: options.pack,
      submissions,
      out,
      ...(options.threshold !== undefined ? { threshold: options.threshold } : {}),
    });
    for (const s of result.skipped) console.error(`warning: ${s.submission}: not compared: ${s.reason}`);
    console.log(summaryText(result, path.join(out, 'similarity.html')));
  });

program
  .command('gradebook')
  .description('work with take-home gradebooks')
  .command('merge')
  .description(
    'merge the output folders of grade --submissions … --shard i/n into one: gradebook.csv/.json, junit.xml, feedback pages, index.html; refuses shards of other pack or grader versions, reports duplicate or missing submissions (exit 1)',
  )
  .argument('<dirs...>', 'the shard output folders')
  .requiredOption('--out <dir>', 'the merged output folder')
  .action(async (dirs: string[], options: { out: string }) => {
    process.exitCode = await mergeCommand(dirs, path.resolve(options.out));
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

// main() reports its own errors; this catches only what escapes that (a failing console write, say).
main().catch((error: unknown) => {
  console.error(`mlops-labs: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  process.exit(2);
});
