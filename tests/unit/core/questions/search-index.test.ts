import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCatalog } from '../../../../src/core/catalog/catalog';
import { sectionTitle } from '../../../../src/core/catalog/sections';
import type { Question } from '../../../../src/core/catalog/types';
import { buildSearchIndex, buildSearchIndexInSlices, searchQuestions, type SearchHit } from '../../../../src/core/questions/search';
import { writeSyntheticPack } from '../../../../bench/catalog-pack.mjs';
import { tempDir } from '../../helpers';

const REPO = path.resolve(__dirname, '../../../..');

/**
 * The search as it was before the word index: every term checked against every question's full text. The indexed
 * search must give the same hits, scores, order and excerpts for any query.
 */
function scanSearch(questions: readonly Question[]): (query: string, limit?: number) => Brief[] {
  const words = (text: string) => text.split(/[^\p{L}\p{N}]+/u).filter((w) => w.length > 0);
  const plain = (md: string) =>
    md
      .replace(/^>\s*\[!\w+\]\s*$/gm, ' ')
      .replace(/[`*_#>|[\]()]/g, ' ')
      .replace(/\s+/g, ' ')
      .trim();
  // Each question's lower-cased fields, made once: the reference's speed is not the point, its answers are.
  const prepared = questions.map((question) => {
    const title = question.title.toLowerCase();
    const shown = plain(Object.values(question.body).join('\n'));
    const text = shown.toLowerCase();
    const tags = question.tags.map((t) => t.toLowerCase());
    return { question, title, titleWords: words(title), tags, section: sectionTitle(question.section).toLowerCase(), text, display: shown.length === text.length ? shown : text };
  });
  return (query, limit = 50) => {
  const terms = words(query.toLowerCase());
  if (terms.length === 0) return brief(questions.slice(0, limit).map((question) => ({ question, score: 0 })));
  const phrase = query.trim().toLowerCase();
  const hits: SearchHit[] = [];
  for (const { question, title, titleWords, tags, section, text, display } of prepared) {
    let score = title.includes(phrase) && terms.length > 1 ? 40 : 0;
    let textOnly = true;
    let all = true;
    for (const term of terms) {
      const inTitle = titleWords.includes(term) ? 12 : titleWords.some((w) => w.startsWith(term)) ? 8 : 0;
      const inTags = tags.some((t) => t === term || t.split('-').includes(term)) ? 10 : tags.some((t) => t.startsWith(term)) ? 6 : 0;
      const inSection = section.includes(term) ? 4 : 0;
      const inText = text.includes(term) ? 2 : 0;
      if (inTitle + inTags + inSection + inText === 0) {
        all = false;
        break;
      }
      if (inTitle || inTags || inSection) textOnly = false;
      score += inTitle + inTags + inSection + inText;
    }
    if (!all) continue;
    const at = text.indexOf(terms[0] ?? '');
    const start = Math.max(0, at - 40);
    const excerpt = `${start > 0 ? '…' : ''}${display.slice(start, at + (terms[0] ?? '').length + 60).trim()}…`;
    hits.push({ question, score, ...(textOnly ? { excerpt } : {}) });
  }
  return brief(hits.sort((a, b) => b.score - a.score).slice(0, limit));
  };
}

type Brief = [string, number, string | undefined];
/** A hit as id, score and excerpt: comparing whole questions on every query would cost the test more than the search. */
const brief = (hits: SearchHit[]): Brief[] => hits.map((h) => [h.question.qualifiedId, h.score, h.excerpt]);

/** Queries as typed: every prefix of whole words, word middles, two-word queries, case and markup noise. */
function queriesFrom(questions: readonly Question[]): string[] {
  const titleWords = questions.flatMap((q) => q.title.toLowerCase().split(/[^a-z0-9]+/).filter((w) => w.length > 2));
  const pick = (i: number) => titleWords[(i * 7919) % titleWords.length] ?? 'model';
  const queries = ['', 'a', 'e', 'gpu', 'GPU memory', 'feature stores', 'k8s', '99', 'p99 latency', 'model drift', 'serving', '`torch.compile`', 'zzzz'];
  for (let i = 0; i < 25; i++) {
    const word = pick(i);
    for (let n = 1; n <= word.length; n++) queries.push(word.slice(0, n));
    queries.push(word.slice(1, -1), `${word} ${pick(i + 5)}`, `${pick(i + 9).toUpperCase()} ${word.slice(0, 3)}`);
  }
  return queries;
}

describe('indexed search', () => {
  it('gives exactly what scanning every question gave, on the built-in bank', async () => {
    const { questions } = await loadCatalog([REPO]);
    const index = buildSearchIndex(questions);
    const scan = scanSearch(questions);
    for (const query of queriesFrom(questions)) expect(brief(searchQuestions(index, query, 60)), query).toEqual(scan(query, 60));
  });

  it('gives exactly what scanning every question gave, on a generated pack, whatever order the terms are typed in', async () => {
    const pack = writeSyntheticPack(REPO, 250, path.join(await tempDir(), 'pack'));
    const { questions } = await loadCatalog([REPO, pack]);
    const index = buildSearchIndex(questions);
    const queries = queriesFrom(questions);
    const scan = scanSearch(questions);
    // Forward (prefixes narrowing remembered terms) and backward (fresh scans), so both paths are checked.
    for (const query of [...queries, ...[...queries].reverse()]) expect(brief(searchQuestions(index, query)), query).toEqual(scan(query));
  });

  it('built a slice at a time, pausing between slices, is the same index', async () => {
    const pack = writeSyntheticPack(REPO, 120, path.join(await tempDir(), 'pack'));
    const { questions } = await loadCatalog([REPO, pack]);
    let pauses = 0;
    const sliced = await buildSearchIndexInSlices(questions, async () => void pauses++, 50);
    expect(pauses).toBe(Math.ceil(questions.length / 50) - 1);
    const whole = buildSearchIndex(questions);
    expect(sliced.entries.map((e) => e.question.qualifiedId)).toEqual(whole.entries.map((e) => e.question.qualifiedId));
    expect([...sliced.textWords]).toEqual([...whole.textWords]);
    expect([...sliced.otherWords]).toEqual([...whole.otherWords]);
    for (const query of queriesFrom(questions).slice(0, 60)) expect(brief(searchQuestions(sliced, query)), query).toEqual(brief(searchQuestions(whole, query)));
  });
});
