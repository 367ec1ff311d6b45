import { readFile, stat } from 'node:fs/promises';
import * as path from 'node:path';
import questionSchema from '../../../schemas/question.schema.json';
import { writeFileAtomic } from '../io/atomic-file';
import { sha256 } from '../io/hash';
import { parseQuestionFile, type ParseResult, type QuestionSource } from '../questions/question-file';

/**
 * Bump when `parseQuestionFile` would give another result for the same text (a new field, another body split).
 * The question schema's own hash is part of the key too, so a schema change needs no bump.
 */
export const QUESTION_PARSER_VERSION = 1;

const CACHE_VERSION = `${QUESTION_PARSER_VERSION}:${sha256(JSON.stringify(questionSchema)).slice(0, 16)}`;

/** What is remembered of one question file: how to know it unchanged, and what parsing it gave. */
interface CachedFile {
  size: number;
  mtimeMs: number;
  sha256: string;
  packId: string;
  folderSection: string;
  result: ParseResult;
}

interface CacheFile {
  version: string;
  files: Record<string, CachedFile>;
}

/** A question file to parse: its source fields but not yet its text, which is read only when the cache cannot answer. */
export type QuestionRef = Omit<QuestionSource, 'text'>;

/**
 * Parsed question files of one pack folder, kept in `<cacheDir>/questions-<hash of the folder>.json` so a later
 * start parses only what changed. A file whose size and modification time match is taken from the cache unread; one
 * whose stamp changed is read and hashed, and parsed only if its content did change. A cache that is missing,
 * unreadable, corrupt or written by another parser or schema version is ignored and rebuilt, never an error.
 */
export class QuestionCache {
  private files: Record<string, CachedFile> = {};
  private readonly used = new Set<string>();
  private dirty = false;

  private constructor(readonly file: string) {}

  static async open(cacheDir: string, packDir: string): Promise<QuestionCache> {
    const cache = new QuestionCache(path.join(cacheDir, `questions-${sha256(path.resolve(packDir)).slice(0, 16)}.json`));
    try {
      const data = JSON.parse(await readFile(cache.file, 'utf8')) as Partial<CacheFile> | null;
      if (data && data.version === CACHE_VERSION && typeof data.files === 'object' && data.files !== null) cache.files = data.files;
      else cache.dirty = true;
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
    const fits = known !== undefined && known.packId === ref.packId && known.folderSection === ref.folderSection && isResult(known.result);
    const stamp = await stat(ref.file);
    if (fits && known.size === stamp.size && known.mtimeMs === stamp.mtimeMs) return known.result;
    const text = await readFile(ref.file, 'utf8');
    const hash = sha256(text);
    const result = fits && known.sha256 === hash ? known.result : parseQuestionFile({ ...ref, text });
    this.files[ref.file] = { size: stamp.size, mtimeMs: stamp.mtimeMs, sha256: hash, packId: ref.packId, folderSection: ref.folderSection, result };
    this.dirty = true;
    return result;
  }

  /** Writes the cache when anything changed, forgetting files this load did not ask for (deleted or moved). */
  async save(): Promise<void> {
    const gone = Object.keys(this.files).filter((file) => !this.used.has(file));
    for (const file of gone) delete this.files[file];
    if (!this.dirty && gone.length === 0) return;
    const data: CacheFile = { version: CACHE_VERSION, files: this.files };
    await writeFileAtomic(this.file, JSON.stringify(data));
    this.dirty = false;
  }
}

/** A cached result of the right shape (a hand-edited or truncated cache must not pass as a question). */
function isResult(value: unknown): value is ParseResult {
  if (typeof value !== 'object' || value === null) return false;
  const r = value as { ok?: unknown; question?: { body?: unknown; qualifiedId?: unknown }; errors?: unknown };
  if (r.ok === true) return typeof r.question?.qualifiedId === 'string' && typeof r.question.body === 'object' && r.question.body !== null;
  return r.ok === false && Array.isArray(r.errors);
}
