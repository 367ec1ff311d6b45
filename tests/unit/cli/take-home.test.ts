/**
 * `mlops-labs grade --pack <full pack> --submissions …` end to end with the real grader: exported zips, an
 * unpacked export and a lab workspace, honest and hostile, graded in one batch against a pack made from
 * the template with a 60-minute limit.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CandidateResult } from '../../../src/cli/take-home-result';
import { gradeTakeHome } from '../../../src/cli/take-home';
import { UsageError } from '../../../src/cli/context';
import { packTemplate } from '../../../src/cli/pack-template';
import { loadCatalog } from '../../../src/core/catalog/catalog';
import type { Lab, Pack } from '../../../src/core/catalog/types';
import { MARKER } from '../../../src/core/labs/workspace';
import { writeZip } from '../../../src/core/io/zip-write';
import { writeTree } from '../helpers';
import { EXPORTED, exportOf as exportWith, frozenExportOf as frozenExportWith, type ExportOptions } from './take-home-fixtures';

const ROOT = path.resolve(__dirname, '../../..');
const PACK_ID = 'acme-take-home';
const LAB_ID = 'latency-slo';
const HOSTILE_NAME = '<img src=x onerror=alert(1)>';

const TEMPLATE = await packTemplate({ id: PACK_ID, name: 'Acme take-home', author: 'Acme' });
const SOLUTION = TEMPLATE.get(`labs/${LAB_ID}/solution/slo.ts`) as string;
const STARTER = TEMPLATE.get(`labs/${LAB_ID}/starter/slo.ts`) as string;

let work: string;
let packDir: string;
let pack: Pack;
let lab: Lab;

/** The reference solution with `extra` appended. */
const withSolution = (extra: string) => `${SOLUTION}\n${extra}\n`;

/** An export as the extension writes it (take-home-fixtures.ts), of this pack's lab. */
const exportOf = (code: string, options: ExportOptions = {}) => exportWith(pack, lab, STARTER, code, options);

/** An export of a lab whose time ran out 30 minutes before it, with `later` the code as it stands at export. */
const frozenExportOf = (frozenCode: string, later: string, lateEdits: number) => frozenExportWith(pack, lab, STARTER, frozenCode, later, lateEdits);

async function writeFiles(dir: string, files: ReadonlyMap<string, Buffer>): Promise<void> {
  for (const [rel, data] of files) {
    await mkdir(path.dirname(path.join(dir, rel)), { recursive: true });
    await writeFile(path.join(dir, rel), data);
  }
}

/** Candidate code adapted from tests/fixtures/grader/submissions to this lab. */
const HOSTILE_CODE = {
  forge: withSolution(
    [
      '// Claims the hidden tests passed by writing to the results channel itself.',
      "for (const name of ['percentile > takes the nearest rank without interpolating', 'slo > counts only requests slower than the threshold']) {",
      "  process.send?.({ seq: 99, body: { kind: 'test', name, passed: true, durationMs: 1 }, mac: '00' });",
      '}',
    ].join('\n'),
  ),
  patchAssert: [
    "import assert from 'node:assert/strict';",
    '// Makes every check pass, whatever the code returns.',
    "for (const name of ['equal', 'deepEqual', 'ok', 'throws']) (assert as unknown as Record<string, unknown>)[name] = () => undefined;",
    'export const percentile = (latenciesMs: readonly number[], p: number): number => latenciesMs.length + p;',
    'export const evaluateSlo = () => ({ total: 0, slow: 0, errorBudget: 0, burnRate: 0 });',
  ].join('\n'),
  infiniteLoop: withSolution('').replace(
    'export function percentile(latenciesMs: readonly number[], p: number): number {',
    '$&\n  for (;;) {\n    /* spins */\n  }',
  ),
};

let results: Map<string, CandidateResult>;
let out: string;

