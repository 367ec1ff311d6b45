/**
 * Bundles each test file with the submission's code it imports into one CommonJS module, in memory.
 * Grading is behavioural: esbuild strips types without checking them, so a type error is the editor's
 * business while a syntax error is a graded error with its file and position.
 */
import * as path from 'node:path';
import type * as EsbuildModule from 'esbuild';
import type { Message } from 'esbuild';

type Esbuild = typeof EsbuildModule;
let loaded: Promise<Esbuild> | undefined;

/**
 * The native esbuild where this build carries its binary (platform builds), else esbuild-wasm (the targetless
 * build: the same API, slower, and no binary to match the platform).
 */
export function loadEsbuild(): Promise<Esbuild> {
  loaded ??= (async () => {
    try {
      const native = (await import('esbuild')) as Esbuild;
      await native.transform('', {});
      return native;
    } catch {
      return (await import('esbuild-wasm')) as unknown as Esbuild;
    }
  })();
  return loaded;
}

export interface BundledModule {
  file: string;
  code: string;
}

export type BundleResult = { ok: true; modules: BundledModule[] } | { ok: false; errors: string[] };

export interface BundleOptions {
  /** Folder of read-only lab assets, reachable from tests as process.env.MLOPS_LAB_ASSETS. */
  assetsDir: string;
  /** Runtime packages resolved by absolute path (e.g. onnxruntime-node), never bundled. */
  aliases: Record<string, string>;
}

export async function bundleTests(layoutDir: string, testFiles: readonly string[], options: BundleOptions): Promise<BundleResult> {
  const esbuild = await loadEsbuild();
  const modules: BundledModule[] = [];
  const errors: string[] = [];
  for (const file of testFiles) {
    try {
      const result = await esbuild.build({
        entryPoints: [file],
        bundle: true,
        write: false,
        platform: 'node',
        format: 'cjs',
        target: 'node20',
        sourcemap: 'inline',
        sourceRoot: layoutDir,
        logLevel: 'silent',
        external: Object.keys(options.aliases),
        alias: {},
        define: { 'process.env.MLOPS_LAB_ASSETS': JSON.stringify(options.assetsDir) },
        absWorkingDir: layoutDir,
      });
      let code = result.outputFiles[0]?.text ?? '';
      for (const [name, target] of Object.entries(options.aliases)) code = code.split(`require("${name}")`).join(`require(${JSON.stringify(target)})`);
      modules.push({ file: path.join(layoutDir, '.bundle', `${path.basename(file).replace(/\.[cm]?[jt]s$/, '')}.js`), code });
    } catch (error) {
      const messages = (error as { errors?: Message[] }).errors ?? [];
      if (messages.length === 0) errors.push(String(error));
      for (const m of messages) errors.push(formatMessage(m));
    }
  }
  const unique = [...new Set(errors)];
  return unique.length ? { ok: false, errors: unique } : { ok: true, modules };
}

function formatMessage(message: Message): string {
  const where = message.location ? `${message.location.file}:${message.location.line}:${message.location.column + 1}: ` : '';
  return `${where}${message.text}`;
}

/**
 * Bundles a workspace's tests into one file for the debugger, with inline source maps that point at the
 * candidate's own files, so breakpoints in src/ are hit. Returns the bundle's path.
 */
export async function bundleForDebug(workspaceDir: string, outDir: string, assetsDir: string): Promise<string> {
  const { readdir } = await import('node:fs/promises');
  const esbuild = await loadEsbuild();
  const tests = (await readdir(path.join(workspaceDir, 'tests'))).filter((f) => /\.test\.[cm]?[jt]s$/.test(f)).sort();
  const outfile = path.join(outDir, 'lab-tests.js');
  await esbuild.build({
    stdin: { contents: tests.map((f) => `require(${JSON.stringify(`./tests/${f}`)});`).join('\n'), resolveDir: workspaceDir, sourcefile: 'lab-tests.js', loader: 'js' },
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    sourcemap: 'inline',
    outfile,
    logLevel: 'silent',
    define: { 'process.env.MLOPS_LAB_ASSETS': JSON.stringify(assetsDir) },
  });
  return outfile;
}
