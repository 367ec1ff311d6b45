import { describe, expect, it } from 'vitest';
import { renderMarkdown } from '../../../src/render/markdown';
import { buildQuestionPage, contentSecurityPolicy, createNonce, type QuestionPageModel } from '../../../src/render/page';
import { renderQuestion } from '../../../src/render/question-view';
import type { Question } from '../../../src/core/catalog/types';

const question: Question = {
  id: 'sample',
  qualifiedId: 'core/sample',
  packId: 'core',
  title: 'What is <b>bold</b> & why?',
  section: 'serving',
  difficulty: 'mid',
  tags: ['x'],
  labs: [],
  labIds: [],
  updated: '2026-11-27',
  order: 1,
  file: '/x.md',
  body: {
    context: 'Context with <script>alert(1)</script> in it.',
    shortAnswer: 'Short.',
    keyPoints: '- One idea.\n- Another idea.\n- A third.',
    answer: '```python\nimport torch\nx = torch.zeros(3)\n```\n\n| a | b |\n| - | - |\n| 1 | 2 |\n\n> [!TIP]\n> Say the number.\n',
    pitfalls: '',
    followUps: '- Next?',
  },
  keyPoints: ['One idea.', 'Another idea.', 'A third.'],
  sources: ['https://docs.example.org/guide', 'Smith et al., "A Paper", 2020', 'https://docs.example.org/changelog (1.2: the default changed)'],
};

const model: QuestionPageModel = {
  questionId: 'core/sample',
  title: question.title,
  sectionTitle: 'Model serving',
  difficulty: 'mid',
  tags: ['x'],
  state: 'new',
  position: { index: 0, total: 3 },
  labs: [
    { id: 'core/quantization', title: 'quantization', status: 'planned' },
    { id: 'core/zero-memory', title: 'ZeRO "memory"', status: 'shipped' },
  ],
  revealed: false,
  pinned: false,
};

const resources = {
  nonce: 'abc123',
  cspSource: 'https://webview.test',
  styleUri: 'https://webview.test/media/question.css',
  scriptUri: 'https://webview.test/dist/q.js',
};

