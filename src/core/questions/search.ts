import { sectionTitle } from '../catalog/sections';
import type { Question } from '../catalog/types';

/** A question's searchable fields, lower-cased once when the index is built. */
interface Entry {
  question: Question;
  title: string;
  titleWords: string[];
  tags: string[];
  /** The tags' parts between hyphens: a term equal to a tag is one of them too, as a term holds no hyphen. */
  tagParts: string[];
  section: string;
  /** The body's markdown, lower-cased, without call-out markers: it holds a term exactly when the plain text does. */
  words: string;
  /** Plain answer text, lower-cased, and `display` in the original case: made for the first excerpt of this question. */
  plain?: { text: string; display: string };
}

export interface SearchHit {
  question: Question;
  score: number;
  /** A short excerpt of the answer around the first match, when the match is in the text only. */
  excerpt?: string;
}

/**
 * The entries in catalog order, and which of them hold each word. A query term matches a field exactly when one of
 * the field's words contains it (a term has no separators, so any match lies inside one word), so the entries a term
 * can match are found from the words alone, without scanning every answer's text on each keystroke.
 */
export interface SearchIndex {
  entries: Entry[];
  /** Each word of the answers' text → the entries (by position) whose text holds it. */
  textWords: Map<string, number[]>;
  /** Each word of the titles, tags and section titles → the entries that hold it there. */
  otherWords: Map<string, number[]>;
  /** Recent terms → the words containing them: typing "lat", "late", "laten" narrows one list instead of rescanning. */
  recent: Map<string, { text: string[]; other: string[] }>;
}

/** Terms remembered by `recent`: a few queries' worth of keystrokes. */
const RECENT_TERMS = 64;

// Weights: a title or tag match says far more about what a question is about than a word in its answer.
const WEIGHT = { titlePhrase: 40, titleWord: 12, titlePrefix: 8, tag: 10, tagPrefix: 6, section: 4, text: 2 } as const;

export function buildSearchIndex(questions: readonly Question[]): SearchIndex {
  const index = emptyIndex();
  questions.forEach((question) => addEntry(index, question));
  return index;
}

/**
 * The same index, built a slice of questions at a time with `pause()` between slices, so a large pack (indexing
 * 5,000 long answers takes over a second) never blocks its process for long; the built-in bank is one slice.
 */
export async function buildSearchIndexInSlices(
  questions: readonly Question[],
  pause: () => Promise<void> = () => new Promise((resolve) => setImmediate(resolve)),
  slice = 200,
): Promise<SearchIndex> {
  const index = emptyIndex();
  for (let start = 0; start < questions.length; start += slice) {
    if (start > 0) await pause();
    for (const question of questions.slice(start, start + slice)) addEntry(index, question);
  }
  return index;
}

function emptyIndex(): SearchIndex {
  return { entries: [], textWords: new Map(), otherWords: new Map(), recent: new Map() };
}

/** Adds one question, at the next position, to the index's entries and word lists. */
function addEntry(index: SearchIndex, question: Question): void {
  const at = index.entries.length;
  const add = (map: Map<string, number[]>, word: string) => {
    const postings = map.get(word);
    // Entries are added in order, so a word already listed for this entry is the list's last.
    if (!postings) map.set(word, [at]);
    else if (postings[postings.length - 1] !== at) postings.push(at);
  };
  const title = question.title.toLowerCase();
  // The plain text's words are the markdown's words but for the call-out markers plain text drops ("> [!TIP]"):
  // markup characters are separators either way. So the words come from the markdown, without making the plain text.
  const markdown = Object.values(question.body).join('\n').replace(ALERT_MARKER, ' ').toLowerCase();
  const entry: Entry = {
    question,
    title,
    titleWords: words(title),
    tags: question.tags.map((t) => t.toLowerCase()),
    tagParts: question.tags.flatMap((t) => t.toLowerCase().split('-')),
    section: sectionTitle(question.section).toLowerCase(),
    words: markdown,
  };
  forEachWord(markdown, (word) => add(index.textWords, word));
  for (const word of [...entry.titleWords, ...entry.tags.flatMap(words), ...words(entry.section)]) add(index.otherWords, word);
  index.entries.push(entry);
}

/**
 * Every term of the query must match somewhere (title, tags, section or answer text); hits are ranked by
 * where they match, then by catalog order.
 */
