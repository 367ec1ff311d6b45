/**
 * The esbuild plugin that keeps a submission inside its own `src/`. esbuild runs in the grader's process,
 * outside any sandbox, so this resolver is all that stands between a submission and the grader's files: every
 * import must resolve, after links are followed, to a TypeScript, JavaScript or JSON file under `src/`, or name
 * a runtime package the lab declares (provided by the sandbox at run time). Everything else is a compile error
 * that names the import: absolute paths, `..` out of `src/`, links leading out, import attributes, Node's
 * built-in modules, other packages, and files of other kinds.
 */
import { realpathSync } from 'node:fs';
import { builtinModules } from 'node:module';
import * as path from 'node:path';
import type { OnLoadArgs, OnResolveArgs, Plugin } from 'esbuild';

export const CODE_EXTENSIONS = ['.ts', '.tsx', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs', '.json'];

/** The loader for each extension a submission may use; anything else is refused. */
export const CODE_LOADERS = {
  '.ts': 'ts',
  '.tsx': 'tsx',
  '.mts': 'ts',
  '.cts': 'ts',
  '.js': 'js',
  '.jsx': 'jsx',
  '.mjs': 'js',
  '.cjs': 'js',
  '.json': 'json',
} as const;

function real(file: string): string | undefined {
  try {
    return realpathSync(file);
  } catch {
    return undefined;
  }
}

const inside = (root: string, file: string) => file === root || file.startsWith(root + path.sep);

export function sandboxPlugin(srcDir: string, runtimePackages: readonly string[]): Plugin {
  const root = real(srcDir) ?? path.resolve(srcDir);
  // esbuild puts the importer's file, line and column in front of the message.
  const refuse = (args: OnResolveArgs, why: string) => ({ errors: [{ text: `import "${args.path}" is not allowed: ${why}` }] });
  return {
    name: 'mlops-labs-sandbox',
    setup(build) {
      build.onResolve({ filter: /.*/ }, (args) => {
        if (args.kind === 'entry-point') return undefined;
        if (args.with && Object.keys(args.with).length > 0) return refuse(args, 'import attributes (with { … }) are not allowed in a submission');
        if (args.path.startsWith('.')) {
          const target = path.resolve(args.resolveDir, args.path);
          if (!inside(root, target)) return refuse(args, 'it leads out of src/');
          return undefined; // esbuild resolves it (extensions, index files); onLoad checks where it landed
        }
        if (path.isAbsolute(args.path)) return refuse(args, 'absolute paths are not allowed; import your own files with a relative path');
        if (runtimePackages.includes(args.path)) return { path: args.path, external: true };
        const builtin = args.path.startsWith('node:') || builtinModules.includes(args.path.split('/')[0] ?? '');
        return refuse(
          args,
          builtin
            ? "Node's built-in modules are not available while grading; a lab module works with its inputs and returns values"
            : `only files in src/${runtimePackages.length ? ` and ${runtimePackages.join(', ')}` : ''} can be imported`,
        );
      });
      build.onLoad({ filter: /.*/ }, (args: OnLoadArgs) => {
        if (args.namespace !== 'file') return undefined;
        const file = real(args.path);
        if (!file || !inside(root, file))
          return { errors: [{ text: `${path.relative(root, args.path)} is not allowed: it is outside src/ (a link, or a glob that reached out)` }] };
        if (!(path.extname(file) in CODE_LOADERS))
          return { errors: [{ text: `src/${path.relative(root, file)} is not allowed: a submission imports only TypeScript, JavaScript and JSON files` }] };
        return undefined;
      });
    },
  };
}

/**
 * The modules a workspace test may import besides its own files and src/: node:test and assert, a path module,
 * and a file system that reads the lab's assets only (child/test-compartment.ts provides all four).
 */
export const TEST_MODULES = ['node:test', 'node:assert', 'node:assert/strict', 'node:path', 'node:fs'];

/**
 * The same confinement for the tests of a candidate's workspace (their own tests are their code too): imports stay
 * in the layout's tests/ and src/, and only TEST_MODULES and the lab's runtime packages are left for run time.
 */
export function workspaceTestsPlugin(layoutDir: string, runtimePackages: readonly string[]): Plugin {
  const root = real(layoutDir) ?? path.resolve(layoutDir);
  const within = (file: string) => inside(path.join(root, 'tests'), file) || inside(path.join(root, 'src'), file);
  const refuse = (args: OnResolveArgs, why: string) => ({ errors: [{ text: `import "${args.path}" is not allowed: ${why}` }] });
  const allowed = (id: string) => TEST_MODULES.includes(id.startsWith('node:') ? id : `node:${id}`);
  return {
    name: 'mlops-labs-workspace-tests',
    setup(build) {
      build.onResolve({ filter: /.*/ }, (args) => {
        if (args.kind === 'entry-point' || args.namespace === 'candidate' || args.pluginData === 'shim') return undefined;
        if (args.with && Object.keys(args.with).length > 0) return refuse(args, 'import attributes (with { … }) are not allowed in tests');
        if (args.path.startsWith('.')) {
          if (!within(path.resolve(real(args.resolveDir) ?? args.resolveDir, args.path)))
            return refuse(args, "it leads out of the workspace's tests/ and src/");
          return undefined;
        }
        if (path.isAbsolute(args.path)) return refuse(args, 'absolute paths are not allowed; import your own files with a relative path');
        if (allowed(args.path)) return { path: args.path.startsWith('node:') ? args.path : `node:${args.path}`, external: true };
        if (runtimePackages.includes(args.path)) return { path: args.path, external: true };
        return refuse(
          args,
          `tests can import their own files, src/, ${TEST_MODULES.join(', ')}${runtimePackages.length ? ` and ${runtimePackages.join(', ')}` : ''}`,
        );
      });
      build.onLoad({ filter: /.*/ }, (args: OnLoadArgs) => {
        if (args.namespace !== 'file') return undefined;
        const file = real(args.path);
        if (!file || !within(file)) return { errors: [{ text: `${args.path} is not allowed: it is outside the workspace's tests/ and src/` }] };
        if (!(path.extname(file) in CODE_LOADERS))
          return { errors: [{ text: `${path.relative(root, file)} is not allowed: tests import only TypeScript, JavaScript and JSON files` }] };
        return undefined;
      });
    },
  };
}
