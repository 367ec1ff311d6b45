// The floor under the browser figures of issue 25: the same browser, server and settings with a do-nothing extension
// (tests/e2e/fixtures/floor-extension) instead of ours. What it takes to fill a view of ten rows, to show a first
// webview panel and to open a folder to a README preview beside a file is VS Code's own start-up; `npm run bench`
// prints it beside the extension's figures, so a figure over its goal shows how much of it is ours. Timed, never asserted (DESIGN.md, performance budgets).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { after, before, describe } from 'node:test';
import { FLOORED, lastActivationAt, noteTiming, openEditor, ROOT, stepper } from './harness.mjs';

const FLOOR_ID = 'mlops-labs-tests.vscode-floor';

/** The fixture packaged as a .vsix in `dir`, installed the way the extension's own is. */
function packageFloor(dir) {
  const source = path.join(dir, 'floor-extension');
  cpSync(path.join(ROOT, 'tests/e2e/fixtures/floor-extension'), source, { recursive: true });
  // Its activity bar icon is the extension's own.
  cpSync(path.join(ROOT, 'media/icons/activity.svg'), path.join(source, 'icon.svg'));
  const vsix = path.join(dir, 'vscode-floor.vsix');
  const vsce = createRequire(import.meta.url).resolve('@vscode/vsce/vsce', { paths: [ROOT] });
  execFileSync(process.execPath, [vsce, 'package', '--no-dependencies', '--allow-missing-repository', '--skip-license', '--out', vsix], {
    cwd: source,
    stdio: 'ignore',
  });
  return vsix;
}

describe("VS Code's own start-up, with a do-nothing extension", { timeout: 200_000 }, () => {
  let editor;
  let packaging;
  const step = stepper(() => editor);

  before(async () => {
    packaging = mkdtempSync(path.join(tmpdir(), 'mlops-labs-floor-'));
    editor = await openEditor({ extensions: [packageFloor(packaging)] });
  });
  after(async () => {
    await editor?.close();
    if (packaging) rmSync(packaging, { recursive: true, force: true });
  });

  step("a view of ten rows fills after the workbench is ready: the floor under the Questions view's figure", async () => {
    await editor.page.getByRole('tab', { name: /VS Code Floor/ }).click({ timeout: 30_000 });
    await editor.page.locator('.pane-body .monaco-list-row', { hasText: 'Floor row 10' }).waitFor({ timeout: 30_000 });
    const filled = Date.now();
    noteTiming('VS Code floor: a do-nothing extension’s view of ten rows filled after the workbench is ready', filled - editor.workbenchReadyAt, undefined, {
      floorFor: FLOORED.questionsView,
    });
    const activated = lastActivationAt(editor, FLOOR_ID);
    assert.ok(activated, 'the extension host logs when it activates the floor extension');
    noteTiming('VS Code floor: of which workbench ready to activating the do-nothing extension (extension host start)', activated - editor.workbenchReadyAt);
  });

  step("a row opens a webview panel with its title: the floor under the first question panel's figure", async () => {
    const clicked = Date.now();
    await editor.page.locator('.pane-body .monaco-list-row', { hasText: 'Floor row 2' }).click();
    await editor.webview.locator('h1', { hasText: 'Floor row 2' }).waitFor({ timeout: 30_000 });
    noteTiming('VS Code floor: a do-nothing extension’s first webview panel, click to its title on screen', Date.now() - clicked, undefined, {
      floorFor: FLOORED.questionPanel,
    });
  });

  step("a folder opens to a README preview beside a file: the floor under the lab folder's figure", async () => {
    // A lab's two files, opened by the floor extension as the extension opens a lab's (the starter, then the preview).
    const folder = path.join(editor.scratch, 'floor-lab');
    mkdirSync(path.join(folder, 'src'), { recursive: true });
    writeFileSync(path.join(folder, '.vscode-floor'), '');
    cpSync(path.join(ROOT, 'labs/zero-memory/README.md'), path.join(folder, 'README.md'));
    cpSync(path.join(ROOT, 'labs/zero-memory/starter/zero.ts'), path.join(folder, 'src/zero.ts'));
    const loaded = editor.page.waitForEvent('load', { timeout: 60_000 });
    await editor.page.goto(`${editor.server.url}/?folder=${encodeURIComponent(folder)}`);
    await loaded;
    const reloaded = Date.now();
    const tabs = await editor.twoTabsShown();
    const visible = Date.now();
    assert.deepEqual(tabs.map((t) => t.replace(/\s+/g, '')).sort(), ['PreviewREADME.md', 'zero.ts']);
    noteTiming(
      'VS Code floor: a folder opened to a README preview and a file, by a do-nothing extension (from the reloaded page)',
      visible - reloaded,
      undefined,
      {
        floorFor: FLOORED.labFolder,
      },
    );
    const activated = lastActivationAt(editor, FLOOR_ID);
    if (activated && activated > reloaded)
      noteTiming('VS Code floor: of which reloaded page to activating the do-nothing extension (workbench, extension host)', activated - reloaded);
  });
});
