import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { applyMutant, parseMutant, readMutants, type Mutant } from '../../../../src/core/labs/mutants';
import { tempDir } from '../../helpers';

const SOLUTION = new Map([['rate.ts', 'export function rate(a: number, b: number): number {\n  return a / b;\n}\n']]);
const diff = (file: string, from: string, to: string) => `--- a/${file}\n+++ b/${file}\n@@ -1,3 +1,3 @@\n export function rate(a: number, b: number): number {\n-${from}\n+${to}\n }\n`;
const mutant = (text: string) => parseMutant('m', text) as Mutant;

describe('lab mutants', () => {
  it('reads the one-line mistake above a unified diff and applies it to the solution', () => {
    const m = mutant(`the ratio upside down\n${diff('rate.ts', '  return a / b;', '  return b / a;')}`);
    expect(m.mistake).toBe('the ratio upside down');
    const mutated = applyMutant(SOLUTION, m);
    expect(mutated).toBeInstanceOf(Map);
    expect((mutated as Map<string, string>).get('rate.ts')).toContain('return b / a;');
    expect(SOLUTION.get('rate.ts')).toContain('return a / b;');
  });

  it('says when the solution changed under a mutant, or the diff changes nothing', () => {
    expect(applyMutant(SOLUTION, mutant(`stale\n${diff('rate.ts', '  return a * b;', '  return b * a;')}`))).toBe(
      'its diff no longer applies to solution/rate.ts (the solution changed under it)',
    );
    expect(applyMutant(SOLUTION, mutant(`same\n${diff('rate.ts', '  return a / b;', '  return a / b;')}`))).toBe('its diff leaves solution/rate.ts unchanged');
    expect(applyMutant(SOLUTION, mutant(`elsewhere\n${diff('other.ts', '  return a / b;', '  return b / a;')}`))).toBe(
      'it changes other.ts, which solution/ does not have',
    );
  });

  it.each([
    ['no description', diff('rate.ts', 'x', 'y'), /exactly one line describing the mistake/],
    ['two lines of description', `one\ntwo\n${diff('rate.ts', 'x', 'y')}`, /exactly one line describing the mistake/],
    ['no diff', 'a mistake with nothing under it\n', /holds no diff/],
    ['a path out of solution/', `escape\n${diff('../tests/hidden/rate.test.ts', 'x', 'y')}`, /must change one file of solution\/ in place/],
    ['an absolute path', `escape\n--- /etc/passwd\n+++ /etc/passwd\n@@ -1 +1 @@\n-x\n+y\n`, /must change one file of solution\/ in place/],
  ])('refuses a mutant with %s', (_what, text, reason) => {
    expect(parseMutant('m', text)).toMatch(reason);
  });

  it('loads every good mutant of a folder and names each bad file with its reason', async () => {
    const lab = await tempDir();
    mkdirSync(path.join(lab, 'mutants'));
    writeFileSync(path.join(lab, 'mutants/upside-down.patch'), `upside down\n${diff('rate.ts', '  return a / b;', '  return b / a;')}`);
    writeFileSync(path.join(lab, 'mutants/Bad_Name.patch'), `x\n${diff('rate.ts', 'x', 'y')}`);
    writeFileSync(path.join(lab, 'mutants/notes.txt'), 'not a mutant');
    writeFileSync(path.join(lab, 'mutants/README.md'), '# Generated mutants judged equivalent\n');
    const { mutants, problems } = await readMutants(lab);
    expect(mutants.map((m) => m.name)).toEqual(['upside-down']);
    expect(problems).toEqual(['mutants/Bad_Name.patch: the name must be kebab-case', 'mutants/notes.txt: not a mutant (a mutant is a .patch file)']);
    expect(await readMutants(path.join(lab, 'no-such-lab'))).toEqual({ mutants: [], problems: [] });
  });
});
