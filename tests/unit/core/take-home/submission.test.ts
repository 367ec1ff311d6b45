import { createHash } from 'node:crypto';
import * as path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { packTemplate } from '../../../../src/cli/pack-template';
import { loadCatalog } from '../../../../src/core/catalog/catalog';
import type { LabRecord } from '../../../../src/core/labs/lab-state';
import {
  buildSubmission,
  checkSubmission,
  MANIFEST,
  submissionFiles,
  type LabExport,
  type SubmissionManifest,
} from '../../../../src/core/take-home/submission';
import { readTimer, startTimer } from '../../../../src/core/take-home/take-home-timer';
import type { Lab, Pack } from '../../../../src/core/catalog/types';
import { tempDir, writeTree } from '../../helpers';

const START = new Date('2026-11-27T09:00:00.000Z');
const MIN = 60_000;
const at = (minutes: number) => new Date(START.getTime() + minutes * MIN);
const buf = (text: string) => Buffer.from(text, 'utf8');
const hex = (data: Buffer) => createHash('sha256').update(data).digest('hex');

let pack: Pack;
let lab: Lab;

beforeAll(async () => {
  const dir = path.join(await tempDir(), 'acme');
  await writeTree(dir, Object.fromEntries(await packTemplate({ id: 'acme-take-home', name: 'Acme take-home', author: 'Acme' })));
  const catalog = await loadCatalog([dir]);
  pack = catalog.packs[0] as Pack;
  lab = catalog.labs[0] as Lab;
});

const STARTER = new Map([
  ['slo.ts', buf('export function percentile() { throw new Error("todo"); }\n')],
  ['format.ts', buf('export const ms = (n: number) => `${n} ms`;\n')],
]);

/** A candidate who changed slo.ts, kept format.ts and added notes.md, 40 minutes into a 60-minute lab. */
function labExport(overrides: Partial<LabExport> = {}): LabExport {
  const timer = readTimer(startTimer({ scope: 'lab', minutes: 60 }, START), at(40)).record;
  const record: LabRecord = {
    workspace: '/home/candidate/mlops-labs/latency-slo',
    startedAt: START.toISOString(),
    hintsTaken: 2,
    attempts: 1,
    passed: false,
    timer: { ...timer, clockSetbacks: 2 },
    integrity: { largeInsertions: { count: 2, characters: 900 }, openMs: 35 * MIN + 30_000, lateEdits: 0 },
  };
  return {
    lab,
    record,
    current: new Map([
      ['slo.ts', buf('export function percentile() { return 42; }\n')],
      ['format.ts', STARTER.get('format.ts') as Buffer],
      ['notes.md', buf('# Notes\n')],
    ]),
    starter: STARTER,
    attempts: [
      {
        meta: { id: '2026-11-27T09-30-00-000Z-abc123', kind: 'graded', at: at(30).toISOString(), files: ['slo.ts'], status: 'fail', points: 0, maxPoints: 100 },
        files: new Map([['slo.ts', buf('export function percentile() { return 0; }\n')]]),
        report: { status: 'fail', points: 0, maxPoints: 100 },
      },
    ],
    publicRun: { tests: [{ status: 'pass' }, { status: 'fail' }, { status: 'pass' }] },
    ...overrides,
  };
}

const manifestOf = (files: ReadonlyMap<string, Buffer>) => JSON.parse((files.get(MANIFEST) as Buffer).toString('utf8')) as SubmissionManifest;

