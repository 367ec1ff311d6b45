import { randomBytes } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import * as path from 'node:path';
import questionSchema from '../../../schemas/question.schema.json';
import { writeFileAtomic } from '../io/atomic-file';
import { sha256 } from '../io/hash';
import { mapInSlices } from './slices';
import { parseQuestionFile, type ParseResult, type QuestionSource } from '../questions/question-file';
import type { Question, QuestionBody } from './types';

/**
 * Bump when `parseQuestionFile` would give another result for the same text (a new field, another body split).
 * The question schema's own hash is part of the key too, so a schema change needs no bump.
 */
export const QUESTION_PARSER_VERSION = 2;

const CACHE_VERSION = `${QUESTION_PARSER_VERSION}:${sha256(JSON.stringify(questionSchema)).slice(0, 16)}`;

/** A parse result as cached: a question's body is kept apart, in the bodies file. */
type CachedResult = { ok: true; question: Omit<Question, 'body'> } | { ok: false; errors: string[] };

/** What is remembered of one question file: how to know it unchanged, and what parsing it gave. */
interface CachedFile {
  size: number;
  mtimeMs: number;
  sha256: string;
  packId: string;
  folderSection: string;
  result: CachedResult;
}

/** The index file: small, read on every load. `generation` ties it to the bodies file written with it. */
interface IndexFile {
  version: string;
  generation: string;
  files: Record<string, CachedFile>;
}

/** The bodies file: most of the bytes, read only when a body is first asked for (a search, an opened question). */
interface BodiesFile {
  version: string;
  generation: string;
  bodies: Record<string, QuestionBody>;
}

/** A question file to parse: its source fields but not yet its text, which is read only when the cache cannot answer. */
export type QuestionRef = Omit<QuestionSource, 'text'>;

const EMPTY_BODY: QuestionBody = { context: '', shortAnswer: '', keyPoints: '', answer: '', pitfalls: '', followUps: '' };

/**
 * Parsed question files of one pack folder, kept in `<cacheDir>/questions-<hash of the folder>.json` (everything the
 * views list: front matter, order, key points) and `….bodies.json` (the answers' text), so a later start parses only
 * what changed and reads the bodies only when something needs one. A file whose size and modification time match is
 * taken from the cache unread; one whose stamp changed is read and hashed, and parsed only if its content changed.
 * A cache that is missing, unreadable, corrupt or written by another parser or schema version is ignored and
 * rebuilt, never an error; a body the bodies file lacks is parsed again from its question file.
 */
export class QuestionCache {
  private files: Record<string, CachedFile> = {};
  private generation = '';
  private stored: Record<string, QuestionBody> | undefined;
  /** Bodies parsed in this load, not yet in the bodies file. */
  private readonly fresh = new Map<string, QuestionBody>();
  private readonly used = new Set<string>();
  private dirty = false;

  private constructor(private readonly file: string) {}

  private get bodiesFile(): string {
    return this.file.replace(/\.json$/, '.bodies.json');
  }

  static async open(cacheDir: string, packDir: string): Promise<QuestionCache> {
    const cache = new QuestionCache(path.join(cacheDir, `questions-${sha256(path.resolve(packDir)).slice(0, 16)}.json`));
    // A load that follows another reads what that one is still writing, not the file before it.
    await pending.get(cache.file);
    try {
      const data = JSON.parse(await readFile(cache.file, 'utf8')) as Partial<IndexFile> | null;
      if (data && data.version === CACHE_VERSION && typeof data.generation === 'string' && typeof data.files === 'object' && data.files !== null) {
        cache.files = data.files;
        cache.generation = data.generation;
      } else cache.dirty = true;
      // A lost bodies file is written again by this load (bodies are parsed anew meanwhile).
      await stat(cache.bodiesFile).catch(() => (cache.dirty = true));
    } catch {
      // Missing or corrupt: start empty, and write a good one after this load.
      cache.dirty = true;
    }
    return cache;
  }

  /**
   * The parse of `ref`'s file, from the cache when the file (and what its parse depends on) is unchanged. Synchronous:
   * the catalog calls it in short slices, and a stat or a small read is cheaper done here than sent to the thread pool.
   */
  parse(ref: QuestionRef): ParseResult {
    this.used.add(ref.file);
    const known = this.files[ref.file];
    const fits = known !== undefined && known.packId === ref.packId && known.folderSection === ref.folderSection && isCachedResult(known.result);
    const stamp = statSync(ref.file);
    if (fits && known.size === stamp.size && known.mtimeMs === stamp.mtimeMs) return this.revive(known.result, ref);
    const text = readFileSync(ref.file, 'utf8');
    const hash = sha256(text);
    if (fits && known.sha256 === hash) {
      this.files[ref.file] = { ...known, size: stamp.size, mtimeMs: stamp.mtimeMs };
      this.dirty = true;
      return this.revive(known.result, ref);
    }
    const result = parseQuestionFile({ ...ref, text });
    let cached: CachedResult = result;
    if (result.ok) {
      const { body, ...rest } = result.question;
      this.fresh.set(ref.file, body);
      cached = { ok: true, question: rest };
    }
    this.files[ref.file] = { size: stamp.size, mtimeMs: stamp.mtimeMs, sha256: hash, packId: ref.packId, folderSection: ref.folderSection, result: cached };
    this.dirty = true;
    return result;
  }

