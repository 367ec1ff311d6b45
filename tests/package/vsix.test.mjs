// Packages the extension and checks each .vsix against its allowlist: what ships, and nothing else (no sources,
// tests, source maps, or native binaries for other platforms). Prints each size beside the DESIGN.md budget.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { before, describe, it } from 'node:test';
import yauzl from 'yauzl';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const BUDGET_MB = 30;

/** Every file a universal .vsix may hold, as patterns over its paths inside the package. */
const ALLOWED = [
  /^extension\.vsixmanifest$/,
  /^\[Content_Types\]\.xml$/,
  /^extension\/(package\.json|readme\.md|LICENSE(\.txt)?|changelog\.md|pack\.json)$/,
  /^extension\/dist\/(extension|core|render|grader|grader-harness|cli)\.js$/,
  // esbuild bundles submissions at grading time; its binary is the build platform's.
  /^extension\/node_modules\/esbuild\/(package\.json|LICENSE\.md|lib\/main\.js)$/,
  new RegExp(`^extension/node_modules/@esbuild/${process.platform}-${process.arch}/(package\\.json|bin/esbuild)$`),
  /^extension\/dist\/webview\/(question|report)\.js$/,
  /^extension\/dist\/types\/node_modules\/(@types\/node|undici-types)\/([a-z0-9_./-]+\.d\.ts|package\.json|LICENSE)$/,
  /^extension\/media\/(question|report)\.css$/,
  /^extension\/media\/icons\/[a-z-]+\.(svg|png)$/,
  /^extension\/schemas\/[a-z-]+\.schema\.json$/,
  /^extension\/questions\/(README\.md|\d{2}-[a-z-]+\/\d{2}-[a-z0-9-]+\.md)$/,
  /^extension\/labs\/README\.md$/,
  /^extension\/labs\/[a-z0-9-]+\/(lab\.json|README\.md|(starter|solution|tests\/public|tests\/hidden)\/[a-z0-9.-]+\.ts|assets\/[a-z0-9._-]+)$/,
];
const REQUIRED = ['extension/package.json', 'extension/dist/extension.js', 'extension/dist/grader.js', 'extension/dist/grader-harness.js', 'extension/node_modules/esbuild/lib/main.js', 'extension/labs/zero-memory/lab.json', 'extension/dist/core.js', 'extension/dist/render.js', 'extension/dist/webview/question.js', 'extension/media/question.css', 'extension/pack.json', 'extension/LICENSE.txt'];

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

describe('the packaged .vsix', () => {
  let vsixFiles;
  before(() => {
    execFileSync(process.execPath, [path.join(ROOT, 'scripts/package.mjs')], { cwd: ROOT, stdio: 'ignore' });
    vsixFiles = readdirSync(ROOT).filter((f) => f.endsWith('.vsix')).map((f) => path.join(ROOT, f));
  });

  it('holds only allowlisted files, and everything the extension needs', async () => {
    assert.ok(vsixFiles.length >= 1);
    for (const file of vsixFiles) {
      const names = await entries(file);
      const unexpected = names.filter((n) => !ALLOWED.some((pattern) => pattern.test(n)));
      assert.deepEqual(unexpected, [], `${path.basename(file)} holds files outside its allowlist`);
      for (const required of REQUIRED) assert.ok(names.includes(required), `${path.basename(file)} lacks ${required}`);
      const outsideLabs = names.filter((n) => !n.startsWith('extension/labs/') && !n.startsWith('extension/dist/types/'));
      assert.ok(!outsideLabs.some((n) => /\.(ts|map)$|\/tests?\/|\.node$/.test(n)), 'no sources, maps, tests or addons outside the lab content');
      const foreign = names.filter((n) => /node_modules\/@esbuild\//.test(n) && !n.includes(`@esbuild/${process.platform}-${process.arch}/`));
      assert.deepEqual(foreign, [], 'no other platform\'s esbuild binary');
      const questions = names.filter((n) => /^extension\/questions\/\d{2}-/.test(n));
      assert.ok(questions.length >= 52, `ships the question bank (${questions.length} files)`);
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