describe('buildSubmission', () => {
  it('names the pack, the extension version and each lab with its times', () => {
    const manifest = manifestOf(buildSubmission(pack, [labExport()], '0.1.0', at(40)));
    expect(manifest).toMatchObject({
      format: 'mlops-labs-submission',
      formatVersion: 1,
      extensionVersion: '0.1.0',
      exportedAt: at(40).toISOString(),
      pack: { id: 'acme-take-home', version: '0.1.0' },
    });
    expect(manifest.labs).toHaveLength(1);
    expect(manifest.labs[0]).toMatchObject({
      id: 'latency-slo',
      version: '1.0.0',
      startedAt: START.toISOString(),
      finishedAt: at(40).toISOString(),
      deadline: at(60).toISOString(),
      timeLimitMinutes: 60,
      elapsedMinutes: 40,
      late: false,
      hintsTaken: 2,
      attempts: 1,
      publicRun: { passed: 2, failed: 1 },
    });
  });

  it('lists the SHA-256 of every other file in the zip, and each one is right', () => {
    const files = buildSubmission(pack, [labExport()], '0.1.0', at(40));
    const manifest = manifestOf(files);
    const others = [...files.keys()].filter((rel) => rel !== MANIFEST).sort();
    expect(Object.keys(manifest.files).sort()).toEqual(others);
    for (const rel of others) expect(manifest.files[rel], rel).toBe(hex(files.get(rel) as Buffer));
    expect(others).toEqual([
      'labs/latency-slo/history/2026-11-27T09-30-00-000Z-abc123/attempt.json',
      'labs/latency-slo/history/2026-11-27T09-30-00-000Z-abc123/files/slo.ts',
      'labs/latency-slo/history/2026-11-27T09-30-00-000Z-abc123/report.json',
      'labs/latency-slo/public-run.json',
      'labs/latency-slo/src/format.ts',
      'labs/latency-slo/src/notes.md',
      'labs/latency-slo/src/slo.ts',
    ]);
  });

  it('carries the integrity signals: changed, unchanged and added files, large insertions, open time, clock setbacks', () => {
    const [entry] = manifestOf(buildSubmission(pack, [labExport()], '0.1.0', at(40))).labs;
    expect(entry?.integrity).toEqual({
      changedStarterFiles: ['slo.ts'],
      unchangedStarterFiles: ['format.ts'],
      addedFiles: ['notes.md'],
      largeInsertions: { count: 2, characters: 900 },
      workspaceOpenMinutes: 35.5,
      lateEdits: 0,
      clockSetbacks: 2,
    });
  });

  it('never lists a starter file the candidate deleted as unchanged', () => {
    const current = new Map([['slo.ts', buf('export function percentile() { return 42; }\n')]]);
    const [entry] = manifestOf(buildSubmission(pack, [labExport({ current })], '0.1.0', at(40))).labs;
    expect(entry?.integrity.unchangedStarterFiles).toEqual([]);
    expect(entry?.integrity.changedStarterFiles).toEqual(['format.ts', 'slo.ts']);
  });

  it('marks a lab exported after its deadline, without a freeze, as late', () => {
    const [entry] = manifestOf(buildSubmission(pack, [labExport()], '0.1.0', at(75))).labs;
    expect(entry).toMatchObject({ finishedAt: at(75).toISOString(), late: true, elapsedMinutes: 75 });
  });

  it('submits a frozen lab as it stood when time ran out, keeps later edits apart, and marks it late', () => {
    const deadline = at(60).getTime();
    // The clock notices the deadline on its next tick, and the freeze stamps its attempt a moment later.
    const timer = readTimer(startTimer({ scope: 'lab', minutes: 60 }, START), new Date(deadline + 400)).record;
    const frozenAt = new Date(deadline + 450).toISOString();
    const frozen = new Map([
      ['slo.ts', buf('export function percentile() { return 1; }\n')],
      ['format.ts', STARTER.get('format.ts') as Buffer],
    ]);
    const current = new Map([...frozen, ['slo.ts', buf('export function percentile() { return 2; }\n')]]);
    const base = labExport();
    const record = {
      ...base.record,
      timer: { ...timer, frozenAt, frozenAttempt: 'frozen-1' },
      integrity: { largeInsertions: { count: 0, characters: 0 }, openMs: 0, lateEdits: 3 },
    } as LabRecord;
    const files = buildSubmission(pack, [{ ...base, record, frozen, current }], '0.1.0', at(90));

    expect(submissionFiles(files, 'latency-slo', 'src')).toEqual(frozen);
    expect(submissionFiles(files, 'latency-slo', 'late')).toEqual(new Map([['slo.ts', current.get('slo.ts')]]));
    expect(manifestOf(files).labs[0]).toMatchObject({
      frozenAt,
      finishedAt: frozenAt,
      elapsedMinutes: 60,
      late: true,
      integrity: { lateEdits: 3, lateChangedLines: 1, changedStarterFiles: ['slo.ts'] },
    });
    expect(checkSubmission(files).tampering).toEqual([]);
  });

  it('does not mark a lab late for being frozen when time ran out, if nothing changed after', () => {
    const deadline = at(60).getTime();
    const timer = readTimer(startTimer({ scope: 'lab', minutes: 60 }, START), new Date(deadline + 400)).record;
    const frozen = labExport().current;
    const base = labExport();
    // The clock kept being read after the freeze (the workspace stayed open), so its high-water mark is the export's time.
    const record = {
      ...base.record,
      timer: { ...timer, highWater: at(90).toISOString(), frozenAt: new Date(deadline + 450).toISOString(), frozenAttempt: 'frozen-1' },
    } as LabRecord;
    const [entry] = manifestOf(buildSubmission(pack, [{ ...base, record, frozen, current: frozen }], '0.1.0', at(90))).labs;
    expect(entry?.late).toBe(false);
    expect(buildSubmission(pack, [{ ...base, record, frozen, current: frozen }], '0.1.0', at(90)).has('labs/latency-slo/late/src/slo.ts')).toBe(false);
  });

  it('describes an untimed lab without a deadline, and never late', () => {
    const base = labExport();
    const record: LabRecord = { hintsTaken: 0, attempts: 0, passed: false };
    const [entry] = manifestOf(buildSubmission(pack, [{ ...base, record, attempts: [] }], '0.1.0', at(500))).labs;
    expect(entry).toMatchObject({ finishedAt: at(500).toISOString(), late: false, hintsTaken: 0, attempts: 0 });
    expect(entry).not.toHaveProperty('deadline');
    expect(entry).not.toHaveProperty('startedAt');
    expect(entry?.integrity.clockSetbacks).toBe(0);
    expect(entry?.integrity).not.toHaveProperty('lateChangedLines');
  });

  it('records the name the candidate typed, trimmed, and nothing when they left it empty', () => {
    const named = manifestOf(buildSubmission(pack, [labExport()], '0.1.0', at(40), { candidateName: '  Ada Lovelace ' }));
    expect(named.candidateName).toBe('Ada Lovelace');
    expect(checkSubmission(buildSubmission(pack, [labExport()], '0.1.0', at(40), { candidateName: 'Ada' })).tampering).toEqual([]);
    expect(manifestOf(buildSubmission(pack, [labExport()], '0.1.0', at(40), { candidateName: '   ' }))).not.toHaveProperty('candidateName');
  });

  it("records the candidate's UTC offset so their feedback page shows local times, and drops one that cannot be", () => {
    const manifest = manifestOf(buildSubmission(pack, [labExport()], '0.1.0', at(40), { utcOffsetMinutes: 330 }));
    expect(manifest.utcOffsetMinutes).toBe(330);
    expect(checkSubmission(buildSubmission(pack, [labExport()], '0.1.0', at(40), { utcOffsetMinutes: -300 })).tampering).toEqual([]);
    expect(manifestOf(buildSubmission(pack, [labExport()], '0.1.0', at(40), { utcOffsetMinutes: 5000 }))).not.toHaveProperty('utcOffsetMinutes');
  });
});