describe('markdown rendering', () => {
  it('highlights code with classes, never inline styles, and returns the CSS for those classes', () => {
    const rendered = renderQuestion(question);
    expect(rendered.answer).toMatch(/<pre class="shiki[^"]*"/);
    expect(rendered.answer).toMatch(/<span class="hl-[a-z0-9]+">import<\/span>/);
    expect(Object.values(rendered).join('')).not.toMatch(/style="/);
    const tokenClass = /<span class="(hl-[a-z0-9]+)">import<\/span>/.exec(rendered.answer)?.[1];
    expect(rendered.css).toMatch(new RegExp(`\\.${tokenClass}\\{--shiki-light:#[0-9a-fA-F]{6};--shiki-dark:#[0-9a-fA-F]{6};--shiki-hc:`));
  });

  it('typesets $…$ and $$…$$ as MathML, leaves prices alone, and never trusts \\href', () => {
    const inline = renderMarkdown('PSI is $\\sum_i (c_i - r_i) \\ln(c_i / r_i)$ over the bins.');
    expect(inline).toMatch(/<math[^>]*>[\s\S]*<mo>∑<\/mo>/);
    expect(inline).not.toContain('$');
    const block = renderMarkdown('$$\nL = \\alpha T^2 \\, \\mathrm{KL}(p_T \\| p_S)\n$$');
    expect(block).toMatch(/<p class="katex-block"><span class="katex"><math[^>]*display="block"/);
    expect(renderMarkdown('It costs $5 a month, or $50 a year.')).toBe('<p>It costs $5 a month, or $50 a year.</p>\n');
    const link = renderMarkdown('$\\href{javascript:alert(1)}{x}$');
    // The TeX source stays as escaped text in the annotation; no link or href attribute is made.
    expect(link).not.toMatch(/href=|<a\b/);
  });

  it('escapes raw HTML instead of rendering it', () => {
    const html = renderMarkdown('<script>alert(1)</script>\n\n<img src=x onerror=alert(1)>\n\n[x](javascript:alert(1))');
    expect(html).not.toMatch(/<script|<img|href="javascript/);
    expect(html).toContain('&lt;script&gt;');
  });

  it('renders tables inside a scrolling wrapper and GitHub call-outs', () => {
    const html = renderQuestion(question).answer;
    expect(html).toContain('<div class="table-wrap"><table>');
    expect(html).toMatch(/<div class="markdown-alert markdown-alert-tip">/);
  });

  it('adds a copy button and a language label to each code block', () => {
    const html = renderMarkdown('```yaml\na: 1\n```');
    expect(html).toContain('<div class="code-block" data-language="yaml">');
    expect(html).toContain('class="copy-code"');
  });

  it('renders an unknown or missing language as escaped plain text', () => {
    const html = renderMarkdown('```brainfuck\n<b>+++</b>\n```\n\n```\nplain\n```');
    expect(html).toContain('<pre class="shiki plain"><code>&lt;b&gt;+++&lt;/b&gt;');
    expect(html).toContain('data-language="text"');
  });

  it('treats "ts fragment" as TypeScript', () => {
    expect(renderMarkdown('```ts fragment\nconst x: number = 1;\n```')).toMatch(/data-language="ts".*<pre class="shiki/s);
  });
});

describe('question page', () => {
  it('uses a strict CSP: nothing by default, scripts and styles only by nonce or from the webview source', () => {
    expect(contentSecurityPolicy('N', 'https://webview.test')).toBe(
      "default-src 'none'; img-src https://webview.test data:; font-src https://webview.test; style-src https://webview.test 'nonce-N'; script-src 'nonce-N'; form-action 'none'; base-uri 'none'",
    );
  });

  it('makes a different nonce for every page', () => {
    const nonces = new Set(Array.from({ length: 50 }, () => createNonce()));
    expect(nonces.size).toBe(50);
    for (const n of nonces) expect(n).toMatch(/^[A-Za-z0-9+/]{22}==$/);
  });

  it('shows key points after the short answer, and the sources last: URLs as links, named documents as text', () => {
    const parts = renderQuestion(question);
    const page = buildQuestionPage({ ...model, revealed: true }, parts, resources);
    const order = ['Short answer', 'Key points', 'Answer', 'Sources'].map((title) => page.indexOf(`<h2>${title}</h2>`));
    expect(order.every((at, i) => at > 0 && (i === 0 || at > (order[i - 1] as number)))).toBe(true);
    expect(parts.keyPoints).toContain('<li>Another idea.</li>');
    expect(parts.sources).toContain('<a href="https://docs.example.org/guide">docs.example.org/guide</a>');
    expect(parts.sources).toContain('<li>Smith et al., &quot;A Paper&quot;, 2020</li>');
    expect(parts.sources).toContain('<li><a href="https://docs.example.org/changelog">docs.example.org/changelog</a> (1.2: the default changed)</li>');
  });

  it('shows the question first and hides the answer until revealed', () => {
    const page = buildQuestionPage(model, renderQuestion(question), resources);
    expect(page).toContain('<div id="answer" hidden>');
    expect(page.indexOf('<h1>')).toBeLessThan(page.indexOf('id="answer"'));
    expect(page).toContain('id="reveal"');
    const revealed = buildQuestionPage({ ...model, revealed: true }, renderQuestion(question), resources);
    expect(revealed).toContain('<div id="answer">');
    expect(revealed).toContain('<div class="reveal-bar" hidden>');
  });

  it('puts the nonce on every script and style element, and has no inline event handlers', () => {
    const page = buildQuestionPage(model, renderQuestion(question), resources);
    const tags = page.match(/<(script|style)\b[^>]*>/g) ?? [];
    expect(tags.length).toBe(2);
    for (const tag of tags) expect(tag).toContain('nonce="abc123"');
    expect(page).not.toMatch(/\son[a-z]+=/);
    expect(page).toContain(`content="${contentSecurityPolicy('abc123', 'https://webview.test')}"`);
  });

  it('escapes the title, tags, lab names and the state it embeds', () => {
    const page = buildQuestionPage(model, renderQuestion(question), resources);
    expect(page).toContain('<h1>What is &lt;b&gt;bold&lt;/b&gt; &amp; why?</h1>');
    expect(page).toContain('ZeRO &quot;memory&quot;');
    expect(page).toContain('data-state="{&quot;questionId&quot;:&quot;core/sample&quot;,&quot;revealed&quot;:false,&quot;pinned&quot;:false}"');
    expect(page).toContain('<span class="badge">coming soon</span>');
    expect(page).toContain('data-lab="core/zero-memory"');
  });
});
