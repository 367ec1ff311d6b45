import { mkdir, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { labFolderName, MARKER, planStart } from '../../../../src/core/labs/workspace';
import { tempDir } from '../../helpers';

describe('labFolderName', () => {
  it('names the folders of added packs by pack, so two packs with the same lab id do not collide', () => {
    expect(labFolderName({ id: 'latency-slo', packId: 'acme' })).toBe('acme-latency-slo');
    expect(labFolderName({ id: 'latency-slo', packId: 'globex' })).toBe('globex-latency-slo');
  });

  it('keeps the built-in labs where existing users have their work', () => {
    expect(labFolderName({ id: 'zero-memory', packId: 'core' })).toBe('zero-memory');
  });

  it('plans a fresh folder for the second pack where the first pack already holds work', async () => {
    const root = await tempDir();
    await mkdir(path.join(root, 'acme-latency-slo'), { recursive: true });
    await writeFile(path.join(root, 'acme-latency-slo', MARKER), JSON.stringify({ lab: 'acme/latency-slo', version: '1.0.0', pack: 'acme', packVersion: '0.1.0', startedAt: '2026-11-27T09:00:00.000Z' }));
    expect(await planStart(root, labFolderName({ id: 'latency-slo', packId: 'globex' }))).toEqual({ kind: 'fresh', dir: path.join(root, 'globex-latency-slo') });
    expect((await planStart(root, labFolderName({ id: 'latency-slo', packId: 'acme' }))).kind).toBe('existing');
  });
});