beforeAll(async () => {
  // Shared by every test below, so not a per-test tempDir().
  work = await mkdtemp(path.join(tmpdir(), 'mlops-labs-take-home-'));
  packDir = path.join(work, 'pack');
  await writeTree(packDir, Object.fromEntries(TEMPLATE));
  const manifest = JSON.parse(TEMPLATE.get('pack.json') as string) as Record<string, unknown>;
  await writeFile(path.join(packDir, 'pack.json'), JSON.stringify({ ...manifest, timeLimitMinutes: 60 }));
  // A short run limit keeps the infinite loop quick to stop.
  const labFile = path.join(packDir, 'labs', LAB_ID, 'lab.json');
  const labManifest = JSON.parse(await readFile(labFile, 'utf8')) as { runtime: object };
  await writeFile(labFile, JSON.stringify({ ...labManifest, runtime: { ...labManifest.runtime, timeoutMs: 2000 } }));
  const catalog = await loadCatalog([packDir]);
  expect(catalog.problems).toEqual([]);
  pack = catalog.packs[0] as Pack;
  lab = catalog.labs[0] as Lab;

  const zips = path.join(work, 'submissions');
  await writeZip(exportOf(SOLUTION), path.join(zips, 'correct.zip'));
  await writeZip(exportOf(STARTER), path.join(zips, 'wrong.zip'));
  const tampered = exportOf(SOLUTION);
  tampered.set(`labs/${LAB_ID}/src/slo.ts`, Buffer.from(withSolution('// edited after export')));
  await writeZip(tampered, path.join(zips, 'tampered.zip'));
  await writeZip(exportOf(SOLUTION, { minutesTaken: 180 }), path.join(zips, 'late.zip'));
  await writeZip(frozenExportOf(SOLUTION, SOLUTION, 0), path.join(zips, 'frozen-on-time.zip'));
  await writeZip(frozenExportOf(STARTER, SOLUTION, 3), path.join(zips, 'frozen-late-edits.zip'));
  await writeZip(exportOf(HOSTILE_CODE.forge), path.join(zips, 'forge.zip'));
  await writeZip(exportOf(HOSTILE_CODE.patchAssert), path.join(zips, 'patch-assert.zip'));
  await writeZip(exportOf(HOSTILE_CODE.infiniteLoop), path.join(zips, 'infinite-loop.zip'));
  await writeZip(exportOf(SOLUTION, { packOverride: { ...pack, id: 'other-pack' } }), path.join(zips, 'other-pack.zip'));
  await writeZip(exportOf(SOLUTION), path.join(zips, `${HOSTILE_NAME}.zip`));
  await writeFile(path.join(zips, 'not-a-zip.zip'), 'this is plain text, not a zip archive\n');
  await writeFiles(path.join(zips, 'unpacked'), exportOf(SOLUTION));
  const workspace = path.join(zips, 'workspace');
  await writeTree(workspace, {
    [MARKER]: JSON.stringify({ lab: `${PACK_ID}/${LAB_ID}`, version: '1.0.0', pack: PACK_ID, packVersion: '0.1.0', startedAt: EXPORTED.toISOString() }),
    'src/slo.ts': SOLUTION,
  });

  out = path.join(work, 'grades');
  const graded = await gradeTakeHome({ pack: packDir, submissions: [zips], out, quiet: true });
  results = new Map(graded.results.map((r) => [r.candidate, r]));
}, 120_000);
afterAll(() => rm(work, { recursive: true, force: true }));

const result = (candidate: string) => {
  const found = results.get(candidate);
  if (!found) throw new Error(`no result for ${candidate}; graded: ${[...results.keys()].join(', ')}`);
  return found;
};

