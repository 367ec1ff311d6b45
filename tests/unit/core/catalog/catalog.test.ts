import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCatalog } from '../../../../src/core/catalog/catalog';
import { labJson, packJson, questionFile, tempDir, writeTree } from '../../helpers';

describe('catalog', () => {
  it('loads questions in section order, then by file number', async () => {
    const root = await tempDir();
    await writeTree(root, {
      'pack.json': packJson(),
      'questions/05-serving/02-b.md': questionFile({ id: 'b', section: 'serving' }),
      'questions/05-serving/01-a.md': questionFile({ id: 'a', section: 'serving' }),
      'questions/01-training-frameworks/03-c.md': questionFile({ id: 'c' }),
      'questions/01-training-frameworks/README.md': '# not a question',
      'labs/README.md': '# labs',
    });
    const catalog = await loadCatalog([root]);
    expect(catalog.problems).toEqual([]);
    expect(catalog.questions.map((q) => q.qualifiedId)).toEqual(['core/c', 'core/a', 'core/b']);
    expect(catalog.question('core/a')?.title).toBeDefined();
  });

  it('reports each bad question with its file and reason, and loads every other one', async () => {
    const root = await tempDir();
    await writeTree(root, {
      'pack.json': packJson(),
      'questions/01-training-frameworks/01-good.md': questionFile({ id: 'good' }),
      'questions/01-training-frameworks/02-bad-yaml.md': '---\ntitle: [\n---\n',
      'questions/01-training-frameworks/03-wrong-folder.md': questionFile({ id: 'wrong-folder', section: 'monitoring' }),
      'questions/01-training-frameworks/04-dup.md': questionFile({ id: 'good' }),
      'questions/01-training-frameworks/05-unknown-lab.md': questionFile({ id: 'unknown-lab', labs: ['time-travel'] }),
      'questions/01-training-frameworks/06-planned-lab.md': questionFile({ id: 'planned-lab', labs: ['quantization'] }),
      'questions/99-astrology/01-x.md': questionFile({ id: 'x' }),
    });
    const catalog = await loadCatalog([root]);
    expect(catalog.questions.map((q) => q.id)).toEqual(['good', 'planned-lab']);
    const problems = Object.fromEntries(catalog.problems.map((p) => [path.relative(root, p.file), p.message]));
    expect(problems['questions/01-training-frameworks/02-bad-yaml.md']).toMatch(/not valid YAML/);
    expect(problems['questions/01-training-frameworks/03-wrong-folder.md']).toMatch(/does not match its folder/);
    expect(problems['questions/01-training-frameworks/04-dup.md']).toMatch(/duplicate id "good"/);
    expect(problems['questions/01-training-frameworks/05-unknown-lab.md']).toMatch(/"core\/time-travel" is neither shipped nor planned/);
    expect(problems['questions/99-astrology']).toMatch(/not a section/);
    expect(catalog.labStatus('core/quantization')).toBe('planned');
  });

  it('skips a pack with a broken manifest and loads the others', async () => {
    const good = await tempDir();
    const broken = await tempDir();
    await writeTree(good, { 'pack.json': packJson(), 'questions/01-training-frameworks/01-a.md': questionFile({ id: 'a' }) });
    await writeTree(broken, { 'pack.json': packJson({ id: 'Bad Id', version: 'one' }) });
    const catalog = await loadCatalog([broken, good]);
    expect(catalog.packs.map((p) => p.id)).toEqual(['core']);
    expect(catalog.questions).toHaveLength(1);
    const messages = catalog.problems.filter((p) => p.file === path.join(broken, 'pack.json')).map((p) => p.message);
    expect(messages).toEqual(expect.arrayContaining([expect.stringMatching(/^id: must match pattern/), expect.stringMatching(/^version: must match pattern/)]));
  });

  it('namespaces ids by pack, so two packs may use the same local id', async () => {
    const core = await tempDir();
    const other = await tempDir();
    await writeTree(core, { 'pack.json': packJson({ labs: [] }), 'questions/01-training-frameworks/01-a.md': questionFile({ id: 'a' }) });
    await writeTree(other, { 'pack.json': packJson({ id: 'bootcamp', labs: [] }), 'questions/01-training-frameworks/01-a.md': questionFile({ id: 'a' }) });
    const catalog = await loadCatalog([core, other]);
    expect(catalog.problems).toEqual([]);
    expect(catalog.questions.map((q) => q.qualifiedId)).toEqual(['core/a', 'bootcamp/a']);
  });

  it('rejects a pack path that leaves the pack', async () => {
    const root = await tempDir();
    await writeTree(root, { 'pack.json': packJson({ questions: ['../elsewhere'] }) });
    const catalog = await loadCatalog([root]);
    expect(catalog.packs).toEqual([]);
    expect(catalog.problems[0]?.message).toMatch(/questions\.0: must match pattern/);
  });

  it('loads labs, checks their manifest and links related questions', async () => {
    const root = await tempDir();
    await writeTree(root, {
      'pack.json': packJson(),
      'questions/02-distributed-training/01-zero.md': questionFile({ id: 'zero', section: 'distributed-training', labs: ['zero-memory'] }),
      'labs/zero-memory/lab.json': labJson({ questions: ['zero', 'missing-question'] }),
      'labs/bad-lab/lab.json': labJson({ id: 'bad-lab', tasks: [] }),
      'labs/renamed/lab.json': labJson({ id: 'other-name' }),
    });
    const catalog = await loadCatalog([root]);
    expect(catalog.labs.map((l) => l.qualifiedId)).toEqual(['core/zero-memory']);
    expect(catalog.labStatus('core/zero-memory')).toBe('shipped');
    const messages = catalog.problems.map((p) => `${path.relative(root, p.file)}: ${p.message}`);
    expect(messages).toEqual(
      expect.arrayContaining([
        'labs/bad-lab/lab.json: tasks: must NOT have fewer than 1 items',
        'labs/renamed/lab.json: id "other-name" must equal the lab\'s folder name "renamed"',
        'labs/zero-memory/lab.json: related question "core/missing-question" not found',
      ]),
    );
  });

  it('reports a question and a lab that share an id', async () => {
    const root = await tempDir();
    await writeTree(root, {
      'pack.json': packJson(),
      'questions/02-distributed-training/01-zero-memory.md': questionFile({ id: 'zero-memory', section: 'distributed-training' }),
      'labs/zero-memory/lab.json': labJson(),
    });
    const catalog = await loadCatalog([root]);
    expect(catalog.questions).toEqual([]);
    expect(catalog.problems[0]?.message).toMatch(/duplicate id "zero-memory": a lab/);
  });
});
