import { existsSync, readdirSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadCatalog } from '../../../../src/core/catalog/catalog';
import { collectPackFiles, findLeaks } from '../../../../src/core/packs/pack-build';
import { sha256 } from '../../../../src/core/io/hash';
import { openPackSource, openPackSources, PackSourceError } from '../../../../src/core/packs/pack-source';
import { readZip, PACK_ZIP_LIMITS } from '../../../../src/core/io/zip';
import { writeZip } from '../../../../src/core/io/zip-write';
import { packTemplate } from '../../../../src/cli/pack-template';
import { rawZip, unixMode } from '../io/zip-fixtures';

const ROOT = path.resolve(__dirname, '../../../..');
let work: string;
let cache: string;

beforeEach(async () => {
  work = await mkdtemp(path.join(tmpdir(), 'packs-test-'));
  cache = path.join(work, 'cache');
});
afterEach(async () => {
  await rm(work, { recursive: true, force: true });
});

async function writePack(dir: string, id = 'acme', edit?: (files: Map<string, string>) => void): Promise<string> {
  const files = await packTemplate({ id, name: `Pack ${id}`, author: 'Acme Training' });
  edit?.(files);
  for (const [rel, text] of files) {
    const file = path.join(dir, rel);
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, text);
  }
  return dir;
}

async function loadPack(dir: string) {
  const catalog = await loadCatalog([dir]);
  const pack = catalog.packs[0];
  if (!pack) throw new Error(`pack did not load: ${JSON.stringify(catalog.problems)}`);
  return { catalog, pack, labs: catalog.labs.filter((l) => l.packId === pack.id) };
}

describe('loading packs', () => {
  it('loads an added pack beside the built-in one, its ids namespaced by the pack', async () => {
    const dir = await writePack(path.join(work, 'acme'));
    const catalog = await loadCatalog([ROOT, dir]);
    expect(catalog.problems).toEqual([]);
    expect(catalog.packs.map((p) => p.id)).toEqual(['core', 'acme']);
    expect(catalog.lab('acme/latency-slo')?.contents).toEqual({ hiddenTests: true, solution: true });
    expect(catalog.questions.filter((q) => q.packId === 'acme').map((q) => q.qualifiedId)).toEqual(['acme/latency-slo-alerting']);
  });

  it('keeps two packs apart when they use the same local ids', async () => {
    const a = await writePack(path.join(work, 'a'), 'bootcamp-a');
    const b = await writePack(path.join(work, 'b'), 'bootcamp-b');
    const catalog = await loadCatalog([a, b]);
    expect(catalog.problems).toEqual([]);
    expect(catalog.labs.map((l) => l.qualifiedId)).toEqual(['bootcamp-a/latency-slo', 'bootcamp-b/latency-slo']);
  });

  it('skips a second pack with an id already loaded, and says which file and why', async () => {
    const a = await writePack(path.join(work, 'a'), 'same');
    const b = await writePack(path.join(work, 'b'), 'same');
    const catalog = await loadCatalog([a, b]);
    expect(catalog.packs).toHaveLength(1);
    expect(catalog.problems).toEqual([{ file: path.join(b, 'pack.json'), message: 'pack id "same" is already loaded; skipped' }]);
  });

  it('reports a broken pack with its file and reason while the others load', async () => {
    const good = await writePack(path.join(work, 'good'), 'good');
    const broken = await writePack(path.join(work, 'broken'), 'broken', (files) => {
      const manifest = JSON.parse(files.get('pack.json') ?? '{}') as Record<string, unknown>;
      files.set('pack.json', JSON.stringify({ ...manifest, version: 'one' }));
    });
    const badLab = await writePack(path.join(work, 'bad-lab'), 'bad-lab', (files) => files.set('labs/latency-slo/lab.json', '{ "id": "latency-slo", '));
    const catalog = await loadCatalog([ROOT, good, broken, badLab]);
    expect(catalog.packs.map((p) => p.id)).toEqual(['core', 'good', 'bad-lab']);
    expect(catalog.problems.find((p) => p.file === path.join(broken, 'pack.json'))?.message).toMatch(/version/);
    expect(catalog.problems.find((p) => p.file === path.join(badLab, 'labs', 'latency-slo', 'lab.json'))?.message).toMatch(/not valid JSON/);
    expect(catalog.lab('good/latency-slo')).toBeDefined();
  });
});