export function searchQuestions(index: SearchIndex, query: string, limit = 50): SearchHit[] {
  const terms = words(query.toLowerCase());
  if (terms.length === 0) return index.entries.slice(0, limit).map((e) => ({ question: e.question, score: 0 }));
  const phrase = query.trim().toLowerCase();
  const count = index.entries.length;
  // Per term: which entries hold it in their text, and which anywhere (text or the other fields).
  const inTexts = terms.map(
    (term) =>
      marks(index.textWords, wordsContaining(index, term).text, count) ??
      // A term in most words ("e", "in"): finding its first place in each text is quicker than listing every word's entries.
      Uint8Array.from(index.entries, (entry) => (entry.words.includes(term) ? 1 : 0)),
  );
  const anywhere = terms.map((term, t) => {
    const any = marks(index.otherWords, wordsContaining(index, term).other, count, Infinity) ?? new Uint8Array(count);
    inTexts[t]?.forEach((hit, at) => {
      if (hit) any[at] = 1;
    });
    return any;
  });
  const hits: { entry: Entry; score: number; textOnly: boolean }[] = [];
  for (let at = 0; at < count; at++) {
    if (!anywhere.every((any) => any[at])) continue;
    const entry = index.entries[at] as Entry;
    let score = entry.title.includes(phrase) && terms.length > 1 ? WEIGHT.titlePhrase : 0;
    let textOnly = true;
    let matchedAll = true;
    for (let t = 0; t < terms.length && matchedAll; t++) {
      const term = terms[t] as string;
      const inTitle = entry.titleWords.includes(term) ? WEIGHT.titleWord : entry.titleWords.some((w) => w.startsWith(term)) ? WEIGHT.titlePrefix : 0;
      const inTags = entry.tagParts.includes(term)
        ? WEIGHT.tag
        : entry.tags.some((tag) => tag.startsWith(term))
          ? WEIGHT.tagPrefix
          : 0;
      const inSection = entry.section.includes(term) ? WEIGHT.section : 0;
      const inText = inTexts[t]?.[at] ? WEIGHT.text : 0;
      const best = inTitle + inTags + inSection + inText;
      if (best === 0) matchedAll = false;
      if (inTitle || inTags || inSection) textOnly = false;
      score += best;
    }
    if (matchedAll) hits.push({ entry, score, textOnly });
  }
  // Array.prototype.sort is stable, so equal scores keep catalog order. Excerpts only for the hits returned.
  return hits
    .sort((a, b) => b.score - a.score)
    .slice(0, limit)
    .map(({ entry, score, textOnly }) => ({ question: entry.question, score, ...(textOnly ? { excerpt: excerpt(entry, terms[0] ?? '') } : {}) }));
}

/** The indexed words containing `term`, narrowed from a remembered shorter term when there is one. */
function wordsContaining(index: SearchIndex, term: string): { text: string[]; other: string[] } {
  const known = index.recent.get(term);
  if (known) return known;
  const base = index.recent.get(term.slice(0, -1)) ?? index.recent.get(term.slice(1));
  const pick = (all: Iterable<string>) => {
    const found: string[] = [];
    for (const word of all) if (word.includes(term)) found.push(word);
    return found;
  };
  const result = base ? { text: pick(base.text), other: pick(base.other) } : { text: pick(index.textWords.keys()), other: pick(index.otherWords.keys()) };
  if (index.recent.size >= RECENT_TERMS) index.recent.delete(index.recent.keys().next().value as string);
  index.recent.set(term, result);
  return result;
}

/** One flag per entry: whether any of `found` is among its words in `map`; undefined when that means more than `most` postings to visit. */
function marks(map: Map<string, number[]>, found: readonly string[], count: number, most = count * 64): Uint8Array | undefined {
  let postings = 0;
  for (const word of found) postings += map.get(word)?.length ?? 0;
  if (postings > most) return undefined;
  const flags = new Uint8Array(count);
  for (const word of found) for (const at of map.get(word) ?? []) flags[at] = 1;
  return flags;
}

function words(text: string): string[] {
  return text.split(/[^\p{L}\p{N}]+/u).filter((w) => w.length > 0);
}

const WORD_CHAR = /^[\p{L}\p{N}]$/u;

/**
 * Calls `fn` with each word of `text`, the same words as `words(text)` gives (runs of letters and digits), without
 * making the array: ASCII is classified by code, anything else by the same Unicode classes. Indexing 5,000 answers
 * this way takes a fraction of the split's time.
 */
function forEachWord(text: string, fn: (word: string) => void): void {
  let start = -1;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    let width = 1;
    let isWord: boolean;
    if (c < 128) isWord = (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || (c >= 65 && c <= 90);
    else {
      const point = text.codePointAt(i) ?? c;
      width = point > 0xffff ? 2 : 1;
      isWord = WORD_CHAR.test(String.fromCodePoint(point));
    }
    if (isWord) {
      if (start < 0) start = i;
    } else if (start >= 0) {
      fn(text.slice(start, i));
      start = -1;
    }
    i += width - 1;
  }
  if (start >= 0) fn(text.slice(start));
}

const ALERT_MARKER = /^>\s*\[!\w+\]\s*$/gm;

/** Markdown to searchable plain text: drops markup but keeps code identifiers. */
function plainText(markdown: string): string {
  return markdown
    .replace(ALERT_MARKER, ' ')
    .replace(/[`*_#>|[\]()]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

function excerpt(entry: Entry, term: string): string {
  if (!entry.plain) {
    const display = plainText(Object.values(entry.question.body).join('\n'));
    const text = display.toLowerCase();
    // Lower-casing can change the length of some characters; then excerpts fall back to lower case.
    entry.plain = { text, display: display.length === text.length ? display : text };
  }
  const at = entry.plain.text.indexOf(term);
  const start = Math.max(0, at - 40);
  const slice = entry.plain.display.slice(start, at + term.length + 60).trim();
  return `${start > 0 ? '…' : ''}${slice}…`;
}
