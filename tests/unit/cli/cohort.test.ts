/**
 * The built CLI grading a cohort of five from a roster (issue 24): one on time, one late, one late within
 * an extension, one whose src/ was changed after export (graded from its verified frozen copy), one made
 * for another pack. Then the instructor's manual grades go back in and the LMS gradebooks come out.
 */
import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packTemplate } from '../../../src/cli/pack-template';
import { loadCatalog } from '../../../src/core/catalog/catalog';
import type { Lab, Pack } from '../../../src/core/catalog/types';
import { writeZip } from '../../../src/core/io/zip-write';
import { parseCsv } from '../../../src/core/take-home/csv';
import { writeTree } from '../helpers';
import { exportOf, frozenExportOf } from './take-home-fixtures';

const ROOT = path.resolve(__dirname, '../../..');
const PACK_ID = 'acme-take-home';
const LAB_ID = 'latency-slo';
const TEMPLATE = await packTemplate({ id: PACK_ID, name: 'Acme take-home', author: 'Acme' });
const SOLUTION = TEMPLATE.get(`labs/${LAB_ID}/solution/slo.ts`) as string;
const STARTER = TEMPLATE.get(`labs/${LAB_ID}/starter/slo.ts`) as string;

const ROSTER = [
  'submission,github,name,email,extension_minutes',
  'ada,,Ada Lovelace,ada@example.org,',
  'bob.zip,,Bob Late,bob@example.org,',
  ',cyext,Cy Extended,cy@example.org,30',
  'dee,,Dee Ruiz,dee@example.org,',
  'eve,,Eve Otherpack,eve@example.org,',
].join('\n');

let work: string;
let packDir: string;
let out: string;

const cli = (...args: string[]) => spawnSync(process.execPath, [path.join(ROOT, 'dist/cli.js'), 'grade', ...args], { encoding: 'utf8', timeout: 120_000 });
const read = (...parts: string[]) => readFile(path.join(out, ...parts), 'utf8');

/** gradebook.csv as rows keyed by header. */
async function gradebook(): Promise<Map<string, Record<string, string>>> {
  const [header, ...rows] = parseCsv(await read('gradebook.csv')) as [string[], ...string[][]];
  return new Map(rows.map((cells) => [cells[0] as string, Object.fromEntries(header.map((h, i) => [h, cells[i] ?? '']))]));
}

beforeAll(async () => {
  work = await mkdtemp(path.join(tmpdir(), 'mlops-labs-cohort-'));
  packDir = path.join(work, 'pack');
  await writeTree(packDir, Object.fromEntries(TEMPLATE));
  const manifest = JSON.parse(TEMPLATE.get('pack.json') as string) as Record<string, unknown>;
  const latePolicy = { version: 1, graceMinutes: 10, penaltyPercentPerHour: 10 };
  await writeFile(path.join(packDir, 'pack.json'), JSON.stringify({ ...manifest, timeLimitMinutes: 60, latePolicy }));
  const catalog = await loadCatalog([packDir]);
  expect(catalog.problems).toEqual([]);
  const pack = catalog.packs[0] as Pack;
  const lab = catalog.labs[0] as Lab;

  const zips = path.join(work, 'submissions');
  await writeZip(exportOf(pack, lab, STARTER, SOLUTION, { manifestExtra: { candidateName: 'Ada L.', utcOffsetMinutes: 60 } }), path.join(zips, 'ada.zip'));
  // 180 minutes for a 60-minute clock: 120 past the deadline, 110 past the grace: two started hours.
  await writeZip(exportOf(pack, lab, STARTER, SOLUTION, { minutesTaken: 180 }), path.join(zips, 'bob.zip'));
  // 20 minutes past the deadline with a 30-minute extension: on time. Named as GitHub Classroom names repositories.
  await writeZip(exportOf(pack, lab, STARTER, SOLUTION, { minutesTaken: 80 }), path.join(zips, 'take-home-cyext.zip'));
  // Frozen at time-up with the starter; the solution written into src/ after export.
  const tampered = frozenExportOf(pack, lab, STARTER, STARTER, STARTER);
  tampered.set(`labs/${LAB_ID}/src/slo.ts`, Buffer.from(SOLUTION));
  await writeZip(tampered, path.join(zips, 'dee.zip'));
  await writeZip(exportOf(pack, lab, STARTER, SOLUTION, { packOverride: { ...pack, id: 'other-pack' } }), path.join(zips, 'eve.zip'));
  await writeFile(path.join(work, 'roster.csv'), ROSTER);

  out = path.join(work, 'grades');
  const run = cli(
    '--pack',
    packDir,
    '--submissions',
    zips,
    '--out',
    out,
    '--roster',
    path.join(work, 'roster.csv'),
    '--manual-template',
    path.join(work, 'manual.csv'),
  );
  expect(run.stderr).not.toMatch(/warning|error/i);
  expect(run.status).toBe(0);
}, 180_000);
afterAll(() => rm(work, { recursive: true, force: true }));

