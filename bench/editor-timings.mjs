// The in-editor figures (issue 25) come from the test suites that run a real VS Code: the integration suite writes
// test-results/timings.json (tests/integration/suite/timings.test.ts) and the end-to-end suites append to
// test-results/e2e-timings.jsonl (noteTiming in tests/e2e/harness.mjs). This reads them, when they exist, into bench
// rows that name the run they came from; it measures nothing itself.
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';

const row = (what, ms, goalMs) => ({ what, figure: `${ms} ms`, budget: `< ${goalMs} ms`, ok: ms < goalMs });
/** A figure without a goal of its own: the parts a goal-carrying figure splits into (VS Code's start-up, ours). */
const part = (what, ms) => ({ what, figure: `${ms} ms`, budget: 'reported, no budget', ok: true });

/** Rows of { what, figure, budget, ok } for the goal-carrying figures and the browser figures' parts; [] when no suite has run here. */
export function editorTimingRows(root) {
  const rows = [];
  const integration = path.join(root, 'test-results', 'timings.json');
  if (existsSync(integration)) {
    const { run, figures } = JSON.parse(readFileSync(integration, 'utf8'));
    const from = `integration run ${run.at}, commit ${run.commit}, VS Code ${run.vscode} (${run.uiKind})`;
    for (const f of figures) if (f.goalMs !== undefined) rows.push(row(`in editor: ${f.lab} ${f.name} (${from})`, f.ms, f.goalMs));
  }
  const e2e = path.join(root, 'test-results', 'e2e-timings.jsonl');
  if (existsSync(e2e)) {
    // The latest figure of each name: the file keeps every run's.
    const latest = new Map();
    for (const line of readFileSync(e2e, 'utf8').split('\n')) {
      if (!line.trim()) continue;
      try {
        const figure = JSON.parse(line);
        latest.set(figure.name, figure);
      } catch {
        // A line cut short by a killed run: the others still count.
      }
    }
    // VS Code's own figure under a goal-carrying one (tests/e2e/vscode-floor.test.mjs) is printed beside it.
    const floors = new Map([...latest.values()].filter((f) => f.floorFor).map((f) => [f.floorFor, f]));
    for (const f of latest.values()) {
      if (f.floorFor && latest.has(f.floorFor)) continue;
      const floor = floors.get(f.name);
      const under = floor ? `; VS Code alone, with a do-nothing extension: ${floor.ms} ms (e2e run ${floor.at})` : '';
      rows.push(
        f.goalMs !== undefined
          ? row(`in a browser window: ${f.name} (e2e run ${f.at}${under})`, f.ms, f.goalMs)
          : part(`in a browser window: ${f.name} (e2e run ${f.at})`, f.ms),
      );
    }
  }
  return rows;
}