describe('grading exported take-home submissions', () => {
  it('grades every submission found, and names candidates safely', () => {
    expect([...results.keys()].sort()).toEqual(
      [
        'correct',
        'forge',
        'frozen-late-edits',
        'frozen-on-time',
        'img-src-x-onerror-alert-1-',
        'infinite-loop',
        'late',
        'not-a-zip',
        'other-pack',
        'patch-assert',
        'tampered',
        'unpacked',
        'workspace',
        'wrong',
      ].sort(),
    );
  });

  it('gives the solution full points and no flags, from a zip or an unpacked folder', () => {
    for (const name of ['correct', 'unpacked']) {
      expect(result(name), name).toMatchObject({
        points: 100,
        maxPoints: 100,
        late: false,
        tampered: false,
        flags: [],
        timeLimitMinutes: 60,
        elapsedMinutes: 40,
      });
      expect(result(name).labs[0]?.report.status, name).toBe('pass');
      expect(result(name).labs[0]?.hints, name).toEqual([lab.hints[0]]);
    }
  });

  it('gives the starter nothing, and says its files were never changed', () => {
    expect(result('wrong')).toMatchObject({ points: 0, maxPoints: 100, late: false, tampered: false });
    expect(result('wrong').flags).toEqual([`${LAB_ID}: starter files unchanged`]);
  });

  it('flags a zip changed after export as tampered, and still grades it', () => {
    expect(result('tampered')).toMatchObject({ tampered: true, points: 100 });
    expect(result('tampered').flags).toEqual([`tampered: labs/${LAB_ID}/src/slo.ts was changed after export (checksum differs)`]);
  });

  it('flags a submission finished past the limit as late, from the pack not the manifest, and still grades it', () => {
    expect(result('late')).toMatchObject({ late: true, tampered: false, points: 100, elapsedMinutes: 180 });
    expect(result('late').flags).toEqual([`late: ${LAB_ID} finished 120 min after the deadline`]);
  });

  it('takes a lab frozen when its time ran out as on time, and grades the frozen files', () => {
    expect(result('frozen-on-time')).toMatchObject({ late: false, tampered: false, points: 100, flags: [], elapsedMinutes: 60 });
  });

  it('flags edits made after the freeze as late, and grades the files as they stood at the freeze', () => {
    expect(result('frozen-late-edits')).toMatchObject({ late: true, points: 0 });
    expect(result('frozen-late-edits').flags).toEqual([
      `late: ${LAB_ID} has edits made after time ran out (3 edits; graded as frozen)`,
      `${LAB_ID}: starter files unchanged`,
    ]);
  });

  it('gives code that tries to forge results no channel to write on: it fails to load, with no points', () => {
    const forged = result('forge');
    expect(forged).toMatchObject({ points: 0 });
    expect(forged.labs[0]?.report).toMatchObject({ status: 'error', message: expect.stringMatching(/^loading src\/ failed/) });
  });

  it('refuses code that imports assert to patch it: a compile error, with no points', () => {
    const patched = result('patch-assert');
    expect(patched).toMatchObject({ points: 0 });
    expect(patched.labs[0]?.report.message).toMatch(/import "node:assert(\/strict)?" is not allowed/);
  });

  it('stops an infinite loop at the lab limit and grades it as a failure with a message', () => {
    const looped = result('infinite-loop');
    expect(looped).toMatchObject({ points: 0, tampered: false });
    expect(looped.labs[0]?.report).toMatchObject({ status: 'error', message: expect.stringMatching(/stopped after 2000 ms/) });
  });

  it('keeps going past a file that is not a zip and a zip for another pack, each with a "not graded" row', () => {
    expect(result('not-a-zip')).toMatchObject({ points: 0, labs: [], flags: [expect.stringMatching(/^not graded: .*not a zip file/)] });
    expect(result('other-pack')).toMatchObject({ points: 0, labs: [], flags: [`not graded: made for pack "other-pack", not "${PACK_ID}"`] });
  });

  it('grades a lab workspace by the lab its marker names, and says it has no times or checksums', () => {
    expect(result('workspace')).toMatchObject({ points: 100, maxPoints: 100, tampered: false, late: false });
    expect(result('workspace').flags).toEqual(['a lab workspace, not an exported submission: no times or checksums to check']);
  });
});