describe('grading a cohort from a roster', () => {
  it('names every candidate from the roster, by file name or GitHub username, beside the name they typed', async () => {
    const book = await gradebook();
    expect([...book.keys()]).toEqual(['ada', 'bob', 'dee', 'eve', 'take-home-cyext']);
    expect([...book.values()].map((r) => [r.name, r.email])).toEqual([
      ['Ada Lovelace', 'ada@example.org'],
      ['Bob Late', 'bob@example.org'],
      ['Dee Ruiz', 'dee@example.org'],
      ['Eve Otherpack', 'eve@example.org'],
      ['Cy Extended', 'cy@example.org'],
    ]);
    expect(book.get('ada')?.typedName).toBe('Ada L.');
  });

  it('shows raw and final points and the policy applied: late costs 10% per started hour past a 10-minute grace, the extension nothing', async () => {
    const book = await gradebook();
    const pick = (c: string) => {
      const r = book.get(c) as Record<string, string>;
      return [r.rawPoints, r.latePenalty, r.finalPoints, r.late, r.minutesPastDeadline, r.extensionMinutes, r.graded];
    };
    expect(pick('ada')).toEqual(['100', '0', '100', 'no', '0', '0', 'yes']);
    expect(pick('bob')).toEqual(['100', '20', '80', 'yes', '120', '0', 'yes']);
    expect(pick('take-home-cyext')).toEqual(['100', '0', '100', 'no', '20', '30', 'yes']);
    expect(pick('eve')).toEqual(['0', '0', '0', 'no', '0', '0', 'no']);
    expect(book.get('bob')?.latePolicy).toBe('grace 10 min; -10% per started hour');
    expect(book.get('take-home-cyext')?.flags).toBe(`${LAB_ID} finished 20 min after the deadline, within its 30 min extension`);
  });

  it('grades a tampered src/ from the verified frozen copy, flags it, and shows both scores', async () => {
    const dee = (await gradebook()).get('dee') as Record<string, string>;
    expect([dee.tampered, dee.points, dee.finalPoints, dee.asSubmittedPoints]).toEqual(['yes', '0', '0', '100']);
    expect(dee.flags).toContain(`tampered: labs/${LAB_ID}/src/slo.ts was changed after export (checksum differs)`);
    expect(dee.flags).toContain(
      `tampered: ${LAB_ID}: graded from the verified frozen copy (labs/${LAB_ID}/history/frozen-1/files/): 0/100; src/ as submitted scores 100/100`,
    );
    const page = await read('instructor', 'dee.html');
    expect(page).toContain('src/ as submitted (failed its checksums; not counted)');
    expect(page).toContain('Graded from the verified frozen copy; src/ as submitted scores 100 / 100.');
  });

  it('writes a JUnit error for the submission it could not grade, and the flags as properties', async () => {
    const eve = await read('junit', 'eve.xml');
    expect(eve).toMatch(/<testsuites name="eve" tests="1" failures="0" errors="1"/);
    expect(eve).toContain(`<error message="not graded: made for pack &quot;other-pack&quot;, not &quot;${PACK_ID}&quot;">`);
    expect(eve).toContain('<property name="graded" value="no"/>');
    const bob = await read('junit', 'bob.xml');
    expect(bob).toContain('<property name="late" value="yes"/>');
    expect(bob).toContain('<property name="finalPoints" value="80"/>');
    expect(bob).toContain(`<property name="flag" value="late: ${LAB_ID} finished 120 min after the deadline"/>`);
    const dee = await read('junit', 'dee.xml');
    expect(dee).toContain('<property name="tampered" value="yes"/>');
    expect(dee).toContain('<property name="asSubmittedPoints" value="100"/>');
  });

  it("keeps integrity flags off the candidate's page and shows their local time; the instructor's page has everything", async () => {
    for (const c of ['ada', 'bob', 'dee', 'eve', 'take-home-cyext']) {
      // What the candidate reads: the text, not the stylesheet's class names.
      const page = (await read('feedback', `${c}.html`)).replace(/<style>[\s\S]*?<\/style>/, '').replace(/<[^>]+>/g, ' ');
      expect(page, c).not.toMatch(/tamper|checksum|frozen copy|large insertion|starter files unchanged|clock was set back|Flags/i);
    }
    const ada = await read('feedback', 'ada.html');
    expect(ada).toContain('Take-home feedback: Ada Lovelace');
    expect(ada).toContain('Name entered at export: Ada L.');
    expect(ada).toMatch(/started 2026-11-27 12:20 \(UTC\+01:00\), finished 2026-11-27 13:00 \(UTC\+01:00\)/);
    const bob = await read('feedback', 'bob.html');
    expect(bob).toMatch(/started 2026-11-27 09:00 UTC/);
    expect(bob).toMatch(
      /Late penalty <span class="muted">\(grace 10 min; -10% per started hour; 120 min after the deadline\)<\/span><\/td><td class="num">-20</,
    );
    expect(await read('feedback', 'eve.html')).toContain('Not graded');
    const instructor = await read('instructor', 'bob.html');
    expect(instructor).toContain('Roster: Bob Late &lt;bob@example.org&gt;');
    expect(instructor).toContain(`late: ${LAB_ID} finished 120 min after the deadline`);
  });
});

