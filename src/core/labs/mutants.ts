/**
 * A lab's mutants (docs/formats.md §3): wrong solutions, each kept as a unified diff against `solution/` with
 * a one-line description of the mistake above it. A diff stays in step with the reference: when the solution
 * changes under it, the mutant is reported as no longer applying, never skipped.
 */
import { cp, readdir, readFile, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { applyPatch, parsePatch, type StructuredPatch } from 'diff';

export const MUTANTS_DIR = 'mutants';
export const NOTES = 'README.md';
const NAME = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

export interface Mutant {
  /** The file name without `.patch`: kebab-case, unique in its lab. */
  name: string;
  /** The mistake in one line, as a candidate would make it. */
  mistake: string;
  /** The edits, one per solution file (paths relative to `solution/`). */
  patches: StructuredPatch[];
}

export interface MutantSet {
  mutants: Mutant[];
  /** Files that are not valid mutants, each with its reason; the rest still load. */
  problems: string[];
}

/** Reads `<labDir>/mutants/*.patch`; a lab without the folder has no mutants. */
export async function readMutants(labDir: string): Promise<MutantSet> {
  const dir = path.join(labDir, MUTANTS_DIR);
  const files = await readdir(dir).catch(() => [] as string[]);
  const mutants: Mutant[] = [];
  const problems: string[] = [];
  for (const file of files.sort()) {
    // The folder's notes: generated mutants judged equivalent to the solution, and why.
    if (file === NOTES) continue;
    const where = `${MUTANTS_DIR}/${file}`;
    if (!file.endsWith('.patch')) {
      problems.push(`${where}: not a mutant (a mutant is a .patch file)`);
      continue;
    }
    const name = file.slice(0, -'.patch'.length);
    if (!NAME.test(name)) {
      problems.push(`${where}: the name must be kebab-case`);
      continue;
    }
    const parsed = parseMutant(name, await readFile(path.join(dir, file), 'utf8'));
    if (typeof parsed === 'string') problems.push(`${where}: ${parsed}`);
    else mutants.push(parsed);
  }
  return { mutants, problems };
}

/** A mutant from its file's text, or the reason it is not one. */
export function parseMutant(name: string, text: string): Mutant | string {
  const lines = text.replace(/\r\n/g, '\n').split('\n');
  const start = lines.findIndex((l) => l.startsWith('--- '));
  const description = lines.slice(0, start < 0 ? lines.length : start).filter((l) => l.trim() !== '');
  if (description.length !== 1) return 'start with exactly one line describing the mistake, then the diff';
  let patches: StructuredPatch[];
  try {
    patches = parsePatch(lines.slice(start).join('\n'));
  } catch (error) {
    return `not a unified diff: ${error instanceof Error ? error.message : String(error)}`;
  }
  patches = patches.filter((p) => p.hunks.length > 0);
  if (start < 0 || patches.length === 0) return 'holds no diff (expected "--- a/<file>", "+++ b/<file>" and hunks)';
  for (const patch of patches) {
    const file = solutionPath(patch.oldFileName);
    if (!file || file !== solutionPath(patch.newFileName)) return `a diff must change one file of solution/ in place, not "${patch.oldFileName}"`;
  }
  return { name, mistake: (description[0] as string).trim(), patches };
}

/** `a/loader.ts` → `loader.ts`; undefined for paths that could leave `solution/`. */
function solutionPath(name: string | undefined): string | undefined {
  const rel = (name ?? '').replace(/^[ab]\//, '');
  if (!rel || rel.startsWith('/') || rel.split('/').some((part) => part === '..' || part === '')) return undefined;
  return rel;
}

/** The solution's files with the mutant's edits applied, or why it no longer applies. */
export function applyMutant(solution: ReadonlyMap<string, string>, mutant: Mutant): Map<string, string> | string {
  const files = new Map(solution);
  for (const patch of mutant.patches) {
    const file = solutionPath(patch.oldFileName) as string;
    const before = files.get(file);
    if (before === undefined) return `it changes ${file}, which solution/ does not have`;
    const after = applyPatch(before, patch);
    if (after === false) return `its diff no longer applies to solution/${file} (the solution changed under it)`;
    if (after === before) return `its diff leaves solution/${file} unchanged`;
    files.set(file, after);
  }
  return files;
}

/** Writes the mutated solution as a submission's `src/` into `dir`; returns the reason when it does not apply. */
export async function writeMutant(labDir: string, mutant: Mutant, dir: string): Promise<string | undefined> {
  const src = path.join(dir, 'src');
  await cp(path.join(labDir, 'solution'), src, { recursive: true });
  const solution = new Map<string, string>();
  for (const patch of mutant.patches) {
    const file = solutionPath(patch.oldFileName) as string;
    const text = await readFile(path.join(src, file), 'utf8').catch(() => undefined);
    if (text !== undefined) solution.set(file, text);
  }
  const mutated = applyMutant(solution, mutant);
  if (typeof mutated === 'string') return mutated;
  for (const [file, text] of mutated) await writeFile(path.join(src, file), text);
  return undefined;
}
