/** Export Progress… / Import Progress…: the merge rules, the rejection of a malformed file, and a round trip. */
import { readFile, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Clock } from '../../../../src/core/io/clock';
import { LabState, type LabStateData } from '../../../../src/core/labs/lab-state';
import { AnswerBook, AnswersStore, type AnswersData } from '../../../../src/core/progress/answers';
import {
  buildExport,
  countsOf,
  mergeAnswers,
  mergeLabs,
  mergeProgress,
  mergeQuestion,
  readExport,
  type ProgressExport,
} from '../../../../src/core/progress/export';
import type { ProgressData, QuestionProgress } from '../../../../src/core/progress/progress';
import { ProgressBook } from '../../../../src/core/progress/progress-book';
import { ProgressStore } from '../../../../src/core/progress/progress-store';
import { applyRating } from '../../../../src/core/progress/scheduler';
import { tempDir } from '../../helpers';

const T0 = new Date('2026-11-27T09:00:00.000Z');
const later = (days: number) => new Date(T0.getTime() + days * 86_400_000);
const Q = 'core/deepspeed-zero-stages';
const Q2 = 'core/kv-cache';
const LAB = 'core/batching-server';

class FakeClock implements Clock {
  current = new Date(T0);
  now(): Date {
    return new Date(this.current);
  }
}

const rated = (...steps: [number, 'again' | 'hard' | 'good' | 'easy'][]): QuestionProgress =>
  steps.reduce<QuestionProgress | undefined>((p, [day, rating]) => applyRating(p, rating, later(day)), undefined) as QuestionProgress;

const progressOf = (questions: Record<string, QuestionProgress>): ProgressData => ({ schemaVersion: 2, questions });
const emptyAnswers = (): AnswersData => ({ schemaVersion: 1, questions: {} });
const emptyLabs = (): LabStateData => ({ schemaVersion: 2, labs: {} });

describe('merge rules', () => {
  it('keeps the union of both review histories and the card of the side reviewed last', () => {
    const mine = rated([0, 'good'], [3, 'good']);
    const theirs = rated([0, 'good'], [1, 'again'], [5, 'hard']);
    const merged = mergeQuestion(mine, theirs);
    expect(merged.ratings.map((r) => [r.at, r.rating])).toEqual([
      [later(0).toISOString(), 'good'],
      [later(1).toISOString(), 'again'],
      [later(3).toISOString(), 'good'],
      [later(5).toISOString(), 'hard'],
    ]);
    expect(merged.card).toEqual(theirs.card);
  });

  it('never lets an older import overwrite a newer review here', () => {
    const mine = rated([0, 'good'], [9, 'easy']);
    const theirs = rated([0, 'again']);
    const merged = mergeQuestion(mine, theirs);
    expect(merged.card).toEqual(mine.card);
    expect(merged.ratings.map((r) => r.rating)).toEqual(['good', 'again', 'easy']);
    expect(merged.ratings.at(-1)?.rating).toBe('easy');
  });

  it('keeps ids found on one side only, and the key-point ticks of a review', () => {
    const ticked = applyRating(undefined, 'good', later(1), { ticked: [0, 2], total: 3 });
    const merged = mergeProgress(progressOf({ [Q]: rated([0, 'good']) }), progressOf({ [Q2]: ticked }));
    expect(Object.keys(merged.questions).sort()).toEqual([Q, Q2]);
    expect(merged.questions[Q2]?.ratings[0]?.keyPoints).toEqual({ ticked: [0, 2], total: 3 });
    expect(mergeQuestion(ticked, { ratings: [{ at: later(1).toISOString(), rating: 'good' }] }).ratings).toEqual(ticked.ratings);
  });

  it('merges answers: attempts by date once each, the newer draft', () => {
    const mine: AnswersData = {
      schemaVersion: 1,
      questions: { [Q]: { attempts: [{ at: later(0).toISOString(), text: 'a' }], draft: { at: later(2).toISOString(), text: 'mine' } } },
    };
    const theirs: AnswersData = {
      schemaVersion: 1,
      questions: {
        [Q]: {
          attempts: [
            { at: later(0).toISOString(), text: 'a' },
            { at: later(1).toISOString(), text: 'b' },
          ],
          draft: { at: later(1).toISOString(), text: 'theirs' },
        },
      },
    };
    const merged = mergeAnswers(mine, theirs).questions[Q];
    expect(merged?.attempts.map((a) => a.text)).toEqual(['a', 'b']);
    expect(merged?.draft?.text).toBe('mine');
  });

  it('merges labs: counts grow, a pass stays, the higher best, the newer review card, this machine folder', () => {
    const score = (points: number, day: number) => ({
      points,
      maxPoints: 10,
      status: points === 10 ? ('pass' as const) : ('fail' as const),
      at: later(day).toISOString(),
    });
    const mine: LabStateData = {
      schemaVersion: 2,
      labs: { [LAB]: { workspace: '/here/lab', hintsTaken: 1, attempts: 2, passed: false, best: score(6, 1), last: score(6, 1) } },
    };
    const theirs: LabStateData = {
      schemaVersion: 2,
      labs: {
        [LAB]: { hintsTaken: 0, attempts: 3, passed: true, best: score(10, 2), last: score(10, 2) },
        'core/other-lab': { hintsTaken: 2, attempts: 0, passed: false },
      },
    };
    const merged = mergeLabs(mine, theirs);
    expect(merged.labs[LAB]).toEqual({ workspace: '/here/lab', hintsTaken: 1, attempts: 3, passed: true, best: score(10, 2), last: score(10, 2) });
    expect(merged.labs['core/other-lab']).toEqual({ hintsTaken: 2, attempts: 0, passed: false });
  });
});

