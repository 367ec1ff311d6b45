// Packages the extension and checks each .vsix against its allowlist: what ships, and nothing else (no sources,
// tests, source maps, or native binaries for other platforms). Prints each size beside the DESIGN.md budget.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { before, describe, it } from 'node:test';
import { cpSync, createWriteStream, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { pipeline } from 'node:stream/promises';
import yauzl from 'yauzl';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const BUDGET_MB = 25;

/** Every file a universal .vsix may hold, as patterns over its paths inside the package. */
const ALLOWED = [
  /^extension\.vsixmanifest$/,
  /^\[Content_Types\]\.xml$/,
  /^extension\/(package\.json|readme\.md|LICENSE(\.txt)?|changelog\.md|pack\.json)$/,
  /^extension\/dist\/(extension|core|pages|markdown|render|grader|grader-harness|grader-reporter|grader-debug|cli)\.js$/,
  // The built-in questions rendered at build time (scripts/prerender.mjs), so the first panel needs no renderer.
  /^extension\/dist\/questions-rendered\.json$/,
  // esbuild bundles submissions at grading time: native with the build's platform binary, or esbuild-wasm in the
  // targetless build. onnxruntime-node ships only in platform builds, with only that platform's binaries.
  /^extension\/node_modules\/esbuild\/(package\.json|LICENSE\.md|lib\/main\.js)$/,
  /^extension\/node_modules\/@esbuild\/[a-z0-9]+-[a-z0-9]+\/(package\.json|bin\/esbuild|esbuild\.exe)$/,
  /^extension\/node_modules\/esbuild-wasm\/(package\.json|LICENSE\.md|lib\/main\.js|bin\/esbuild|esbuild\.wasm|wasm_exec(_node)?\.js)$/,
  /^extension\/node_modules\/onnxruntime-node\/(package\.json|dist\/[a-z]+\.js|bin\/napi-v6\/[a-z0-9]+\/[a-z0-9]+\/[^/]+)$/,
  /^extension\/node_modules\/onnxruntime-common\/(package\.json|dist\/cjs\/package\.json|dist\/cjs\/[a-z0-9/-]+\.js)$/,
  /^extension\/dist\/webview\/(question|report|dashboard|interview)\.js$/,
  // uPlot's stylesheet, emitted by esbuild beside the dashboard's script.
  /^extension\/dist\/webview\/dashboard\.css$/,
  /^extension\/dist\/types\/node_modules\/(@types\/node|undici-types|onnxruntime-node|onnxruntime-common)\/([A-Za-z0-9_./-]+\.d\.ts|([a-z]+\/)*package\.json|LICENSE)$/,
  /^extension\/media\/(question|report|dashboard)\.css$/,
  /^extension\/media\/icons\/[a-z-]+\.(svg|png)$/,
  /^extension\/media\/walkthrough\/[a-z-]+\.md$/,
  /^extension\/schemas\/[a-z-]+\.(schema|editor)\.json$/,
  /^extension\/questions\/(README\.md|\d{2}-[a-z-]+\/\d{2}-[a-z0-9-]+\.md)$/,
  /^extension\/labs\/README\.md$/,
  /^extension\/labs\/[a-z0-9-]+\/(lab\.json|README\.md|(starter|solution|tests\/public|tests\/hidden)\/[a-z0-9.-]+\.ts|assets\/[a-z0-9._-]+)$/,
  // The pack `mlops-labs pack init` copies: a pack folder like the built-in one.
  /^extension\/templates\/pack\/(pack\.json|README\.md|questions\/\d{2}-[a-z-]+\/\d{2}-[a-z0-9-]+\.md|labs\/[a-z0-9-]+\/(lab\.json|README\.md|(starter|solution|tests\/public|tests\/hidden)\/[a-z0-9.-]+\.ts|mutants\/[a-z0-9-]+\.patch))$/,
];
const REQUIRED = [
  'extension/package.json',
  'extension/dist/extension.js',
  'extension/dist/grader.js',
  'extension/dist/grader-harness.js',
  'extension/dist/grader-debug.js',
  'extension/dist/grader-reporter.js',
  'extension/dist/webview/interview.js',
  'extension/media/walkthrough/browse.md',
  'extension/schemas/pack.editor.json',
  'extension/labs/zero-memory/lab.json',
  'extension/templates/pack/pack.json',
  'extension/templates/pack/labs/latency-slo/lab.json',
  'extension/dist/core.js',
  'extension/dist/render.js',
  'extension/dist/pages.js',
  'extension/dist/markdown.js',
  'extension/dist/questions-rendered.json',
  'extension/dist/webview/question.js',
  'extension/media/question.css',
  'extension/dist/webview/dashboard.js',
  'extension/dist/webview/dashboard.css',
  'extension/media/dashboard.css',
  'extension/pack.json',
  'extension/LICENSE.txt',
];

function entries(file) {
  return new Promise((resolve, reject) => {
    yauzl.open(file, { lazyEntries: true }, (error, zip) => {
      if (error) return reject(error);
      const names = [];
      zip.on('entry', (entry) => {
        names.push(entry.fileName);
        zip.readEntry();
      });
      zip.on('end', () => resolve(names));
      zip.on('error', reject);
      zip.readEntry();
    });
  });
}

/** Unpacks a .vsix (a zip) into `dir`. */
function extract(file, dir) {
  return new Promise((resolve, reject) => {
    yauzl.open(file, { lazyEntries: true }, (error, zip) => {
      if (error) return reject(error);
      zip.on('entry', (entry) => {
        const target = path.join(dir, entry.fileName);
        if (!target.startsWith(dir + path.sep)) return reject(new Error(`unsafe path ${entry.fileName}`));
        if (entry.fileName.endsWith('/')) return zip.readEntry();
        mkdirSync(path.dirname(target), { recursive: true });
        zip.openReadStream(entry, (err, stream) => {
          if (err) return reject(err);
          pipeline(stream, createWriteStream(target, { mode: entry.externalFileAttributes >>> 16 || 0o644 })).then(() => zip.readEntry(), reject);
        });
      });
      zip.on('end', resolve);
      zip.on('error', reject);
      zip.readEntry();
    });
  });
}

describe('the packaged .vsix', () => {
  let vsixFiles;
  before(() => {
    execFileSync(process.execPath, [path.join(ROOT, 'scripts/package.mjs')], { cwd: ROOT, stdio: 'ignore' });
    vsixFiles = readdirSync(ROOT)
      .filter((f) => f.endsWith('.vsix'))
      .map((f) => path.join(ROOT, f));
    assert.ok(
      vsixFiles.some((f) => f.includes(`-${process.platform}-${process.arch}-`)),
      'the build for this platform was made',
    );
    assert.ok(
      vsixFiles.some((f) => f.includes('-universal-')),
      'the targetless build was made',
    );
  });

  it('holds only allowlisted files, and everything the extension needs', async () => {
    assert.ok(vsixFiles.length >= 1);
    for (const file of vsixFiles) {
      const names = await entries(file);
      const unexpected = names.filter((n) => !ALLOWED.some((pattern) => pattern.test(n)));
      assert.deepEqual(unexpected, [], `${path.basename(file)} holds files outside its allowlist`);
      for (const required of REQUIRED) assert.ok(names.includes(required), `${path.basename(file)} lacks ${required}`);
      const ours = names.filter(
        (n) =>
          !n.startsWith('extension/labs/') &&
          !n.startsWith('extension/templates/') &&
          !n.startsWith('extension/dist/types/') &&
          !n.startsWith('extension/node_modules/'),
      );
      assert.deepEqual(
        ours.filter((n) => /\.(ts|map|node)$|\/tests?\//.test(n)),
        [],
        'no sources, maps, tests or addons of our own',
      );
      const target = /-(linux|win32|darwin)-(x64|arm64)-\d/.exec(path.basename(file));
      const natives = names.filter(
        (n) => /node_modules\/(@esbuild\/|onnxruntime-node\/bin\/)/.test(n) && /bin\/esbuild|esbuild\.exe|\.node$|\.so|\.dll|\.dylib/.test(n),
      );
      if (target) {
        const [, os, arch] = target;
        const foreign = natives.filter((n) => !n.includes(`@esbuild/${os}-${arch}/`) && !n.includes(`/napi-v6/${os}/${arch}/`));
        assert.deepEqual(foreign, [], `${path.basename(file)} carries another platform's binaries`);
        assert.ok(
          names.some((n) => n.includes(`/napi-v6/${os}/${arch}/`)),
          `${path.basename(file)} carries onnxruntime for ${os}-${arch}`,
        );
        assert.ok(names.includes('extension/node_modules/esbuild/lib/main.js'));
      } else {
        assert.deepEqual(natives, [], 'the targetless build carries no native binaries');
        assert.ok(names.includes('extension/node_modules/esbuild-wasm/esbuild.wasm'), 'the targetless build bundles with esbuild-wasm');
        assert.ok(!names.some((n) => n.startsWith('extension/node_modules/onnxruntime')), 'the targetless build has no onnxruntime');
      }
      const questions = names.filter((n) => /^extension\/questions\/\d{2}-/.test(n));
      assert.ok(questions.length >= 52, `ships the question bank (${questions.length} files)`);
    }
  });

  it('grades an ONNX lab and a plain lab with only what it carries, and scaffolds a pack that validates', async () => {
    // Only builds this machine can run: its own platform's and the targetless one.
    const runnable = vsixFiles.filter((f) => f.includes('-universal-') || f.includes(`-${process.platform}-${process.arch}-`));
    for (const file of runnable) {
      const dir = mkdtempSync(path.join(tmpdir(), 'mlops-vsix-'));
      try {
        await extract(file, dir);
        const cli = path.join(dir, 'extension/dist/cli.js');
        const grade = (lab) => {
          const submission = path.join(dir, `attempt-${lab}`);
          cpSync(path.join(ROOT, 'labs', lab, 'solution'), path.join(submission, 'src'), { recursive: true });
          return execFileSync(process.execPath, [cli, 'grade', lab, submission, '--format', 'json'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
        };
        assert.equal(JSON.parse(grade('zero-memory')).status, 'pass', `${path.basename(file)} grades zero-memory`);
        if (/-(linux|win32|darwin)-(x64|arm64)-\d/.test(path.basename(file))) {
          const report = JSON.parse(grade('dynamic-batching'));
          assert.equal(report.status, 'pass', `${path.basename(file)} grades dynamic-batching: ${report.message}`);
        } else {
          let report;
          try {
            grade('dynamic-batching');
          } catch (error) {
            report = JSON.parse(error.stdout);
          }
          assert.match(report?.message ?? '', /needs a platform build|does not include/);
        }
        // pack init finds its template (templates/pack) beside dist/, and what it writes validates.
        const scaffold = path.join(dir, 'new-pack');
        const init = execFileSync(process.execPath, [cli, 'pack', 'init', scaffold, '--id', 'from-vsix'], {
          encoding: 'utf8',
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        assert.match(init, /Created pack "from-vsix" in .* \(12 files\)/, `${path.basename(file)} scaffolds a pack`);
        const valid = execFileSync(process.execPath, [cli, 'validate', scaffold], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
        assert.match(valid, /✓ from-vsix\/latency-slo: solution passes/, `${path.basename(file)} validates the scaffold`);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }
  });

  it(`stays under ${BUDGET_MB} MB`, () => {
    for (const file of vsixFiles) {
      const mb = statSync(file).size / 1024 / 1024;
      console.log(`${path.basename(file)}: ${mb.toFixed(2)} MB (budget ${BUDGET_MB} MB for the linux-x64 build)`);
      assert.ok(mb < BUDGET_MB);
    }
  });
});
