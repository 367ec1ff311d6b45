// The candidate's own tests, through the real UI: a test file added to the lab workspace appears in the Testing
// view without a reload, runs, fails with a diff, re-runs by itself on a save of src/ under continuous run, and a
// coverage run shows which lines of src/ the tests reached.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { after, before, describe } from 'node:test';
import { openEditor, poll, ROOT, stepper } from './harness.mjs';

const SOLUTION = readFileSync(path.join(ROOT, 'labs/zero-memory/solution/zero.ts'), 'utf8');
const OWN_GROUP = 'Your tests (never graded)';
const ownTest = (expected) =>
  [
    "import assert from 'node:assert/strict';",
    "import { describe, it } from 'node:test';",
    "import { toGiB } from '../src/zero';",
    '',
    "describe('mine', () => {",
    `  it('one GiB', () => assert.equal(toGiB(2 ** 30), ${expected}));`,
    '});',
    '',
  ].join('\n');

describe("the candidate's own tests in the real editor", { timeout: 400_000 }, () => {
  let editor;
  let labDir;
  const step = stepper(() => editor);
  const testRows = () =>
    editor.page
      .locator('.test-explorer .monaco-list-row, .pane-body .monaco-list-row')
      .evaluateAll((rows) => rows.map((r) => r.getAttribute('aria-label') ?? ''));
  const ownRow = (rows) => rows.find((r) => r.startsWith(OWN_GROUP)) ?? '';

  before(async () => {
    editor = await openEditor({ settings: (scratch) => ({ 'mlopsLabs.workspaceRoot': path.join(scratch, 'labs'), 'mlopsLabs.openLabIn': 'currentWindow' }) });
    labDir = path.join(editor.scratch, 'labs', 'zero-memory');
  });
  after(async () => editor?.close());

  step('a lab is started and its Testing view shows the public tests by task', async () => {
    await editor.openView();
    const loaded = editor.page.waitForEvent('load', { timeout: 60_000 });
    await editor.page.locator('.monaco-list-row', { hasText: 'ZeRO memory planner' }).click();
    await loaded;
    await editor.page.locator('.statusbar-item', { hasText: 'zero-memory: not graded' }).waitFor({ timeout: 60_000 });
    writeFileSync(path.join(labDir, 'src/zero.ts'), SOLUTION);
    await editor.page.getByRole('tab', { name: /Testing/ }).click();
    const rows = await poll(testRows, (r) => r.filter((l) => /^Task \d: /.test(l)).length === 5, { timeout: 30_000 });
    assert.equal(ownRow(rows), '', 'no group for own tests before there are any');
  });

  step('a test file added to tests/ appears in its own group without a reload, nested as written', async () => {
    writeFileSync(path.join(labDir, 'tests/mine.test.ts'), ownTest(1));
    await poll(testRows, (r) => ownRow(r) !== '', { timeout: 30_000 });
    for (const label of [OWN_GROUP, 'mine.test.ts', 'mine']) {
      const row = editor.page.locator('.test-explorer .monaco-list-row', { hasText: label }).first();
      if ((await row.getAttribute('aria-expanded')) === 'false') await row.click();
    }
    await poll(testRows, (r) => r.some((l) => l.startsWith('one GiB')), { timeout: 15_000 });
  });

  step('it runs with the public tests, and passes', async () => {
    await editor.runCommand('Test: Run All Tests');
    const rows = await poll(testRows, (r) => /\(Passed\)/.test(ownRow(r)) && r.filter((l) => /^Task \d: .*\(Passed\)/.test(l)).length === 5, {
      timeout: 60_000,
    });
    assert.match(ownRow(rows), /\(Passed\)/, rows.join('\n'));
  });

  step('made to fail, it shows expected and actual side by side', async () => {
    writeFileSync(path.join(labDir, 'tests/mine.test.ts'), ownTest(2));
    // The changed file is read again before the run.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    await editor.runCommand('Test: Run All Tests');
    await poll(testRows, (r) => /\(Failed\)/.test(ownRow(r)), { timeout: 60_000 });
    // In the Test Results panel, the failure's message is a diff of the two values.
    const panel = editor.page.locator('.part.panel');
    await panel.locator('.monaco-list-row', { hasText: 'one GiB' }).first().click();
    await panel.locator('.monaco-diff-editor').first().waitFor({ timeout: 30_000 });
    const text = await panel.locator('.monaco-diff-editor').first().innerText();
    assert.match(text, /2/, text);
    assert.match(text, /1/, text);
  });

  step('under continuous run, saving src/ re-runs the test that imports it', async () => {
    await editor.runCommand('Test: Start Continuous Run');
    // The view's toolbar now offers to turn it off.
    await editor.page.locator('.codicon-testing-turn-continuous-run-off').first().waitFor({ timeout: 15_000 });
    // A src/ change that makes 2^30 bytes come out as 2 "GiB": the candidate's test (expecting 2) turns green on its own.
    writeFileSync(path.join(labDir, 'src/zero.ts'), SOLUTION.replace('return bytes / 2 ** 30;', 'return (2 * bytes) / 2 ** 30;'));
    assert.notEqual(readFileSync(path.join(labDir, 'src/zero.ts'), 'utf8'), SOLUTION, 'the edit applied');
    await poll(testRows, (r) => /\(Passed\)/.test(ownRow(r)), { timeout: 60_000 });
    await editor.runCommand('Test: Stop Continuous Run');
  });

  step('a coverage run shows covered and uncovered lines of src/', async () => {
    writeFileSync(path.join(labDir, 'src/zero.ts'), SOLUTION);
    await editor.runCommand('Test: Run All Tests with Coverage');
    const coverageRow = editor.page.locator('.test-coverage-list-item, .monaco-list-row', { hasText: 'zero.ts' }).filter({ hasText: '%' }).first();
    await coverageRow.waitFor({ timeout: 90_000 });
    // Open src/zero.ts: its gutter marks lines the tests ran and lines they never reached.
    await editor.runCommand('Go to File...');
    await editor.page.keyboard.type('zero.ts');
    await editor.page.locator('.quick-input-list .monaco-list-row', { hasText: 'zero.ts' }).first().waitFor({ timeout: 15_000 });
    await editor.page.keyboard.press('Enter');
    await editor.page.locator('.monaco-editor .coverage-deco-hit').first().waitFor({ timeout: 30_000 });
    // No public test plans ZeRO-3: the body of estimateZero3 was never run.
    const refusal = SOLUTION.split('\n').findIndex((l) => l.includes('const largestLayer = 4 * shape.largestLayerParams;')) + 1;
    assert.ok(refusal > 0);
    await editor.page.locator('.monaco-editor .view-lines', { hasText: 'export interface ZeroConfig' }).first().click();
    await editor.page.keyboard.press('Control+G');
    await editor.page.locator('.quick-input-widget input').waitFor({ timeout: 10_000 });
    await editor.page.keyboard.type(String(refusal));
    await editor.page.keyboard.press('Enter');
    await editor.page.locator('.monaco-editor .coverage-deco-miss').first().waitFor({ timeout: 30_000 });
  });
});