describe('reading an export file', () => {
  const valid = (): ProgressExport => buildExport({ progress: progressOf({ [Q]: rated([0, 'good']) }), answers: emptyAnswers(), labs: emptyLabs() }, T0);

  it('accepts what buildExport writes', () => {
    expect(readExport(JSON.stringify(valid()), 'progress.json').ok).toBe(true);
  });

  it.each([
    ['not JSON', '{"format": ', /moved\.json cannot be imported: it is not valid JSON/],
    ['another kind of file', JSON.stringify({ schemaVersion: 2, questions: {} }), /moved\.json cannot be imported: it is not a progress export/],
    ['a missing part', JSON.stringify({ ...valid(), labs: undefined }), /moved\.json cannot be imported: export: missing field "labs"/],
    [
      'a bad rating',
      JSON.stringify({ ...valid(), progress: { schemaVersion: 2, questions: { [Q]: { ratings: [{ at: T0.toISOString(), rating: 'great' }] } } } }),
      /moved\.json cannot be imported: questions\.core\/deepspeed-zero-stages\.ratings\.0\.rating: must be one of/,
    ],
    ['a newer export', JSON.stringify({ ...valid(), schemaVersion: 7 }), /newer version of the extension \(export schema 7\)/],
    ['newer lab records', JSON.stringify({ ...valid(), labs: { schemaVersion: 9, labs: {} } }), /its labs were written by a newer version/],
  ])('rejects %s with the file name and the reason', (_what, text, error) => {
    const read = readExport(text, 'moved.json');
    expect(read.ok).toBe(false);
    expect(read.ok ? '' : read.error).toMatch(error);
  });

  it('accepts an export holding older stored versions (progress 1, labs 1)', () => {
    const old = { ...valid(), progress: { schemaVersion: 1, questions: {} }, labs: { schemaVersion: 1, labs: {} } };
    const read = readExport(JSON.stringify(old), 'old.json');
    expect(read.ok && read.value.progress.schemaVersion).toBe(2);
    expect(read.ok && read.value.labs.schemaVersion).toBe(2);
  });

  it('leaves lab workspace folders behind', () => {
    const exported = buildExport(
      {
        progress: progressOf({}),
        answers: emptyAnswers(),
        labs: { schemaVersion: 2, labs: { [LAB]: { workspace: '/home/me/lab', hintsTaken: 0, attempts: 1, passed: false } } },
      },
      T0,
    );
    expect(exported.labs.labs[LAB]).toEqual({ hintsTaken: 0, attempts: 1, passed: false });
  });
});

