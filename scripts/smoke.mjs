// Smoke check in a real editor: package the .vsix, install it into the embedded VS Code (code-server) with a fresh
// profile, open it in Debian's chromium, and confirm that the Questions view shows the ten sections and a
// question opens in its panel with highlighted code. `--screenshots` also refreshes media/screenshots/.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { chromium } from 'playwright-core';
import { codeServerCli, createProfile, ensureEmbeddedVSCode, ROOT, startCodeServer } from './embedded-vscode.mjs';

const SECTIONS = [
  'Training frameworks', 'Distributed training', 'Experiment tracking', 'Versioning and model registry', 'Model serving',
  'Optimisation and compression', 'Pipelines and orchestration', 'Feature stores', 'Monitoring and observability', 'ML testing and validation',
];
const screenshots = process.argv.includes('--screenshots');
const started = Date.now();
const step = (message) => console.log(`[smoke ${((Date.now() - started) / 1000).toFixed(1)}s] ${message}`);

ensureEmbeddedVSCode({ needBrowser: true });
execFileSync(process.execPath, [path.join(ROOT, 'scripts/package.mjs')], { cwd: ROOT, stdio: 'ignore' });
const vsix = readdirSync(ROOT).find((f) => f.endsWith('.vsix'));
step(`packaged ${vsix}`);

const scratch = mkdtempSync(path.join(tmpdir(), 'mlops-labs-smoke-'));
const workspace = path.join(scratch, 'workspace');
execFileSync('mkdir', ['-p', workspace]);
writeFileSync(path.join(workspace, 'notes.md'), '# Practice notes\n');
let server;
let context;
let failed = false;
try {
  const profile = createProfile(path.join(scratch, 'profile'), { 'workbench.colorTheme': 'Default Dark Modern' });
  codeServerCli(['--install-extension', path.join(ROOT, vsix)], profile);
  server = await startCodeServer(profile);
  step(`code-server on ${server.url}`);

  context = await chromium.launchPersistentContext(path.join(scratch, 'browser'), {
    executablePath: '/usr/bin/chromium',
    headless: true,
    viewport: { width: 1400, height: 860 },
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const page = context.pages()[0] ?? (await context.newPage());
  await page.goto(`${server.url}/?folder=${encodeURIComponent(workspace)}`);
  await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
  step('workbench loaded');

  await page.getByRole('tab', { name: /MLOps Interview Labs/ }).click({ timeout: 30_000 });
  const rows = page.locator('.pane-body .monaco-list-row');
  await rows.filter({ hasText: SECTIONS[9] }).waitFor({ timeout: 30_000 });
  const labels = await rows.allInnerTexts();
  const missing = SECTIONS.filter((s) => !labels.some((l) => l.startsWith(s)));
  if (missing.length) throw new Error(`sections missing from the tree: ${missing.join(', ')}\nrows: ${labels.join(' | ')}`);
  step(`tree shows the ten sections: ${labels.map((l) => l.replace(/\s+/g, ' ')).join(' | ')}`);

  await rows.filter({ hasText: 'Distributed training' }).click();
  const question = rows.filter({ hasText: 'DeepSpeed ZeRO' }).first();
  await question.waitFor();
  await question.click();
  const webview = page.frameLocator('iframe.webview.ready').frameLocator('#active-frame');
  const title = await webview.locator('h1').innerText({ timeout: 30_000 });
  if (!(await webview.locator('#answer').isHidden())) throw new Error('the answer is visible before reveal');
  step(`question panel open: "${title}", answer hidden`);

  await webview.locator('#reveal').click();
  const token = webview.locator('#answer pre.shiki span[class^="hl-"]').first();
  await token.waitFor();
  const colour = await token.evaluate((el) => getComputedStyle(el).color);
  const body = await webview.locator('body').evaluate((el) => getComputedStyle(el).color);
  if (!/^rgb/.test(colour) || colour === body) throw new Error(`code token is not highlighted (token ${colour}, body ${body})`);
  step(`revealed; a highlighted token has colour ${colour} (body text ${body})`);

  await webview.locator('[data-rating="good"]').click();
  await rows.filter({ hasText: 'DeepSpeed ZeRO' }).filter({ hasText: 'learning' }).waitFor({ timeout: 15_000 });
  step('rated "Good"; the tree shows the question as learning');

  // Reload through VS Code's own command, as a user would: its shutdown saves editor and webview state first.
  const runCommand = async (name) => {
    await page.keyboard.press('F1');
    await page.locator('.quick-input-widget input').waitFor();
    await page.keyboard.type(name);
    await page.locator('.quick-input-list .monaco-list-row', { hasText: name }).first().waitFor();
    await page.keyboard.press('Enter');
  };
  const reloaded = page.waitForEvent('load', { timeout: 60_000 });
  await runCommand('Developer: Reload Window');
  await reloaded;
  await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
  const restored = await webview.locator('h1').innerText({ timeout: 30_000 });
  if (restored !== title) throw new Error(`after reload the panel shows "${restored}"`);
  await rows.filter({ hasText: 'Distributed training' }).click();
  await rows.filter({ hasText: 'DeepSpeed ZeRO' }).filter({ hasText: 'learning' }).waitFor({ timeout: 30_000 });
  step('reloaded the window: the panel came back and the rating is still there');

  await runCommand('MLOps Labs: Find Question');
  // "PagedAttention" appears only in the answer of the LLM-serving question, never in a title or tag.
  await page.locator('.quick-input-widget input[placeholder^="Search questions"]').waitFor({ timeout: 15_000 });
  await page.keyboard.type('PagedAttention');
  await page.locator('.quick-input-list .monaco-list-row').nth(1).waitFor({ state: 'detached', timeout: 15_000 });
  const label = (await page.locator('.quick-input-list .monaco-list-row').first().getAttribute('aria-label')) ?? '';
  const picked = label.split(', ')[0] ?? '';
  if (!/LLM/.test(picked)) throw new Error(`Find Question offered "${picked}" for "PagedAttention"`);
  await page.keyboard.press('Enter');
  await webview.locator('h1', { hasText: picked.slice(0, 40) }).waitFor({ timeout: 15_000 });
  step(`Find Question found "${picked}" by a word of its answer and opened it in the preview panel`);

  if (screenshots) {
    await webview.locator('#reveal').click();
    await webview.locator('#answer .code-block').first().scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(ROOT, 'media/screenshots/question-dark.png') });
    step('saved media/screenshots/question-dark.png');
  }
  step('smoke check passed');
} catch (error) {
  failed = true;
  console.error(error);
  const page = context?.pages()[0];
  if (page) {
    const shot = path.join(ROOT, 'test-results', 'smoke-failure.png');
    execFileSync('mkdir', ['-p', path.dirname(shot)]);
    await page.screenshot({ path: shot }).catch(() => undefined);
    console.error(`screenshot: ${path.relative(ROOT, shot)}`);
  }
} finally {
  await context?.close();
  server?.stop();
  rmSync(scratch, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
