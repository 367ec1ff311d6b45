// The in-editor figures (issue 25) come from the integration suite, which runs in a real extension host and
// writes test-results/timings.json (tests/integration/suite/timings.test.ts). This reads that file, when there is
// one, into bench rows that name the run they came from; it measures nothing itself.
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';

/** Rows of { what, figure, budget, ok } for the goal-carrying figures; [] when the suite has not run here. */
export function editorTimingRows(root) {
  const file = path.join(root, 'test-results', 'timings.json');
  if (!existsSync(file)) return [];
  const { run, figures } = JSON.parse(readFileSync(file, 'utf8'));
  const from = `integration run ${run.at}, commit ${run.commit}, VS Code ${run.vscode} (${run.uiKind})`;
  return figures
    .filter((f) => f.goalMs !== undefined)
    .map((f) => ({ what: `in editor: ${f.lab} ${f.name} (${from})`, figure: `${f.ms} ms`, budget: `< ${f.goalMs} ms`, ok: f.ms < f.goalMs }));
}
