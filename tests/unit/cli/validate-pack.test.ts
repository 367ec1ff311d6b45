import { spawnSync } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCatalog } from '../../../src/core/catalog/catalog';
import { readZip, PACK_ZIP_LIMITS } from '../../../src/core/io/zip';
import { buildPack, initPack } from '../../../src/cli/pack';
import { UsageError } from '../../../src/cli/context';

const CLI = path.resolve(__dirname, '../../../dist/cli.js');
let work: string;

beforeAll(async () => {
  work = await mkdtemp(path.join(tmpdir(), 'validate-pack-'));
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

async function freshPack(name: string): Promise<string> {
  const dir = path.join(work, name);
  await initPack(dir, { id: name, name: `Pack ${name}`, author: 'Acme Training' });
  return dir;
}

/** Runs the built `mlops-labs validate` (the grader's child needs dist/), returning its exit code and output. */
async function runValidate(targets: string[]): Promise<{ code: number; out: string }> {
  const result = spawnSync(process.execPath, [CLI, 'validate', ...targets], { encoding: 'utf8' });
  return { code: result.status ?? -1, out: `${result.stdout}${result.stderr}` };
}

const LAB = 'labs/latency-slo';

describe('mlops-labs validate on a pack', () => {
  it('passes the pack init writes, checking the student build too', async () => {
    const { code, out } = await runValidate([await freshPack('fresh')]);
    expect(out).toMatch(/✓ fresh\/latency-slo: solution passes 2 public and 12 hidden tests; the starter fails all 2 tasks/);
    expect(out).toMatch(/✓ fresh: the student build \(\d+ files\) holds no solution or hidden-test file/);
    expect(code).toBe(0);
  });

  it('catches a reference solution that fails its hidden tests', async () => {
    const dir = await freshPack('broken-solution');
    await copyFile(path.join(dir, LAB, 'starter/slo.ts'), path.join(dir, LAB, 'solution/slo.ts'));
    const { code, out } = await runValidate([dir]);
    expect(code).toBe(1);
    expect(out).toMatch(/the reference solution does not pass the public suite/);
    expect(out).toMatch(/the reference solution does not pass the hidden suite/);
  });

  it('catches a starter that already passes a hidden task', async () => {
    const dir = await freshPack('solved-starter');
    await copyFile(path.join(dir, LAB, 'solution/slo.ts'), path.join(dir, LAB, 'starter/slo.ts'));
    const { code, out } = await runValidate([dir]);
    expect(code).toBe(1);
    expect(out).toMatch(/the starter already passes task 1/);
    expect(out).toMatch(/the starter already passes task 2/);
  });

  it('catches a student build that would leak a line of the solution', async () => {
    const dir = await freshPack('leaky');
    const solution = await readFile(path.join(dir, LAB, 'solution/slo.ts'), 'utf8');
    const starter = await readFile(path.join(dir, LAB, 'starter/slo.ts'), 'utf8');
    const secret = solution.split('\n').find((l) => l.trim().length >= 30 && !starter.includes(l.trim())) ?? '';
    await writeFile(path.join(dir, LAB, 'README.md'), `${await readFile(path.join(dir, LAB, 'README.md'), 'utf8')}\n\`\`\`ts\n${secret}\n\`\`\`\n`);
    const { code, out } = await runValidate([dir]);
    expect(code).toBe(1);
    expect(out).toMatch(/✗ leaky: the student build leaks: labs\/latency-slo\/README.md holds a line of labs\/latency-slo\/solution\/slo.ts/);
  });

  it('reports a pack that does not load with its file and reason', async () => {
    const dir = await freshPack('bad-manifest');
    await writeFile(path.join(dir, 'pack.json'), '{ "id": "bad-manifest" }');
    const { code, out } = await runValidate([dir]);
    expect(code).toBe(1);
    expect(out).toContain(`✗ ${path.join(dir, 'pack.json')}: pack.json: missing field "name"`);
  });
});

describe('mlops-labs pack build', () => {
  it('writes a student zip without solutions, mutants or hidden tests, which validates as a student build', async () => {
    const dir = await freshPack('builds');
    const catalog = await loadCatalog([dir]);
    const pack = catalog.packs[0];
    if (!pack) throw new Error('pack did not load');
    const student = await buildPack(catalog, pack, 'student', path.join(work, 'builds-student.zip'));
    const full = await buildPack(catalog, pack, 'full', path.join(work, 'builds-full.zip'));
    expect(student.excluded).toEqual([
      `${LAB}/mutants/floor-rank.patch`,
      `${LAB}/mutants/slow-at-threshold.patch`,
      `${LAB}/mutants/sorts-in-place.patch`,
      `${LAB}/solution/slo.ts`,
      `${LAB}/tests/hidden/slo.test.ts`,
    ]);
    const studentFiles = [...(await readZip(student.file, PACK_ZIP_LIMITS)).keys()];
    expect(studentFiles.filter((f) => f.includes('solution') || f.includes('hidden') || f.includes('mutants'))).toEqual([]);
    expect([...(await readZip(full.file, PACK_ZIP_LIMITS)).keys()]).toEqual(
      expect.arrayContaining([`${LAB}/solution/slo.ts`, `${LAB}/tests/hidden/slo.test.ts`]),
    );
    const { code, out } = await runValidate([student.file]);
    expect(out).toMatch(/✓ builds\/latency-slo: a student build \(no solution, no hidden tests\)/);
    expect(code).toBe(0);
  });

  it('refuses to build a student zip from a student build', async () => {
    const dir = await freshPack('from-student');
    await rm(path.join(dir, LAB, 'solution'), { recursive: true });
    await rm(path.join(dir, LAB, 'tests/hidden'), { recursive: true });
    const catalog = await loadCatalog([dir]);
    const pack = catalog.packs[0];
    if (!pack) throw new Error('pack did not load');
    await expect(buildPack(catalog, pack, 'student', path.join(work, 'x.zip'))).rejects.toThrow(UsageError);
  });

  it('writes into the pack folder by default and never replaces a zip without --force', async () => {
    const dir = await freshPack('defaults');
    const catalog = await loadCatalog([dir]);
    const pack = catalog.packs[0];
    if (!pack) throw new Error('pack did not load');
    const built = await buildPack(catalog, pack, 'student', undefined);
    expect(built.file).toBe(path.join(dir, `${pack.id}-${pack.version}-student.zip`));
    await writeFile(built.file, 'an earlier build the author kept');
    await expect(buildPack(catalog, pack, 'student', undefined)).rejects.toThrow(/exists; give --force/);
    expect(await readFile(built.file, 'utf8')).toBe('an earlier build the author kept');
    await buildPack(catalog, pack, 'student', undefined, true);
    expect((await readZip(built.file, PACK_ZIP_LIMITS)).has('pack.json')).toBe(true);
    // The zip beside pack.json is not part of the next build.
    const again = await buildPack(catalog, pack, 'full', undefined);
    expect([...(await readZip(again.file, PACK_ZIP_LIMITS)).keys()].some((f) => f.endsWith('.zip'))).toBe(false);
  });

  it('pack init refuses a folder that holds files', async () => {
    const dir = path.join(work, 'occupied');
    await mkdir(dir);
    await writeFile(path.join(dir, 'notes.md'), 'mine');
    await expect(initPack(dir, { id: 'occupied', name: 'x', author: 'y' })).rejects.toThrow(/not empty/);
    expect(await readFile(path.join(dir, 'notes.md'), 'utf8')).toBe('mine');
  });
});