describe('the files the batch writes', () => {
  it('writes a CSV gradebook with a header and a row per candidate, late and tampered in their columns', async () => {
    const lines = (await readFile(path.join(out, 'gradebook.csv'), 'utf8')).trimEnd().split('\n');
    expect(lines[0]).toBe(
      `candidate,points,maxPoints,percent,${LAB_ID} (100),late,tampered,elapsedMinutes,flags,submission,name,email,typedName,manualPoints,manualMaxPoints,rawPoints,latePenalty,finalPoints,finalMaxPoints,latePolicy,minutesPastDeadline,extensionMinutes,asSubmittedPoints,graded`,
    );
    expect(lines).toHaveLength(1 + results.size);
    const header = (lines[0] as string).split(',');
    const row = (candidate: string) => {
      const line = lines.find((l) => l.startsWith(`${candidate},`)) as string;
      const cells = line.split(',');
      return { late: cells[header.indexOf('late')], tampered: cells[header.indexOf('tampered')], points: cells[1] };
    };
    expect(row('correct')).toEqual({ late: 'no', tampered: 'no', points: '100' });
    expect(row('late')).toEqual({ late: 'yes', tampered: 'no', points: '100' });
    expect(row('tampered')).toEqual({ late: 'no', tampered: 'yes', points: '100' });
    expect(row('wrong')).toEqual({ late: 'no', tampered: 'no', points: '0' });
  });

  it('writes a JSON gradebook naming the pack, a summary per candidate', async () => {
    const gradebook = JSON.parse(await readFile(path.join(out, 'gradebook.json'), 'utf8'));
    expect(gradebook.pack).toEqual({ id: PACK_ID, version: '0.1.0' });
    expect(gradebook.candidates).toHaveLength(results.size);
    expect(gradebook.candidates.find((c: { candidate: string }) => c.candidate === 'correct')).toMatchObject({
      points: 100,
      labs: [{ id: `${PACK_ID}/${LAB_ID}`, status: 'pass', points: 100, maxPoints: 100, hintsTaken: 1 }],
    });
  });

  it('writes a JUnit file, a feedback page and a report per lab for each candidate', async () => {
    for (const candidate of results.keys()) {
      const junit = await readFile(path.join(out, 'junit', `${candidate}.xml`), 'utf8');
      expect(junit, candidate).toMatch(/^<\?xml version="1\.0" encoding="UTF-8"\?>\n<testsuites [^>]*>[\s\S]*<\/testsuites>\n$/);
      expect(await readFile(path.join(out, 'feedback', `${candidate}.html`), 'utf8'), candidate).toMatch(/^<!DOCTYPE html>/);
    }
    expect(await readFile(path.join(out, 'junit', 'correct.xml'), 'utf8')).toMatch(
      /<testsuite name="latency-slo \(hidden\)" tests="12" failures="0" errors="0"/,
    );
    expect(await readdir(path.join(out, 'reports', 'correct'))).toEqual([`${LAB_ID}.json`]);
    expect(JSON.parse(await readFile(path.join(out, 'reports', 'correct', `${LAB_ID}.json`), 'utf8'))).toMatchObject({
      status: 'pass',
      points: 100,
      mode: 'take-home',
      suite: 'hidden',
    });
    expect(await readdir(path.join(out, 'reports', 'not-a-zip'))).toEqual([]);
  });

  it("escapes a hostile submission file name on the candidate's feedback page", async () => {
    const page = await readFile(path.join(out, 'feedback', 'img-src-x-onerror-alert-1-.html'), 'utf8');
    expect(page).not.toContain('<img');
    expect(page).toContain('&lt;img src=x onerror=alert(1)&gt;.zip');
  });
});

