import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import type { Question } from '../core/catalog/types';
import { writeFileAtomic } from '../core/io/atomic-file';
import type { RenderedQuestion } from './question-view';

/**
 * Rendered questions without markdown-it, KaTeX or shiki in the process, where possible: the build pre-renders the
 * built-in questions into dist/questions-rendered.json, and a lab pack's question is rendered once and kept in the
 * extension's global storage. Both are keyed by a hash of exactly what renderQuestion reads, so an edited question
 * (a built-in file changed in a dev checkout, a pack updated) is rendered afresh; the cache is also keyed by the
 * renderer's version, so a new renderer never serves an old rendering.
 *
 * One rendering serves every theme kind: shiki writes each token's colours for light, dark and both high contrast
 * themes as CSS variables (the highlighter's `themes` with `defaultColor: false`), and media/question.css picks the
 * one matching the webview's theme kind.
 */

/** The build's file beside the bundles. */
export const PRERENDER_FILE = 'questions-rendered.json';
export const PRERENDER_FORMAT = 1;

export type RenderedParts = Omit<RenderedQuestion, 'css'>;

/** dist/questions-rendered.json: every built-in question's fragments, and the highlight CSS they all share. */
export interface PrerenderFile {
  format: typeof PRERENDER_FORMAT;
  /** A hash of the render bundle that made these fragments (the pack cache is keyed by it too). */
  rendererVersion: string;
  /** The classes of every highlighted token in these questions. */
  css: string;
  /** By qualified id. */
  questions: Record<string, { hash: string; parts: RenderedParts }>;
}

/** What renderQuestion reads of a question, and nothing else. */
export type RenderInput = Pick<Question, 'qualifiedId' | 'body' | 'sources' | 'keyPoints'>;

/** A SHA-256 of exactly what renderQuestion reads: the body's parts, the sources and the key points. */
export function renderInputHash(question: RenderInput): string {
  const { context, shortAnswer, keyPoints, answer, pitfalls, followUps } = question.body;
  const read = { body: [context, shortAnswer, keyPoints, answer, pitfalls, followUps], sources: question.sources ?? [], keyPoints: question.keyPoints };
  return createHash('sha256').update(JSON.stringify(read)).digest('hex');
}

/** The fragments of a rendering (no CSS), for the pre-render file. */
export function partsOf(rendered: RenderedQuestion): RenderedParts {
  const parts: Partial<RenderedQuestion> = { ...rendered };
  delete parts.css;
  return parts as RenderedParts;
}

/**
 * Renders `questions` (in order, with the real renderer) into the pre-render file's content. The CSS is the
 * highlighter's after the last question: the classes of every token in them all, so each page gets the whole set.
 */
export function buildPrerender(
  questions: readonly Question[],
  renderer: { renderQuestion(question: Question): RenderedQuestion; highlightCss(): string },
  rendererVersion: string,
): PrerenderFile {
  const entries = questions.map((q) => [q.qualifiedId, { hash: renderInputHash(q), parts: partsOf(renderer.renderQuestion(q)) }] as const);
  return { format: PRERENDER_FORMAT, rendererVersion, css: renderer.highlightCss(), questions: Object.fromEntries(entries) };
}

export interface QuestionRendersOptions {
  /** dist/questions-rendered.json (missing or unreadable: every question is rendered). */
  prerenderFile: string;
  /** A folder in the extension's global storage for pack questions' renderings. */
  cacheDir: string;
  /** Loads the heavy renderer (dist/render.js); called only for a question neither the build nor the cache holds. */
  renderer: () => { renderQuestion(question: Question): RenderedQuestion };
  /** Told when a cache entry could not be written (the question still shows). */
  onCacheError?: (error: unknown) => void;
}

interface CacheEntry {
  rendererVersion: string;
  hash: string;
  rendered: RenderedQuestion;
}

const STRING_PARTS = ['context', 'shortAnswer', 'keyPoints', 'answer', 'pitfalls', 'followUps', 'sources', 'css'] as const;

function isRendered(value: unknown, withCss: boolean): value is RenderedQuestion {
  if (typeof value !== 'object' || value === null) return false;
  const record = value as Record<string, unknown>;
  const items = record['keyPointItems'];
  return (
    STRING_PARTS.every((key) => (key === 'css' && !withCss) || typeof record[key] === 'string') &&
    (items === undefined || (Array.isArray(items) && items.every((item) => typeof item === 'string')))
  );
}

function parsePrerender(text: string): PrerenderFile | undefined {
  const value = JSON.parse(text) as Partial<PrerenderFile> | null;
  if (!value || value.format !== PRERENDER_FORMAT || typeof value.rendererVersion !== 'string' || typeof value.css !== 'string') return undefined;
  if (typeof value.questions !== 'object' || value.questions === null) return undefined;
  return value as PrerenderFile;
}

/** A question's rendering: from memory, the build's pre-render, the disk cache, or (last) the renderer. */
export class QuestionRenders {
  private prerender: Promise<PrerenderFile | undefined> | undefined;
  private readonly memory = new Map<string, { hash: string; rendered: RenderedQuestion }>();

  constructor(private readonly options: QuestionRendersOptions) {}

  async get(question: Question): Promise<RenderedQuestion> {
    const hash = renderInputHash(question);
    const held = this.memory.get(question.qualifiedId);
    if (held?.hash === hash) return held.rendered;
    const rendered = await this.lookUp(question, hash);
    this.memory.set(question.qualifiedId, { hash, rendered });
    return rendered;
  }

  private async lookUp(question: Question, hash: string): Promise<RenderedQuestion> {
    const prerender = await this.loadPrerender();
    const built = prerender?.questions[question.qualifiedId];
    if (prerender && built?.hash === hash && isRendered(built.parts, false)) return { ...built.parts, css: prerender.css };
    // Without the build's file there is no renderer version to key a cache entry by: render every time.
    if (!prerender) return this.options.renderer().renderQuestion(question);
    const file = path.join(this.options.cacheDir, `${hash}.json`);
    const cached = await this.readEntry(file, prerender.rendererVersion, hash);
    if (cached) return cached;
    const rendered = this.options.renderer().renderQuestion(question);
    const entry: CacheEntry = { rendererVersion: prerender.rendererVersion, hash, rendered };
    await writeFileAtomic(file, JSON.stringify(entry)).catch((error: unknown) => this.options.onCacheError?.(error));
    return rendered;
  }

  /** A cache entry, if it is whole and made by this renderer from this content; anything else is a miss. */
  private async readEntry(file: string, rendererVersion: string, hash: string): Promise<RenderedQuestion | undefined> {
    try {
      const entry = JSON.parse(await readFile(file, 'utf8')) as Partial<CacheEntry> | null;
      if (entry?.rendererVersion === rendererVersion && entry.hash === hash && isRendered(entry.rendered, true)) return entry.rendered;
    } catch {
      // Missing, unreadable or corrupt: rendered again and rewritten.
    }
    return undefined;
  }

  private loadPrerender(): Promise<PrerenderFile | undefined> {
    this.prerender ??= readFile(this.options.prerenderFile, 'utf8')
      .then(parsePrerender, () => undefined)
      .catch(() => undefined);
    return this.prerender;
  }
}
