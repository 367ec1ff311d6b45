// `npm start`: builds the extension and opens it in a real VS Code.
// - With a desktop `code` on PATH: an Extension Development Host on a sample folder.
// - Otherwise: the embedded VS Code (code-server) with the freshly packaged .vsix in an isolated profile, served on
//   127.0.0.1 at a free port until Ctrl+C, which stops the whole process group.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { codeServerCli, createProfile, ensureEmbeddedVSCode, ROOT, startCodeServer } from './embedded-vscode.mjs';

const sample = path.join(ROOT, '.cache', 'sample-workspace');
mkdirSync(sample, { recursive: true });
if (!existsSync(path.join(sample, 'README.md'))) {
  writeFileSync(path.join(sample, 'README.md'), '# Practice folder\n\nOpen the MLOps Interview Labs view in the activity bar to browse questions.\n');
}

const hasDesktopCode = spawnSync('code', ['--version'], { stdio: 'ignore' }).status === 0;

if (hasDesktopCode) {
  execFileSync(process.execPath, [path.join(ROOT, 'esbuild.config.mjs')], { cwd: ROOT, stdio: 'inherit' });
  console.log('Opening VS Code with the extension under development…');
  execFileSync('code', ['--new-window', `--extensionDevelopmentPath=${ROOT}`, sample], { stdio: 'inherit' });
} else {
  console.log('No desktop `code` on PATH: using the embedded VS Code (code-server) in your browser.');
  ensureEmbeddedVSCode();
  execFileSync(process.execPath, [path.join(ROOT, 'scripts/package.mjs')], { cwd: ROOT, stdio: 'inherit' });
  const vsix =
    readdirSync(ROOT).find((f) => f.endsWith('.vsix') && f.includes(`-${process.platform}-${process.arch}-`)) ??
    readdirSync(ROOT).find((f) => f.endsWith('-universal-0.1.0.vsix') || f.endsWith('.vsix'));
  const profileDir = path.join(ROOT, '.cache', 'start-profile');
  // A fresh extensions folder each start, so the newest build is what runs; settings and progress are kept.
  rmSync(path.join(profileDir, 'extensions'), { recursive: true, force: true });
  const profile = createProfile(profileDir);
  codeServerCli(['--install-extension', path.join(ROOT, vsix)], profile);
  const server = await startCodeServer(profile, { port: process.env.PORT ? Number(process.env.PORT) : undefined });
  const url = `${server.url}/?folder=${encodeURIComponent(sample)}`;
  console.log(`\nMLOps Interview Labs is running in VS Code at:\n\n  ${url}\n\nOpen it in a browser on this machine. Press Ctrl+C to stop.`);
  const shutdown = () => {
    server.stop();
    process.exit(0);
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
  server.child.on('exit', (code) => {
    console.error(`code-server stopped (exit ${code}).\n${server.output().slice(-2000)}`);
    process.exit(code ?? 1);
  });
}