describe('zip packs', () => {
  async function zipOf(dir: string, file: string, prefix = ''): Promise<string> {
    const { pack, labs } = await loadPack(dir);
    const build = await collectPackFiles(pack, labs, 'student');
    await writeZip(new Map([...build.files].map(([rel, data]) => [`${prefix}${rel}`, data])), file);
    return file;
  }

  it('unpacks a student zip once into a cache named by its SHA-256, and loads it as a student pack', async () => {
    const zip = await zipOf(await writePack(path.join(work, 'src')), path.join(work, 'acme.zip'));
    const first = await openPackSource(zip, cache);
    const again = await openPackSource(zip, cache);
    expect(first).toMatchObject({ kind: 'zip', source: zip });
    expect(first.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(again.dir).toBe(first.dir);
    expect(readdirSync(cache)).toHaveLength(1);
    const catalog = await loadCatalog([first.dir]);
    expect(catalog.problems).toEqual([]);
    expect(catalog.lab('acme/latency-slo')?.contents).toEqual({ hiddenTests: false, solution: false });
  });

  it('checks a reused copy against its checksums again when asked (the CLI), and unpacks afresh a copy edited since', async () => {
    const zip = await zipOf(await writePack(path.join(work, 'src')), path.join(work, 'acme.zip'));
    const first = await openPackSource(zip, cache);
    const readme = path.join(first.dir, 'labs', 'latency-slo', 'README.md');
    const original = await readFile(readme, 'utf8');
    await writeFile(readme, 'planted by someone else');
    // Without the re-check the copy is reused as it is (the editor's cache is private to the user)…
    await openPackSource(zip, cache);
    expect(await readFile(readme, 'utf8')).toBe('planted by someone else');
    // …with it, the edited copy is thrown away and the zip unpacked again.
    await openPackSource(zip, cache, undefined, true);
    expect(await readFile(readme, 'utf8')).toBe(original);
  });

  it('the CLI keeps its unpacked packs in a private per-user cache, never the shared temp folder', async () => {
    const { packCache } = await import('../../../../src/cli/context');
    const base = path.join(work, 'xdg');
    await mkdir(path.join(base, 'mlops-labs', 'packs'), { recursive: true, mode: 0o777 });
    const { chmod, stat } = await import('node:fs/promises');
    await chmod(path.join(base, 'mlops-labs', 'packs'), 0o777);
    const dir = packCache({ XDG_CACHE_HOME: base });
    expect(dir).toBe(path.join(base, 'mlops-labs', 'packs'));
    expect((await stat(dir)).mode & 0o777).toBe(0o700);
    expect(dir.startsWith(tmpdir() + path.sep + 'mlops-labs-packs')).toBe(false);
  });

  it('finds pack.json inside the one top folder of a zipped folder', async () => {
    const zip = await zipOf(await writePack(path.join(work, 'src')), path.join(work, 'nested.zip'), 'my-pack/');
    const opened = await openPackSource(zip, cache);
    expect(path.basename(opened.dir)).toBe('my-pack');
  });

  const hostile: [string, Parameters<typeof rawZip>[0], RegExp][] = [
    [
      'a path outside the folder (zip-slip)',
      [
        { name: 'pack.json', data: '{}' },
        { name: '../../evil.ts', data: 'x' },
      ],
      /outside/,
    ],
    ['an absolute path', [{ name: '/etc/cron.d/evil', data: 'x' }], /absolute|outside/],
    [
      'a symbolic link',
      [
        { name: 'pack.json', data: '{}' },
        { name: 'link', data: '/etc/passwd', externalAttributes: unixMode(0o120777) },
      ],
      /link/,
    ],
    [
      'a file over the size limit',
      [{ name: 'big.bin', data: 'x', declaredSize: PACK_ZIP_LIMITS.fileBytes * 2 }],
      /is 200 MB unpacked; a file may be at most 100 MB/,
    ],
  ];
  for (const [what, entries, reason] of hostile) {
    it(`refuses a zip with ${what}, names the zip, and leaves nothing behind`, async () => {
      const zip = path.join(work, 'hostile.zip');
      await writeFile(zip, rawZip(entries));
      const error = await openPackSource(zip, cache).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(PackSourceError);
      expect((error as PackSourceError).file).toBe(zip);
      expect((error as Error).message).toMatch(reason);
      expect(existsSync(cache) ? readdirSync(cache) : []).toEqual([]);
      expect(existsSync(path.join(work, 'evil.ts'))).toBe(false);
    });
  }

  it('refuses a zip with too many files', async () => {
    const zip = path.join(work, 'many.zip');
    await writeFile(zip, rawZip(Array.from({ length: PACK_ZIP_LIMITS.files + 1 }, (_, i) => ({ name: `f${i}.txt`, data: '', method: 0 }))));
    await expect(openPackSource(zip, cache)).rejects.toThrow(/files|limit/);
  });

  it('refuses a zip whose files differ from its checksums', async () => {
    const dir = await writePack(path.join(work, 'src'));
    const { pack, labs } = await loadPack(dir);
    const build = await collectPackFiles(pack, labs, 'student');
    build.files.set('labs/latency-slo/starter/slo.ts', Buffer.from('// edited after the build\n'));
    const zip = path.join(work, 'edited.zip');
    await writeZip(build.files, zip);
    await expect(openPackSource(zip, cache)).rejects.toThrow(/labs\/latency-slo\/starter\/slo\.ts does not match its checksum/);
    // The unpacked copy is removed, so the same zip is checked again next time rather than trusted.
    expect(readdirSync(cache)).toEqual([]);
  });

  it('opens the good sources and reports each bad one with its file', async () => {
    const good = await writePack(path.join(work, 'good'));
    const notZip = path.join(work, 'notes.txt');
    await writeFile(notZip, 'hello');
    const { opened, problems } = await openPackSources([good, path.join(work, 'missing.zip'), notZip], cache);
    expect(opened.map((o) => o.dir)).toEqual([good]);
    expect(problems.map((p) => [path.basename(p.file), p.message])).toEqual([
      ['missing.zip', 'not found'],
      ['notes.txt', 'a lab pack is a folder holding pack.json or a .zip of one'],
    ]);
  });
});

describe('the student build', () => {
  it('holds no solution, mutant or hidden test, and its checksums match every file it holds', async () => {
    const dir = await writePack(path.join(work, 'acme'));
    // A mutant is the solution with one mistake: it gives the solution away as surely as the solution does.
    await mkdir(path.join(dir, 'labs/latency-slo/mutants'), { recursive: true });
    await writeFile(path.join(dir, 'labs/latency-slo/mutants/off-by-one.patch'), 'an off-by-one rank\n--- a/slo.ts\n+++ b/slo.ts\n@@ -1 +1 @@\n-a\n+b\n');
    const { pack, labs } = await loadPack(dir);
    const { files, excluded } = await collectPackFiles(pack, labs, 'student');
    expect(excluded).toEqual(
      expect.arrayContaining(['labs/latency-slo/mutants/off-by-one.patch', 'labs/latency-slo/solution/slo.ts', 'labs/latency-slo/tests/hidden/slo.test.ts']),
    );
    expect(excluded.filter((f) => !/^labs\/latency-slo\/(mutants|solution|tests\/hidden)\//.test(f))).toEqual([]);
    expect([...files.keys()].filter((f) => /solution|hidden|mutants/.test(f))).toEqual([]);
    const manifest = JSON.parse((files.get('pack.json') as Buffer).toString('utf8')) as { checksums: Record<string, string>; dir?: string };
    expect(manifest.dir).toBeUndefined();
    expect(Object.keys(manifest.checksums).sort()).toEqual([...files.keys()].filter((f) => f !== 'pack.json').sort());
    for (const [rel, digest] of Object.entries(manifest.checksums)) expect(sha256(files.get(rel) as Buffer)).toBe(digest);
    expect(await findLeaks(pack, labs, files)).toEqual([]);
  });

  it('the full build holds everything, with checksums', async () => {
    const { pack, labs } = await loadPack(await writePack(path.join(work, 'acme')));
    const { files, excluded } = await collectPackFiles(pack, labs, 'full');
    expect(excluded).toEqual([]);
    expect(files.has('labs/latency-slo/solution/slo.ts') && files.has('labs/latency-slo/tests/hidden/slo.test.ts')).toBe(true);
  });

  it('finds a solution line copied into a README, and a hidden test carried in under another name', async () => {
    const dir = await writePack(path.join(work, 'acme'));
    const { pack, labs } = await loadPack(dir);
    const solution = await readFile(path.join(dir, 'labs/latency-slo/solution/slo.ts'), 'utf8');
    const starter = await readFile(path.join(dir, 'labs/latency-slo/starter/slo.ts'), 'utf8');
    const secret = solution
      .split('\n')
      .map((l) => l.trim())
      .find((l) => l.length >= 30 && !starter.includes(l));
    expect(secret).toBeDefined();
    const { files } = await collectPackFiles(pack, labs, 'student');
    files.set('labs/latency-slo/README.md', Buffer.from(`# Notes\n\n    ${secret}\n`));
    files.set('labs/latency-slo/tests/public/extra.test.ts', await readFile(path.join(dir, 'labs/latency-slo/tests/hidden/slo.test.ts')));
    const leaks = await findLeaks(pack, labs, files);
    expect(leaks.some((l) => l.startsWith('labs/latency-slo/README.md holds a line of labs/latency-slo/solution/slo.ts'))).toBe(true);
    expect(leaks.some((l) => l.startsWith('labs/latency-slo/tests/public/extra.test.ts holds a line of labs/latency-slo/tests/hidden/slo.test.ts'))).toBe(true);
  });

  it('a student zip round-trips: what students load is what was built', async () => {
    const { pack, labs } = await loadPack(await writePack(path.join(work, 'acme')));
    const { files } = await collectPackFiles(pack, labs, 'student');
    const zip = path.join(work, 'acme-0.1.0-student.zip');
    await writeZip(files, zip);
    expect(await readZip(zip, PACK_ZIP_LIMITS)).toEqual(files);
  });
});
