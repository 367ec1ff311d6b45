// A newcomer's first ten minutes in the real editor: the walkthrough, progress counts and the due badge that
// follow a rating, an empty search that says so, Start Lab in its default mode (the lab opens in a new tab and
// the first window says so, with Open Here Instead), the report keeping one column across a hint and a resubmit,
// Reset showing the starter's first line, and every piece of text in the question and report panels reading at
// 4.5:1 in the light, dark and high-contrast themes.
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { after, before, describe } from 'node:test';
import { openEditor, poll, ROOT, stepper, webviewFrame } from './harness.mjs';

const SAVE_SCREENSHOTS = process.env.E2E_SCREENSHOTS === '1';
const QUESTION = 'core/deepspeed-zero-stages';
const QUESTION_TITLE = 'Explain DeepSpeed ZeRO stages';
const STORAGE = ['User', 'globalStorage', 'mlops-interview-labs.mlops-interview-labs'];

/** A review card 20 days old, due now and one good rating away from mastered (stability 21 days or more). */
function nearlyMastered() {
  const day = 86_400_000;
  const now = Date.now();
  return {
    card: {
      due: new Date(now - 60_000).toISOString(),
      stability: 20,
      difficulty: 5,
      elapsed_days: 20,
      scheduled_days: 20,
      learning_steps: 0,
      reps: 3,
      lapses: 0,
      state: 2,
      last_review: new Date(now - 20 * day).toISOString(),
    },
    ratings: [{ at: new Date(now - 20 * day).toISOString(), rating: 'good' }],
  };
}

