/**
 * The candidate's answer attempts without shiki (dist/markdown.js: markdown-it, KaTeX and alerts, about a fifth
 * of dist/render.js). Most attempts are prose, so a question page with attempts need not load the highlighter.
 */
import type { MarkdownIt } from 'markdown-it';
import { parseFenceInfo } from './languages';
import { createMarkdown } from './markdown-setup';

let md: MarkdownIt | undefined;

/**
 * `source` rendered exactly as ./markdown's renderMarkdown would, or undefined when it holds a fence in a
 * highlighted language (only the highlighting renderer can render that one).
 */
export function renderWithoutHighlighter(source: string): string | undefined {
  md ??= createMarkdown(undefined);
  const env = {};
  const tokens = md.parse(source, env);
  const needsHighlighter = tokens.some((token) => {
    if (token.type !== 'fence') return false;
    const { language } = parseFenceInfo(token.info);
    return language !== undefined && language !== 'text';
  });
  return needsHighlighter ? undefined : md.renderer.render(tokens, md.options, env);
}
