// Times the Questions view's first fill on the extension side, in fresh Node processes with the stub `vscode`
// (bench/vscode-stub.cjs): from activate() to the root rows, their tree items and the first group's rows, as the
// view asks for them. Not the browser's figure (that adds the workbench's own work), but the part this code owns.
// Run twice per sample on one global storage: the first start (no parsed-question cache) and a later start.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import * as path from 'node:path';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SAMPLES = 5;

const probe = (storage) => `
const { uri, vscode } = require(${JSON.stringify(path.join(root, 'bench/vscode-stub.cjs'))});
(async () => {
  const t0 = performance.now();
  const ext = require(${JSON.stringify(path.join(root, 'dist/extension.js'))});
  const memento = { get: () => undefined, update: async () => undefined };
  const api = ext.activate({ subscriptions: [], extensionPath: ${JSON.stringify(root)}, extensionUri: uri(${JSON.stringify(root)}),
    extensionMode: vscode.ExtensionMode.Test, globalStorageUri: uri(${JSON.stringify(storage)}), globalState: memento, workspaceState: memento,
    extension: { packageJSON: { version: '0.0.0' } } });
  const tree = api.testing.questionsTree;
  const rows = await tree.getChildren();
  await Promise.all(rows.map((r) => tree.getTreeItem(r)));
  const first = await tree.getChildren(rows[0]);
  await Promise.all(first.map((r) => tree.getTreeItem(r)));
  console.log(JSON.stringify({ ms: performance.now() - t0, rows: rows.length, firstGroup: first.length }));
  process.exit(0);
})();
`;

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

export function measureQuestionsView() {
  const first = [];
  const later = [];
  for (let i = 0; i < SAMPLES; i++) {
    const storage = mkdtempSync(path.join(tmpdir(), 'mlops-view-bench-'));
    try {
      first.push(JSON.parse(execFileSync(process.execPath, ['-e', probe(storage)], { encoding: 'utf8' })));
      later.push(JSON.parse(execFileSync(process.execPath, ['-e', probe(storage)], { encoding: 'utf8' })));
    } finally {
      rmSync(storage, { recursive: true, force: true });
    }
  }
  return { first: median(first.map((r) => r.ms)), later: median(later.map((r) => r.ms)), rows: first[0].rows, firstGroup: first[0].firstGroup };
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(measureQuestionsView());
