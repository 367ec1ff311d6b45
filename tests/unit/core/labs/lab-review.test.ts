/** Labs in the review schedule: a pass schedules a redo from scratch on the lab's own card, stored in labs.json. */
import { readFile, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Clock } from '../../../../src/core/io/clock';
import { isLabDue, isLabPass, reviewAfterGrade } from '../../../../src/core/labs/lab-review';
import { LabState } from '../../../../src/core/labs/lab-state';
import { tempDir } from '../../helpers';

const START = new Date('2026-11-27T09:00:00.000Z');
const DAY = 86_400_000;
const LAB = 'core/batching-server';
const PASS = { points: 10, maxPoints: 10, status: 'pass' as const };
const FAIL = { points: 6, maxPoints: 10, status: 'fail' as const };

class FakeClock implements Clock {
  current = new Date(START);
  now(): Date {
    return new Date(this.current);
  }
  days(n: number): void {
    this.current = new Date(START.getTime() + n * DAY);
  }
}

describe('lab review card', () => {
  it('passes only on the grader pass rule (every hidden test, 100%)', () => {
    expect(isLabPass(PASS)).toBe(true);
    expect(isLabPass(FAIL)).toBe(false);
    expect(isLabPass({ status: 'error' })).toBe(false);
  });

  it('a first pass rates Good and schedules the redo in the future', () => {
    const review = reviewAfterGrade(undefined, true, 2, START);
    expect(review?.ratings).toEqual([{ at: START.toISOString(), rating: 'good' }]);
    expect(review?.hintsAtPass).toBe(2);
    expect(Date.parse(review?.card.due ?? '')).toBeGreaterThan(START.getTime());
    expect(isLabDue(review, START)).toBe(false);
  });

  it('a fail schedules nothing and leaves a card as it was', () => {
    expect(reviewAfterGrade(undefined, false, 0, START)).toBeUndefined();
    const review = reviewAfterGrade(undefined, true, 0, START);
    expect(reviewAfterGrade(review, false, 0, new Date(START.getTime() + 30 * DAY))).toBe(review);
  });

  it('a pass before the redo is due changes nothing (submitting the same work again)', () => {
    const review = reviewAfterGrade(undefined, true, 0, START);
    expect(reviewAfterGrade(review, true, 0, new Date(START.getTime() + 60_000))).toBe(review);
  });

  it('a due redo passed without a new hint rates Easy, with one rates Good', () => {
    const first = reviewAfterGrade(undefined, true, 1, START);
    const due = new Date(Date.parse(first?.card.due ?? '') + 1000);
    const easy = reviewAfterGrade(first, true, 1, due);
    const good = reviewAfterGrade(first, true, 2, due);
    expect(easy?.ratings.map((r) => r.rating)).toEqual(['good', 'easy']);
    expect(good?.ratings.map((r) => r.rating)).toEqual(['good', 'good']);
    expect(good?.hintsAtPass).toBe(2);
    expect(Date.parse(easy?.card.due ?? '')).toBeGreaterThan(Date.parse(good?.card.due ?? ''));
  });
});

describe('LabState with review cards', () => {
  it('stores the card with the pass in labs.json, and lists the lab as due once its day comes', async () => {
    const file = path.join(await tempDir(), 'labs.json');
    const clock = new FakeClock();
    const { state } = await LabState.open(file, clock);
    await state.graded(LAB, FAIL);
    expect(state.get(LAB)?.review).toBeUndefined();
    await state.graded(LAB, PASS);
    const stored = JSON.parse(await readFile(file, 'utf8')) as { schemaVersion: number; labs: Record<string, { review?: { card: { due: string } } }> };
    expect(stored.schemaVersion).toBe(2);
    const due = stored.labs[LAB]?.review?.card.due ?? '';
    expect(state.dueLabs()).toEqual([]);
    expect(state.isDue(LAB)).toBe(false);
    clock.current = new Date(Date.parse(due) + 1000);
    expect(state.dueLabs()).toEqual([{ id: LAB, due: new Date(due) }]);
    expect(state.isDue(LAB)).toBe(true);
  });

  it('loads a version-1 file as it was, and writes it back as version 2 on the next change', async () => {
    const file = path.join(await tempDir(), 'labs.json');
    await writeFile(file, JSON.stringify({ schemaVersion: 1, labs: { [LAB]: { hintsTaken: 1, attempts: 2, passed: true } } }));
    const { state, notice } = await LabState.open(file, new FakeClock());
    expect(notice).toBeUndefined();
    expect(state.get(LAB)).toEqual({ hintsTaken: 1, attempts: 2, passed: true });
    await state.hintTaken(LAB);
    expect(JSON.parse(await readFile(file, 'utf8'))).toEqual({ schemaVersion: 2, labs: { [LAB]: { hintsTaken: 2, attempts: 2, passed: true } } });
  });
});
