// Shared set-up for the end-to-end suites: the packaged .vsix installed into the embedded VS Code (code-server)
// with a fresh profile and workspace, driven by playwright-core in Debian's chromium. Each suite gets its own
// server, browser and temp folders, removed afterwards; a failing test leaves a screenshot in test-results/e2e/.
import { execFileSync } from 'node:child_process';
import { appendFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { it } from 'node:test';
import { chromium } from 'playwright-core';
import { codeServerCli, createProfile, ensureEmbeddedVSCode, ROOT, startCodeServer } from '../../scripts/embedded-vscode.mjs';

export { ROOT };
export const SHOTS = path.join(ROOT, 'test-results', 'e2e');
export const SECTION_TITLES = [
  'Training frameworks',
  'Distributed training',
  'Experiment tracking',
  'Versioning and model registry',
  'Model serving',
  'Optimisation and compression',
  'Pipelines and orchestration',
  'Feature stores',
  'Monitoring and observability',
  'ML testing and validation',
];

let packaged;

/** Packages the extension once per process (the .vsix under test is the one users install). */
export function packagedVsix() {
  if (!packaged) {
    execFileSync(process.execPath, [path.join(ROOT, 'scripts/package.mjs')], { cwd: ROOT, stdio: 'ignore' });
    // The build for this platform: it carries onnxruntime for the ONNX labs.
    packaged = path.join(
      ROOT,
      readdirSync(ROOT).find((f) => f.endsWith('.vsix') && f.includes(`-${process.platform}-${process.arch}-`)),
    );
  }
  return packaged;
}

export async function openEditor({ theme = 'Default Dark Modern', files = { 'notes.md': '# Practice notes\n' }, settings = {}, extensions } = {}) {
  // The extension under test unless a suite installs others instead (the VS Code floor's do-nothing extension).
  const vsixes = extensions ?? [packagedVsix()];
  ensureEmbeddedVSCode({ needBrowser: true });
  const scratch = mkdtempSync(path.join(tmpdir(), 'mlops-labs-e2e-'));
  const workspace = path.join(scratch, 'workspace');
  mkdirSync(workspace);
  for (const [name, content] of Object.entries(files)) writeFileSync(path.join(workspace, name), content);
  const profile = createProfile(path.join(scratch, 'profile'), {
    'workbench.colorTheme': theme,
    ...(typeof settings === 'function' ? settings(scratch) : settings),
  });
  for (const vsix of vsixes) codeServerCli(['--install-extension', vsix], profile);
  const server = await startCodeServer(profile);
  const context = await chromium.launchPersistentContext(path.join(scratch, 'browser'), {
    executablePath: '/usr/bin/chromium',
    headless: true,
    viewport: { width: 1400, height: 860 },
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  const page = context.pages()[0] ?? (await context.newPage());
  await page.goto(`${server.url}/?folder=${encodeURIComponent(workspace)}`);
  await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
  const editor = new Editor({ page, context, server, scratch, profile });
  editor.workbenchReadyAt = Date.now();
  return editor;
}

/** Where the suites note their in-editor figures, one JSON line each; bench/run.mjs prints the latest of each. */
export const TIMINGS_FILE = path.join(ROOT, 'test-results', 'e2e-timings.jsonl');

/** Browser figures with a goal that the VS Code floor suite (vscode-floor.test.mjs) measures with a do-nothing extension too. */
export const FLOORED = {
  questionsView: 'questions view filled after the workbench is ready (includes opening the view)',
  questionPanel: 'first question panel, click to its title on screen',
  labFolder: 'lab folder open to README and starter visible (from the reloaded page)',
};

/**
 * Prints a figure measured in the real editor beside its goal and notes it for `npm run bench`. Never asserted:
 * machines are noisy (DESIGN.md, performance budgets). `floorFor` marks VS Code's own figure under one of FLOORED,
 * which the bench prints beside it.
 */
export function noteTiming(name, ms, goalMs, { floorFor } = {}) {
  console.log(`[timing] ${name}: ${Math.round(ms)} ms${goalMs ? ` (goal ${goalMs} ms)` : ''}`);
  mkdirSync(path.dirname(TIMINGS_FILE), { recursive: true });
  const figure = { name, ms: Math.round(ms), ...(goalMs ? { goalMs } : {}), ...(floorFor ? { floorFor } : {}), at: new Date().toISOString() };
  appendFileSync(TIMINGS_FILE, `${JSON.stringify(figure)}\n`);
}

export class Editor {
  constructor({ page, context, server, scratch, profile }) {
    Object.assign(this, { page, context, server, scratch, profile });
    /** Rows of the Questions view (the Labs view shares the container). */
    this.rows = page.locator('.pane', { has: page.locator('.pane-header', { hasText: 'Questions' }) }).locator('.pane-body .monaco-list-row');
    /** The active webview's document: two iframes deep. */
    this.webview = page.frameLocator('iframe.webview.ready').frameLocator('#active-frame');
  }

  async runCommand(title) {
    const { page } = this;
    const input = page.locator('.quick-input-widget input');
    const first = page.locator('.quick-input-list .monaco-list-row').first();
    let seen = '';
    // A window that has just loaded may still move focus (a preview opening beside the code), which closes the
    // palette under the typing: open it again, up to three times, before calling the command missing.
    for (let attempt = 1; attempt <= 3; attempt++) {
      // Move focus out of any webview (it would keep F1 to itself): the status bar's empty middle takes a click
      // without doing anything.
      const bar = await page.locator('.part.statusbar').boundingBox();
      if (bar) await page.mouse.click(bar.x + bar.width / 2, bar.y + bar.height / 2);
      await page.keyboard.press('F1');
      await input.waitFor({ timeout: 10_000 });
      // Set the whole query at once, into the palette only: no keystroke can land in an editor. The palette can be
      // inert for a moment (the workbench under a passing modal, as when a debug session ends) or close under the
      // typing: then say what was on screen, and open it again.
      const filled = await input.fill(`>${title}`, { timeout: 10_000 }).then(
        () => true,
        () => false,
      );
      if (!filled) {
        const dialog = await page
          .locator('.monaco-dialog-box')
          .innerText({ timeout: 1_000 })
          .catch(() => '(no dialog)');
        console.log(`[runCommand] the palette could not take "${title}" (attempt ${attempt}); on screen: ${dialog.replace(/\s+/g, ' ').slice(0, 200)}`);
        seen = '(the palette was inert or closed)';
        await page.keyboard.press('Escape');
        continue;
      }
      // The first row must be the command asked for (the palette keeps recently used commands on top).
      const found = await first
        .filter({ hasText: title })
        .waitFor({ timeout: 10_000 })
        .then(
          () => true,
          () => false,
        );
      if (found) {
        await page.keyboard.press('Enter');
        return;
      }
      seen = await page
        .locator('.quick-input-widget')
        .innerText({ timeout: 1_000 })
        .catch(() => '(the palette is closed)');
      await page.keyboard.press('Escape');
    }
    throw new Error(`The command palette never offered "${title}" first; it showed: ${seen.replace(/\s+/g, ' ').slice(0, 300)}`);
  }

  /**
   * Find Question: types `text`, waits until the list stops changing (each keystroke replaces it) and its first
   * row matches `first`, then opens that row.
   */
  async findAndOpen(text, first) {
    const { page } = this;
    await this.runCommand('MLOps Labs: Find Question');
    await page.locator('.quick-input-widget input[placeholder^="Search questions"]').waitFor({ timeout: 15_000 });
    await page.keyboard.type(text);
    await page.locator('.quick-input-list .monaco-list-row').first().filter({ hasText: first }).waitFor({ timeout: 15_000 });
    let before = '';
    await poll(
      async () => {
        const now = (await page.locator('.quick-input-list').innerText()) + (await page.locator('.quick-input-title').innerText());
        const same = now === before;
        before = now;
        return same;
      },
      Boolean,
      { interval: 300 },
    );
    await page.keyboard.press('Enter');
    await page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: 15_000 });
  }

  async openView() {
    await this.page.getByRole('tab', { name: /MLOps Interview Labs/ }).click({ timeout: 30_000 });
    await this.rows.filter({ hasText: SECTION_TITLES[9] }).waitFor({ timeout: 30_000 });
  }

  /**
   * Waits, in a page that has just loaded on a folder, for the workbench, two editor tabs and the code on screen (a
   * lab's starter and README preview); returns the tabs' titles. Polled every 25 ms: its callers time it.
   */
  async twoTabsShown() {
    await this.page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    const tabs = await poll(
      () => this.page.locator('.tabs-container .tab').allInnerTexts(),
      (t) => t.length >= 2,
      { timeout: 30_000, interval: 25 },
    );
    await this.page.locator('.editor-instance .view-lines').first().waitFor({ timeout: 10_000 });
    return tabs;
  }

  row(text) {
    return this.rows.filter({ hasText: text }).first();
  }

  /** Each visible tree row as "label | description". */
  async rowTexts() {
    return this.rows.evaluateAll((rows) =>
      rows.map((r) => `${r.querySelector('.label-name')?.textContent ?? ''} | ${r.querySelector('.label-description')?.textContent ?? ''}`),
    );
  }

  /** The file-decoration badge VS Code draws after a row's label (CSS generated content). */
  async rowBadge(text) {
    return this.row(text)
      .locator('.monaco-icon-label')
      .evaluate((el) => getComputedStyle(el, '::after').content.replace(/^"|"$/g, ''));
  }

  /** Reloads through VS Code's own command: its shutdown saves editor and webview state, as a user's reload does. */
  async reloadWindow() {
    const loaded = this.page.waitForEvent('load', { timeout: 60_000 });
    await this.runCommand('Developer: Reload Window');
    await loaded;
    await this.page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
  }

  async screenshot(name) {
    mkdirSync(SHOTS, { recursive: true });
    const file = path.join(SHOTS, `${name.replace(/[^a-z0-9]+/gi, '-').toLowerCase()}.png`);
    await this.page.screenshot({ path: file }).catch(() => undefined);
    return file;
  }

  async close() {
    await this.context.close().catch(() => undefined);
    this.server.stop();
    rmSync(this.scratch, { recursive: true, force: true });
  }
}

/** Every file called `name` under `dir` (the browser's own profile left out), or only the first with `first`. */
function findFiles(dir, name, first = false, found = []) {
  let entries = [];
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return found;
  }
  for (const entry of entries) {
    const full = path.join(dir, entry.name);
    if (entry.isFile() && entry.name === name) found.push(full);
    else if (entry.isDirectory() && entry.name !== 'browser') findFiles(full, name, first, found);
    if (first && found.length) return found;
  }
  return found;
}