describe('manual grades and the LMS gradebook', () => {
  it('writes a blank sheet for the graded candidates, merges it back filled in, and exports Canvas and Moodle CSVs', async () => {
    const template = await readFile(path.join(work, 'manual.csv'), 'utf8');
    const rows = parseCsv(template);
    expect(rows[0]).toEqual(['candidate', 'name', 'lab', 'task', 'item', 'max_points', 'points', 'comment']);
    expect(rows.filter((r) => r[0] === 'eve')).toEqual([]);
    expect(rows.filter((r) => r[0] === 'ada').map((r) => r[3])).toEqual(['1', '2', '']);
    const filled = template
      .replace(`ada,Ada Lovelace,${PACK_ID}/${LAB_ID},1,,,,`, `ada,Ada Lovelace,${PACK_ID}/${LAB_ID},1,readability,10,8,"Clear names, one long function"`)
      .replace(`bob,Bob Late,${PACK_ID}/${LAB_ID},,overall,,,`, `bob,Bob Late,${PACK_ID}/${LAB_ID},,overall,,,Start earlier next time`);
    await writeFile(path.join(work, 'manual.csv'), filled);

    const run = cli(
      '--pack',
      packDir,
      '--submissions',
      path.join(work, 'submissions'),
      '--out',
      out,
      '--roster',
      path.join(work, 'roster.csv'),
      '--manual',
      path.join(work, 'manual.csv'),
      '--lms',
      'canvas',
      'moodle',
    );
    expect(run.stderr).not.toMatch(/warning|error/i);
    expect(run.status).toBe(0);
    const ada = (await gradebook()).get('ada') as Record<string, string>;
    expect([ada.points, ada.manualPoints, ada.manualMaxPoints, ada.rawPoints, ada.finalPoints, ada.finalMaxPoints]).toEqual([
      '100',
      '8',
      '10',
      '108',
      '108',
      '110',
    ]);
    expect(await read('feedback', 'ada.html')).toContain('<td>1</td><td>readability</td><td class="num">8 / 10</td><td>Clear names, one long function</td>');
    expect(await read('feedback', 'bob.html')).toContain('Start earlier next time');

    const canvas = parseCsv(await read('lms-canvas.csv'));
    expect(canvas.slice(0, 3)).toEqual([
      ['Student', 'ID', 'SIS User ID', 'SIS Login ID', 'Section', 'Acme take-home'],
      ['Points Possible', '', '', '', '', '110'],
      ['Ada Lovelace', '', '', 'ada@example.org', '', '108'],
    ]);
    expect(canvas.map((r) => r[0])).not.toContain('Eve Otherpack');
    const moodle = parseCsv(await read('lms-moodle.csv'));
    expect(moodle[0]).toEqual(['First name', 'Last name', 'Email address', 'Acme take-home', 'Feedback: Acme take-home']);
    expect(moodle.find((r) => r[0] === 'Bob')).toEqual([
      'Bob',
      'Late',
      'bob@example.org',
      '80',
      'late penalty -20 points (grace 10 min; -10% per started hour) | overall: Start earlier next time',
    ]);
    expect(moodle.find((r) => r[0] === 'Dee')?.[4]).toBe('');
  }, 180_000);

  it('lets the command line replace a field of the pack policy', async () => {
    const capped = path.join(work, 'capped');
    const run = cli('--pack', packDir, '--submissions', path.join(work, 'submissions', 'bob.zip'), '--out', capped, '--late-cap', '50', '--late-grace', '0');
    expect(run.status).toBe(0);
    const [header, row] = parseCsv(await readFile(path.join(capped, 'gradebook.csv'), 'utf8')) as [string[], string[]];
    const cell = (name: string) => row[header.indexOf(name)];
    // 120 minutes late with no grace: two hours, -20; then capped at 50% of 100.
    expect([cell('rawPoints'), cell('latePenalty'), cell('finalPoints'), cell('latePolicy')]).toEqual([
      '100',
      '50',
      '50',
      '-10% per started hour; late work capped at 50%',
    ]);
  });

  it('refuses a sheet with points over the maximum before grading anything', () => {
    const bad = path.join(work, 'bad.csv');
    return writeFile(bad, 'candidate,lab,task,max_points,points,comment\nada,x,1,5,6,\n').then(() => {
      const run = cli('--pack', packDir, '--submissions', path.join(work, 'submissions'), '--out', path.join(work, 'never'), '--manual', bad);
      expect(run.status).toBe(2);
      expect(run.stderr).toContain('line 2: points "6" must be a number from 0 to max_points ("5")');
    });
  });
});
