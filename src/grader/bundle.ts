/**
 * Bundles each test file with the submission's code it imports into one CommonJS module, in memory.
 * Grading is behavioural: esbuild strips types without checking them, so a type error is the editor's
 * business while a syntax error is a graded error with its file and position.
 */
import * as path from 'node:path';
import type * as EsbuildModule from 'esbuild';
import type { Message, Plugin } from 'esbuild';
import { CANDIDATE_PREFIX, candidateSource } from './child/sandbox-source';
import { CODE_LOADERS, sandboxPlugin, workspaceTestsPlugin } from './sandbox-plugin';

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

/** The candidate's src/ as one CommonJS bundle, run inside the sandbox's compartment. */
export interface CandidateBundle {
  /** Evaluates to `module.exports = { "src/zero.ts": <that module's exports>, … }`. */
  code: string;
  /** Its source map (JSON), so stack frames and the debugger point at the candidate's files. */
  map: string;
  /** Where the bundle claims to live (its sourceURL); frames in it are mapped back through `map`. */
  file: string;
}

export type BundleResult = { ok: true; modules: BundledModule[]; candidate: CandidateBundle } | { ok: false; errors: string[] };

export interface BundleOptions {
  /** Folder of read-only lab assets, reachable from tests as process.env.MLOPS_LAB_ASSETS. */
  assetsDir: string;
  /** Runtime packages resolved by absolute path (e.g. onnxruntime-node), never bundled. */
  aliases: Record<string, string>;
  /** The tests are the candidate's (a workspace run): confine their imports as src/'s are (workspaceTestsPlugin). */
  candidateTests?: boolean;
}

/**
 * Test bundles already built, by suite and by the shape of the candidate's code they were built against. A test
 * bundle depends only on the test files, the options and which modules src/ has with which exported names (its
 * shims take the exports by name), never on the code itself; so a warm grader, a batch or a validate run bundles
 * each lab suite once and then bundles only the candidate's src/ per grade. Bounded: the oldest entry goes first.
 * A reused bundle's inline source map still names the layout folder it was first built in: test frames in a
 * stack show that path (the candidate's own frames are mapped to src/ through the candidate's bundle).
 */
const suiteCache = new Map<string, { modules: { name: string; code: string }[] } | { errors: string[] }>();
const SUITE_CACHE_ENTRIES = 64;

/** How many suite bundles were built and how many were taken from the cache, for tests and benchmarks. */
export const suiteCacheStats = { built: 0, reused: 0 };

/**
 * Two bundles, never one: the candidate's src/ alone (with the sandbox resolver, run in the compartment), and
 * each test file with its helpers, whose imports of src/ become shims that take the candidate's exports from
 * the sandbox. A test that imports a name src/ does not export is a compile error naming the file and export.
 * `suiteKey` names the suite's content (lab, version, suite, a digest of its files) when the tests are the lab's:
 * their bundles are then cached (see suiteCache); the candidate's own tests are never cached.
 */
export async function bundleTests(layoutDir: string, testFiles: readonly string[], options: BundleOptions, suiteKey?: string): Promise<BundleResult> {
  const esbuild = await loadEsbuild();
  const srcDir = path.join(layoutDir, 'src');
  const runtimePackages = Object.keys(options.aliases);
  const candidate = await bundleCandidate(esbuild, srcDir, runtimePackages);
  if (!candidate.ok) return candidate;
  const shape = [...candidate.exports].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const key =
    suiteKey !== undefined && !options.candidateTests
      ? JSON.stringify([suiteKey, testFiles.map((f) => path.basename(f)), options.assetsDir, options.aliases, shape])
      : undefined;
  const cached = key !== undefined ? suiteCache.get(key) : undefined;
  let built = cached;
  if (built) suiteCacheStats.reused++;
  else {
    built = await bundleSuite(esbuild, layoutDir, testFiles, options, candidate.exports);
    if (key !== undefined) {
      suiteCacheStats.built++;
      suiteCache.set(key, built);
      if (suiteCache.size > SUITE_CACHE_ENTRIES) suiteCache.delete(suiteCache.keys().next().value as string);
    }
  }
  if ('errors' in built) return { ok: false, errors: built.errors };
  const modules = built.modules.map((m) => ({ file: path.join(layoutDir, '.bundle', m.name), code: m.code }));
  return { ok: true, modules, candidate: candidate.bundle };
}

