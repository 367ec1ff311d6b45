/**
 * What a pack build holds. The full build is the grader's copy (everything); the student build leaves out
 * every lab's reference solution and hidden tests, the way nbgrader's release strips solutions. Both
 * record a SHA-256 of every file in pack.json's `checksums`.
 */
import * as path from 'node:path';
import { readFolder } from '../io/files';
import { sha256 } from '../io/hash';
import type { Lab, Pack } from '../catalog/types';

export type BuildKind = 'student' | 'full';

/** Generous for a pack: the per-lab limits of the grader apply to candidates, not to authors. */
const PACK_LIMITS = { files: 5000, bytes: 200 * 1024 * 1024 };

export interface PackBuild {
  /** Relative POSIX path → content, pack.json included (with `checksums`). */
  files: Map<string, Buffer>;
  /** What the student build left out, for the author to see. */
  excluded: string[];
}

/** Path prefixes (relative to the pack) that only the grader's copy may hold. */
export function privatePrefixes(pack: Pack, labs: readonly Lab[]): string[] {
  return labs.flatMap((lab) => {
    const rel = toPosix(path.relative(pack.dir, lab.dir));
    return [`${rel}/solution/`, `${rel}/tests/hidden/`, `${rel}/mutants/`];
  });
}

export async function collectPackFiles(pack: Pack, labs: readonly Lab[], kind: BuildKind): Promise<PackBuild> {
  const all = new Map<string, Buffer>();
  for (const folder of [...pack.questions, ...pack.labs]) {
    const files = await readFolder(path.join(pack.dir, folder), PACK_LIMITS, folder);
    for (const [rel, data] of files) all.set(`${toPosix(path.normalize(folder))}/${rel}`, data);
  }
  const hidden = kind === 'student' ? privatePrefixes(pack, labs) : [];
  const files = new Map<string, Buffer>();
  const excluded: string[] = [];
  for (const [rel, data] of [...all].sort(([a], [b]) => a.localeCompare(b))) {
    if (hidden.some((prefix) => rel.startsWith(prefix))) excluded.push(rel);
    else files.set(rel, data);
  }
  const checksums = Object.fromEntries([...files].map(([rel, data]) => [rel, sha256(data)]));
  // The folder is where this copy lives, not part of the manifest; $schema's relative path would not resolve in a zip.
  files.set('pack.json', Buffer.from(`${JSON.stringify({ ...pack, dir: undefined, $schema: undefined, checksums }, null, 2)}\n`));
  return { files, excluded };
}

/** Files whose content differs from the pack's `checksums`, and listed files that are missing. */
export function checksumMismatches(checksums: Readonly<Record<string, string>>, files: ReadonlyMap<string, Buffer>): string[] {
  const problems: string[] = [];
  for (const [rel, expected] of Object.entries(checksums)) {
    const data = files.get(rel);
    if (!data) problems.push(`${rel} is listed in checksums but missing`);
    else if (sha256(data) !== expected) problems.push(`${rel} does not match its checksum`);
  }
  return problems;
}

/** A line long and specific enough that finding it elsewhere means it was copied, not coincidence. */
const MIN_DISTINCTIVE = 24;

/**
 * Everything of a solution or hidden test that shows up in a student build: a file under a private folder,
 * or a distinctive line of a solution or hidden test (one the starter and public tests do not share) inside
 * any file the student gets.
 */
export async function findLeaks(pack: Pack, labs: readonly Lab[], student: ReadonlyMap<string, Buffer>): Promise<string[]> {
  const leaks: string[] = [];
  const prefixes = privatePrefixes(pack, labs);
  for (const rel of student.keys()) if (prefixes.some((p) => rel.startsWith(p))) leaks.push(`${rel} is a solution, mutant or hidden-test file`);

  // Each lab's secrets are looked for in that lab's own files and in the pack's files outside any lab
  // (questions, READMEs): across labs, short generic lines would match by coincidence.
  const labRoots = labs.map((lab) => `${toPosix(path.relative(pack.dir, lab.dir))}/`);
  for (const [index, lab] of labs.entries()) {
    const secrets = await labSecrets(pack, lab);
    const root = labRoots[index] as string;
    for (const [rel, data] of student) {
      if (rel === 'pack.json' || (!rel.startsWith(root) && labRoots.some((r) => rel.startsWith(r)))) continue;
      for (const line of lines(data)) {
        const origin = secrets.get(line);
        if (origin) leaks.push(`${rel} holds a line of ${origin}: "${line.length > 80 ? `${line.slice(0, 77)}...` : line}"`);
      }
    }
  }
  return leaks;
}

/** Distinctive lines of a lab's solution and hidden tests (ones its starter and public tests do not share), with the file each came from. */
async function labSecrets(pack: Pack, lab: Lab): Promise<Map<string, string>> {
  const shared = new Set<string>();
  for (const folder of ['starter', 'tests/public'])
    for (const data of (await readFolder(path.join(lab.dir, folder), PACK_LIMITS)).values()) for (const line of lines(data)) shared.add(line);
  const secrets = new Map<string, string>();
  for (const folder of ['solution', 'tests/hidden']) {
    for (const [rel, data] of await readFolder(path.join(lab.dir, folder), PACK_LIMITS)) {
      const origin = `${toPosix(path.relative(pack.dir, lab.dir))}/${folder}/${rel}`;
      for (const line of lines(data)) if (line.length >= MIN_DISTINCTIVE && !shared.has(line) && !secrets.has(line)) secrets.set(line, origin);
    }
  }
  return secrets;
}

function lines(data: Buffer): string[] {
  return data
    .toString('utf8')
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean);
}

function toPosix(p: string): string {
  return p.split(path.sep).join('/');
}
