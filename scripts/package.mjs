// Builds the release bundle and packages the .vsix files with @vscode/vsce (docs: DESIGN.md "Packaging").
//   node scripts/package.mjs            the build for this machine's platform, and the targetless build
//   node scripts/package.mjs --all      every platform build (linux-x64/arm64, win32-x64/arm64, darwin-arm64) too
// Each build is staged in .cache/package/<target>/ with only what its platform needs in node_modules:
// esbuild's JS with that platform's binary, and onnxruntime-node with that platform's binaries. The targetless
// build carries esbuild-wasm instead of a native esbuild and no onnxruntime: its Labs view says which labs need
// a platform build. .vscodeignore is an allowlist.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
export const TARGETS = ['linux-x64', 'linux-arm64', 'win32-x64', 'win32-arm64', 'darwin-arm64'];
const HOST = `${process.platform}-${process.arch}`;
const CACHE = path.join(ROOT, '.cache', 'package');
const run = (cmd, args, options = {}) => execFileSync(cmd, args, { stdio: 'inherit', ...options });

/** The files every build shares (what .vscodeignore lets through from the project). */
const SHARED = [
  'package.json',
  'README.md',
  'LICENSE',
  'CHANGELOG.md',
  'pack.json',
  '.vscodeignore',
  'dist',
  'media',
  'schemas',
  'questions',
  'labs',
  'templates',
];

/** A dependency's folder in the project's node_modules (not every package exports its package.json). */
function packageRoot(name) {
  const dir = path.join(ROOT, 'node_modules', name);
  if (!existsSync(path.join(dir, 'package.json'))) throw new Error(`${name} is not installed: run npm install`);
  return dir;
}

function copyPackage(name, into, filter = () => true) {
  const from = packageRoot(name);
  cpSync(from, path.join(into, 'node_modules', name), {
    recursive: true,
    filter: (src) => !src.slice(from.length).includes(`${path.sep}node_modules`) && filter(src.slice(from.length)),
  });
}

/** An @esbuild/<target> package: this machine's copy, or the registry's tarball (fetched once, cached). */
function esbuildBinary(target, into) {
  const name = `@esbuild/${target}`;
  if (target === HOST) return copyPackage(name, into);
  const version = JSON.parse(readFileSync(path.join(packageRoot('esbuild'), 'package.json'), 'utf8')).version;
  const cache = path.join(CACHE, 'registry', `${target}-${version}`);
  if (!existsSync(path.join(cache, 'package'))) {
    mkdirSync(cache, { recursive: true });
    const tarball = execFileSync('npm', ['pack', `${name}@${version}`, '--silent'], { cwd: cache, encoding: 'utf8' })
      .trim()
      .split('\n')
      .at(-1);
    run('tar', ['-xzf', path.join(cache, tarball), '-C', cache]);
  }
  cpSync(path.join(cache, 'package'), path.join(into, 'node_modules', name), { recursive: true });
}

function stage(target) {
  const dir = path.join(CACHE, target ?? 'universal');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  for (const entry of SHARED) cpSync(path.join(ROOT, entry), path.join(dir, entry), { recursive: true });
  const manifest = { ...pkg, devDependencies: {}, scripts: {} };
  if (target) {
    copyPackage('esbuild', dir, (rel) => !rel.startsWith(`${path.sep}bin`));
    esbuildBinary(target, dir);
    const [os, arch] = target.split('-');
    // Only this platform's binaries: bin/napi-v6/<os>/<arch>/ and the folders leading to it.
    const keep = ['bin', 'napi-v6', os, arch].map((_, i, parts) => path.join(path.sep, ...parts.slice(0, i + 1)));
    copyPackage('onnxruntime-node', dir, (rel) => !rel.startsWith(`${path.sep}bin`) || keep.includes(rel) || rel.startsWith(`${keep[3]}${path.sep}`));
    copyPackage('onnxruntime-common', dir);
    // adm-zip and global-agent serve only onnxruntime-node's install script (a GPU download), never run here.
    const ortManifest = path.join(dir, 'node_modules', 'onnxruntime-node', 'package.json');
    const ort = JSON.parse(readFileSync(ortManifest, 'utf8'));
    ort.dependencies = { 'onnxruntime-common': ort.dependencies['onnxruntime-common'] };
    delete ort.scripts;
    writeFileSync(ortManifest, `${JSON.stringify(ort, null, 2)}\n`);
    manifest.dependencies = { esbuild: pkg.dependencies.esbuild, 'onnxruntime-node': pkg.dependencies['onnxruntime-node'] };
  } else {
    copyPackage('esbuild-wasm', dir, (rel) => !rel.startsWith(`${path.sep}esm`));
    manifest.dependencies = { 'esbuild-wasm': pkg.dependencies['esbuild-wasm'] };
  }
  writeFileSync(path.join(dir, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  return dir;
}

function packageTarget(target) {
  const dir = stage(target);
  const out = path.join(ROOT, `${pkg.name}-${target ?? 'universal'}-${pkg.version}.vsix`);
  const args = [require.resolve('@vscode/vsce/vsce', { paths: [ROOT] }), 'package', '--out', out, ...(target ? ['--target', target] : [])];
  // The staged node_modules is complete for what it ships but not for npm's full tree; vsce lists files only.
  execFileSync(process.execPath, args, { cwd: dir, stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, npm_config_loglevel: 'silent' } });
  console.log(`${path.basename(out)}: ${(statSync(out).size / 1024 / 1024).toFixed(2)} MB`);
  return out;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const old of readdirSync(ROOT).filter((f) => f.endsWith('.vsix'))) rmSync(path.join(ROOT, old));
  run(process.execPath, [path.join(ROOT, 'esbuild.config.mjs'), '--release'], { cwd: ROOT });
  const targets = process.argv.includes('--all') ? TARGETS : TARGETS.filter((t) => t === HOST);
  for (const target of [...targets, undefined]) packageTarget(target);
}
