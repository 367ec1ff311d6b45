// A take-home of an added pack across Remove Lab Pack and Add Lab Pack, in the real extension host.
import * as assert from 'node:assert/strict';
import { cp, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { packTemplate } from '../../../src/cli/pack-template';
import type { Lab } from '../../../src/core/catalog/types';
import { readZip, SUBMISSION_ZIP_LIMITS } from '../../../src/core/io/zip';
import { MANIFEST } from '../../../src/core/take-home/submission';
import type { TestSurface } from '../../../src/extension/api';
import { api } from './surface';

/** Each test its own pack id (the test profile's labs.json outlives tests and runs), so no clock carries over. */
let packId = '';
let LAB = '';

/** Polls `read` every 50 ms until `accept` holds; fails after `timeoutMs`. */
async function until<T>(read: () => T | Promise<T>, accept: (value: T) => boolean, what: string, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (accept(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The pack `mlops-labs pack init` writes, in a fresh folder, under a fresh id. */
async function bootcampPack(): Promise<string> {
  packId = `take-home-${Date.now().toString(36)}`;
  LAB = `${packId}/latency-slo`;
  const dir = await mkdtemp(path.join(tmpdir(), 'integration-take-home-pack-'));
  for (const [rel, text] of await packTemplate({ id: packId, name: 'Bootcamp Pack', author: 'Integration Tests' })) {
    await mkdir(path.dirname(path.join(dir, rel)), { recursive: true });
    await writeFile(path.join(dir, rel), text);
  }
  return dir;
}

/** A lab folder as Start Lab lays it out (starter in src/, README, marker), recorded in labs.json as the lab's workspace. */
async function startedLab(root: TestSurface, lab: Lab): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'integration-take-home-lab-'));
  await cp(path.join(lab.dir, 'starter'), path.join(dir, 'src'), { recursive: true });
  await writeFile(path.join(dir, 'README.md'), `# ${lab.title}\n`);
  const marker = { lab: lab.qualifiedId, version: lab.version, pack: lab.packId, packVersion: '0.1.0', startedAt: new Date().toISOString() };
  await writeFile(path.join(dir, '.mlops-lab.json'), JSON.stringify(marker));
  const { state } = await root.labData();
  await state.started(lab.qualifiedId, dir);
  return dir;
}

/** The packs setting as Remove Lab Pack leaves it, once the reload dropped the pack (the command's own warning is a modal the e2e suite answers). */
async function removePacks(root: TestSurface): Promise<void> {
  await vscode.workspace.getConfiguration('mlopsLabs').update('packs', [], vscode.ConfigurationTarget.Global);
  await until(
    async () => (await root.content()).catalog.lab(LAB),
    (lab) => lab === undefined,
    'the pack to be removed',
  );
}

async function addPack(root: TestSurface, dir: string): Promise<Lab> {
  await vscode.commands.executeCommand('mlopsLabs.addPack', dir);
  const lab = (await root.content()).catalog.lab(LAB);
  assert.ok(lab, 'the pack is loaded');
  return lab;
}

describe('a take-home of an added pack', () => {
  const scratch: string[] = [];
  afterEach(async () => {
    const root = await api();
    root.setPrompts({ confirm: async () => false });
    await vscode.workspace.getConfiguration('mlopsLabs').update('packs', undefined, vscode.ConfigurationTarget.Global);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    for (const dir of scratch.splice(0)) await rm(dir, { recursive: true, force: true });
  });

  it('is exported with its frozen files after Remove Lab Pack (found through labs.json and the folder marker)', async () => {
    const root = await api();
    const packDir = await bootcampPack();
    scratch.push(packDir);
    const lab = await addPack(root, packDir);
    const labDir = await startedLab(root, lab);
    scratch.push(labDir);
    const starter = (await vscode.workspace.fs.readDirectory(vscode.Uri.file(path.join(labDir, 'src')))).find(([, type]) => type === vscode.FileType.File)?.[0];
    assert.ok(starter, 'the starter has a file');
    // Time ran out: the files as they stood are frozen in history; the candidate edited on afterwards.
    const { state, history } = await root.labData();
    const frozen = Buffer.from('// the frozen answer\n');
    const attempt = await history.save(LAB, { kind: 'frozen', files: new Map([[starter, frozen]]) });
    const now = Date.now();
    await state.saveTimer(LAB, {
      startedAt: new Date(now - 3_600_000).toISOString(),
      deadline: new Date(now - 60_000).toISOString(),
      highWater: new Date(now).toISOString(),
      warned: [15, 5],
      clockSetbacks: 0,
      frozenAt: attempt.at,
      frozenAttempt: attempt.id,
    });
    const late = '// edited after time ran out\n';
    await writeFile(path.join(labDir, 'src', starter), late);

    await removePacks(root);
    const zip = path.join(labDir, 'submission.zip');
    const written = await vscode.commands.executeCommand<string | undefined>('mlopsLabs.exportSubmission', zip);
    assert.equal(written, zip, 'the export wrote the zip, not "Nothing to export yet"');
    const files = await readZip(zip, SUBMISSION_ZIP_LIMITS);
    assert.equal(files.get(`labs/latency-slo/src/${starter}`)?.toString(), frozen.toString(), 'the frozen files are what is graded');
    assert.equal(files.get(`labs/latency-slo/late/src/${starter}`)?.toString(), late, 'the later edit travels as late');
    const manifest = JSON.parse(files.get(MANIFEST)?.toString() ?? '{}');
    assert.equal(manifest.pack?.id, packId);
    assert.ok(state.get(LAB)?.exportedAt, 'the export is recorded');
  });

  it("brings an open lab's clock and commands back when its pack is added again, without a reload", async () => {
    const root = await api();
    // Trusting the pack (a folder pack is asked about as the lab opens).
    root.setPrompts({ confirm: async () => true });
    const packDir = await bootcampPack();
    scratch.push(packDir);
    const lab = await addPack(root, packDir);
    const labDir = await startedLab(root, lab);
    scratch.push(labDir);
    const { state } = await root.labData();
    const now = Date.now();
    await state.saveTimer(LAB, {
      startedAt: new Date(now - 30 * 60_000).toISOString(),
      deadline: new Date(now + 30 * 60_000).toISOString(),
      highWater: new Date(now).toISOString(),
      warned: [],
      clockSetbacks: 0,
    });
    const open = await root.openLab(labDir);
    try {
      assert.equal(open.session()?.lab.qualifiedId, LAB);
      assert.match(open.clockText() ?? '', /^\$\(watch\) .+ left$/, 'the clock runs');
      assert.ok(open.hasTesting());
    } finally {
      await open.close();
    }

    await removePacks(root);
    // The window on the lab's folder as it starts while the pack is removed: no lab, so no clock and no lab commands.
    const window = await root.openLab(labDir);
    try {
      assert.equal(window.session(), undefined);
      assert.equal(window.clockText(), undefined);
      assert.equal(window.hasTesting(), false);

      const again = await addPack(root, packDir);
      const session = await until(
        () => window.session(),
        (s) => s !== undefined,
        'the lab to come back',
      );
      assert.equal(session?.lab, again, 'the lab commands act on the lab of the reloaded pack');
      assert.equal(session?.dir, labDir);
      const text = await until(
        () => window.clockText(),
        (t) => t !== undefined && t !== '',
        'the clock to come back',
      );
      assert.match(text ?? '', /^\$\(watch\) .+ left$/, 'the clock runs again');
      await until(
        () => window.hasTesting(),
        (has) => has,
        "the lab's tests in the Testing view",
      );
      assert.equal(state.get(LAB)?.timer?.startedAt, new Date(now - 30 * 60_000).toISOString(), 'the clock was not restarted');
    } finally {
      await window.close();
    }
  });

  it('offers the export once when a lab window starts after its deadline passed: by the time-up modal, not again at the start', async () => {
    const root = await api();
    root.setPrompts({ confirm: async () => true });
    const packDir = await bootcampPack();
    scratch.push(packDir);
    const lab = await addPack(root, packDir);
    const labDir = await startedLab(root, lab);
    scratch.push(labDir);
    const { state } = await root.labData();
    const now = Date.now();
    // The deadline passed while no window was open: nothing froze the files yet, nothing was exported.
    await state.saveTimer(LAB, {
      startedAt: new Date(now - 90 * 60_000).toISOString(),
      deadline: new Date(now - 30 * 60_000).toISOString(),
      highWater: new Date(now - 40 * 60_000).toISOString(),
      warned: [15, 5],
      clockSetbacks: 0,
    });
    const window = await root.openLab(labDir);
    try {
      // The clock's first reading froze the files and showed the time-up modal, which offers the export.
      assert.ok(state.get(LAB)?.timer?.frozenAt, 'time is up: the files are frozen');
      assert.match(window.clockText() ?? '', /Time is up$/);
      assert.ok(!(await root.startOffer()).includes(LAB), 'the start-of-window offer leaves the lab out');
    } finally {
      await window.close();
    }
  });
});
