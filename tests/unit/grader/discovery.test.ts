/** Finding a workspace's tests without running them, and which test files a save affects. */
import { describe, expect, it } from 'vitest';
import { affectedTestFiles, discoverTests, type DiscoveredTest } from '../../../src/grader/discovery';

const shape = (tests: DiscoveredTest[]): unknown[] =>
  tests.map((t) =>
    t.children.length ? { [`${t.kind} ${t.fullName ?? t.label}@${t.line}`]: shape(t.children) } : `${t.kind} ${t.fullName ?? t.label}@${t.line}`,
  );

describe('test discovery', () => {
  it('reads nested describes with it and test as aliases, each at its line', () => {
    const found = discoverTests(
      'tests/zero.test.ts',
      [
        "import { describe, it, test } from 'node:test';",
        "import assert from 'node:assert/strict';",
        "import { estimate } from '../src/zero';",
        "describe('stage 3', () => {",
        "  it('shards everything', () => assert.equal(estimate(1), 1));",
        "  describe('offload', () => {",
        '    test(`to the CPU`, async () => {});',
        '  });',
        '});',
        "test('top level', () => {});",
      ].join('\n'),
    );
    expect(found.error).toBeUndefined();
    expect(shape(found.tests)).toEqual([
      { 'suite stage 3@4': ['test stage 3 > shards everything@5', { 'suite stage 3 > offload@6': ['test stage 3 > offload > to the CPU@7'] }] },
      'test top level@10',
    ]);
    expect(found.tests[0]?.children[0]?.column).toBe(3);
  });

  it('follows renamed, default and namespace imports, and skip/only/todo forms', () => {
    const found = discoverTests(
      'tests/mine.test.ts',
      [
        "import check, { describe as group, it as spec } from 'node:test';",
        "import * as nt from 'node:test';",
        "group('g', () => { spec.only('a', () => {}); check.skip('b', () => {}); });",
        "nt.describe('h', () => { nt.it('c', () => {}); });",
        "it('not node:test here', () => {});",
      ].join('\n'),
    );
    expect(shape(found.tests)).toEqual([{ 'suite g@3': ['test g > a@3', 'test g > b@3'] }, { 'suite h@4': ['test h > c@4'] }]);
  });

  it('keeps a test with a computed name, without a full name the results could be matched to', () => {
    const found = discoverTests('tests/loop.test.ts', "import { it } from 'node:test';\nfor (const n of [1, 2]) it(`case ${n}`, () => {});\n");
    expect(found.tests).toHaveLength(1);
    expect(found.tests[0]?.fullName).toBeUndefined();
    expect(found.tests[0]?.label).toBe('(a computed name)');
  });

  it('reports a syntax error on its file, with its place, and still lists what it could read', () => {
    const broken = discoverTests('tests/broken.test.ts', "import { it } from 'node:test';\nit('first', () => {});\nconst x = ;\n");
    expect(broken.error?.message).toMatch(/^Syntax error: /);
    expect(broken.error?.line).toBe(3);
    expect(broken.tests.map((t) => t.fullName)).toEqual(['first']);
    const fine = discoverTests('tests/fine.test.ts', "import { it } from 'node:test';\nit('ok', () => {});\n");
    expect(fine.error).toBeUndefined();
    expect(fine.tests.map((t) => t.fullName)).toEqual(['ok']);
  });

  it('a file that cannot be parsed at all is one error, not an exception', () => {
    const found = discoverTests('tests/garbage.test.ts', '}}}{{{ <<<');
    expect(found.error).toBeDefined();
    expect(found.tests).toEqual([]);
  });
});

describe('which test files a save affects', () => {
  const sources = new Map([
    ['src/zero.ts', "import { bytes } from './units';\nexport const estimate = (n: number) => bytes(n);\n"],
    ['src/units.ts', 'export const bytes = (n: number) => n * 2;\n'],
    ['src/other.ts', 'export const other = 1;\n'],
    ['tests/zero.test.ts', "import { estimate } from '../src/zero.js';\n"],
    ['tests/other.test.ts', "import { other } from '../src/other';\nimport { helper } from './helper';\n"],
    ['tests/helper.ts', "export { bytes as helper } from '../src/units';\n"],
    ['tests/none.test.ts', "import { it } from 'node:test';\n"],
  ]);

  it('follows imports through src/ and through test helpers', () => {
    expect(affectedTestFiles(['src/units.ts'], sources)).toEqual(['tests/other.test.ts', 'tests/zero.test.ts']);
    expect(affectedTestFiles(['src/zero.ts'], sources)).toEqual(['tests/zero.test.ts']);
    expect(affectedTestFiles(['src/other.ts'], sources)).toEqual(['tests/other.test.ts']);
  });

  it('a saved test file runs itself, a saved helper its importers, an unrelated file nothing', () => {
    expect(affectedTestFiles(['tests/none.test.ts'], sources)).toEqual(['tests/none.test.ts']);
    expect(affectedTestFiles(['tests/helper.ts'], sources)).toEqual(['tests/other.test.ts']);
    expect(affectedTestFiles(['README.md'], sources)).toEqual([]);
  });
});