  /**
   * Writes the cache when anything changed, forgetting files this load did not ask for (deleted or moved). Started by
   * the load but not awaited by it: the catalog is usable before the cache is on disk. The JSON is built in slices
   * (a 5,000-question pack's bodies are tens of megabytes) so the thread is never held long, and written without a
   * flush to disk: a cache lost in a crash is rebuilt, never trusted half-written (the rename is still atomic).
   */
  save(): Promise<void> {
    const write = (pending.get(this.file) ?? Promise.resolve()).then(() => this.write());
    // Forgotten once done, unless a later write of the same file queued behind it.
    const settled: Promise<void> = write.then(
      (): void => this.forget(settled),
      (): void => this.forget(settled),
    );
    pending.set(this.file, settled);
    return write;
  }

  private forget(write: Promise<void>): void {
    if (pending.get(this.file) === write) pending.delete(this.file);
  }

  private async write(): Promise<void> {
    const gone = Object.keys(this.files).filter((file) => !this.used.has(file));
    for (const file of gone) delete this.files[file];
    if (!this.dirty && gone.length === 0) return;
    const generation = randomBytes(8).toString('hex');
    const head = (key: string) => `{"version":${JSON.stringify(CACHE_VERSION)},"generation":${JSON.stringify(generation)},${JSON.stringify(key)}:{`;
    const bodies: Record<string, QuestionBody> = {};
    const bodyParts = await mapInSlices(Object.entries(this.files), ([file, entry]) => {
      if (!entry.result.ok) return undefined;
      const body = this.bodyOf(refOf(file, entry));
      bodies[file] = body;
      return `${JSON.stringify(file)}:${JSON.stringify(body)}`;
    });
    const fileParts = await mapInSlices(Object.entries(this.files), ([file, entry]) => `${JSON.stringify(file)}:${JSON.stringify(entry)}`);
    // Bodies first: an index is never newer than the bodies it names (a crash between the two costs a re-parse, not a wrong body).
    await writeFileAtomic(this.bodiesFile, `${head('bodies')}${bodyParts.filter((p) => p !== undefined).join(',')}}}`, { flush: false });
    await writeFileAtomic(this.file, `${head('files')}${fileParts.join(',')}}}`, { flush: false });
    this.stored = bodies;
    this.generation = generation;
    this.dirty = false;
  }

  /** A cached result as a question whose body is read on first use. */
  private revive(result: CachedResult, ref: QuestionRef): ParseResult {
    if (!result.ok) return result;
    let body: QuestionBody | undefined;
    const question = { ...result.question } as Question;
    Object.defineProperty(question, 'body', {
      enumerable: true,
      configurable: true,
      get: () => (body ??= this.bodyOf(ref)),
      set: (value: QuestionBody) => (body = value),
    });
    return { ok: true, question };
  }

  private bodyOf(ref: QuestionRef): QuestionBody {
    const fresh = this.fresh.get(ref.file);
    if (fresh) return fresh;
    const stored = this.storedBodies()[ref.file];
    if (isBody(stored)) return stored;
    // Not in the bodies file (lost, corrupt, or from another generation): parse the question file again.
    try {
      const parsed = parseQuestionFile({ ...ref, text: readFileSync(ref.file, 'utf8') });
      if (parsed.ok) return parsed.question.body;
    } catch {
      // The file went away since the load: nothing to show.
    }
    return { ...EMPTY_BODY };
  }

  /** The bodies file, read once, synchronously: a body is asked for by code that needs it now (a getter). */
  private storedBodies(): Record<string, QuestionBody> {
    if (this.stored) return this.stored;
    this.stored = {};
    try {
      const data = JSON.parse(readFileSync(this.bodiesFile, 'utf8')) as Partial<BodiesFile> | null;
      if (data?.version === CACHE_VERSION && data.generation === this.generation && typeof data.bodies === 'object' && data.bodies !== null)
        this.stored = data.bodies;
    } catch {
      // Missing or corrupt: bodies are parsed from their files.
    }
    return this.stored;
  }
}

/** Cache writes under way, by index file: a later open waits for its file's, and `questionCachesWritten` for all. */
const pending = new Map<string, Promise<void>>();

/** Resolves once every parsed-question cache write started so far has finished (or failed: a cache write never throws here). */
export async function questionCachesWritten(): Promise<void> {
  while (pending.size > 0) await Promise.all(pending.values());
}

function refOf(file: string, entry: CachedFile): QuestionRef {
  return { file, fileName: path.basename(file), folderSection: entry.folderSection, packId: entry.packId };
}

/** A cached result of the right shape (a hand-edited or truncated cache must not pass as a question). */
function isCachedResult(value: unknown): value is CachedResult {
  if (typeof value !== 'object' || value === null) return false;
  const r = value as { ok?: unknown; question?: { qualifiedId?: unknown; tags?: unknown; labIds?: unknown; keyPoints?: unknown }; errors?: unknown };
  if (r.ok === true)
    return (
      typeof r.question?.qualifiedId === 'string' && Array.isArray(r.question.tags) && Array.isArray(r.question.labIds) && Array.isArray(r.question.keyPoints)
    );
  return r.ok === false && Array.isArray(r.errors);
}

function isBody(value: unknown): value is QuestionBody {
  return typeof value === 'object' && value !== null && Object.keys(EMPTY_BODY).every((k) => typeof (value as Record<string, unknown>)[k] === 'string');
}
