/**
 * The lab workspace of docs/formats.md §6, and the rules for starting one: a folder that already holds
 * work is never written into; the candidate reopens it or starts fresh in a new folder.
 */
import { cp, mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { systemClock, type Clock } from '../io/clock';
import { readFolder } from '../io/files';
import type { Lab } from '../catalog/types';

export const MARKER = '.mlops-lab.json';
/** Where the workspace keeps the type declarations IntelliSense needs, so no `npm install` is required. */
export const TYPES_FOLDER = '.lab-types';

export interface Marker {
  lab: string;
  version: string;
  pack: string;
  packVersion: string;
  startedAt: string;
}

export type FolderState = { kind: 'missing' } | { kind: 'empty' } | { kind: 'work'; marker?: Marker };

export async function inspectFolder(dir: string): Promise<FolderState> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'missing' };
    throw error;
  }
  if (names.length === 0) return { kind: 'empty' };
  const marker = await readMarker(dir);
  return marker ? { kind: 'work', marker } : { kind: 'work' };
}

export async function readMarker(dir: string): Promise<Marker | undefined> {
  try {
    const data = JSON.parse(await readFile(path.join(dir, MARKER), 'utf8')) as Partial<Marker>;
    return typeof data.lab === 'string' && typeof data.version === 'string' ? (data as Marker) : undefined;
  } catch {
    return undefined;
  }
}

export type StartPlan =
  /** Nothing there yet: write the workspace here. */
  | { kind: 'fresh'; dir: string }
  /** The folder holds work: offer to reopen it, or to start fresh in `alternative`. */
  | { kind: 'existing'; dir: string; marker?: Marker; alternative: string };

/** Picks `<root>/<lab-id>`, or when it holds work, names the first free `<root>/<lab-id>-N` as the alternative. */
/**
 * The folder a lab starts in under the workspace root: `<pack>-<lab>` for labs of added packs, so two packs
 * with a lab of the same id never meet in one folder; the built-in labs keep their plain id, where existing
 * users already have their work.
 */
export function labFolderName(lab: { id: string; packId: string }): string {
  return lab.packId === 'core' ? lab.id : `${lab.packId}-${lab.id}`;
}

/** `folder` is the lab's folder name (labFolderName). */
export async function planStart(root: string, folder: string): Promise<StartPlan> {
  const dir = path.join(root, folder);
  const state = await inspectFolder(dir);
  if (state.kind !== 'work') return { kind: 'fresh', dir };
  for (let n = 2; ; n++) {
    const alternative = path.join(root, `${folder}-${n}`);
    if ((await inspectFolder(alternative)).kind !== 'work') return { kind: 'existing', dir, ...(state.marker ? { marker: state.marker } : {}), alternative };
  }
}

export interface WorkspaceSource {
  lab: Lab;
  packVersion: string;
  /** A node_modules tree holding @types/node and what it imports, copied in for IntelliSense. */
  typesDir: string;
}

/** A workspace's tsconfig.json; the unit tests type-check lab folders with the same options. */
export const TSCONFIG = {
  compilerOptions: {
    target: 'ES2022',
    module: 'NodeNext',
    moduleResolution: 'NodeNext',
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    types: ['node'],
    typeRoots: [`./${TYPES_FOLDER}/node_modules/@types`],
  },
  include: ['src', 'tests'],
};

/** The workspace's tsconfig; an ONNX lab also maps onnxruntime-node to the declarations copied in with it. */
function tsconfigFor(lab: Lab): typeof TSCONFIG & { compilerOptions: { paths?: Record<string, string[]> } } {
  if (!lab.runtime.onnxruntime) return TSCONFIG;
  return {
    ...TSCONFIG,
    compilerOptions: { ...TSCONFIG.compilerOptions, paths: { 'onnxruntime-node': [`./${TYPES_FOLDER}/node_modules/onnxruntime-node/dist/index.d.ts`] } },
  };
}

/**
 * Writes a new workspace. Every file is created with the exclusive flag, so if anything is already there
 * the write fails rather than replace it.
 */
export async function writeWorkspace(dir: string, source: WorkspaceSource, clock: Clock = systemClock): Promise<string[]> {
  const { lab } = source;
  const files = new Map<string, Buffer | string>();
  for (const [rel, content] of await readFolder(path.join(lab.dir, 'starter'))) files.set(`src/${rel}`, content);
  for (const [rel, content] of await readFolder(path.join(lab.dir, 'tests', 'public'))) files.set(`tests/${rel}`, content);
  files.set('README.md', await readFile(path.join(lab.dir, 'README.md')));
  files.set('tsconfig.json', `${JSON.stringify(tsconfigFor(lab), null, 2)}\n`);
  files.set('.vscode/settings.json', `${JSON.stringify({ 'files.exclude': { [TYPES_FOLDER]: true, [MARKER]: true, '.lab-debug': true } }, null, 2)}\n`);
  const marker: Marker = { lab: lab.qualifiedId, version: lab.version, pack: lab.packId, packVersion: source.packVersion, startedAt: clock.now().toISOString() };
  files.set(MARKER, `${JSON.stringify(marker, null, 2)}\n`);

  await mkdir(dir, { recursive: true });
  for (const [rel, content] of files) {
    const target = path.join(dir, rel);
    await mkdir(path.dirname(target), { recursive: true });
    await writeFile(target, content, { flag: 'wx' });
  }
  await cp(source.typesDir, path.join(dir, TYPES_FOLDER), { recursive: true, errorOnExist: true, force: false });
  return [...files.keys()];
}

/** Restores the starter files into src/ (after the caller has saved the current ones to history). */
export async function restoreStarter(dir: string, lab: Lab): Promise<string[]> {
  const starter = await readFolder(path.join(lab.dir, 'starter'));
  for (const [rel, content] of starter) {
    const target = path.join(dir, 'src', rel);
    await mkdir(path.dirname(target), { recursive: true });
    await writeFile(target, content);
  }
  return [...starter.keys()];
}
