// Bundles the extension: a small CommonJS entry loaded at activation, the heavy parts as separate entry files
// required on first use (core: catalog, ajv, yaml, ts-fsrs; pages: the page builders; markdown: markdown-it and
// KaTeX for answer attempts; render: markdown-it, KaTeX, shiki), and the webview script. After bundling, the built-in questions are pre-rendered (scripts/prerender.mjs).
import * as esbuild from 'esbuild';
import { esbuildSchemaValidators } from './scripts/schema-validators.mjs';

const release = process.argv.includes('--release');
const tests = process.argv.includes('--tests');
const watch = process.argv.includes('--watch');

const node = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  external: ['vscode'],
  minify: release,
  sourcemap: release ? false : 'linked',
  logLevel: 'warning',
  legalComments: 'none',
  // The JSON Schemas, compiled to code at build time (scripts/schema-validators.mjs).
  plugins: [esbuildSchemaValidators],
};

// Packages with native binaries stay outside the bundles and travel in node_modules.
const nativeExternals = ['vscode', 'esbuild', 'esbuild-wasm', 'onnxruntime-node'];

const builds = [
  {
    ...node,
    external: nativeExternals,
    entryPoints: {
      extension: 'src/extension/extension.ts',
      core: 'src/core/index.ts',
      render: 'src/render/index.ts',
      pages: 'src/render/pages.ts',
      markdown: 'src/render/markdown-plain.ts',
      grader: 'src/grader/index.ts',
    },
    outdir: 'dist',
  },
  {
    // The grading child's main module and node:test reporter in one file; Node loads the reporter with
    // import(), which needs the function itself as the CommonJS export.
    ...node,
    external: nativeExternals,
    entryPoints: { 'grader-harness': 'src/grader/child/harness.ts' },
    outdir: 'dist',
    footer: { js: 'module.exports = module.exports.default;' },
  },
  {
    // Debug runs: the same sandbox under the debugger (src/grader/child/debug-runner.ts).
    ...node,
    external: nativeExternals,
    entryPoints: { 'grader-debug': 'src/grader/child/debug-runner.ts' },
    outdir: 'dist',
  },
  {
    ...node,
    external: nativeExternals,
    entryPoints: { cli: 'src/cli/main.ts' },
    outdir: 'dist',
    banner: { js: '#!/usr/bin/env node' },
  },
  {
    bundle: true,
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
    minify: release,
    sourcemap: false,
    logLevel: 'warning',
    entryPoints: {
      question: 'src/webview/question-panel.ts',
      report: 'src/webview/report-panel.ts',
      interview: 'src/webview/interview-panel.ts',
      dashboard: 'src/webview/dashboard-panel.ts',
    },
    outdir: 'dist/webview',
  },
];

// The integration suite runs in the extension host; mocha stays external and resolves from node_modules.
if (tests) {
  builds.push({
    ...node,
    minify: false,
    sourcemap: 'inline',
    external: ['vscode', 'mocha'],
    entryPoints: {
      index: 'tests/integration/suite/index.ts',
      'extension.test': 'tests/integration/suite/extension.test.ts',
      'report-panel.test': 'tests/integration/suite/report-panel.test.ts',
      'pack-take-home.test': 'tests/integration/suite/pack-take-home.test.ts',
      'timings.test': 'tests/integration/suite/timings.test.ts',
    },
    outdir: 'out/integration',
  });
}

// Lab workspaces get Node's type declarations from the extension, so IntelliSense needs no npm install.
// Laid out as a node_modules tree, so @types/node finds undici-types (which it imports) by the usual resolution.
async function copyNodeTypes() {
  const { cp, rm } = await import('node:fs/promises');
  await rm('dist/types', { recursive: true, force: true });
  const declarations = (src) => !/\.[a-z]+$/.test(src) || /\.d\.ts$|package\.json$|LICENSE$/.test(src);
  // onnxruntime's own declarations, for the ONNX labs' IntelliSense (the packages' JS is not copied).
  for (const name of ['@types/node', 'undici-types', 'onnxruntime-node', 'onnxruntime-common']) {
    await cp(`node_modules/${name}`, `dist/types/node_modules/${name}`, {
      recursive: true,
      filter: (src) => !src.includes(`${name}/node_modules`) && !/\/(lib|bin|script)(\/|$)/.test(src.slice(`node_modules/${name}`.length)) && declarations(src),
    });
  }
}

// node:test imports its reporter through the ESM loader, which reads and scans a CommonJS file for its exports:
// ~25 ms for the 250 KB harness in every grading child. This one-line file hands over the harness's reporter (the
// same module instance: the harness is the child's main module, already in require's cache), scanned in no time.
// Through a variable: `module.exports = require(…)` would make the loader scan the harness after all.
async function writeReporter() {
  const { mkdir, writeFile } = await import('node:fs/promises');
  await mkdir('dist', { recursive: true });
  await writeFile('dist/grader-reporter.js', "'use strict';\nconst harness = require('./grader-harness.js');\nmodule.exports = harness;\n");
}

if (watch) {
  // No pre-render while watching: one left from a build would keep serving the old renderer's HTML.
  const { rm } = await import('node:fs/promises');
  await rm('dist/questions-rendered.json', { force: true });
  await writeReporter();
  for (const options of builds) await (await esbuild.context(options)).watch();
  console.log('esbuild: watching for changes');
} else {
  const started = Date.now();
  await Promise.all([...builds.map((options) => esbuild.build({ ...options, metafile: false })), copyNodeTypes(), writeReporter()]);
  // Watch mode removes the file instead: without it (or for a stale entry) the panel renders, which is only slower.
  const { prerender } = await import('./scripts/prerender.mjs');
  await prerender();
  console.log(`esbuild: built dist/ in ${Date.now() - started} ms${release ? ' (release)' : ''}`);
}
