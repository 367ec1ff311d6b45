#!/usr/bin/env node
// A stand-in "VS Code executable" for @vscode/test-electron's runTests({ vscodeExecutablePath }): it turns the
// arguments runTests passes (--extensionDevelopmentPath=, --extensionTestsPath=, --user-data-dir=,
// --extensions-dir=, a folder) into a code-server run driven by chromium, and exits with the tests' exit code,
// which the workbench reports through codeAutomationExit. See ../shared/E2E_NOTES.md.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { format } from 'node:util';
import { chromium } from 'playwright-core';
import { createProfile, ensureEmbeddedVSCode, startCodeServer } from './embedded-vscode.mjs';

const args = process.argv.slice(2);
const option = (name) => args.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const developmentPath = option('extensionDevelopmentPath');
const testsPath = option('extensionTestsPath');
const folder = args.filter((a) => !a.startsWith('-')).at(-1);
if (!developmentPath || !testsPath) {
  console.error('usage: code-server-launcher --extensionDevelopmentPath=DIR --extensionTestsPath=FILE [--user-data-dir=DIR] [folder]');
  process.exit(2);
}

ensureEmbeddedVSCode({ needBrowser: true });
const scratch = mkdtempSync(path.join(tmpdir(), 'mlops-labs-host-'));
const profile = createProfile(option('user-data-dir') ? path.resolve(option('user-data-dir'), '..', 'profile') : path.join(scratch, 'profile'));
const workspace = folder ?? path.join(scratch, 'workspace');
mkdirSync(workspace, { recursive: true });

const server = await startCodeServer(profile, { extraArgs: ['--vscode-option', 'enable-smoke-test-driver'] });
let browser;
let code = 1;
try {
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
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
  const page = await browser.newPage();
  const authority = `127.0.0.1:${server.port}`;
  const remote = (p) => `vscode-remote://${authority}${path.resolve(p)}`;
  const exited = new Promise((resolve) => {
    page.exposeFunction('codeAutomationExit', (exitCode) => resolve(Number(exitCode)));
  });
  // The extension host forwards console output as (type, [format, ...args]).
  await page.exposeFunction('codeAutomationLog', (type, messages) => {
    const line = format(...[].concat(messages));
    // The workbench's own complaints (an offline extension gallery) are noise here; the tests' output is not.
    if (line.includes('/static/out/vs/')) return;
    if (type === 'error') console.error(line);
    else console.log(line);
  });
  const payload = JSON.stringify([
    ['extensionDevelopmentPath', remote(developmentPath)],
    ['extensionTestsPath', remote(testsPath)],
  ]);
  await page.goto(`${server.url}/?folder=${encodeURIComponent(workspace)}&payload=${encodeURIComponent(payload)}`);
  const timeout = new Promise((resolve) => setTimeout(() => resolve('timeout'), 240_000));
  const result = await Promise.race([exited, timeout]);
  if (result === 'timeout') console.error('the extension tests did not finish within 240 s');
  else code = result;
} catch (error) {
  console.error(error);
} finally {
  await browser?.close().catch(() => undefined);
  server.stop();
  rmSync(scratch, { recursive: true, force: true });
}
process.exit(code);
