import { describe, expect, it } from 'vitest';
import { renderMarkdown } from '../../../src/render/markdown';
import { renderWithoutHighlighter } from '../../../src/render/markdown-plain';

const WITHOUT_CODE_TO_HIGHLIGHT = [
  'Plain prose with **bold**, `code`, a [link](https://example.org) and <script>alert(1)</script>.',
  'Math inline $x^2 + y$ and display:\n\n$$\n\\sum_i w_i\n$$\n',
  '> [!TIP] <b>Title</b>\n> Say the number.\n',
  '| a | b |\n| - | - |\n| 1 | 2 |\n',
  '```\nno language\n```\n',
  '```text\n<plain> & text\n```\n',
  '```rust\nfn main() {}\n```\n',
  '```math\nE = mc^2\n```\n',
  '- one\n- two\n\n1. first\n2. second\n',
  '',
];

describe('renderWithoutHighlighter (answer attempts without shiki)', () => {
  it('renders exactly what renderMarkdown renders when nothing needs highlighting', () => {
    for (const source of WITHOUT_CODE_TO_HIGHLIGHT) expect(renderWithoutHighlighter(source), source).toBe(renderMarkdown(source));
  });

  it('declines a text with a fence in a highlighted language, by any of its names', () => {
    for (const fence of ['python', 'py', 'ts', 'TypeScript', 'sh', 'yml', 'dockerfile', 'json fragment'])
      expect(renderWithoutHighlighter(`Before.\n\n\`\`\`${fence}\nx = 1\n\`\`\`\n`), fence).toBeUndefined();
    expect(renderWithoutHighlighter('> quoted\n>\n> ```python\n> x = 1\n> ```\n')).toBeUndefined();
  });
});
