import { existsSync, readFileSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadCatalog } from '../../../../src/core/catalog/catalog';
import type { Lab } from '../../../../src/core/catalog/types';
import { MARKER, planStart, readMarker, restoreStarter, writeWorkspace } from '../../../../src/core/labs/workspace';
import { tempDir } from '../../helpers';

const ROOT = path.resolve(__dirname, '../../../..');
const TYPES = path.join(ROOT, 'dist/types');
const clock = { now: () => new Date('2026-11-27T09:00:00.000Z') };
let lab: Lab;

beforeAll(async () => {
  const catalog = await loadCatalog([ROOT]);
  lab = catalog.lab('core/zero-memory')!;
});

describe('starting a lab', () => {
  it('writes the workspace of docs/formats.md: starter, public tests, README, tsconfig, marker, types', async () => {
    const dir = path.join(await tempDir(), 'zero-memory');
    const written = await writeWorkspace(dir, { lab, packVersion: '0.1.0', typesDir: TYPES }, clock);
    expect(written).toEqual(expect.arrayContaining(['src/zero.ts', 'tests/zero.test.ts', 'README.md', 'tsconfig.json', MARKER]));
    expect(readFileSync(path.join(dir, 'src/zero.ts'), 'utf8')).toBe(readFileSync(path.join(lab.dir, 'starter/zero.ts'), 'utf8'));
    expect(await readMarker(dir)).toEqual({ lab: 'core/zero-memory', version: lab.version, pack: 'core', packVersion: '0.1.0', startedAt: '2026-11-27T09:00:00.000Z' });
    expect(existsSync(path.join(dir, '.lab-types/node_modules/@types/node/test.d.ts'))).toBe(true);
    expect(existsSync(path.join(dir, 'solution'))).toBe(false);
    expect(existsSync(path.join(dir, 'tests/hidden'))).toBe(false);
  });

  it('starts fresh where nothing is, and in an empty folder', async () => {
    const root = await tempDir();
    expect(await planStart(root, 'zero-memory')).toEqual({ kind: 'fresh', dir: path.join(root, 'zero-memory') });
    await mkdir(path.join(root, 'zero-memory'));
    expect((await planStart(root, 'zero-memory')).kind).toBe('fresh');
  });

  it('never picks a folder that holds work: it offers to reopen it or names the next free folder', async () => {
    const root = await tempDir();
    await writeWorkspace(path.join(root, 'zero-memory'), { lab, packVersion: '0.1.0', typesDir: TYPES }, clock);
    await mkdir(path.join(root, 'zero-memory-2'));
    await writeFile(path.join(root, 'zero-memory-2', 'notes.txt'), 'mine');
    const plan = await planStart(root, 'zero-memory');
    expect(plan).toMatchObject({ kind: 'existing', dir: path.join(root, 'zero-memory'), marker: { lab: 'core/zero-memory' }, alternative: path.join(root, 'zero-memory-3') });
  });

  it('refuses to write over a file that is already there', async () => {
    const dir = path.join(await tempDir(), 'zero-memory');
    await mkdir(path.join(dir, 'src'), { recursive: true });
    await writeFile(path.join(dir, 'src/zero.ts'), 'my work');
    await expect(writeWorkspace(dir, { lab, packVersion: '0.1.0', typesDir: TYPES }, clock)).rejects.toMatchObject({ code: 'EEXIST' });
    expect(await readFile(path.join(dir, 'src/zero.ts'), 'utf8')).toBe('my work');
  });

  it('restores the starter into src/ and leaves other files alone', async () => {
    const dir = path.join(await tempDir(), 'zero-memory');
    await writeWorkspace(dir, { lab, packVersion: '0.1.0', typesDir: TYPES }, clock);
    await writeFile(path.join(dir, 'src/zero.ts'), 'edited');
    await writeFile(path.join(dir, 'src/helper.ts'), 'extra');
    expect(await restoreStarter(dir, lab)).toEqual(['zero.ts']);
    expect(readFileSync(path.join(dir, 'src/zero.ts'), 'utf8')).toBe(readFileSync(path.join(lab.dir, 'starter/zero.ts'), 'utf8'));
    expect(readFileSync(path.join(dir, 'src/helper.ts'), 'utf8')).toBe('extra');
  });
});

describe('IntelliSense in an ONNX lab workspace', () => {
  it('maps onnxruntime-node to the declarations copied in with the workspace', async () => {
    const dir = path.join(await tempDir(), 'onnx');
    const onnxLab: Lab = { ...lab, runtime: { ...lab.runtime, onnxruntime: true } };
    await writeWorkspace(dir, { lab: onnxLab, packVersion: '0.1.0', typesDir: TYPES }, clock);
    const tsconfig = JSON.parse(readFileSync(path.join(dir, 'tsconfig.json'), 'utf8'));
    expect(tsconfig.compilerOptions.paths).toEqual({ 'onnxruntime-node': ['./.lab-types/node_modules/onnxruntime-node/dist/index.d.ts'] });
    expect(existsSync(path.join(dir, '.lab-types/node_modules/onnxruntime-node/dist/index.d.ts'))).toBe(true);
    expect(existsSync(path.join(dir, '.lab-types/node_modules/onnxruntime-common/dist/cjs/index.d.ts'))).toBe(true);
  });
});