/** Every visible piece of text in a frame whose colour reads under `min` against what is behind it. */
async function lowContrast(frame, min = 4.5) {
  return frame.locator('body').evaluate((body, min) => {
    const parse = (css) => {
      const m = css.match(/[\d.]+/g)?.map(Number) ?? [0, 0, 0, 0];
      return { rgb: m.slice(0, 3), a: css.startsWith('rgba') ? (m[3] ?? 1) : 1 };
    };
    const lum = ([r, g, b]) => {
      const f = (v) => ((v /= 255) <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);
      return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
    };
    const page = parse(
      getComputedStyle(document.documentElement)
        .getPropertyValue('--vscode-editor-background')
        .trim()
        .replace(/^#(..)(..)(..).*$/, (_, r, g, b) => `rgb(${parseInt(r, 16)}, ${parseInt(g, 16)}, ${parseInt(b, 16)})`),
    );
    const behind = (el) => {
      const layers = [];
      for (let e = el; e; e = e.parentElement) {
        const c = parse(getComputedStyle(e).backgroundColor);
        if (c.a > 0) layers.push(c);
        if (c.a >= 1) break;
      }
      let rgb = layers.at(-1)?.a >= 1 ? layers.pop().rgb : page.rgb;
      for (const layer of layers.reverse()) rgb = rgb.map((v, i) => layer.rgb[i] * layer.a + v * (1 - layer.a));
      return rgb;
    };
    const low = [];
    for (const el of body.querySelectorAll('*')) {
      const own = [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim());
      if (!own || !el.getClientRects().length || el.closest('[hidden]')) continue;
      const style = getComputedStyle(el);
      if (style.visibility === 'hidden' || Number(style.opacity) === 0) continue;
      const bg = behind(el);
      const fg = parse(style.color);
      const text = fg.rgb.map((v, i) => v * fg.a + bg[i] * (1 - fg.a));
      const [hi, lo] = [lum(text), lum(bg)].sort((x, y) => y - x);
      const ratio = (hi + 0.05) / (lo + 0.05);
      if (ratio < min)
        low.push(
          `${ratio.toFixed(2)}: "${el.textContent.trim().slice(0, 30)}" (${el.tagName.toLowerCase()}.${el.className}) ${style.color} on rgb(${bg.map(Math.round).join(', ')})`,
        );
    }
    return low;
  }, min);
}

describe("a newcomer's first ten minutes", { timeout: 600_000 }, () => {
  let editor;
  let settingsFile;
  const step = stepper(() => editor);
  // The activity bar's badges: only this extension's view has one here.
  const badge = () =>
    editor.page
      .locator('.activitybar .badge-content')
      .allInnerTexts()
      .then(
        (t) => t.join('').trim(),
        () => '',
      );

  before(async () => {
    editor = await openEditor({
      settings: (scratch) => {
        // The progress a candidate brings: one question due for review, one good answer away from mastered.
        const storage = path.join(scratch, 'profile', 'user-data', ...STORAGE);
        mkdirSync(storage, { recursive: true });
        writeFileSync(path.join(storage, 'progress.json'), JSON.stringify({ schemaVersion: 1, questions: { [QUESTION]: nearlyMastered() } }));
        return { 'mlopsLabs.workspaceRoot': path.join(scratch, 'labs') };
      },
    });
    settingsFile = path.join(editor.profile.userData, 'User', 'settings.json');
  });
  after(async () => editor?.close());

  step('Get Started opens the walkthrough', async () => {
    // Once the view shows, the extension and its commands are loaded.
    await editor.openView();
    await editor.runCommand('MLOps Labs: Get Started');
    const walkthrough = editor.page.locator('.gettingStartedContainer');
    await walkthrough.locator('text=Get started with MLOps Interview Labs').first().waitFor({ timeout: 30_000 });
    for (const title of [
      'Browse and reveal a question',
      'Rate how well you knew it',
      'Review what is due',
      'Start a lab',
      'Run the public tests',
      'Submit for a grade',
    ]) {
      await walkthrough.locator('.getting-started-step', { hasText: title }).first().waitFor({ timeout: 10_000 });
    }
    if (SAVE_SCREENSHOTS) await editor.page.screenshot({ path: path.join(ROOT, 'media/screenshots/walkthrough.png') });
    // Close the walkthrough with its tab's own button: the page keeps keyboard focus to itself.
    const tab = editor.page.locator('.tabs-container .tab', { hasText: 'Welcome' });
    // A middle click closes a tab, as in any VS Code.
    await tab.click({ button: 'middle' });
    await tab.waitFor({ state: 'detached', timeout: 15_000 });
  });

  step('a rating moves the section to 1 mastered and clears the due badge', async () => {
    assert.match(await editor.row('Distributed training').innerText(), /0\/\d+/);
    assert.equal(await poll(badge, (b) => b === '1'), '1', 'one question due for review');
    await editor.runCommand('MLOps Labs: Review Next Due Question');
    const panel = await webviewFrame(editor.page, '.review-reason');
    assert.match(await panel.locator('.review-reason').innerText(), /Due for review now/);
    assert.match(await panel.locator('h1').innerText(), new RegExp(QUESTION_TITLE));
    await panel.locator('#reveal').click();
    await panel.locator('[data-rating="good"]').click();
    await editor.rows
      .filter({ hasText: 'Distributed training' })
      .filter({ hasText: /1\/\d+/ })
      .waitFor({ timeout: 15_000 });
    assert.equal(await poll(badge, (b) => b === ''), '', 'nothing due after the rating');
    await editor.runCommand('View: Close All Editors');
  });

  step('Find Question says when nothing matches and counts its hits', async () => {
    await editor.runCommand('MLOps Labs: Find Question');
    await editor.page.locator('.quick-input-widget input[placeholder^="Search questions"]').waitFor({ timeout: 15_000 });
    await editor.page.keyboard.type('zzqxvq');
    await editor.page.locator('.quick-input-list .monaco-list-row', { hasText: 'No question matches "zzqxvq"' }).waitFor({ timeout: 15_000 });
    await editor.page.locator('.quick-input-title', { hasText: /Find Question: 0 of \d+ match/ }).waitFor();
    await editor.page.keyboard.press('Escape');
  });

  step('Start Lab in its default mode says where the lab opened, and Open Here Instead opens it here', async () => {
    const popup = editor.context.waitForEvent('page', { timeout: 60_000 });
    await editor.page
      .locator('.pane', { has: editor.page.locator('.pane-header', { hasText: 'Labs' }) })
      .locator('.monaco-list-row', { hasText: 'ZeRO memory planner' })
      .click();
    const other = await popup;
    const toast = editor.page.locator('.notification-toast', { hasText: /ZeRO memory planner opened in a new browser tab/ });
    await toast.waitFor({ timeout: 30_000 });
    await other.close();
    const loaded = editor.page.waitForEvent('load', { timeout: 60_000 });
    await toast.getByRole('button', { name: 'Open Here Instead' }).click();
    await loaded;
    await editor.page.locator('.statusbar-item', { hasText: 'zero-memory: not graded' }).waitFor({ timeout: 60_000 });
  });

  step('the report keeps one column across a hint and a resubmit', async () => {
    const { page } = editor;
    const groups = () => page.locator('.editor-group-container').count();
    await editor.runCommand('MLOps Labs: Submit Lab for Grading');
    let report = await webviewFrame(page, 'main.report', 60_000);
    await report.locator('.points').waitFor({ timeout: 30_000 });
    const columns = await poll(groups, (n) => n >= 2);
    await report.locator('[data-action="hint"]').click();
    report = await webviewFrame(page, 'ol.hints li', 30_000);
    assert.equal(await groups(), columns, 'a hint keeps the report where it is');
    await report.locator('[data-action="submit"]').click();
    await page
      .locator('.notification-toast', { hasText: 'Grading ZeRO memory planner' })
      .waitFor({ state: 'detached', timeout: 60_000 })
      .catch(() => undefined);
    await webviewFrame(page, 'main.report .points', 30_000);
    assert.equal(await groups(), columns, 'a resubmit keeps the report where it is');
    if (SAVE_SCREENSHOTS) await page.screenshot({ path: path.join(ROOT, 'media/screenshots/lab-report.png') });
  });

  step('Reset shows the starter from its first line', async () => {
    const { page } = editor;
    const labDir = path.join(editor.scratch, 'labs', 'zero-memory');
    const starter = readFileSync(path.join(ROOT, 'labs/zero-memory/starter/zero.ts'), 'utf8');
    writeFileSync(path.join(labDir, 'src/zero.ts'), `${starter}\n${'// scrolled far down\n'.repeat(300)}`);
    await editor.runCommand('Go to File...');
    await page.keyboard.type('zero.ts');
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'zero.ts' }).first().waitFor({ timeout: 15_000 });
    await page.keyboard.press('Enter');
    // The code editor (the report may be the active group): the one showing the starter's types.
    const editorLines = page.locator('.monaco-editor .view-lines', { hasText: 'ZeroConfig' });
    // The editor draws spaces as no-break spaces: normalise them before comparing text.
    const topLine = () =>
      editorLines
        .first()
        .evaluate((el) => ([...el.children].sort((a, b) => parseFloat(a.style.top) - parseFloat(b.style.top))[0]?.textContent ?? '').replace(/\s+/g, ' '))
        .catch(() => '');
    await editorLines.first().click();
    await page.keyboard.press('Control+G');
    await page.locator('.quick-input-widget input').waitFor({ timeout: 10_000 });
    await page.keyboard.type('300');
    await page.keyboard.press('Enter');
    // Scrolled far down: the first line on screen is one of the added comments.
    await poll(topLine, (t) => t.includes('scrolled far down'), { timeout: 15_000 });
    await editor.runCommand('MLOps Labs: Reset Lab to Starter…');
    const dialog = page.locator('.monaco-dialog-box');
    await dialog.waitFor({ timeout: 15_000 });
    await dialog.getByRole('button', { name: 'Reset Lab' }).click();
    await page.locator('.notification-toast', { hasText: 'is back to its starter' }).waitFor({ timeout: 30_000 });
    const firstLine = starter.split('\n')[0].trim().slice(0, 20).replace(/\s+/g, ' ');
    const top = await poll(topLine, (t) => t.includes(firstLine), { timeout: 15_000 });
    assert.ok(top.includes(firstLine), `the first visible line is "${top}"`);
  });

  step('every text in the question and report panels reads at 4.5:1 in light, dark and high-contrast themes', async () => {
    const { page } = editor;
    // The question opens in the code's column; the report keeps its own, so both stay on screen.
    await editor.runCommand('View: Focus First Editor Group');
    await editor.findAndOpen('INT8 quantization', /^How does INT8 quantization map floats/);
    const question = await webviewFrame(page, '#reveal');
    await question.locator('#reveal').click();
    await question.locator('#answer pre.shiki').first().waitFor({ timeout: 15_000 });
    const failures = [];
    for (const [theme, kind] of [
      ['Default Light Modern', 'vscode-light'],
      ['Default Dark Modern', 'vscode-dark'],
      ['Default High Contrast', 'vscode-high-contrast'],
    ]) {
      const settings = JSON.parse(readFileSync(settingsFile, 'utf8'));
      writeFileSync(settingsFile, JSON.stringify({ ...settings, 'workbench.colorTheme': theme }, null, 2));
      for (const selector of ['#answer pre.shiki', 'main.report']) {
        const frame = await webviewFrame(page, selector);
        await poll(
          () => frame.locator('body').getAttribute('data-vscode-theme-kind'),
          (k) => k === kind,
          { timeout: 20_000 },
        );
        failures.push(...(await lowContrast(frame)).map((f) => `${theme} ${selector}: ${f}`));
      }
    }
    assert.deepEqual(failures, []);
  });
});
