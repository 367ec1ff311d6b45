import type { Question } from '../core/catalog/types';
import { highlightCss } from './highlighter';
import { renderInlineMarkdown, renderMarkdown } from './markdown';

/** A question's body rendered to safe HTML fragments, one per part. */
export interface RenderedQuestion {
  context: string;
  shortAnswer: string;
  keyPoints: string;
  answer: string;
  pitfalls: string;
  followUps: string;
  /** The question's sources as a list: links for URLs, text for named documents. */
  sources: string;
  /** Each key point as inline HTML, for the check list (absent or empty: the question has none). */
  keyPointItems?: string[];
  /** Classes for the highlighted code in these fragments (and any rendered before). */
  css: string;
}

const cache = new Map<string, { source: string; rendered: RenderedQuestion }>();

export function renderQuestion(question: Question): RenderedQuestion {
  const source = [...Object.values(question.body), ...(question.sources ?? []), ...question.keyPoints].join('\u0000');
  const hit = cache.get(question.qualifiedId);
  if (hit && hit.source === source) return hit.rendered;
  const { context, shortAnswer, keyPoints, answer, pitfalls, followUps } = question.body;
  const parts = {
    context: renderMarkdown(context),
    shortAnswer: renderMarkdown(shortAnswer),
    keyPoints: renderMarkdown(keyPoints),
    answer: renderMarkdown(answer),
    pitfalls: renderMarkdown(pitfalls),
    followUps: renderMarkdown(followUps),
    sources: renderMarkdown(sourcesMarkdown(question.sources ?? [])),
  };
  const rendered = { ...parts, keyPointItems: question.keyPoints.map(renderInlineMarkdown), css: highlightCss() };
  cache.set(question.qualifiedId, { source, rendered });
  return rendered;
}

const escapeMarkdown = (text: string) => text.replace(/([\\`*_[\]<>])/g, '\\$1');

/** A URL becomes a link named by its host and path; a named document stays text (markdown-it escapes both). */
function sourcesMarkdown(sources: readonly string[]): string {
  return sources
    .map((source) => {
      // "https://… (what it confirms)": the address becomes a link, the note stays beside it as text.
      const [, url, note] = /^(https?:\/\/\S+)(?: \((.+)\))?$/.exec(source) ?? [];
      if (!url) return `- ${escapeMarkdown(source)}`;
      const label = url.replace(/^https?:\/\//, '').replace(/\/$/, '');
      return `- [${escapeMarkdown(label)}](<${url}>)${note ? ` (${escapeMarkdown(note)})` : ''}`;
    })
    .join('\n');
}
