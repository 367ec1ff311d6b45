import type { Question } from '../core/catalog/types';
import { highlightCss } from './highlighter';
import { renderMarkdown } from './markdown';

/** A question's body rendered to safe HTML fragments, one per part. */
export interface RenderedQuestion {
  context: string;
  shortAnswer: string;
  answer: string;
  pitfalls: string;
  followUps: string;
  /** Classes for the highlighted code in these fragments (and any rendered before). */
  css: string;
}

const cache = new Map<string, { source: string; rendered: RenderedQuestion }>();

export function renderQuestion(question: Question): RenderedQuestion {
  const source = Object.values(question.body).join('\u0000');
  const hit = cache.get(question.qualifiedId);
  if (hit && hit.source === source) return hit.rendered;
  const { context, shortAnswer, answer, pitfalls, followUps } = question.body;
  const parts = {
    context: renderMarkdown(context),
    shortAnswer: renderMarkdown(shortAnswer),
    answer: renderMarkdown(answer),
    pitfalls: renderMarkdown(pitfalls),
    followUps: renderMarkdown(followUps),
  };
  const rendered = { ...parts, css: highlightCss() };
  cache.set(question.qualifiedId, { source, rendered });
  return rendered;
}
