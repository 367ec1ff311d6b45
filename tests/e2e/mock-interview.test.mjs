// A two-question mock interview in the real editor: choose the shortest length, the junior level and one section,
// answer and check key points with the clock moved between questions, and read the summary's times and key points.
// The question count is fixed by `mlopsLabs.mockInterview.questionCount`; time is moved through the file that
// MLOPS_LABS_TEST_CLOCK_FILE names in the editor's environment (the interview clock adds its minutes).
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe } from 'node:test';
import { findFile, openEditor, packagedVsix, poll, ROOT, stepper, webviewFrame } from './harness.mjs';

const SECTION = 'Training frameworks';

describe('mock interview in the real editor', { timeout: 300_000 }, () => {
  let editor;
  let frame;
  const step = stepper(() => editor);
  const clockFile = path.join(mkdtempSync(path.join(tmpdir(), 'mlops-clock-')), 'offset-minutes');
  writeFileSync(clockFile, '0');
  process.env.MLOPS_LABS_TEST_CLOCK_FILE = clockFile;
  /** Moves the interview's clock to `minutes` past real time: the extension reads the file at each tick. */
  async function moveClock(minutes) {
    writeFileSync(clockFile, String(minutes));
  }
  async function pick(text) {
    const input = editor.page.locator('.quick-input-widget input');
    await input.waitFor({ timeout: 15_000 });
    await input.fill(text);
    await editor.page.locator('.quick-input-list .monaco-list-row').first().filter({ hasText: text }).waitFor({ timeout: 10_000 });
    await editor.page.keyboard.press('Enter');
  }

  before(async () => {
    packagedVsix();
    editor = await openEditor({
      theme: 'Default Dark Modern',
      settings: { 'mlopsLabs.mockInterview.questionCount': 2 },
    });
  });
  after(async () => editor?.close());

  step('Start Mock Interview asks for length, level, sections and lab, then shows question 1 of 2 with a clock', async () => {
    const { page } = editor;
    await editor.openView();
    await editor.runCommand('MLOps Labs: Start Mock Interview');
    await pick('30 minutes');
    await pick('junior');
    // Sections: all are picked by default; untick all, then pick the one section.
    await page.locator('.quick-input-widget .quick-input-header').locator('[role="checkbox"], input[type="checkbox"]').first().click();
    await page.locator('.quick-input-widget input[type="text"], .quick-input-widget input:not([type])').first().fill(SECTION);
    // In a many-pick list a click on the row toggles its check box.
    await page.locator('.quick-input-list .monaco-list-row', { hasText: SECTION }).first().click();
    await page.locator('.quick-input-widget', { hasText: '1 Selected' }).waitFor({ timeout: 10_000 });
    await page.keyboard.press('Enter');
    await pick('Questions only');
    frame = await webviewFrame(page, '#interview-clock', 60_000);
    assert.match(await frame.locator('#interview-position').innerText(), /Question 1 of 2/);
    assert.match(await frame.locator('#interview-clock').innerText(), /^\d+:\d\d$/);
    assert.match(await frame.locator('.meta .section').innerText(), new RegExp(SECTION));
  });

  step('answer, check the key points, tick one, and move on three minutes later', async () => {
    await frame.locator('#your-answer').fill('My answer to the first question');
    await frame.locator('#check').click();
    await frame.locator('input[data-point="0"]').check();
    await moveClock(3);
    await frame.locator('#next').click();
    frame = await webviewFrame(editor.page, '#interview-position:has-text("Question 2 of 2")', 30_000);
  });

  step('the second question is checked with nothing ticked and finished two minutes later', async () => {
    await frame.locator('#check').click();
    await moveClock(5);
    await frame.locator('#finish').click();
    frame = await webviewFrame(editor.page, '#summary-questions', 30_000);
  });

  step("the summary shows each question's time and key points, per section, and what to review", async () => {
    const times = await frame.locator('#summary-questions .q-time').allInnerTexts();
    assert.equal(times.length, 2);
    assert.match(times[0], /^3:\d\d$/, `first question took the moved three minutes (${times[0]})`);
    assert.match(times[1], /^2:\d\d$/, `second question took the moved two minutes (${times[1]})`);
    const points = await frame.locator('#summary-questions .q-points').allInnerTexts();
    assert.match(points[0], /^1 of \d+$/);
    assert.match(points[1], /^0 of \d+$/);
    assert.match(await frame.locator('#summary-sections').innerText(), new RegExp(`${SECTION}\\s+1 of \\d+`));
    assert.match(await frame.locator('#weakest-sections').innerText(), new RegExp(SECTION));
    assert.ok((await frame.locator('.review-next [data-open]').count()) >= 1, 'at least the unticked question is to review');
    if (process.env.E2E_SCREENSHOTS === '1') await editor.page.screenshot({ path: path.join(ROOT, 'media/screenshots/mock-interview-summary.png') });
  });

  step('the interview is kept in interviews.json as finished', async () => {
    const data = await poll(
      () => {
        const file = findFile(editor.scratch, 'interviews.json');
        return file ? JSON.parse(readFileSync(file, 'utf8')) : undefined;
      },
      (d) => d?.interviews?.[0]?.status === 'finished',
    );
    const [interview] = data.interviews;
    assert.equal(interview.status, 'finished');
    assert.equal(interview.questions.length, 2);
    assert.deepEqual(interview.questions[0].ticked, [0]);
  });
});
