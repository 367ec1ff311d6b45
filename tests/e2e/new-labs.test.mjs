// The labs added for monitoring, feature stores and the rest, through the real UI: each is listed in the Labs
// view, starts from its row, and its reference solution, submitted, scores full marks in the report.
import assert from 'node:assert/strict';
import { cpSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { after, before, describe } from 'node:test';
import { openEditor, ROOT, stepper, webviewFrame } from './harness.mjs';

const LABS = ['drift-monitor', 'point-in-time-join', 'experiment-tracker'].map((id) => {
  const manifest = JSON.parse(readFileSync(path.join(ROOT, 'labs', id, 'lab.json'), 'utf8'));
  return { id, title: manifest.title, points: manifest.tasks.reduce((sum, t) => sum + t.points, 0) };
});

describe('the newer labs in the real editor', { timeout: 600_000 }, () => {
  let editor;
  const step = stepper(() => editor);

  before(async () => {
    editor = await openEditor({ settings: (scratch) => ({ 'mlopsLabs.workspaceRoot': path.join(scratch, 'labs'), 'mlopsLabs.openLabIn': 'currentWindow' }) });
  });
  after(async () => editor?.close());

  for (const lab of LABS) {
    step(`${lab.id}: starts from the Labs view, and its reference solution scores ${lab.points}/${lab.points}`, async () => {
      const { page } = editor;
      await editor.openView();
      const row = page.locator('.pane', { has: page.locator('.pane-header', { hasText: 'Labs' }) }).locator('.monaco-list-row', { hasText: lab.title });
      const loaded = page.waitForEvent('load', { timeout: 60_000 });
      await row.click({ timeout: 30_000 });
      await loaded;
      await page.locator('.statusbar-item', { hasText: `${lab.id}: not graded` }).waitFor({ timeout: 60_000 });
      // The candidate's files become the reference solution, as a candidate who solved it would have them.
      cpSync(path.join(ROOT, 'labs', lab.id, 'solution'), path.join(editor.scratch, 'labs', lab.id, 'src'), { recursive: true });
      await editor.runCommand('MLOps Labs: Submit Lab for Grading');
      const report = await webviewFrame(page, 'main.report', 120_000);
      await report.locator('.points', { hasText: String(lab.points) }).waitFor({ timeout: 120_000 });
      assert.match(await report.locator('.score').innerText(), new RegExp(`${lab.points} / ${lab.points} points\\s+Passed`));
      await page.locator('.statusbar-item', { hasText: `${lab.id}: ${lab.points}/${lab.points}` }).waitFor({ timeout: 15_000 });
    });
  }
});
