import { readdir, readFile, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { emptyProgress, type ProgressData } from '../../../../src/core/progress/progress';
import { ProgressStore } from '../../../../src/core/progress/progress-store';
import { applyRating } from '../../../../src/core/progress/scheduler';
import { tempDir } from '../../helpers';

const clock = { now: () => new Date('2026-11-27T09:00:00.000Z') };

function sample(): ProgressData {
  const data = emptyProgress();
  data.questions['core/deepspeed-zero-stages'] = applyRating(undefined, 'good', clock.now());
  return data;
}

describe('progress store', () => {
  it('starts empty when there is no file, and round-trips what it saves', async () => {
    const file = path.join(await tempDir(), 'nested', 'progress.json');
    const store = new ProgressStore(file, clock);
    expect((await store.load()).data).toEqual(emptyProgress());
    await store.save(sample());
    expect((await new ProgressStore(file, clock).load()).data).toEqual(sample());
  });

  it('keeps the previous file whole when the process dies between write and rename', async () => {
    const dir = await tempDir();
    const file = path.join(dir, 'progress.json');
    await new ProgressStore(file, clock).save(sample());
    const crashing = new ProgressStore(file, clock, {
      rename: () => Promise.reject(Object.assign(new Error('killed'), { code: 'EIO' })),
    });
    const changed = sample();
    changed.questions['core/other'] = { ratings: [] };
    await expect(crashing.save(changed)).rejects.toThrow('killed');
    expect(JSON.parse(await readFile(file, 'utf8'))).toEqual(sample());
    expect((await new ProgressStore(file, clock).load()).data).toEqual(sample());
  });

  it('removes temp files a crashed writer left behind', async () => {
    const dir = await tempDir();
    const file = path.join(dir, 'progress.json');
    await writeFile(`${file}.tmp-999-deadbeef`, '{"half": ');
    await new ProgressStore(file, clock).load();
    expect(await readdir(dir)).toEqual([]);
  });

  it.each([
    ['not JSON', '{"schemaVersion": 1, "questions": {', /not valid JSON/],
    ['not an object', '[1, 2, 3]', /does not hold a JSON object/],
    ['a bad record', JSON.stringify({ schemaVersion: 1, questions: { 'core/a': { ratings: [{ at: 'yesterday', rating: 'meh' }] } } }), /must/],
  ])('keeps a corrupt file (%s) aside as a backup and starts fresh', async (_name, content, reason) => {
    const dir = await tempDir();
    const file = path.join(dir, 'progress.json');
    await writeFile(file, content);
    const result = await new ProgressStore(file, clock).load();
    expect(result.data).toEqual(emptyProgress());
    expect(result.notice).toMatchObject({ kind: 'recovered', reason: expect.stringMatching(reason) });
    const backup = result.notice?.kind === 'recovered' ? result.notice.backupFile : '';
    expect(path.basename(backup)).toBe('progress.corrupt-2026-11-27T09-00-00-000Z.json');
    expect(await readFile(backup, 'utf8')).toBe(content);
    // Told once: the next load finds no file and says nothing.
    expect((await new ProgressStore(file, clock).load()).notice).toBeUndefined();
  });

  it('migrates a file without schemaVersion (bare ids) to the current version with pack-qualified ids', async () => {
    const dir = await tempDir();
    const file = path.join(dir, 'progress.json');
    const record = sample().questions['core/deepspeed-zero-stages'];
    await writeFile(file, JSON.stringify({ questions: { 'deepspeed-zero-stages': record } }));
    const store = new ProgressStore(file, clock);
    const { data, notice } = await store.load();
    expect(notice).toBeUndefined();
    expect(data).toEqual({ schemaVersion: 2, questions: { 'core/deepspeed-zero-stages': record } });
    await store.save(data);
    expect(JSON.parse(await readFile(file, 'utf8')).schemaVersion).toBe(2);
  });

  it('loads a version-1 file (ratings without key point ticks) as it was, and keeps ticks given later', async () => {
    const dir = await tempDir();
    const file = path.join(dir, 'progress.json');
    const record = sample().questions['core/deepspeed-zero-stages'];
    await writeFile(file, JSON.stringify({ schemaVersion: 1, questions: { 'core/deepspeed-zero-stages': record } }));
    const store = new ProgressStore(file, clock);
    const { data, notice } = await store.load();
    expect(notice).toBeUndefined();
    expect(data.questions['core/deepspeed-zero-stages']).toEqual(record);
    const later = new Date('2026-11-28T09:00:00.000Z');
    data.questions['core/deepspeed-zero-stages'] = applyRating(record, 'hard', later, { ticked: [0, 2], total: 4 });
    await store.save(data);
    const saved = JSON.parse(await readFile(file, 'utf8'));
    expect(saved.schemaVersion).toBe(2);
    expect(saved.questions['core/deepspeed-zero-stages'].ratings).toEqual([
      { at: '2026-11-27T09:00:00.000Z', rating: 'good' },
      { at: '2026-11-28T09:00:00.000Z', rating: 'hard', keyPoints: { ticked: [0, 2], total: 4 } },
    ]);
    expect((await new ProgressStore(file, clock).load()).data).toEqual(data);
  });

  it('never overwrites a file from a newer version of the extension', async () => {
    const dir = await tempDir();
    const file = path.join(dir, 'progress.json');
    const future = JSON.stringify({ schemaVersion: 7, questions: {}, somethingNew: true });
    await writeFile(file, future);
    const store = new ProgressStore(file, clock);
    const result = await store.load();
    expect(result.notice).toMatchObject({ kind: 'read-only' });
    await store.save(sample());
    expect(await readFile(file, 'utf8')).toBe(future);
  });

  it('queues saves so the last one wins and none interleave', async () => {
    const file = path.join(await tempDir(), 'progress.json');
    const store = new ProgressStore(file, clock);
    const versions = Array.from({ length: 20 }, (_, i) => {
      const data = emptyProgress();
      data.questions[`core/q-${i}`] = { ratings: [] };
      return data;
    });
    await Promise.all(versions.map((v) => store.save(v)));
    expect(JSON.parse(await readFile(file, 'utf8'))).toEqual(versions.at(-1));
  });
});