describe('gradeTakeHome options', () => {
  it('writes the GitHub Classroom result of a single submission as base64 JSON', async () => {
    const file = path.join(work, 'classroom.txt');
    await gradeTakeHome({
      pack: packDir,
      submissions: [path.join(work, 'submissions', 'correct.zip')],
      out: path.join(work, 'classroom-out'),
      classroomResult: file,
      quiet: true,
    });
    const decoded = JSON.parse(Buffer.from(await readFile(file, 'utf8'), 'base64').toString('utf8'));
    expect(decoded).toMatchObject({ version: 1, status: 'pass', max_score: 100 });
    expect(decoded.tests.map((t: { score: number }) => t.score)).toEqual([50, 50]);
  });

  it('refuses --classroom-result with more than one submission', async () => {
    const two = ['correct.zip', 'wrong.zip'].map((f) => path.join(work, 'submissions', f));
    await expect(
      gradeTakeHome({ pack: packDir, submissions: two, out: path.join(work, 'x'), classroomResult: path.join(work, 'c.txt'), quiet: true }),
    ).rejects.toThrow(UsageError);
  });

  it('refuses a student build as the pack: it has no hidden tests to grade with', async () => {
    const student = path.join(work, 'student');
    const files = Object.fromEntries([...TEMPLATE].filter(([rel]) => !/\/(solution|tests\/hidden)\//.test(rel)));
    await writeTree(student, files);
    const refused = gradeTakeHome({ pack: student, submissions: [path.join(work, 'submissions', 'correct.zip')], out: path.join(work, 'y'), quiet: true });
    await expect(refused).rejects.toThrow(UsageError);
    await expect(refused).rejects.toThrow(/no hidden tests here: grade with the full pack/);
  });
});

describe('the built CLI', () => {
  const cli = (...args: string[]) => spawnSync(process.execPath, [path.join(ROOT, 'dist/cli.js'), 'grade', ...args], { encoding: 'utf8', timeout: 60_000 });

  it('exits 0 when it graded the batch, even though submissions failed, and 2 on a usage error', async () => {
    const zips = ['wrong.zip', 'not-a-zip.zip'].map((f) => path.join(work, 'submissions', f));
    const cliOut = path.join(work, 'cli-out');
    // execFileSync throws on a non-zero exit.
    execFileSync(process.execPath, [path.join(ROOT, 'dist/cli.js'), 'grade', '--pack', packDir, '--submissions', ...zips, '--out', cliOut], { stdio: 'pipe' });
    expect((await readFile(path.join(cliOut, 'gradebook.csv'), 'utf8')).trimEnd().split('\n')).toHaveLength(3);

    const usage = cli('--pack', packDir, '--submissions', ...zips, '--out', cliOut, '--classroom-result', path.join(work, 'c.txt'));
    expect(usage.status).toBe(2);
    expect(usage.stderr).toMatch(/--classroom-result needs exactly one submission; found 2/);
  });

  it('adds the similarity column with --similarity, and `similarity` lists the copies among the zips', async () => {
    const zips = ['correct.zip', 'late.zip', 'wrong.zip'].map((f) => path.join(work, 'submissions', f));
    const cliOut = path.join(work, 'similar-out');
    execFileSync(process.execPath, [path.join(ROOT, 'dist/cli.js'), 'grade', '--pack', packDir, '--submissions', ...zips, '--out', cliOut, '--similarity'], {
      stdio: 'pipe',
    });
    const lines = (await readFile(path.join(cliOut, 'gradebook.csv'), 'utf8')).trimEnd().split('\n');
    expect(lines[0]).toMatch(/,graded,similarity$/);
    expect(lines.slice(1).map((l) => l.split(',').pop())).toEqual([`100% late (${LAB_ID})`, `100% correct (${LAB_ID})`, '0%']);

    const report = path.join(work, 'similarity-out');
    const printed = execFileSync(
      process.execPath,
      [path.join(ROOT, 'dist/cli.js'), 'similarity', ...zips, '--lab', LAB_ID, '--pack', packDir, '--out', report],
      {
        encoding: 'utf8',
      },
    );
    expect(printed).toMatch(
      /compared 3 submissions of [^\n]+: 1 pair at or above the threshold\n {2}100% {2}correct {2}late\nA similarity score is a reason to talk/,
    );
    expect(await readFile(path.join(report, 'similarity.html'), 'utf8')).toContain('correct and late: 100%');
  });
});