/**
 * When VS Code last began activating an extension (epoch ms; ours unless `extensionId` names another), from the extension
 * host's own log line ("ExtensionService#_doActivateExtension mlops-interview-labs…"): what splits an in-editor figure into VS Code's
 * start-up (page load, workbench, extension host) and the extension's own part. Undefined when no line is found.
 */
export function lastActivationAt(editor, extensionId = 'mlops-interview-labs.') {
  const times = findFiles(editor.profile.userData, 'remoteexthost.log').flatMap((file) => {
    let text = '';
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      return [];
    }
    const line = new RegExp(`^(\\d{4}-\\d\\d-\\d\\d) (\\d\\d:\\d\\d:\\d\\d\\.\\d{3}) .*_doActivateExtension ${extensionId.replace(/\./g, '\\.')}`, 'gm');
    return [...text.matchAll(line)].map((m) =>
      // The log's local time, read as local time: comparable with Date.now() on this machine.
      new Date(`${m[1]}T${m[2]}`).getTime(),
    );
  });
  return times.length ? Math.max(...times) : undefined;
}

/** The first file called `name` under `dir` (the extension's global storage sits deep in the profile). */
export function findFile(dir, name) {
  return findFiles(dir, name, true)[0];
}

/** Polls `read` until `accept(value)` holds (a state, never a fixed time), returning the last value read. */
export async function poll(read, accept, { timeout = 15_000, interval = 100 } = {}) {
  const deadline = Date.now() + timeout;
  let value = await read();
  while (!accept(value) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, interval));
    value = await read();
  }
  return value;
}

