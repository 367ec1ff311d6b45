// Builds the release bundle and packages the .vsix with @vscode/vsce. Everything is bundled into dist/ except the
// runtime packages with native binaries (esbuild, which grading needs), which travel in node_modules as production
// dependencies; .vscodeignore is an allowlist.
import { execFileSync } from 'node:child_process';
import { statSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const pkg = require('../package.json');
const out = `${pkg.name}-${pkg.version}.vsix`;
const run = (cmd, args) => execFileSync(cmd, args, { stdio: 'inherit' });

run(process.execPath, ['esbuild.config.mjs', '--release']);
run(process.execPath, [require.resolve('@vscode/vsce/vsce'), 'package', '--out', out]);
console.log(`${out}: ${(statSync(out).size / 1024 / 1024).toFixed(2)} MB`);
