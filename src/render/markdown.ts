import type { MarkdownIt } from 'markdown-it';
import { highlightCode } from './highlighter';
import { createMarkdown } from './markdown-setup';

let md: MarkdownIt | undefined;

/** Markdown with raw HTML off, GitHub alerts, tables, and code highlighted into classes. */
function instance(): MarkdownIt {
  md ??= createMarkdown(highlightCode);
  return md;
}

export function renderMarkdown(source: string): string {
  return instance().render(source);
}

/** One line of Markdown without a paragraph around it (a key point in its check list's label). */
export function renderInlineMarkdown(source: string): string {
  return instance().renderInline(source);
}
