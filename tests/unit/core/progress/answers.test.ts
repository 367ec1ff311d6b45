import { readdir, readFile, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Clock } from '../../../../src/core/io/clock';
import { AnswerBook, AnswersStore, emptyAnswers, MAX_ANSWER_LENGTH } from '../../../../src/core/progress/answers';
import { tempDir } from '../../helpers';

const Q = 'core/deepspeed-zero-stages';

/** A clock moved a minute per reading, so every attempt has its own known date. */
function steppingClock(start = '2026-11-27T09:00:00.000Z'): Clock {
  let ticks = 0;
  return { now: () => new Date(Date.parse(start) + ticks++ * 60_000) };
}

async function openBook(file: string, clock: Clock = steppingClock()): Promise<AnswerBook> {
  return (await AnswerBook.open(new AnswersStore(file, clock), clock)).book;
}

describe('answers store', () => {
  it('keeps a draft as it is written and turns it into a dated attempt on reveal, newest first', async () => {
    const file = path.join(await tempDir(), 'answers.json');
    const book = await openBook(file);
    await book.saveDraft(Q, 'ZeRO shards');
    await book.saveDraft(Q, 'ZeRO shards optimizer state');
    expect(book.draft(Q)).toBe('ZeRO shards optimizer state');
    await book.recordAttempt(Q, 'ZeRO shards optimizer state');
    expect(book.draft(Q)).toBe('');
    await book.saveDraft(Q, 'Stage 3 shards parameters too');
    await book.recordAttempt(Q, 'Stage 3 shards parameters too');
    const reopened = await openBook(file);
    expect(reopened.attempts(Q)).toEqual([
      { at: '2026-11-27T09:04:00.000Z', text: 'Stage 3 shards parameters too' },
      { at: '2026-11-27T09:02:00.000Z', text: 'ZeRO shards optimizer state' },
    ]);
    expect(reopened.attempts('core/other')).toEqual([]);
  });

  it('records nothing for an empty answer, and an emptied draft leaves no record', async () => {
    const file = path.join(await tempDir(), 'answers.json');
    const book = await openBook(file);
    await book.saveDraft(Q, 'something');
    await book.saveDraft(Q, '   ');
    await book.recordAttempt(Q, '');
    expect(JSON.parse(await readFile(file, 'utf8'))).toEqual(emptyAnswers());
  });

  it('clips an answer longer than the limit', async () => {
    const file = path.join(await tempDir(), 'answers.json');
    const book = await openBook(file);
    await book.recordAttempt(Q, 'x'.repeat(MAX_ANSWER_LENGTH + 10));
    expect(book.attempts(Q)[0]?.text.length).toBe(MAX_ANSWER_LENGTH);
  });

  it('writes atomically: a writer that dies before its rename leaves the previous file whole', async () => {
    const dir = await tempDir();
    const file = path.join(dir, 'answers.json');
    const clock = steppingClock();
    await (await openBook(file, clock)).recordAttempt(Q, 'first');
    const before = await readFile(file, 'utf8');
    const crashing = new AnswersStore(file, clock, { rename: () => Promise.reject(Object.assign(new Error('killed'), { code: 'EIO' })) });
    const { book } = await AnswerBook.open(crashing, clock);
    await expect(book.recordAttempt(Q, 'second')).rejects.toThrow('killed');
    expect(await readFile(file, 'utf8')).toBe(before);
    expect(await readdir(dir)).toEqual(['answers.json']);
  });

  it('two books on one file, each opened before the other wrote, lose nothing', async () => {
    const file = path.join(await tempDir(), 'answers.json');
    const clock = steppingClock();
    const [a, b] = [await openBook(file, clock), await openBook(file, clock)];
    await Promise.all([
      a.recordAttempt(Q, 'window A, first'),
      b.recordAttempt(Q, 'window B, first'),
      a.saveDraft('core/other', 'A drafting'),
      b.recordAttempt('core/third', 'B on another question'),
      a.recordAttempt(Q, 'window A, second'),
    ]);
    const reopened = await openBook(file);
    expect(
      reopened
        .attempts(Q)
        .map((x) => x.text)
        .sort(),
    ).toEqual(['window A, first', 'window A, second', 'window B, first']);
    expect(reopened.draft('core/other')).toBe('A drafting');
    expect(reopened.attempts('core/third').map((x) => x.text)).toEqual(['B on another question']);
    // Each book takes in the other's changes on refresh.
    await a.refresh();
    expect(a.attempts('core/third')).toHaveLength(1);
  });

  it.each([
    ['not JSON', '{"schemaVersion": 1, "questions": {'],
    ['a bad record', JSON.stringify({ schemaVersion: 1, questions: { [Q]: { attempts: [{ at: 'yesterday' }] } } })],
  ])('sets a corrupt file (%s) aside, reports it, and starts fresh', async (_name, content) => {
    const dir = await tempDir();
    const file = path.join(dir, 'answers.json');
    await writeFile(file, content);
    const clock = { now: () => new Date('2026-11-27T09:00:00.000Z') };
    const { book, notice } = await AnswerBook.open(new AnswersStore(file, clock), clock);
    expect(notice).toMatchObject({ kind: 'recovered' });
    const backup = notice?.kind === 'recovered' ? notice.backupFile : '';
    expect(path.basename(backup)).toBe('answers.corrupt-2026-11-27T09-00-00-000Z.json');
    expect(await readFile(backup, 'utf8')).toBe(content);
    expect(book.attempts(Q)).toEqual([]);
    await book.recordAttempt(Q, 'after recovery');
    expect((await openBook(file)).attempts(Q).map((x) => x.text)).toEqual(['after recovery']);
  });
});
