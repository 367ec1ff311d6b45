/**
 * One child grading several submissions in turn (docs/grading.md, "One child, several grades"): each hostile
 * submission in tests/fixtures/reuse/ is graded, then a probe right after it by the same warm grader. The probe's
 * report must equal its report from a fresh child (work() returns 42 only if nothing of the other reaches it), and
 * the child is kept only when nothing of the first grade can outlive it.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Grader } from '../../../src/grader/grader';
import type { GradeReport } from '../../../src/grader/types';
import type { Lab, LabManifest } from '../../../src/core/catalog/types';
import { fixtureLab, HARNESS, ROOT } from './fixtures';

const lab = fixtureLab();
const dir = (name: string) => path.join(ROOT, 'tests/fixtures/reuse', name);
const graders: Grader[] = [];

function labAt(labDir: string): Lab {
  const manifest = JSON.parse(readFileSync(path.join(labDir, 'lab.json'), 'utf8')) as LabManifest;
  return { ...manifest, qualifiedId: `fixtures/${manifest.id}`, packId: 'fixtures', dir: labDir, contents: { hiddenTests: true, solution: true } };
}
afterAll(() => graders.forEach((g) => g.dispose()));

function warmGrader(): Grader {
  const grader = new Grader({ harness: HARNESS, warm: true });
  graders.push(grader);
  grader.prepare(lab);
  return grader;
}

const grade = (grader: Grader, name: string) => grader.grade({ lab, submissionDir: dir(name), suite: 'hidden', mode: 'take-home' });

/** What a grade decides: everything but timings and the kept output's timing-free lines. */
const verdict = (report: GradeReport) => ({
  status: report.status,
  points: report.points,
  message: report.message,
  tests: report.tests.map((t) => ({ name: t.name, status: t.status, message: t.message, output: t.output })),
  output: report.output,
  tampering: report.tampering,
});

let fresh: ReturnType<typeof verdict> | undefined;
async function freshProbe(): Promise<ReturnType<typeof verdict>> {
  fresh ??= verdict(await grade(new Grader({ harness: HARNESS }), 'probe'));
  return fresh;
}

// [hostile submission, its own status and points, whether the child may grade again after it]
const cases: [string, 'pass' | 'fail', number, boolean][] = [
  ['lingering-timers', 'pass', 16, true],
  ['mutate-reachable', 'pass', 16, true],
  ['pending-promise', 'pass', 16, true],
  ['never-settles', 'fail', 13, false],
  ['heap-hoard', 'pass', 16, false],
  ['typed-hoard', 'pass', 16, false],
];

describe('a child that grades several submissions in turn', () => {
  it('grades the probe in a fresh child with full points', async () => {
    expect(await freshProbe()).toMatchObject({ status: 'pass', points: 16 });
  });

  it.each(cases)('%s cannot change the next grade (its own: %s, %i points; child kept: %s)', async (name, status, points, kept) => {
    const grader = warmGrader();
    const hostile = await grade(grader, name);
    expect({ status: hostile.status, points: hostile.points }).toEqual({ status, points });
    const probe = await grade(grader, 'probe');
    expect(verdict(probe)).toEqual(await freshProbe());
    // One child for both grades when it was kept; a second one when the first was retired.
    expect(grader.childrenStarted).toBe(kept ? 1 : 2);
  });

  it('blocks every change to what is shared, in the hostile grade itself', async () => {
    const grader = warmGrader();
    const report = await grade(grader, 'mutate-reachable');
    expect(report.status).toBe('pass');
    expect(report.output ?? '').not.toMatch(/lingering/);
  });

  it("ends a kept child's grade when a test file fails to load, with the report a fresh child gives", async () => {
    const loadLab = labAt(dir('load-lab'));
    const warm = new Grader({ harness: HARNESS, warm: true });
    const once = new Grader({ harness: HARNESS });
    graders.push(warm, once);
    const gradeIn = (grader: Grader, name: string) => grader.grade({ lab: loadLab, submissionDir: dir(name), suite: 'hidden', mode: 'take-home' });
    const kept = await gradeIn(warm, 'table-throws');
    expect(verdict(kept)).toEqual(verdict(await gradeIn(once, 'table-throws')));
    expect(kept.message).toMatch(/loading table\.test\.js failed: .*no table of 3 rows yet/);
    // Not held to the lab's time limit: the grade ends with its suite.
    expect(kept.durationMs).toBeLessThan(loadLab.runtime.timeoutMs);
    expect((await gradeIn(warm, 'table-right')).points).toBe(4);
  });

  it('retires a child after its allowed number of grades', async () => {
    const grader = new Grader({ harness: HARNESS, warm: true, reuse: 3 });
    graders.push(grader);
    for (let i = 0; i < 7; i++) expect((await grade(grader, 'probe')).points).toBe(16);
    expect(grader.childrenStarted).toBe(3);
  });

  it('keeps one child per grade when the grader is not warm', async () => {
    const grader = new Grader({ harness: HARNESS });
    graders.push(grader);
    for (let i = 0; i < 2; i++) expect((await grade(grader, 'probe')).points).toBe(16);
    expect(grader.childrenStarted).toBe(2);
  });
});
