// Labs in the review schedule and Export Progress… / Import Progress… in the real editor: a lab passed a month
// ago is due, and Review Next Due opens its redo in a new folder; the profile (ratings, a written answer, the
// passed lab) exports one file; a fresh profile refuses a malformed file without changing anything, then imports
// the export and holds the same progress, answers and lab records, with the same counts said.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { after, before, describe } from 'node:test';
import { openEditor, packagedVsix, poll, ROOT, stepper } from './harness.mjs';

const require = createRequire(import.meta.url);
const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
const STORAGE = path.join('profile', 'user-data', 'User', 'globalStorage', `${pkg.publisher}.${pkg.name}`);
const COUNTS = /2 questions reviewed \(3 reviews\), 1 written answer, 1 lab \(1 redo review\)/;

const EARLIER = 'export const mine = 1;\n';
const readJson = (file) => JSON.parse(readFileSync(file, 'utf8'));

describe('export and import progress in the real editor', { timeout: 400_000 }, () => {
  let editor;
  /** The export as written by the first profile, kept past that profile's removal. */
  let exportText;
  let lab;
  const step = stepper(() => editor);
  const storage = () => path.join(editor.scratch, STORAGE);

  /** Answers the simple file dialog with `file`: waits for it to list its starting folder, types the path, accepts. */
  async function answerDialog(file) {
    const input = editor.page.locator('.quick-input-widget input');
    await editor.page.locator('.quick-input-list .monaco-list-row').filter({ hasText: '..' }).first().waitFor({ timeout: 15_000 });
    await poll(
      () => input.inputValue(),
      (v) => v.length > 0,
    );
    await input.fill(file);
    // An open dialog lists the typed path's folder and narrows to the file before Enter can accept it (a file to
    // save is not there yet).
    if (existsSync(file))
      await editor.page
        .locator('.quick-input-list .monaco-list-row')
        .filter({ hasText: path.basename(file) })
        .first()
        .waitFor({ timeout: 15_000 });
    await poll(
      () => input.inputValue(),
      (v) => v === file,
    );
    // The list may still be refreshing for the typed path and swallow an Enter: press again while the dialog stays.
    const widget = editor.page.locator('.quick-input-widget');
    for (let attempt = 1; attempt <= 3; attempt++) {
      await editor.page.keyboard.press('Enter');
      const closed = await widget.waitFor({ state: 'hidden', timeout: 3_000 }).then(
        () => true,
        () => false,
      );
      if (closed) return;
    }
    throw new Error(`The file dialog did not accept ${file}`);
  }

  before(async () => {
    packagedVsix();
    const core = require(path.join(ROOT, 'dist/core.js'));
    const catalog = await core.loadCatalog([ROOT]);
    const [q1, q2] = catalog.questions;
    lab = catalog.labs[0];
    editor = await openEditor({ settings: (scratch) => ({ 'mlopsLabs.workspaceRoot': path.join(scratch, 'labs') }) });
    // Earlier work on the lab, which a redo must leave alone.
    mkdirSync(path.join(editor.scratch, 'labs', lab.id, 'src'), { recursive: true });
    writeFileSync(path.join(editor.scratch, 'labs', lab.id, 'src', 'mine.ts'), EARLIER);
    // The first profile holds practice already, written by the extension's own core before anything reads it.
    const { book: progress } = await core.ProgressBook.open(new core.ProgressStore(path.join(storage(), 'progress.json')));
    await progress.rate(q1.qualifiedId, 'good', { ticked: [0], total: 2 });
    await progress.rate(q1.qualifiedId, 'again');
    await progress.rate(q2.qualifiedId, 'hard');
    const { book: answers } = await core.AnswerBook.open(new core.AnswersStore(path.join(storage(), 'answers.json')));
    await answers.recordAttempt(q1.qualifiedId, 'My answer, written on the first machine.');
    // The lab was passed a month ago, so its redo from scratch is due now.
    const monthAgo = { now: () => new Date(Date.now() - 30 * 86_400_000) };
    const { state } = await core.LabState.open(path.join(storage(), 'labs.json'), monthAgo);
    await state.graded(lab.qualifiedId, { points: 10, maxPoints: 10, status: 'pass' });
  });
  after(async () => editor?.close());

  step('Review Next Due offers the lab passed a month ago: a redo from scratch in a new folder beside the earlier work', async () => {
    await editor.runCommand('MLOps Labs: Review Next Due Question');
    await editor.page.locator('.notification-toast', { hasText: `Lab due: redo ${lab.title} from scratch` }).waitFor({ timeout: 30_000 });
    const redo = path.join(editor.scratch, 'labs', `${lab.id}-2`);
    await poll(() => existsSync(path.join(redo, '.mlops-lab.json')), Boolean, { timeout: 30_000 });
    assert.equal(readFileSync(path.join(editor.scratch, 'labs', lab.id, 'src', 'mine.ts'), 'utf8'), EARLIER, 'the earlier work is untouched');
    const labs = await poll(
      () => readJson(path.join(storage(), 'labs.json')),
      (l) => l.labs[lab.qualifiedId].workspace === redo,
    );
    assert.equal(labs.labs[lab.qualifiedId].workspace, redo, 'the redo is the lab workspace now');
  });

  step('Export Progress… writes one file with the progress, answers and labs, and says what it holds', async () => {
    const target = path.join(editor.scratch, 'moved-progress.json');
    await editor.runCommand('MLOps Labs: Export Progress…');
    await answerDialog(target);
    await editor.page
      .locator('.notification-toast', { hasText: 'Progress exported to moved-progress.json' })
      .filter({ hasText: COUNTS })
      .waitFor({ timeout: 30_000 });
    exportText = readFileSync(target, 'utf8');
    const file = JSON.parse(exportText);
    assert.equal(file.format, 'mlops-interview-labs-progress');
    assert.deepEqual(file.progress, readJson(path.join(storage(), 'progress.json')));
    assert.deepEqual(file.answers, readJson(path.join(storage(), 'answers.json')));
    const labs = Object.values(file.labs.labs);
    assert.equal(labs.length, 1);
    assert.ok(labs.every((l) => l.review && l.passed && !('workspace' in l)));
  });

  step('a fresh profile refuses a malformed file, naming it and the reason, and changes nothing', async () => {
    await editor.close();
    editor = await openEditor();
    const broken = path.join(editor.scratch, 'broken.json');
    const bad = JSON.parse(exportText);
    Object.values(bad.progress.questions)[0].ratings[0].rating = 'great';
    writeFileSync(broken, JSON.stringify(bad));
    await editor.runCommand('MLOps Labs: Import Progress…');
    await answerDialog(broken);
    const error = editor.page.locator('.notification-toast', { hasText: 'broken.json cannot be imported' });
    await error.waitFor({ timeout: 30_000 });
    assert.match(await error.innerText(), /rating: must be one of[\s\S]*Nothing was changed/);
    assert.equal(existsSync(path.join(storage(), 'progress.json')), false, 'no progress was written');
  });

  step('importing the export into the fresh profile gives the same progress and says the same counts', async () => {
    const moved = path.join(editor.scratch, 'moved-progress.json');
    writeFileSync(moved, exportText);
    await editor.runCommand('MLOps Labs: Import Progress…');
    await answerDialog(moved);
    await editor.page.locator('.notification-toast', { hasText: 'Imported moved-progress.json' }).filter({ hasText: COUNTS }).waitFor({ timeout: 30_000 });
    const file = JSON.parse(exportText);
    assert.deepEqual(readJson(path.join(storage(), 'progress.json')), file.progress);
    assert.deepEqual(readJson(path.join(storage(), 'answers.json')), file.answers);
    assert.deepEqual(readJson(path.join(storage(), 'labs.json')), file.labs);
  });
});