describe('checkSubmission', () => {
  const exported = () => buildSubmission(pack, [labExport()], '0.1.0', at(40));

  it('finds no tampering in a submission as exported, and returns its manifest', () => {
    const check = checkSubmission(exported());
    expect(check.tampering).toEqual([]);
    expect(check.manifest.pack.id).toBe('acme-take-home');
  });

  it('flags a file changed after export', () => {
    const files = exported();
    files.set('labs/latency-slo/src/slo.ts', buf('export function percentile() { return 99; }\n'));
    expect(checkSubmission(files).tampering).toEqual(['labs/latency-slo/src/slo.ts was changed after export (checksum differs)']);
  });

  it('flags a file removed after export', () => {
    const files = exported();
    files.delete('labs/latency-slo/src/format.ts');
    expect(checkSubmission(files).tampering).toEqual(['labs/latency-slo/src/format.ts is listed in the manifest but missing']);
  });

  it('flags a file added after export', () => {
    const files = exported();
    files.set('labs/latency-slo/src/extra.ts', buf('export {};\n'));
    expect(checkSubmission(files).tampering).toEqual(['labs/latency-slo/src/extra.ts was added after export (not in the manifest)']);
  });

  it('refuses files without a manifest as not a submission', () => {
    const files = exported();
    files.delete(MANIFEST);
    expect(() => checkSubmission(files)).toThrow('no manifest.json: not an exported submission');
    expect(() => checkSubmission(new Map())).toThrow(/not an exported submission/);
  });

  it('refuses a manifest that is not JSON', () => {
    const files = exported();
    files.set(MANIFEST, buf('{ "format": "mlops-labs-submission", '));
    expect(() => checkSubmission(files)).toThrow(/^manifest\.json is not valid JSON: /);
  });

  it('refuses a manifest that breaks its schema, saying where', () => {
    const files = exported();
    const manifest = manifestOf(files);
    files.set(MANIFEST, buf(JSON.stringify({ ...manifest, format: 'something-else' })));
    expect(() => checkSubmission(files)).toThrow(/^manifest\.json: .*format/);
    files.set(MANIFEST, buf(JSON.stringify({ ...manifest, files: { 'labs/latency-slo/src/slo.ts': 'not-a-checksum' } })));
    expect(() => checkSubmission(files)).toThrow(/^manifest\.json: .*files/);
    files.set(MANIFEST, buf(JSON.stringify({ ...manifest, labs: [] })));
    expect(() => checkSubmission(files)).toThrow(/^manifest\.json: .*labs/);
  });
});