/** Opens the three stored files of a profile in `dir`, as the extension does. */
async function profile(dir: string, clock: Clock) {
  const { book: progress } = await ProgressBook.open(new ProgressStore(path.join(dir, 'progress.json'), clock), clock);
  const { book: answers } = await AnswerBook.open(new AnswersStore(path.join(dir, 'answers.json'), clock), clock);
  const { state: labs } = await LabState.open(path.join(dir, 'labs.json'), clock);
  return { progress, answers, labs };
}

describe('export and import through the stored files', () => {
  it('round trip: importing an export into an empty profile gives the same progress, answers and lab records', async () => {
    const clock = new FakeClock();
    const from = await profile(await tempDir(), clock);
    await from.progress.rate(Q, 'good', { ticked: [0, 1], total: 3 });
    clock.current = later(2);
    await from.progress.rate(Q, 'hard');
    await from.progress.rate(Q2, 'again');
    await from.answers.recordAttempt(Q, 'ZeRO shards optimizer state, then gradients, then parameters.');
    await from.labs.graded(LAB, { points: 10, maxPoints: 10, status: 'pass' });
    const text = JSON.stringify(buildExport({ progress: from.progress.snapshot(), answers: from.answers.snapshot(), labs: from.labs.snapshot() }, clock.now()));

    const dir = await tempDir();
    const to = await profile(dir, clock);
    const read = readExport(text, 'export.json');
    if (!read.ok) throw new Error(read.error);
    await to.progress.merge((current) => mergeProgress(current, read.value.progress));
    await to.answers.merge((current) => mergeAnswers(current, read.value.answers));
    await to.labs.merge((current) => mergeLabs(current, read.value.labs));

    expect(to.progress.snapshot()).toEqual(from.progress.snapshot());
    expect(to.answers.snapshot()).toEqual(from.answers.snapshot());
    expect(to.labs.snapshot()).toEqual({ schemaVersion: 2, labs: { [LAB]: { ...from.labs.snapshot().labs[LAB], workspace: undefined } } });
    expect(countsOf({ progress: to.progress.snapshot(), answers: to.answers.snapshot(), labs: to.labs.snapshot() })).toEqual({
      questions: 2,
      reviews: 3,
      answers: 1,
      labs: 1,
      labReviews: 1,
    });
    // What another window reads from disk is the same.
    const reopened = await profile(dir, clock);
    expect(reopened.progress.snapshot()).toEqual(from.progress.snapshot());
    // Importing the same file again changes nothing.
    await to.progress.merge((current) => mergeProgress(current, read.value.progress));
    expect(to.progress.snapshot()).toEqual(from.progress.snapshot());
  });

  it('an import merges into the file as it stands: a rating another window saved a moment ago is kept', async () => {
    const dir = await tempDir();
    const clock = new FakeClock();
    const here = await profile(dir, clock);
    const other = await profile(dir, clock);
    await other.progress.rate(Q2, 'easy');
    const exported = buildExport({ progress: progressOf({ [Q]: rated([0, 'good']) }), answers: emptyAnswers(), labs: emptyLabs() }, T0);
    await here.progress.merge((current) => mergeProgress(current, exported.progress));
    const reopened = await profile(dir, clock);
    expect(Object.keys(reopened.progress.snapshot().questions).sort()).toEqual([Q, Q2]);
    expect(reopened.progress.snapshot().questions[Q2]?.ratings[0]?.rating).toBe('easy');
  });

  it('a malformed file is rejected before anything is merged: the stored files are unchanged', async () => {
    const dir = await tempDir();
    const clock = new FakeClock();
    const here = await profile(dir, clock);
    await here.progress.rate(Q, 'good');
    const before = await readFile(path.join(dir, 'progress.json'), 'utf8');
    const bad = path.join(dir, 'bad.json');
    await writeFile(
      bad,
      JSON.stringify({ ...buildExport({ progress: progressOf({}), answers: emptyAnswers(), labs: emptyLabs() }, T0), answers: { schemaVersion: 1 } }),
    );
    const read = readExport(await readFile(bad, 'utf8'), 'bad.json');
    expect(read.ok).toBe(false);
    expect(read.ok ? '' : read.error).toBe('bad.json cannot be imported: answers: missing field "questions".');
    expect(await readFile(path.join(dir, 'progress.json'), 'utf8')).toBe(before);
  });
});
