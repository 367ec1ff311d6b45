// Runs the integration suite in a real extension host through @vscode/test-electron's runTests. Where the
// environment names a VS Code (VSCODE_EXECUTABLE), that one is used; otherwise the embedded VS Code launcher.
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runTests } from '@vscode/test-electron';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const started = Date.now();
execFileSync(process.execPath, [path.join(ROOT, 'esbuild.config.mjs'), '--tests'], { cwd: ROOT, stdio: 'inherit' });

try {
  await runTests({
    vscodeExecutablePath: process.env.VSCODE_EXECUTABLE ?? path.join(ROOT, 'scripts/code-server-launcher.mjs'),
    extensionDevelopmentPath: ROOT,
    extensionTestsPath: path.join(ROOT, 'out/integration/index.js'),
    launchArgs: ['--disable-extensions'],
  });
  console.log(`integration suite passed in ${((Date.now() - started) / 1000).toFixed(1)} s`);
} catch (error) {
  console.error(`integration suite failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
