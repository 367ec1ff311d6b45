// A bootcamp's timed take-home through the real UI: the author builds a pack with the CLI; the candidate adds
// its student zip, trusts it, sees it grouped beside the built-in content, starts its timed lab (the countdown
// appears), runs the public tests, is warned before removing the pack with unexported work, submits in one step
// (freeze, export, receipt with the zip's SHA-256); the grader grades the export from the command line into a
// gradebook.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe } from 'node:test';
import { openEditor, poll, ROOT, stepper } from './harness.mjs';

const CLI = path.join(ROOT, 'dist/cli.js');
const cli = (...args) => execFileSync(process.execPath, [CLI, ...args], { encoding: 'utf8' });

describe('a lab pack and a timed take-home in the real editor', { timeout: 400_000 }, () => {
  let editor;
  let author;
  let studentZip;
  let fullZip;
  let exportZip;
  const step = stepper(() => editor);
  const labsPane = () => editor.page.locator('.pane', { has: editor.page.locator('.pane-header', { hasText: 'Labs' }) });
  const rowLabels = (pane) => pane.locator('.pane-body .monaco-list-row').evaluateAll((rows) => rows.map((r) => r.getAttribute('aria-label') ?? ''));
  const testRows = () =>
    editor.page
      .locator('.test-explorer .monaco-list-row, .pane-body .monaco-list-row')
      .evaluateAll((rows) => rows.map((r) => r.getAttribute('aria-label') ?? ''));

  /** VS Code's own file dialog (the simple one, as in code-server): type the path into its input and accept. */
  async function answerFileDialog(file) {
    const input = editor.page.locator('.quick-input-widget input');
    const rows = editor.page.locator('.quick-input-list .monaco-list-row');
    // The dialog first fills in its starting folder and lists it; typing before that would be overwritten.
    await rows.filter({ hasText: '..' }).first().waitFor({ timeout: 15_000 });
    await poll(
      () => input.inputValue(),
      (v) => v.endsWith('/'),
    );
    await input.fill(file);
    // It lists the typed path's folder and narrows to the file before Enter can accept it.
    await rows
      .filter({ hasText: path.basename(file) })
      .first()
      .waitFor({ timeout: 15_000 });
    await poll(
      () => input.inputValue(),
      (v) => v === file,
    );
    await editor.page.keyboard.press('Enter');
  }

  async function pressDialogButton(text) {
    const button = editor.page.locator('.monaco-dialog-box .monaco-button', { hasText: text });
    await button.waitFor({ timeout: 30_000 });
    await button.click();
  }

  before(async () => {
    author = mkdtempSync(path.join(tmpdir(), 'mlops-labs-author-'));
    const packDir = path.join(author, 'acme');
    cli('pack', 'init', packDir, '--id', 'acme', '--name', 'Acme Take-Home', '--author', 'Acme Hiring');
    const manifest = JSON.parse(readFileSync(path.join(packDir, 'pack.json'), 'utf8'));
    writeFileSync(path.join(packDir, 'pack.json'), JSON.stringify({ ...manifest, timeLimitMinutes: 30 }, null, 2));
    studentZip = path.join(author, 'acme-student.zip');
    fullZip = path.join(author, 'acme-full.zip');
    cli('pack', 'build', packDir, '--student', '--out', studentZip);
    cli('pack', 'build', packDir, '--full', '--out', fullZip);
    editor = await openEditor({ settings: (scratch) => ({ 'mlopsLabs.workspaceRoot': path.join(scratch, 'labs'), 'mlopsLabs.openLabIn': 'currentWindow' }) });
    exportZip = path.join(editor.scratch, 'labs', 'acme-submission.zip');
  });
  after(async () => {
    await editor?.close();
    if (author) rmSync(author, { recursive: true, force: true });
  });

  step('Add Lab Pack takes the student zip, asks to trust it by name and author, and groups both views by pack', async () => {
    await editor.openView();
    await editor.runCommand('MLOps Labs: Add Lab Pack…');
    await editor.page.locator('.quick-input-list .monaco-list-row', { hasText: 'From a .zip file' }).click();
    await answerFileDialog(studentZip);
    const dialog = editor.page.locator('.monaco-dialog-box');
    await dialog.locator('.dialog-message-text', { hasText: 'Trust the lab pack "Acme Take-Home" 0.1.0 by Acme Hiring?' }).waitFor({ timeout: 30_000 });
    await pressDialogButton('Trust Pack');
    const questions = await poll(
      () => rowLabels(editor.page.locator('.pane', { has: editor.page.locator('.pane-header', { hasText: 'Questions' }) })),
      (l) => l.some((x) => /^Pack Acme Take-Home/.test(x)),
    );
    assert.ok(
      questions.some((x) => /^Pack MLOps Interview Labs 0\.1\.0, \d+ questions$/.test(x)),
      questions.join('\n'),
    );
    assert.ok(
      questions.some((x) => /^Pack Acme Take-Home 0\.1\.0, 1 question$/.test(x)),
      questions.join('\n'),
    );
    const labs = await poll(
      () => rowLabels(labsPane()),
      (l) => l.some((x) => /^Pack Acme Take-Home 0\.1\.0, 1 lab$/.test(x)),
    );
    assert.ok(
      labs.some((x) => /^Latency SLO/i.test(x) || /latency/i.test(x)),
      labs.join('\n'),
    );
  });

  step('starting its timed lab asks before the clock starts, then shows the countdown', async () => {
    const row = labsPane()
      .locator('.monaco-list-row', { hasText: /latency/i })
      .first();
    await row.click();
    await editor.page
      .locator('.monaco-dialog-box .dialog-message-text', { hasText: 'is timed: 30 minutes from now for every lab of the pack' })
      .waitFor({ timeout: 30_000 });
    // It says what the submission records before the clock starts.
    await editor.page.locator('.monaco-dialog-box', { hasText: 'Your submission records:' }).waitFor({ timeout: 5_000 });
    const loaded = editor.page.waitForEvent('load', { timeout: 60_000 });
    await pressDialogButton('Start the Clock');
    await loaded;
    await editor.page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    const clock = editor.page.locator('.statusbar-item', { hasText: /\d+:\d\d left/ });
    await clock.waitFor({ timeout: 30_000 });
    // The lab's own status entry comes last, once the README and the starter are open: typing before that
    // could land in an editor that takes focus.
    await editor.page.locator('.statusbar-item', { hasText: 'latency-slo: graded by your instructor' }).waitFor({ timeout: 30_000 });
    const first = await clock.innerText();
    assert.match(first.trim(), /^(29|30):\d\d left$/);
    // It counts down.
    const later = await poll(
      () => clock.innerText(),
      (t) => t !== first,
      { timeout: 5_000 },
    );
    assert.notEqual(later, first);
  });

  step('its public tests run in the Testing view: red on the starter, green on a solution', async () => {
    await editor.page.getByRole('tab', { name: /Testing/ }).click();
    // The tests are found after the window's set-up (their files are read and parsed): Run All before then runs nothing.
    await poll(testRows, (r) => r.filter((l) => /^Task \d: /.test(l)).length === 2, { timeout: 30_000 });
    await editor.runCommand('Test: Run All Tests');
    const red = await poll(testRows, (r) => r.filter((l) => /^Task \d: .*\((Failed|Errored)\)/.test(l)).length === 2, { timeout: 60_000 });
    assert.equal(red.filter((l) => /^Task \d: .*\((Failed|Errored)\)/.test(l)).length, 2, red.join('\n'));
    // Lab folders of added packs are named by pack.
    const labDir = path.join(editor.scratch, 'labs', 'acme-latency-slo');
    const solution = readFileSync(path.join(author, 'acme', 'labs/latency-slo/solution/slo.ts'), 'utf8');
    writeFileSync(path.join(labDir, 'src/slo.ts'), solution);
    await editor.runCommand('Test: Run All Tests');
    const green = await poll(testRows, (r) => r.filter((l) => /^Task \d: .*\(Passed\)/.test(l)).length === 2, { timeout: 60_000 });
    assert.equal(green.filter((l) => /\((Failed|Errored)\)/.test(l)).length, 0, green.join('\n'));
  });

  step('Remove Lab Pack warns first while the take-home runs unexported, and Cancel keeps the pack', async () => {
    await editor.runCommand('MLOps Labs: Remove Lab Pack…');
    await editor.page.locator('.quick-input-list .monaco-list-row', { hasText: 'Acme Take-Home 0.1.0' }).click();
    await editor.page.locator('.monaco-dialog-box .dialog-message-text', { hasText: /is a take-home still running/ }).waitFor({ timeout: 30_000 });
    await editor.page.locator('.monaco-dialog-box', { hasText: 'Export First' }).waitFor({ timeout: 5_000 });
    await pressDialogButton('Cancel');
    await editor.page.locator('.monaco-dialog-box').waitFor({ state: 'detached', timeout: 15_000 });
    // Still added: the countdown runs on and the pack is still in the Labs view.
    await editor.page.locator('.statusbar-item', { hasText: /\d+:\d\d left/ }).waitFor({ timeout: 15_000 });
  });

  step('Submit is final in one step: it freezes, exports with the typed name and shows a receipt with the SHA-256', async () => {
    await editor.runCommand('MLOps Labs: Submit Lab for Grading');
    await editor.page.locator('.monaco-dialog-box .dialog-message-text', { hasText: 'Submit Acme Take-Home? This is final.' }).waitFor({ timeout: 30_000 });
    await pressDialogButton('Submit and Export');
    // The name is optional; this candidate types theirs.
    const input = editor.page.locator('.quick-input-widget input');
    await editor.page.locator('.quick-input-widget', { hasText: 'Your name on the submission (optional)' }).waitFor({ timeout: 15_000 });
    await input.fill('Ada Lovelace');
    await editor.page.keyboard.press('Enter');
    // The save dialog proposes <workspaceRoot>/<pack>-submission.zip; accept it.
    await poll(
      () => input.inputValue(),
      (v) => v.endsWith('acme-submission.zip'),
    );
    await editor.page.keyboard.press('Enter');
    const receipt = editor.page.locator('.monaco-dialog-box', { hasText: 'Submitted Acme Take-Home. Your receipt:' });
    await receipt.waitFor({ timeout: 30_000 });
    assert.ok(existsSync(exportZip));
    const sha = createHash('sha256').update(readFileSync(exportZip)).digest('hex');
    const text = await receipt.innerText();
    assert.match(text, new RegExp(`SHA-256: ${sha}`));
    assert.match(text, /Name recorded: Ada Lovelace/);
    assert.ok(text.includes(exportZip), text);
    await pressDialogButton('Copy SHA-256');
    // The open lab's clock shows the submission at once.
    await editor.page.locator('.statusbar-item', { hasText: 'Submitted' }).waitFor({ timeout: 15_000 });
  });

  step('the grader grades the export from the command line into a gradebook', async () => {
    const out = path.join(editor.scratch, 'grades');
    const printed = cli('grade', '--pack', fullZip, '--submissions', exportZip, '--out', out);
    assert.match(printed, /graded 1 submission/);
    const [header, row] = readFileSync(path.join(out, 'gradebook.csv'), 'utf8').trim().split('\n');
    assert.match(header, /^candidate,points,maxPoints,percent,latency-slo \(100\),late,tampered/);
    assert.match(row, /^acme-submission,100,100,100,100,no,no,/);
    assert.match(readFileSync(path.join(out, 'feedback', 'acme-submission.html'), 'utf8'), /100/);
  });
});