/** Wraps a test body so a failure leaves a screenshot of the editor as it was. */
/** A suite's `step(name, body)`: a test that leaves a screenshot of `getEditor()`'s window when it fails. */
export function stepper(getEditor) {
  return (name, body) => it(name, withScreenshot(getEditor, name, body));
}

export function withScreenshot(getEditor, name, body) {
  return async (t) => {
    try {
      await body(t);
    } catch (error) {
      const shot = await getEditor()?.screenshot(`failed-${name}`);
      if (shot) error.message += `\nscreenshot: ${path.relative(ROOT, shot)}`;
      throw error;
    }
  };
}

/** WCAG contrast ratio of two CSS rgb() colours. */
export function contrastRatio(a, b) {
  const luminance = (css) => {
    const [r, g, bl] = css
      .match(/\d+(\.\d+)?/g)
      .slice(0, 3)
      .map(Number)
      .map((v) => {
        const c = v / 255;
        return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
      });
    return 0.2126 * r + 0.7152 * g + 0.0722 * bl;
  };
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}

/** The frame of the webview whose document has `selector` (there may be several webviews open). */
export async function webviewFrame(page, selector, timeout = 30_000) {
  return poll(
    async () => {
      for (const frame of page.frames()) {
        if (
          await frame
            .locator(selector)
            .count()
            .catch(() => 0)
        )
          return frame;
      }
      return undefined;
    },
    (frame) => frame !== undefined,
    { timeout },
  );
}
