// The project's JSON Schemas compiled to JavaScript ahead of time with ajv's standalone code generator, served as the
// module `virtual:schema-validators` by the esbuild plugin (esbuild.config.mjs) and the vite plugin (vitest.config.mts).
// Compiling at load time cost the Questions view's first fill ~35 ms (ajv's 130 KB and its code generation) on an idle
// machine and three times that while VS Code starts; the compiled validators load and first run in ~5 ms.
// Nothing is written to disk, so the validators cannot go stale beside a changed schema.
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import standaloneCode from 'ajv/dist/standalone/index.js';

export const SCHEMA_VALIDATORS_ID = 'virtual:schema-validators';

const SCHEMAS = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'schemas');

// The generated code requires three of ajv's runtime helpers; the module receives them from src/core/io/schema.ts
// instead, so it is plain ESM that both bundlers take as it is.
const RUNTIME = {
  'require("ajv/dist/runtime/equal").default': 'runtime.equal',
  'require("ajv/dist/runtime/ucs2length").default': 'runtime.ucs2length',
  'require("ajv-formats/dist/formats").fullFormats': 'runtime.formats',
};

/** `lab-state.schema.json` → `labState`: the export's name, as src/core/io/schema-validators.d.ts declares it. */
export function validatorName(file) {
  return file.replace(/\.schema\.json$/, '').replace(/-(.)/g, (_, c) => c.toUpperCase());
}

/** The module's source: `createValidators(runtime)` returning one validate function per schema in schemas/. */
export function schemaValidatorsSource(dir = SCHEMAS) {
  // The same options as ever: every error reported, strict mode (an unknown keyword fails the build), and each
  // schema checked against the meta-schema here rather than at load time.
  const ajv = new Ajv({ allErrors: true, strict: true, code: { source: true } });
  addFormats(ajv, ['date-time']);
  const refs = {};
  for (const file of readdirSync(dir)
    .filter((f) => f.endsWith('.schema.json'))
    .sort()) {
    const schema = JSON.parse(readFileSync(path.join(dir, file), 'utf8'));
    if (!schema.$id) throw new Error(`${file}: a schema needs an $id to be compiled ahead of time`);
    ajv.addSchema(schema);
    refs[validatorName(file)] = schema.$id;
  }
  let code = standaloneCode(ajv, refs);
  for (const [from, to] of Object.entries(RUNTIME)) code = code.split(from).join(to);
  const left = /require\([^)]*\)/.exec(code);
  if (left) throw new Error(`scripts/schema-validators.mjs: the compiled schemas need ${left[0]}, which the module is not given`);
  return `export function createValidators(runtime) {\nconst exports = {};\n${code}\nreturn exports;\n}\n`;
}

/** esbuild: resolves the module to the compiled schemas. */
export const esbuildSchemaValidators = {
  name: 'schema-validators',
  setup(build) {
    build.onResolve({ filter: /^virtual:schema-validators$/ }, (args) => ({ path: args.path, namespace: 'schema-validators' }));
    build.onLoad({ filter: /.*/, namespace: 'schema-validators' }, () => ({
      contents: schemaValidatorsSource(),
      loader: 'js',
      resolveDir: SCHEMAS,
      watchDirs: [SCHEMAS],
    }));
  },
};

/** vite (vitest): the same module, compiled once per run. */
export function viteSchemaValidators() {
  const resolved = `\0${SCHEMA_VALIDATORS_ID}`;
  return {
    name: 'schema-validators',
    resolveId: (id) => (id === SCHEMA_VALIDATORS_ID ? resolved : undefined),
    load: (id) => (id === resolved ? schemaValidatorsSource() : undefined),
  };
}
