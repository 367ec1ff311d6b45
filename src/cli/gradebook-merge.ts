/**
 * `mlops-labs gradebook merge <shard dirs…> --out <dir>`: joins the output folders of `grade --shard i/n`
 * into the folder one unsharded run would have written (gradebook.csv and .json, junit.xml and junit/,
 * feedback/, instructor/, reports/, index.html). Shards graded with another pack or grader version, or of
 * another split, are refused before anything is written; duplicate and missing submissions are reported.
 */
import { cp, mkdir, readFile, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { csvCell, parseCsv } from '../core/take-home/csv';
import { planMerge, type MergePlan, type ShardRecord } from '../core/take-home/shard';
import { UsageError } from './context';
import { combinedJunit, gradebookJson, type Gradebook } from './gradebook-files';
import { gradebookPage } from './gradebook-page';

interface ShardOutput {
  source: string;
  record: ShardRecord;
  book: Gradebook;
  csv: string[][];
}

async function readShard(dir: string): Promise<ShardOutput> {
  const read = async (file: string) => {
    try {
      return await readFile(path.join(dir, file), 'utf8');
    } catch {
      throw new UsageError(`${dir} holds no ${file}: give the --out folders of mlops-labs grade --submissions … --shard i/n`);
    }
  };
  const record = JSON.parse(await read('shard.json')) as ShardRecord;
  const book = JSON.parse(await read('gradebook.json')) as Gradebook;
  return { source: dir, record, book, csv: parseCsv(await read('gradebook.csv')) };
}

export async function mergeGradebooks(dirs: readonly string[], out: string): Promise<MergePlan> {
  const shards = await Promise.all(dirs.map((d) => readShard(path.resolve(d))));
  const plan = planMerge(shards);
  const header = shards[0]?.csv[0]?.join(',');
  for (const s of shards) if (s.csv[0]?.join(',') !== header) plan.refused.push(`${s.source}'s gradebook.csv has other columns than ${shards[0]?.source}'s`);
  if (plan.refused.length) throw new UsageError(`cannot merge these shards:\n  ${plan.refused.join('\n  ')}`);
  const first = shards[0] as ShardOutput;
  const bySource = new Map(shards.map((s) => [s.source, s]));

  for (const folder of ['junit', 'feedback', 'instructor', 'reports']) await mkdir(path.join(out, folder), { recursive: true });
  const rows: string[][] = [first.csv[0] as string[]];
  const candidates: Gradebook['candidates'] = [];
  const junit: string[] = [];
  for (const { name, source } of plan.take) {
    const shard = bySource.get(source) as ShardOutput;
    const row = shard.csv.find((r, i) => i > 0 && r[0] === name);
    const summary = shard.book.candidates.find((c) => c.candidate === name);
    if (!row || !summary) throw new UsageError(`${source} lists ${name} in shard.json but not in its gradebook`);
    rows.push(row);
    candidates.push(summary);
    for (const file of [`junit/${name}.xml`, `feedback/${name}.html`, `instructor/${name}.html`])
      await cp(path.join(source, file), path.join(out, file), { force: true });
    await cp(path.join(source, 'reports', name), path.join(out, 'reports', name), { recursive: true, force: true });
    junit.push(await readFile(path.join(source, 'junit', `${name}.xml`), 'utf8'));
  }
  const book: Gradebook = {
    pack: first.book.pack,
    grader: first.book.grader,
    latePolicy: first.book.latePolicy,
    gradedAt: shards.map((s) => s.book.gradedAt).sort((a, b) => a.localeCompare(b))[shards.length - 1] as string,
    candidates,
  };
  await writeFile(path.join(out, 'gradebook.csv'), `${rows.map((cells) => cells.map(csvCell).join(',')).join('\n')}\n`);
  await writeFile(path.join(out, 'gradebook.json'), gradebookJson(book));
  await writeFile(path.join(out, 'junit.xml'), combinedJunit(junit));
  await writeFile(path.join(out, 'index.html'), gradebookPage(book));
  return plan;
}

/** The command: merges, prints what is duplicate or missing, and returns the exit code (1 when anything is). */
export async function mergeCommand(dirs: readonly string[], out: string): Promise<number> {
  const plan = await mergeGradebooks(dirs, out);
  for (const d of plan.duplicates) console.error(`duplicate: ${d.name} was graded by ${d.sources.join(' and ')}; kept the first`);
  if (plan.missing.length)
    console.error(`missing: ${plan.missing.length} submission${plan.missing.length === 1 ? '' : 's'} no shard graded: ${plan.missing.join(', ')}`);
  if (plan.missingShards.length) console.error(`missing: no folder holds shard${plan.missingShards.length === 1 ? '' : 's'} ${plan.missingShards.join(', ')}`);
  console.log(`merged ${plan.take.length} submissions from ${dirs.length} shard${dirs.length === 1 ? '' : 's'} into ${out}`);
  return plan.duplicates.length || plan.missing.length || plan.missingShards.length ? 1 : 0;
}
