// Answer first, in the real editor: write an answer, reveal, tick the key points with the keyboard, accept the
// suggested rating, and find the answer among the previous attempts when the question is next opened.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { after, before, describe } from 'node:test';
import { findFile, openEditor, packagedVsix, poll, ROOT, stepper } from './harness.mjs';

const require = createRequire(import.meta.url);
const ZERO = 'DeepSpeed ZeRO';
// Holds r, n, p and digits: none of them may reveal, move or rate while typed in the text area.
const ANSWER = 'ZeRO partitions optimizer state (stage 1), gradients (2) and parameters (3) across ranks; n p r 1 2';

describe('answer first in the real editor', { timeout: 300_000 }, () => {
  let editor;
  let question;
  const step = stepper(() => editor);

  before(async () => {
    packagedVsix();
    const catalog = await require(path.join(ROOT, 'dist/core.js')).loadCatalog([ROOT]);
    question = catalog.questions.find((q) => q.title.includes(ZERO));
    assert.ok(question && question.keyPoints.length >= 2, 'the ZeRO question has key points');
    editor = await openEditor({ theme: 'Default Dark Modern' });
  });
  after(async () => editor?.close());

  step('the question opens with "Your answer" before the reveal, and typing keys in it neither reveals nor moves', async () => {
    await editor.openView();
    await editor.row('Distributed training').click();
    await editor.row(ZERO).click();
    const { webview } = editor;
    await webview.locator('h1', { hasText: ZERO }).waitFor({ timeout: 30_000 });
    assert.equal(await webview.locator('.attempts').count(), 0, 'no previous attempts yet');
    await webview.locator('#your-answer').click();
    await editor.page.keyboard.type(ANSWER);
    assert.equal(await webview.locator('#your-answer').inputValue(), ANSWER);
    assert.equal(await webview.locator('#answer').isHidden(), true, 'r typed in the text area did not reveal');
    assert.match(await webview.locator('h1').innerText(), /DeepSpeed ZeRO/, 'n and p typed in the text area did not move');
    await webview.locator('#draft-status', { hasText: 'Draft saved' }).waitFor({ timeout: 10_000 });
  });

  step('revealing shows the key points as a check list beside the answer written', async () => {
    const { webview } = editor;
    await webview.locator('#reveal').click();
    await webview.locator('#answer').waitFor();
    assert.equal(await webview.locator('#your-text').innerText(), ANSWER);
    assert.equal(await webview.locator('input[data-point]').count(), question.keyPoints.length);
    assert.match(
      await webview.locator('.suggestion-rule').innerText(),
      /All key points ticked suggests Good, at least half suggests Hard, fewer suggests Again/,
    );
    await webview.locator('#suggestion', { hasText: 'suggested rating Again' }).waitFor();
  });

  step('ticking with Tab and Space suggests a rating, and accepting it stores the rating with the ticks', async () => {
    const { webview, page } = editor;
    // Focus the first check box through the keyboard: from the heading that takes focus on reveal, Tab moves on.
    await webview.locator('input[data-point="0"]').focus();
    for (let i = 0; i < question.keyPoints.length; i++) {
      if (i > 0) await page.keyboard.press('Tab');
      assert.equal(await webview.locator(`input[data-point="${i}"]`).evaluate((el) => el === document.activeElement), true, `Tab reaches key point ${i + 1}`);
      await page.keyboard.press('Space');
      assert.equal(await webview.locator(`input[data-point="${i}"]`).isChecked(), true);
    }
    await webview
      .locator('#suggestion', { hasText: `${question.keyPoints.length} of ${question.keyPoints.length} key points ticked: suggested rating Good` })
      .waitFor();
    assert.match(await webview.locator('[data-rating="good"]').getAttribute('class'), /suggested/);
    if (process.env.E2E_SCREENSHOTS === '1') await page.screenshot({ path: path.join(ROOT, 'media/screenshots/answer-first.png') });
    await webview.locator('#accept-suggestion', { hasText: 'Accept Good' }).click();
    await webview.locator('#rating-status', { hasText: /Next review/ }).waitFor({ timeout: 15_000 });
    await editor.rows.filter({ hasText: ZERO }).filter({ hasText: 'learning' }).waitFor({ timeout: 15_000 });
    const progress = await poll(
      () => {
        const file = findFile(editor.scratch, 'progress.json');
        return file ? JSON.parse(readFileSync(file, 'utf8')) : undefined;
      },
      (p) => p?.questions?.[question.qualifiedId]?.ratings?.length === 1,
    );
    const [rating] = progress.questions[question.qualifiedId].ratings;
    assert.equal(rating.rating, 'good');
    assert.deepEqual(rating.keyPoints, { ticked: question.keyPoints.map((_, i) => i), total: question.keyPoints.length });
  });

  step('the next open of the question lists the previous attempt by date', async () => {
    const { webview, page } = editor;
    // n and p work outside the text area: away to the next question and back.
    await webview.locator('#rating-status').click();
    await page.keyboard.press('n');
    await webview.locator('h1', { hasNotText: ZERO }).waitFor({ timeout: 15_000 });
    await webview.locator('body').click({ position: { x: 5, y: 5 } });
    await page.keyboard.press('p');
    await webview.locator('h1', { hasText: ZERO }).waitFor({ timeout: 15_000 });
    assert.equal(await webview.locator('#answer').isHidden(), true);
    assert.equal(await webview.locator('#your-answer').inputValue(), '', 'the draft became an attempt');
    await webview.locator('.attempts summary', { hasText: 'Previous attempts (1)' }).click();
    const attempt = webview.locator('.attempt').first();
    assert.match(await attempt.locator('.attempt-text').innerText(), /ZeRO partitions optimizer state/);
    assert.ok(await attempt.locator('time').getAttribute('datetime'));
  });
});
