/**
 * The grader's work folder: where a grade's layout (src/ and the suite) is written and bundled. The extension and the
 * CLI pass a private folder of their own instead of /tmp, whose crowding slows every esbuild resolve (layout.ts).
 */
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { mkdir, readdir, utimes } from 'node:fs/promises';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Grader } from '../../../src/grader/grader';
import { sweepStaleLayouts } from '../../../src/grader/layout';
import { tempDir } from '../helpers';
import { fixtureLab, HARNESS, submission } from './fixtures';

const lab = fixtureLab();

describe('the grader work folder', () => {
  it('holds each grade’s layout while it runs and nothing once the grader is disposed; settled() waits for the warm-up', async () => {
    const workDir = path.join(await tempDir(), 'grading');
    const grader = new Grader({ harness: HARNESS, warm: true, workDir });
    const seen: string[][] = [];
    try {
      grader.prepare(lab);
      // Settled: the spare has booted (its scratch folder is here) and the suites are bundled (their warm-up folders gone).
      await grader.settled();
      expect(await readdir(workDir)).toEqual([expect.stringMatching(new RegExp(`^mlops-grade-${process.pid}-`))]);
      const report = await grader.grade({
        lab,
        submissionDir: submission('correct'),
        suite: 'hidden',
        // While the tests run, the layout is in the work folder.
        onEvent: () => seen.push(readdirSync(workDir)),
      });
      expect(report.status).toBe('pass');
      // The grade took the spare prepare() started.
      expect(grader.childrenStarted).toBe(1);
    } finally {
      grader.dispose();
    }
    // The layout and the child's scratch folder (named with this process's pid) were there, and are gone.
    expect(seen.flat().some((name) => name.startsWith('mlops-layout-'))).toBe(true);
    expect(seen.flat().some((name) => name.startsWith(`mlops-grade-${process.pid}-`))).toBe(true);
    expect(await readdir(workDir)).toEqual([]);
  });

  it('loses layouts a killed process left a day ago and scratch folders of gone processes, and keeps the rest', async () => {
    const workDir = await tempDir();
    const now = Date.now();
    const day = 24 * 60 * 60 * 1000;
    for (const name of ['mlops-layout-old', 'mlops-warm-old', 'mlops-layout-fresh', 'notes-old'])
      await mkdir(path.join(workDir, name, 'src'), { recursive: true });
    for (const name of ['mlops-layout-old', 'mlops-warm-old', 'notes-old'])
      await utimes(path.join(workDir, name), new Date(now - 2 * day), new Date(now - 2 * day));
    // Scratch folders of grading children: kept while their grading process lives, however old.
    const gone = spawnSync(process.execPath, ['-e', '0']).pid;
    for (const name of [`mlops-grade-${gone}-abc`, `mlops-grade-${process.pid}-abc`]) {
      await mkdir(path.join(workDir, name));
      await utimes(path.join(workDir, name), new Date(now - 2 * day), new Date(now - 2 * day));
    }
    await sweepStaleLayouts(workDir, day, now);
    expect((await readdir(workDir)).sort()).toEqual(['mlops-grade-' + process.pid + '-abc', 'mlops-layout-fresh', 'notes-old'].sort());
  });
});
