import MarkdownItConstructor, { type MarkdownIt } from 'markdown-it';
import githubAlerts from 'markdown-it-github-alerts';
import katexPlugin from '@vscode/markdown-it-katex';
import { parseFenceInfo, type HighlightedLanguage } from './languages';

export type Highlight = (code: string, language: HighlightedLanguage) => string;

/**
 * Markdown with raw HTML off, GitHub alerts, math, tables, and code highlighted by `highlight` (shiki, in
 * ./markdown). Without it, a fence in a highlighted language renders as plain text; ./markdown-plain never lets
 * that happen, it hands such a text to the highlighting renderer instead.
 */
export function createMarkdown(highlight: Highlight | undefined): MarkdownIt {
  const created = new MarkdownItConstructor({ html: false, linkify: true, typographer: false });
  // Only web and mail links become links; command:, vscode:, file: and data: URLs stay text.
  created.validateLink = (url) => /^(https?:|mailto:)/i.test(url.trim());
  created.use(githubAlerts);
  // Math in VS Code's own Markdown preview syntax ($…$, $$…$$, ```math), through the plugin that preview uses.
  // KaTeX writes MathML only: Chromium draws it natively, so no fonts or stylesheets ship and the webview's CSP
  // needs nothing more; `trust` stays off, so no \href or \includegraphics reaches the page.
  created.use(katexPlugin, { output: 'mathml', throwOnError: false, trust: false, enableFencedBlocks: true });
  // The plugin writes a custom alert title ("> [!TIP] My title") into the page as HTML: escape it.
  const alertOpen = created.renderer.rules['alert_open'];
  created.renderer.rules['alert_open'] = (tokens, idx, options, env, self) => {
    const token = tokens[idx];
    if (token?.meta && typeof token.meta.title === 'string') token.meta = { ...token.meta, title: created.utils.escapeHtml(token.meta.title) };
    return alertOpen ? alertOpen(tokens, idx, options, env, self) : '';
  };
  created.renderer.rules.fence = (tokens, idx) => {
    const token = tokens[idx];
    if (!token) return '';
    const { language, name } = parseFenceInfo(token.info);
    const code = token.content;
    const body =
      language && language !== 'text' && highlight
        ? highlight(code.replace(/\n$/, ''), language)
        : `<pre class="shiki plain"><code>${created.utils.escapeHtml(code)}</code></pre>`;
    const label = created.utils.escapeHtml(name || 'text');
    return (
      `<div class="code-block" data-language="${label}">` +
      `<div class="code-toolbar"><span class="code-language">${label}</span>` +
      `<button type="button" class="copy-code" title="Copy code" aria-label="Copy ${label} code">Copy</button></div>` +
      `${body}</div>\n`
    );
  };
  // Wrap tables so a wide table scrolls inside its box instead of widening the page.
  created.renderer.rules.table_open = () => '<div class="table-wrap"><table>\n';
  created.renderer.rules.table_close = () => '</table></div>\n';
  return created;
}
