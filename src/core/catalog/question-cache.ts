import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import * as path from 'node:path';
import questionSchema from '../../../schemas/question.schema.json';
import { writeFileAtomic } from '../io/atomic-file';
import { sha256 } from '../io/hash';
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

  /** The parse of `ref`'s file, from the cache when the file (and what its parse depends on) is unchanged. */
  async parse(ref: QuestionRef): Promise<ParseResult> {
    this.used.add(ref.file);
    const known = this.files[ref.file];
    const fits = known !== undefined && known.packId === ref.packId && known.folderSection === ref.folderSection && isCachedResult(known.result);
    const stamp = await stat(ref.file);
    if (fits && known.size === stamp.size && known.mtimeMs === stamp.mtimeMs) return this.revive(known.result, ref);
    const text = await readFile(ref.file, 'utf8');
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

  /** Writes the cache when anything changed, forgetting files this load did not ask for (deleted or moved). */
  async save(): Promise<void> {
    const gone = Object.keys(this.files).filter((file) => !this.used.has(file));
    for (const file of gone) delete this.files[file];
    if (!this.dirty && gone.length === 0) return;
    const bodies: Record<string, QuestionBody> = {};
    for (const [file, entry] of Object.entries(this.files)) if (entry.result.ok) bodies[file] = this.bodyOf(refOf(file, entry));
    const generation = randomBytes(8).toString('hex');
    // Bodies first: an index is never newer than the bodies it names (a crash between the two costs a re-parse, not a wrong body).
    await writeFileAtomic(this.bodiesFile, JSON.stringify({ version: CACHE_VERSION, generation, bodies } satisfies BodiesFile));
    await writeFileAtomic(this.file, JSON.stringify({ version: CACHE_VERSION, generation, files: this.files } satisfies IndexFile));
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
