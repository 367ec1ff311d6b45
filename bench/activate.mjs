// Times require + activate() of the bundled extension in fresh Node processes, with a stub `vscode`, and checks that
// nothing heavy (the core, pages, markdown and render bundles: ajv, yaml, ts-fsrs, markdown-it, shiki) is loaded at activation.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import * as path from 'node:path';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SAMPLES = 15;

const probe = `
const { uri } = require(${JSON.stringify(path.join(root, 'bench/vscode-stub.cjs'))});
const t0 = process.hrtime.bigint();
const ext = require(${JSON.stringify(path.join(root, 'dist/extension.js'))});
const t1 = process.hrtime.bigint();
const subscriptions = [];
const memento = { get: () => undefined, update: async () => undefined };
ext.activate({ subscriptions, extensionPath: ${JSON.stringify(root)}, extensionUri: uri(${JSON.stringify(root)}),
  globalStorageUri: uri('/tmp/mlops-bench-storage'), globalState: memento, workspaceState: memento, extension: { packageJSON: { version: '0.0.0' } } });
const t2 = process.hrtime.bigint();
const heavy = Object.keys(require.cache).filter((f) => /dist\\/(core|render|pages|markdown)\\.js$|node_modules/.test(f));
console.log(JSON.stringify({ load: Number(t1 - t0) / 1e6, activate: Number(t2 - t1) / 1e6, heavy }));
`;

export function measureActivation() {
  const runs = Array.from({ length: SAMPLES }, () => JSON.parse(execFileSync(process.execPath, ['-e', probe], { encoding: 'utf8' })));
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  return {
    total: median(runs.map((r) => r.load + r.activate)),
    activate: median(runs.map((r) => r.activate)),
    heavy: [...new Set(runs.flatMap((r) => r.heavy))],
  };
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(measureActivation());
