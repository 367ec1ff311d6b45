// Two windows of the extension on one profile, as Start Lab makes them: the first window starts a lab, which opens
// in a second window (a new tab of the embedded VS Code, with its own extension host). A grade in the lab window
// shows in the first window's Labs view without a reload; a lab started afterwards in the first window keeps
// that grade; a rating in either window shows in the other's Questions view; both files end with every change.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { after, before, describe } from 'node:test';
import { Editor, openEditor, poll, ROOT, stepper, webviewFrame } from './harness.mjs';

const SOLUTION = readFileSync(path.join(ROOT, 'labs/zero-memory/solution/zero.ts'), 'utf8');
const ZERO = 'Explain DeepSpeed ZeRO stages';

describe('two windows on one profile', { timeout: 400_000 }, () => {
  let first;
  let labWindow;
  let current;
  const step = stepper(() => current);
  const storage = () => path.join(first.profile.userData, 'User', 'globalStorage', 'mlops-interview-labs.mlops-interview-labs');
  const readJson = (name) => {
    try {
      return JSON.parse(readFileSync(path.join(storage(), name), 'utf8'));
    } catch {
      return undefined;
    }
  };
  const labRow = (editor, title) =>
    editor.page.locator('.pane', { has: editor.page.locator('.pane-header', { hasText: 'Labs' }) }).locator('.monaco-list-row', { hasText: title });

  /** Clicks a lab in the Labs view; the lab opens in a new window, which is a new tab here. */
  async function startInNewWindow(editor, title, labId) {
    const opened = editor.context.waitForEvent('page', { timeout: 60_000 });
    await labRow(editor, title).click();
    const page = await opened;
    await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    const window = new Editor({ page, context: editor.context, server: editor.server, scratch: editor.scratch, profile: editor.profile });
    await page.locator('.statusbar-item', { hasText: `${labId}: not graded` }).waitFor({ timeout: 60_000 });
    return window;
  }

  before(async () => {
    // Start Lab's default: the lab opens in a new window.
    first = await openEditor({ settings: (scratch) => ({ 'mlopsLabs.workspaceRoot': path.join(scratch, 'labs') }) });
    current = first;
  });
  after(async () => first?.close());

  step('starting a lab in the first window opens it in a second window', async () => {
    await first.openView();
    labWindow = await startInNewWindow(first, 'ZeRO memory planner', 'zero-memory');
    current = labWindow;
    assert.equal(readJson('labs.json')?.labs['core/zero-memory']?.workspace, path.join(first.scratch, 'labs', 'zero-memory'));
  });

  step('the first window shows the lab as in progress, and a question as new', async () => {
    current = first;
    await first.page.bringToFront();
    await poll(
      () => labRow(first, 'ZeRO memory planner').getAttribute('aria-label'),
      (l) => /in progress/.test(l ?? ''),
      { timeout: 30_000 },
    );
    await first.row('Distributed training').click();
    await first.rows.filter({ hasText: ZERO }).filter({ hasText: 'new' }).waitFor({ timeout: 15_000 });
  });

  step('a grade in the lab window shows in the first window without a reload', async () => {
    current = labWindow;
    await labWindow.page.bringToFront();
    writeFileSync(path.join(first.scratch, 'labs', 'zero-memory', 'src', 'zero.ts'), SOLUTION);
    await labWindow.runCommand('MLOps Labs: Submit Lab for Grading');
    await labWindow.page.locator('.statusbar-item', { hasText: 'zero-memory: 100/100' }).waitFor({ timeout: 60_000 });
    current = first;
    const label = await poll(
      () => labRow(first, 'ZeRO memory planner').getAttribute('aria-label'),
      (l) => /passed · best 100\/100/.test(l ?? ''),
      { timeout: 15_000 },
    );
    assert.match(label ?? '', /passed · best 100\/100/);
  });

  step('a lab started afterwards in the first window keeps the grade made in the other', async () => {
    current = first;
    await first.page.bringToFront();
    const third = await startInNewWindow(first, 'DataLoader: prefetching', 'dataloader-tuning');
    await third.page.close();
    const labs = readJson('labs.json')?.labs ?? {};
    assert.deepEqual(
      { attempts: labs['core/zero-memory']?.attempts, best: labs['core/zero-memory']?.best?.points, passed: labs['core/zero-memory']?.passed },
      { attempts: 1, best: 100, passed: true },
    );
    assert.equal(labs['core/dataloader-tuning']?.workspace, path.join(first.scratch, 'labs', 'dataloader-tuning'));
    // The lab window hears of the new start as well.
    current = labWindow;
    await labWindow.page.bringToFront();
    await labWindow.openView();
    await poll(
      () => labRow(labWindow, 'DataLoader: prefetching').getAttribute('aria-label'),
      (l) => /in progress/.test(l ?? ''),
      { timeout: 15_000 },
    );
  });

  step('a rating in the lab window shows in the first window, and one there keeps it', async () => {
    current = labWindow;
    await labWindow.findAndOpen(ZERO, ZERO);
    const panel = await webviewFrame(labWindow.page, '#reveal');
    await panel.locator('#reveal').click();
    await panel.locator('[data-rating="good"]').click();
    current = first;
    await first.page.bringToFront();
    await first.rows.filter({ hasText: ZERO }).filter({ hasText: 'learning' }).waitFor({ timeout: 15_000 });
    // The first window rates another question of the section: both ratings stay.
    const other = first.rows.filter({ hasNotText: ZERO }).filter({ hasText: 'new' }).first();
    const otherTitle = (await other.locator('.label-name').innerText()).trim();
    await other.click();
    const otherPanel = await poll(
      async () => {
        for (const frame of first.page.frames())
          if (
            (await frame
              .locator('h1', { hasText: otherTitle.slice(0, 30) })
              .count()
              .catch(() => 0)) > 0
          )
            return frame;
        return undefined;
      },
      (f) => f !== undefined,
      { timeout: 30_000 },
    );
    await otherPanel.locator('#reveal').click();
    await otherPanel.locator('[data-rating="hard"]').click();
    const ratings = await poll(
      () => Object.values(readJson('progress.json')?.questions ?? {}).filter((q) => q.ratings?.length > 0).length,
      (n) => n === 2,
    );
    assert.equal(ratings, 2, "both windows' ratings are in progress.json");
  });
});