async function bundleSuite(
  esbuild: Esbuild,
  layoutDir: string,
  testFiles: readonly string[],
  options: BundleOptions,
  exports: ReadonlyMap<string, string[]>,
): Promise<{ modules: { name: string; code: string }[] } | { errors: string[] }> {
  const srcDir = path.join(layoutDir, 'src');
  const runtimePackages = Object.keys(options.aliases);
  const modules: { name: string; code: string }[] = [];
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
        external: runtimePackages,
        define: { 'process.env.MLOPS_LAB_ASSETS': JSON.stringify(options.assetsDir) },
        absWorkingDir: layoutDir,
        plugins: [candidateShims(srcDir, exports), ...(options.candidateTests ? [workspaceTestsPlugin(layoutDir, runtimePackages)] : [])],
      });
      let code = result.outputFiles[0]?.text ?? '';
      // The lab's own tests load runtime packages by path in the host realm; a workspace test asks its compartment by name.
      if (!options.candidateTests)
        for (const [name, target] of Object.entries(options.aliases)) code = code.split(`require("${name}")`).join(`require(${JSON.stringify(target)})`);
      modules.push({ name: `${path.basename(file).replace(/\.[cm]?[jt]s$/, '')}.js`, code });
    } catch (error) {
      errors.push(...messagesOf(error));
    }
  }
  const unique = [...new Set(errors)];
  return unique.length ? { errors: unique } : { modules };
}

