import { readdir, readFile, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { finishInterview, goTo, setTicks, markChecked, startInterview, type InterviewRecord } from '../../../../src/core/practice/interview';
import { emptyInterviews, InterviewBook, InterviewsStore, listInterviews } from '../../../../src/core/practice/interviews-store';
import { tempDir } from '../../helpers';

const clock = { now: () => new Date('2026-12-01T10:00:00.000Z') };
const at = (minutes: number) => new Date(Date.parse('2026-12-01T10:00:00.000Z') + minutes * 60_000);

function record(id: string, start = 0): InterviewRecord {
  return startInterview(
    id,
    [
      { id: 'core/a', section: 'serving', level: 'junior', minutes: 5, reason: 'new' },
      { id: 'core/b', section: 'monitoring', level: 'junior', minutes: 5, reason: 'due' },
    ],
    { lengthMinutes: 30, level: 'junior', sections: ['serving', 'monitoring'], withLab: false, keyPointTotal: () => 4 },
    at(start),
  );
}

async function openBook(file: string): Promise<InterviewBook> {
  return (await InterviewBook.open(new InterviewsStore(file, clock))).book;
}

describe('interviews store', () => {
  it('keeps an interview step by step, and lists finished ones for the dashboard', async () => {
    const file = path.join(await tempDir(), 'interviews.json');
    const book = await openBook(file);
    await book.add(record('iv-1'));
    await book.apply('iv-1', (r) => setTicks(markChecked(r, at(1)), r.current, [0, 1, 2], at(1)));
    await book.apply('iv-1', (r) => goTo(r, 1, at(3)));
    expect((await openBook(file)).active().map((r) => r.id)).toEqual(['iv-1']);
    await book.apply('iv-1', (r) => finishInterview(r, at(7)));
    const reopened = await openBook(file);
    expect(reopened.active()).toEqual([]);
    expect(reopened.list()).toEqual([
      {
        id: 'iv-1',
        startedAt: at(0).toISOString(),
        status: 'finished',
        lengthMinutes: 30,
        level: 'junior',
        questions: 2,
        totalMs: 7 * 60_000,
        sections: [
          { section: 'serving', covered: 3, total: 4 },
          { section: 'monitoring', covered: 0, total: 4 },
        ],
      },
    ]);
    expect(listInterviews(emptyInterviews())).toEqual([]);
  });

  it('writes atomically: a writer that dies before its rename leaves the previous file whole', async () => {
    const dir = await tempDir();
    const file = path.join(dir, 'interviews.json');
    await (await openBook(file)).add(record('iv-1'));
    const before = await readFile(file, 'utf8');
    const crashing = new InterviewsStore(file, clock, { rename: () => Promise.reject(Object.assign(new Error('killed'), { code: 'EIO' })) });
    const { book } = await InterviewBook.open(crashing);
    await expect(book.apply('iv-1', (r) => goTo(r, 1, at(2)))).rejects.toThrow('killed');
    expect(await readFile(file, 'utf8')).toBe(before);
    expect(await readdir(dir)).toEqual(['interviews.json']);
  });

  it('two books on one file, each opened before the other wrote, lose nothing (ticks land on the question ticked, whichever change goes first)', async () => {
    const file = path.join(await tempDir(), 'interviews.json');
    const [a, b] = [await openBook(file), await openBook(file)];
    await a.add(record('iv-a'));
    await Promise.all([b.add(record('iv-b', 1)), a.apply('iv-a', (r) => goTo(r, 1, at(2))), b.apply('iv-a', (r) => setTicks(r, 0, [1], at(2)))]);
    const reopened = await openBook(file);
    expect(
      reopened
        .active()
        .map((r) => r.id)
        .sort(),
    ).toEqual(['iv-a', 'iv-b']);
    const ivA = reopened.get('iv-a');
    expect(ivA?.current).toBe(1);
    expect(ivA?.questions[0]?.ticked).toEqual([1]);
    await a.refresh();
    expect(a.get('iv-b')).toBeDefined();
  });

  it.each([
    ['not JSON', '{"schemaVersion": 1, "interviews": ['],
    ['a bad record', JSON.stringify({ schemaVersion: 1, interviews: [{ id: 'x', status: 'paused' }] })],
  ])('sets a corrupt file (%s) aside, reports it, and starts fresh', async (_name, content) => {
    const dir = await tempDir();
    const file = path.join(dir, 'interviews.json');
    await writeFile(file, content);
    const { book, notice } = await InterviewBook.open(new InterviewsStore(file, clock));
    expect(notice).toMatchObject({ kind: 'recovered' });
    const backup = notice?.kind === 'recovered' ? notice.backupFile : '';
    expect(path.basename(backup)).toBe('interviews.corrupt-2026-12-01T10-00-00-000Z.json');
    expect(await readFile(backup, 'utf8')).toBe(content);
    expect(book.list()).toEqual([]);
    await book.add(record('iv-2'));
    expect((await openBook(file)).active()).toHaveLength(1);
  });
});
