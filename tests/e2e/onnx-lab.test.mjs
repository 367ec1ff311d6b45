// An ONNX lab through the real UI: the platform build's onnxruntime runs real inference in the grader's child.
import assert from 'node:assert/strict';
import { cpSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { after, before, describe } from 'node:test';
import { openEditor, ROOT, stepper, webviewFrame } from './harness.mjs';

const LAB = 'dynamic-batching';
const manifest = JSON.parse(readFileSync(path.join(ROOT, 'labs', LAB, 'lab.json'), 'utf8'));

describe(`the ONNX lab ${LAB} in the real editor`, { timeout: 300_000 }, () => {
  let editor;
  const step = stepper(() => editor);

  before(async () => {
    editor = await openEditor({ settings: (scratch) => ({ 'mlopsLabs.workspaceRoot': path.join(scratch, 'labs'), 'mlopsLabs.openLabIn': 'currentWindow' }) });
  });
  after(async () => editor?.close());

  step('starts from the Labs view', async () => {
    await editor.openView();
    const row = editor.page.locator('.monaco-list-row', { hasText: manifest.title });
    assert.match((await row.getAttribute('aria-label', { timeout: 30_000 })) ?? '', /not started/);
    const loaded = editor.page.waitForEvent('load', { timeout: 60_000 });
    await row.click();
    await loaded;
    await editor.page.locator('.statusbar-item', { hasText: `${LAB}: not graded` }).waitFor({ timeout: 60_000 });
  });

  step('a correct solution earns full points, graded with real ONNX Runtime sessions', async () => {
    cpSync(path.join(ROOT, 'labs', LAB, 'solution'), path.join(editor.scratch, 'labs', LAB, 'src'), { recursive: true });
    await editor.runCommand('MLOps Labs: Submit Lab for Grading');
    const report = await webviewFrame(editor.page, 'main.report', 90_000);
    assert.ok(report, 'a grade report panel opened');
    await report.locator('.points', { hasText: '100' }).waitFor({ timeout: 60_000 });
    assert.match(await report.locator('.score').innerText(), /100 \/ 100 points\s+Passed/);
    assert.match(await report.locator('.protections').innerText(), /permission model enforced/);
  });
});
