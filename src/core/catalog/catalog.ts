import { readFileSync } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import * as path from 'node:path';
import { CORE_PACK_ID, qualify, resolveReference, splitQualified } from './ids';
import { PLANNED_CORE_LABS } from './labs-planned';
import type { LoadProblem } from './problems';
import { parseQuestionFile, type ParseResult } from '../questions/question-file';
import { QuestionCache, type QuestionRef } from './question-cache';
import { mapInSlices } from './slices';
import { validateLabManifest, validatePackManifest } from './manifests';
import { isSectionSlug, sectionOrder } from './sections';
import type { Lab, LabContents, Pack, Question } from './types';

const SECTION_FOLDER = /^\d{2}-([a-z0-9-]+)$/;

/** Everything loaded from a set of packs, plus what could not be loaded and why. */
export interface Catalog {
  readonly packs: readonly Pack[];
  /** In display order: section order, then file number. */
  readonly questions: readonly Question[];
  readonly labs: readonly Lab[];
  readonly problems: readonly LoadProblem[];
  question(qualifiedId: string): Question | undefined;
  lab(qualifiedId: string): Lab | undefined;
  /** Whether a related-lab id names a shipped lab or a planned core lab. */
  labStatus(qualifiedId: string): 'shipped' | 'planned' | 'unknown';
}

export interface LoadOptions {
  /** A folder of the caller's (the extension's global storage, the CLI's cache) where parsed questions are kept between loads. */
  cacheDir?: string;
}

/** Loads the packs in order (the first of two packs with one id wins); `problems` may hold earlier ones, e.g. a zip that failed to unpack. */
export async function loadCatalog(packDirs: readonly string[], problems: LoadProblem[] = [], options: LoadOptions = {}): Promise<Catalog> {
  const packs: Pack[] = [];
  const questions: Question[] = [];
  const labs: Lab[] = [];
  for (const dir of packDirs) {
    const loaded = await loadPack(dir, problems, options);
    if (!loaded) continue;
    if (packs.some((p) => p.id === loaded.pack.id)) {
      problems.push({ file: path.join(dir, 'pack.json'), message: `pack id "${loaded.pack.id}" is already loaded; skipped` });
      continue;
    }
    packs.push(loaded.pack);
    questions.push(...loaded.questions);
    labs.push(...loaded.labs);
  }
  return buildCatalog(packs, questions, labs, problems);
}

function buildCatalog(packs: Pack[], questions: Question[], labs: Lab[], problems: LoadProblem[]): Catalog {
  const byId = new Map<string, Question>();
  const labsById = new Map<string, Lab>();
  for (const lab of labs) labsById.set(lab.qualifiedId, lab);

  const accepted: Question[] = [];
  for (const q of questions) {
    const clash = byId.has(q.qualifiedId) ? 'another question' : labsById.has(q.qualifiedId) ? 'a lab' : undefined;
    if (clash) {
      problems.push({ file: q.file, message: `duplicate id "${q.id}": ${clash} in pack "${q.packId}" already uses it` });
      continue;
    }
    byId.set(q.qualifiedId, q);
    accepted.push(q);
  }

  const labStatus = (id: string): 'shipped' | 'planned' | 'unknown' => {
    if (labsById.has(id)) return 'shipped';
    const { packId, localId } = splitQualified(id);
    return packId === CORE_PACK_ID && PLANNED_CORE_LABS.includes(localId) ? 'planned' : 'unknown';
  };

  const valid = accepted.filter((q) => {
    const unknown = q.labIds.filter((id) => labStatus(id) === 'unknown');
    if (unknown.length) {
      problems.push({ file: q.file, message: `related lab ${unknown.map((u) => `"${u}"`).join(', ')} is neither shipped nor planned` });
      byId.delete(q.qualifiedId);
    }
    return unknown.length === 0;
  });
  valid.sort((a, b) => sectionOrder(a.section) - sectionOrder(b.section) || a.order - b.order || a.id.localeCompare(b.id));

  for (const lab of labs) {
    const missing = lab.questions.map((r) => resolveReference(lab.packId, r)).filter((id) => !byId.has(id));
    if (missing.length) {
      problems.push({ file: path.join(lab.dir, 'lab.json'), message: `related question ${missing.map((m) => `"${m}"`).join(', ')} not found` });
    }
  }

  return {
    packs,
    questions: valid,
    labs,
    problems,
    question: (id) => byId.get(id),
    lab: (id) => labsById.get(id),
    labStatus,
  };
}