/** Every module file of src/, relative to the layout ("src/zero.ts"). */
async function candidateFiles(srcDir: string): Promise<string[]> {
  const { readdir } = await import('node:fs/promises');
  const entries = await readdir(srcDir, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries
    .filter((e) => e.isFile() && /\.([cm]?[jt]sx?)$/.test(e.name) && !e.name.endsWith('.d.ts'))
    .map((e) =>
      path
        .relative(path.dirname(srcDir), path.join(e.parentPath ?? (e as unknown as { path: string }).path, e.name))
        .split(path.sep)
        .join('/'),
    )
    .sort();
}

type CandidateResult = { ok: true; bundle: CandidateBundle; exports: Map<string, string[]> } | { ok: false; errors: string[] };

async function bundleCandidate(esbuild: Esbuild, srcDir: string, runtimePackages: string[]): Promise<CandidateResult> {
  const files = await candidateFiles(srcDir);
  const layoutDir = path.dirname(srcDir);
  const common = {
    bundle: true,
    write: false,
    platform: 'neutral' as const,
    target: 'es2022',
    logLevel: 'silent' as const,
    absWorkingDir: layoutDir,
    loader: { ...CODE_LOADERS },
    plugins: [sandboxPlugin(srcDir, runtimePackages)],
    mainFields: ['module', 'main'],
  };
  const file = path.join(layoutDir, '.bundle', 'candidate.js');
  const entry = `module.exports = {\n${files.map((f) => `  ${JSON.stringify(f)}: require(${JSON.stringify(`./${f}`)}),`).join('\n')}\n};\n`;
  // Both builds at once (esbuild works them in parallel); their errors are taken in this order, as if one ran after the other.
  const [analysing, building] = await Promise.allSettled([
    // The names each module exports, from esbuild's own analysis (export * included); no candidate code runs here.
    esbuild.build({
      ...common,
      entryPoints: files.map((f) => path.join(layoutDir, f)),
      format: 'esm',
      outdir: path.join(layoutDir, '.exports'),
      metafile: true,
    }),
    esbuild.build({
      ...common,
      stdin: { contents: entry, resolveDir: layoutDir, sourcefile: 'candidate-entry.js', loader: 'js' },
      format: 'cjs',
      outfile: file,
      sourcemap: 'external',
      sourcesContent: true,
    }),
  ]);
  try {
    if (analysing.status === 'rejected') throw analysing.reason;
    if (building.status === 'rejected') throw building.reason;
    const analysed = analysing.value;
    const exports = new Map<string, string[]>();
    for (const output of Object.values(analysed.metafile.outputs)) {
      if (output.entryPoint) exports.set(output.entryPoint.split(path.sep).join('/'), output.exports);
    }
    const outputs = building.value.outputFiles ?? [];
    const code = outputs.find((o) => o.path.endsWith('.js'))?.text ?? '';
    const map = outputs.find((o) => o.path.endsWith('.map'))?.text ?? '';
    return { ok: true, bundle: { code: code.replace(/\/\/# sourceMappingURL=.*\s*$/, ''), map, file }, exports };
  } catch (error) {
    return { ok: false, errors: [...new Set(messagesOf(error))] };
  }
}

/** Test imports that land in src/ become a module that takes each export from the sandbox by name. */
function candidateShims(srcDir: string, exports: ReadonlyMap<string, string[]>): Plugin {
  const layoutDir = path.dirname(srcDir);
  return {
    name: 'mlops-labs-candidate-shims',
    setup(build) {
      build.onResolve({ filter: new RegExp(`^${CANDIDATE_PREFIX}`) }, (args) => ({ path: args.path, external: true }));
      build.onResolve({ filter: /^\./ }, async (args) => {
        if (args.pluginData === 'shim' || args.namespace === 'candidate' || !path.resolve(args.resolveDir, args.path).startsWith(srcDir + path.sep))
          return undefined;
        const resolved = await build.resolve(args.path, { resolveDir: args.resolveDir, kind: args.kind, pluginData: 'shim' });
        if (resolved.errors.length) return { errors: resolved.errors };
        return { path: path.relative(layoutDir, resolved.path).split(path.sep).join('/'), namespace: 'candidate' };
      });
      build.onLoad({ filter: /.*/, namespace: 'candidate' }, (args) => {
        const names = exports.get(args.path) ?? [];
        const lines = [`const m = require(${JSON.stringify(CANDIDATE_PREFIX + args.path)});`];
        names.forEach((name, i) => lines.push(`const e${i} = m[${JSON.stringify(name)}];`, `export { e${i} as ${JSON.stringify(name)} };`));
        return { contents: lines.join('\n'), loader: 'js', resolveDir: layoutDir };
      });
    },
  };
}

function messagesOf(error: unknown): string[] {
  const messages = (error as { errors?: Message[] }).errors ?? [];
  if (messages.length === 0) return [String(error)];
  return messages.map(formatMessage);
}

function formatMessage(message: Message): string {
  const where = message.location ? `${message.location.file}:${message.location.line}:${message.location.column + 1}: ` : '';
  return `${where}${message.text}`;
}

/**
 * Writes what a Debug run needs into `outDir` (a folder of the lab workspace): the candidate's bundle exactly as
 * the compartment evaluates it, so the debugger maps breakpoints in src/ before the code runs; each public test
 * bundle; and the runtime packages. Returns the compile errors, if any, or nothing.
 */
export async function bundleForDebug(workspaceDir: string, outDir: string, options: BundleOptions): Promise<string[] | undefined> {
  const { mkdir, readdir, rm, writeFile } = await import('node:fs/promises');
  const tests = (await readdir(path.join(workspaceDir, 'tests'))).filter((f) => /\.test\.[cm]?[jt]s$/.test(f)).sort();
  const bundled = await bundleTests(
    workspaceDir,
    tests.map((f) => path.join(workspaceDir, 'tests', f)),
    { ...options, candidateTests: true },
  );
  if (!bundled.ok) return bundled.errors;
  await rm(outDir, { recursive: true, force: true });
  await mkdir(path.join(outDir, 'tests'), { recursive: true });
  const candidate = { ...bundled.candidate, file: path.join(outDir, 'candidate.js') };
  await writeFile(candidate.file, candidateSource(candidate));
  await writeFile(path.join(outDir, 'candidate.code.js'), candidate.code);
  await writeFile(`${candidate.file}.map`, candidate.map);
  for (const module of bundled.modules) await writeFile(path.join(outDir, 'tests', path.basename(module.file)), module.code);
  await writeFile(path.join(outDir, 'runtime.json'), JSON.stringify({ modules: options.aliases, assetsDir: options.assetsDir }));
  return undefined;
}
