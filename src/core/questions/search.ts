import { sectionTitle } from '../catalog/sections';
import type { Question } from '../catalog/types';

/** A question's searchable text, lower-cased once when the index is built. */
interface Entry {
  question: Question;
  title: string;
  titleWords: string[];
  tags: string[];
  section: string;
  /** Plain answer text, lower-cased for matching; `display` keeps the original case for excerpts. */
  text: string;
  display: string;
}

export interface SearchHit {
  question: Question;
  score: number;
  /** A short excerpt of the answer around the first match, when the match is in the text only. */
  excerpt?: string;
}

export interface SearchIndex {
  entries: Entry[];
}

// Weights: a title or tag match says far more about what a question is about than a word in its answer.
const WEIGHT = { titlePhrase: 40, titleWord: 12, titlePrefix: 8, tag: 10, tagPrefix: 6, section: 4, text: 2 } as const;

export function buildSearchIndex(questions: readonly Question[]): SearchIndex {
  return {
    entries: questions.map((question) => {
      const title = question.title.toLowerCase();
      const display = plainText(Object.values(question.body).join('\n'));
      const text = display.toLowerCase();
      return {
        question,
        title,
        titleWords: words(title),
        tags: question.tags.map((t) => t.toLowerCase()),
        section: sectionTitle(question.section).toLowerCase(),
        text,
        // Lower-casing can change the length of some characters; then excerpts fall back to lower case.
        display: display.length === text.length ? display : text,
      };
    }),
  };
}

/**
 * Every term of the query must match somewhere (title, tags, section or answer text); hits are ranked by
 * where they match, then by catalog order.
 */
export function searchQuestions(index: SearchIndex, query: string, limit = 50): SearchHit[] {
  const terms = words(query.toLowerCase());
  if (terms.length === 0) return index.entries.slice(0, limit).map((e) => ({ question: e.question, score: 0 }));
  const phrase = query.trim().toLowerCase();
  const hits: SearchHit[] = [];
  for (const entry of index.entries) {
    let score = entry.title.includes(phrase) && terms.length > 1 ? WEIGHT.titlePhrase : 0;
    let textOnly = true;
    let matchedAll = true;
    for (const term of terms) {
      const inTitle = entry.titleWords.includes(term) ? WEIGHT.titleWord : entry.titleWords.some((w) => w.startsWith(term)) ? WEIGHT.titlePrefix : 0;
      const inTags = entry.tags.some((t) => t === term || t.split('-').includes(term)) ? WEIGHT.tag : entry.tags.some((t) => t.startsWith(term)) ? WEIGHT.tagPrefix : 0;
      const inSection = entry.section.includes(term) ? WEIGHT.section : 0;
      const inText = entry.text.includes(term) ? WEIGHT.text : 0;
      const best = inTitle + inTags + inSection + inText;
      if (best === 0) {
        matchedAll = false;
        break;
      }
      if (inTitle || inTags || inSection) textOnly = false;
      score += best;
    }
    if (!matchedAll) continue;
    hits.push({ question: entry.question, score, ...(textOnly ? { excerpt: excerpt(entry, terms[0] ?? '') } : {}) });
  }
  // Array.prototype.sort is stable, so equal scores keep catalog order.
  return hits.sort((a, b) => b.score - a.score).slice(0, limit);
}

function words(text: string): string[] {
  return text.split(/[^\p{L}\p{N}]+/u).filter((w) => w.length > 0);
}

/** Markdown to searchable plain text: drops markup but keeps code identifiers. */
function plainText(markdown: string): string {
  return markdown
    .replace(/^>\s*\[!\w+\]\s*$/gm, ' ')
    .replace(/[`*_#>|[\]()]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

function excerpt(entry: Entry, term: string): string {
  const at = entry.text.indexOf(term);
  const start = Math.max(0, at - 40);
  const slice = entry.display.slice(start, at + term.length + 60).trim();
  return `${start > 0 ? '…' : ''}${slice}…`;
}