async function loadPack(dir: string, problems: LoadProblem[], options: LoadOptions): Promise<{ pack: Pack; questions: Question[]; labs: Lab[] } | undefined> {
  const manifestFile = path.join(dir, 'pack.json');
  const manifest = await readJson(manifestFile, problems);
  if (manifest === undefined) return undefined;
  const checked = validatePackManifest(manifest);
  if (!checked.ok) {
    for (const message of checked.errors) problems.push({ file: manifestFile, message });
    return undefined;
  }
  const pack: Pack = { ...checked.value, dir };
  const refs: QuestionRef[] = [];
  for (const folder of pack.questions) refs.push(...(await listQuestionFolder(pack, path.join(dir, folder), problems)));
  const cache = options.cacheDir ? await QuestionCache.open(options.cacheDir, dir) : undefined;
  // Files are stat-ed, read and parsed synchronously in short slices: for thousands of small files that is about three
  // times faster than sending each stat and read to libuv's thread pool, and no slice holds the thread for long.
  const results = await mapInSlices(refs, (ref) => {
    try {
      return cache ? cache.parse(ref) : parseFresh(ref);
    } catch (error) {
      return unreadable(error);
    }
  });
  // Written after the catalog is handed back; a cache that cannot be written only costs the next start its speed.
  cache?.save().catch(() => undefined);
  const questions: Question[] = [];
  results.forEach((parsed, i) => {
    if (parsed.ok) questions.push(parsed.question);
    else for (const message of parsed.errors) problems.push({ file: refs[i]?.file ?? dir, message });
  });
  const labs: Lab[] = [];
  for (const folder of pack.labs) labs.push(...(await loadLabFolder(pack, path.join(dir, folder), problems)));
  return { pack, questions, labs };
}

/** The question files of a pack's question folder, in section then file-name order, reporting folders that are not sections. */
async function listQuestionFolder(pack: Pack, root: string, problems: LoadProblem[]): Promise<QuestionRef[]> {
  const sections = await listDir(root, problems);
  const refs: QuestionRef[] = [];
  for (const entry of sections) {
    if (!entry.isDirectory()) continue;
    const sectionDir = path.join(root, entry.name);
    const slug = SECTION_FOLDER.exec(entry.name)?.[1];
    if (!slug || !isSectionSlug(slug)) {
      problems.push({ file: sectionDir, message: `folder is not a section: expected "NN-<section-slug>" with one of the ten section slugs` });
      continue;
    }
    for (const file of await listDir(sectionDir, problems)) {
      if (!file.isFile() || !file.name.endsWith('.md') || file.name.toLowerCase() === 'readme.md') continue;
      refs.push({ file: path.join(sectionDir, file.name), fileName: file.name, folderSection: slug, packId: pack.id });
    }
  }
  return refs;
}

function parseFresh(ref: QuestionRef): ParseResult {
  return parseQuestionFile({ ...ref, text: readFileSync(ref.file, 'utf8') });
}

function unreadable(error: unknown): ParseResult {
  return { ok: false, errors: [`cannot read: ${(error as NodeJS.ErrnoException).code ?? String(error)}`] };
}

async function loadLabFolder(pack: Pack, root: string, problems: LoadProblem[]): Promise<Lab[]> {
  const labs: Lab[] = [];
  for (const entry of await listDir(root, problems)) {
    if (!entry.isDirectory()) continue;
    const dir = path.join(root, entry.name);
    const file = path.join(dir, 'lab.json');
    const manifest = await readJson(file, problems);
    if (manifest === undefined) continue;
    const checked = validateLabManifest(manifest);
    if (!checked.ok) {
      for (const message of checked.errors) problems.push({ file, message });
      continue;
    }
    if (checked.value.id !== entry.name) {
      problems.push({ file, message: `id "${checked.value.id}" must equal the lab's folder name "${entry.name}"` });
      continue;
    }
    labs.push({ ...checked.value, qualifiedId: qualify(pack.id, checked.value.id), packId: pack.id, dir, contents: await labContents(dir) });
  }
  return labs;
}

/** Whether a lab folder carries its hidden tests and reference solution (a student build carries neither). */
export async function labContents(dir: string): Promise<LabContents> {
  const isDir = (sub: string) =>
    stat(path.join(dir, sub)).then(
      (s) => s.isDirectory(),
      () => false,
    );
  const [hiddenTests, solution] = await Promise.all([isDir('tests/hidden'), isDir('solution')]);
  return { hiddenTests, solution };
}

async function listDir(dir: string, problems: LoadProblem[]) {
  try {
    const entries = await readdir(dir, { withFileTypes: true });
    return entries.sort((a, b) => a.name.localeCompare(b.name));
  } catch (error) {
    problems.push({ file: dir, message: `cannot read folder: ${(error as NodeJS.ErrnoException).code ?? String(error)}` });
    return [];
  }
}

async function readJson(file: string, problems: LoadProblem[]): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    problems.push({ file, message: `cannot read: ${(error as NodeJS.ErrnoException).code ?? String(error)}` });
    return undefined;
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    problems.push({ file, message: `not valid JSON: ${(error as Error).message}` });
    return undefined;
  }
}
