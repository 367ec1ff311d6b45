/**
 * ProgressBook: what the Questions view and Review Next Due read, on a real progress.json in a temp storage
 * folder. Ratings schedule the next review, revealing is remembered once, listeners hear what changed (here or
 * in another window after a refresh), and a reset keeps a copy of what it cleared.
 */
import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Clock } from '../../../../src/core/io/clock';
import { ProgressBook } from '../../../../src/core/progress/progress-book';
import { ProgressStore } from '../../../../src/core/progress/progress-store';
import { tempDir } from '../../helpers';

const START = Date.parse('2026-12-07T09:00:00.000Z');
const DAY = 86_400_000;

/** A clock the test moves by hand. */
class HandClock implements Clock {
  at = START;
  now(): Date {
    return new Date(this.at);
  }
}

async function storage(): Promise<{ file: string; clock: HandClock; open: () => Promise<ProgressBook> }> {
  const file = path.join(await tempDir(), 'progress.json');
  const clock = new HandClock();
  return { file, clock, open: async () => (await ProgressBook.open(new ProgressStore(file, clock), clock)).book };
}

describe('a progress book', () => {
  it('starts empty: every question is new, with no review and nothing due', async () => {
    const { open } = await storage();
    const book = await open();
    expect(book.state('core/q')).toBe('new');
    expect(book.nextReview('core/q')).toBeUndefined();
    expect(book.dueIds()).toEqual([]);
    expect(book.questionCount).toBe(0);
  });

  it('schedules a rated question for later, and offers it as due once the clock reaches that time', async () => {
    const { clock, open } = await storage();
    const book = await open();
    await book.rate('core/q', 'good');
    expect(book.state('core/q')).toBe('learning');
    const due = book.nextReview('core/q');
    expect(due && due.getTime()).toBeGreaterThan(START);
    expect(book.dueIds()).toEqual([]);
    clock.at = (due as Date).getTime() - 1;
    expect(book.dueIds()).toEqual([]);
    clock.at = (due as Date).getTime();
    expect(book.dueIds()).toEqual(['core/q']);
  });

  it('keeps ratings in the file: a book opened later sees the same state, schedule and history', async () => {
    const { file, clock, open } = await storage();
    const book = await open();
    await book.rate('core/q', 'hard');
    clock.at = START + DAY;
    await book.rate('core/q', 'good');
    const reopened = await open();
    expect(reopened.state('core/q')).toBe('learning');
    expect(reopened.nextReview('core/q')).toEqual(book.nextReview('core/q'));
    const saved = JSON.parse(await readFile(file, 'utf8'));
    expect(saved.questions['core/q'].ratings).toEqual([
      { at: new Date(START).toISOString(), rating: 'hard' },
      { at: new Date(START + DAY).toISOString(), rating: 'good' },
    ]);
  });

  it('reaches mastered after good reviews each time one falls due, and back to learning when forgotten', async () => {
    const { clock, open } = await storage();
    const book = await open();
    await book.rate('core/q', 'easy');
    for (let reviews = 1; book.state('core/q') !== 'mastered'; reviews++) {
      if (reviews > 12) throw new Error('still not mastered after 12 good reviews, each when due');
      clock.at = (book.nextReview('core/q') as Date).getTime();
      expect(book.dueIds()).toEqual(['core/q']);
      await book.rate('core/q', 'good');
    }
    clock.at = (book.nextReview('core/q') as Date).getTime();
    await book.rate('core/q', 'again');
    expect(book.state('core/q')).toBe('learning');
  });

  it('remembers the first reveal only, and a revealed question stays new until it is rated', async () => {
    const { file, clock, open } = await storage();
    const book = await open();
    const heard: string[][] = [];
    book.onDidChange((ids) => heard.push([...ids]));
    await book.markRevealed('core/q');
    clock.at = START + DAY;
    await book.markRevealed('core/q');
    expect(book.state('core/q')).toBe('new');
    expect(book.dueIds()).toEqual([]);
    expect(JSON.parse(await readFile(file, 'utf8')).questions['core/q']).toEqual({ ratings: [], revealedAt: new Date(START).toISOString() });
    expect(heard).toEqual([['core/q']]);
  });

  it('keeps the reveal time when the question is rated afterwards', async () => {
    const { file, clock, open } = await storage();
    const book = await open();
    await book.markRevealed('core/q');
    clock.at = START + 60_000;
    await book.rate('core/q', 'good');
    expect(JSON.parse(await readFile(file, 'utf8')).questions['core/q'].revealedAt).toBe(new Date(START).toISOString());
  });
});

describe('listening to a progress book', () => {
  it('tells listeners which question changed, here and, after a refresh, in another window', async () => {
    const { open } = await storage();
    const here = await open();
    const elsewhere = await open();
    const heard: string[][] = [];
    here.onDidChange((ids) => heard.push([...ids]));
    await here.rate('core/a', 'good');
    await elsewhere.rate('core/b', 'again');
    expect(heard).toEqual([['core/a']]);
    expect(here.state('core/b')).toBe('new');
    await here.refresh();
    expect(heard).toEqual([['core/a'], ['core/b']]);
    expect(here.state('core/b')).toBe('learning');
  });

  it('stays quiet on a refresh that finds nothing new, and after the listener is disposed', async () => {
    const { open } = await storage();
    const here = await open();
    const elsewhere = await open();
    const heard: string[][] = [];
    const listening = here.onDidChange((ids) => heard.push([...ids]));
    await here.rate('core/a', 'good');
    await here.refresh();
    expect(heard).toEqual([['core/a']]);
    listening.dispose();
    await elsewhere.rate('core/a', 'easy');
    await here.refresh();
    expect(heard).toEqual([['core/a']]);
    expect(here.nextReview('core/a')).toEqual(elsewhere.nextReview('core/a'));
  });
});

describe('resetting progress', () => {
  it('clears every question, tells listeners which, and keeps a copy of the file it cleared', async () => {
    const { file, clock, open } = await storage();
    const book = await open();
    await book.rate('core/a', 'good');
    await book.markRevealed('core/b');
    const before = await readFile(file, 'utf8');
    const heard: string[][] = [];
    book.onDidChange((ids) => heard.push([...ids].sort()));
    clock.at = START + DAY;
    const backup = await book.reset();
    expect(book.questionCount).toBe(0);
    expect(book.state('core/a')).toBe('new');
    expect(heard).toEqual([['core/a', 'core/b']]);
    expect(backup).toBe(path.join(path.dirname(file), 'progress.before-reset-2026-12-08T09-00-00-000Z.json'));
    expect(await readFile(backup as string, 'utf8')).toBe(before);
    expect((await open()).questionCount).toBe(0);
  });

  it('names no copy when there was no file to copy', async () => {
    const { open } = await storage();
    const book = await open();
    expect(await book.reset()).toBeUndefined();
    expect(book.questionCount).toBe(0);
  });
});
