import { describe, expect, it } from 'vitest';
import { renderMarkdown } from '../../../src/render/markdown';
import { contentSecurityPolicy } from '../../../src/render/page';

describe('markdown from a pack is rendered safely', () => {
  it('escapes a custom alert title instead of writing it as HTML', () => {
    const html = renderMarkdown('> [!TIP] <img src=x onerror=alert(1)> & more\n> body');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt; &amp; more');
    expect(html).not.toContain('<img');
  });

  it('links only http, https and mailto URLs', () => {
    const html = renderMarkdown(
      '[a](command:workbench.action.terminal.new) [b](https://onnx.ai) [c](data:text/html,hi) [d](vscode:extension/x) [e](file:///etc/passwd) [m](mailto:team@example.org) javascript:alert(1)',
    );
    expect(html).toContain('<a href="https://onnx.ai">b</a>');
    expect(html).toContain('<a href="mailto:team@example.org">m</a>');
    expect([...html.matchAll(/<a /g)]).toHaveLength(2);
    for (const scheme of ['command:', 'data:', 'vscode:', 'file:']) expect(html).not.toContain(`href="${scheme}`);
  });

  it('forbids forms and base URLs in every panel', () => {
    const csp = contentSecurityPolicy('n0nce', 'vscode-resource:');
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("form-action 'none'");
    expect(csp).toContain("base-uri 'none'");
  });
});
