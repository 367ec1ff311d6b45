import { describe, expect, it } from 'vitest';
import { accessibleTheme, contrastRatio, parseHex, readableOn } from '../../../src/render/contrast';
import { highlightCode, highlightCss } from '../../../src/render/highlighter';
import { HIGHLIGHTED_LANGUAGES } from '../../../src/render/languages';

const ratio = (fg: string, bg: string) => contrastRatio(parseHex(fg, parseHex(bg)) as [number, number, number], parseHex(bg) as [number, number, number]);

describe('text contrast', () => {
  it('measures as WCAG does', () => {
    expect(ratio('#000000', '#ffffff')).toBeCloseTo(21, 5);
    expect(ratio('#6a737d', '#24292e')).toBeCloseTo(3.05, 2);
    expect(ratio('#e36209', '#ffffff')).toBeCloseTo(3.49, 2);
  });

  it('moves a colour just far enough to read at 4.5:1, and leaves readable ones alone', () => {
    const comment = readableOn('#6a737d', '#24292e');
    expect(ratio(comment, '#24292e')).toBeGreaterThanOrEqual(4.5);
    expect(ratio(comment, '#24292e')).toBeLessThan(4.8);
    expect(readableOn('#e1e4e8', '#24292e')).toBe('#e1e4e8');
    expect(ratio(readableOn('#e36209', '#ffffff'), '#ffffff')).toBeGreaterThanOrEqual(4.5);
    expect(ratio(readableOn('#ff000080', '#ffffff'), '#ffffff')).toBeGreaterThanOrEqual(4.5);
  });

  it('adjusts every token colour of a theme against its background', () => {
    const theme = accessibleTheme({
      colors: { 'editor.background': '#ffffff', 'editor.foreground': '#999999' },
      tokenColors: [
        { scope: 'comment', settings: { foreground: '#bbbbbb' } },
        { scope: 'x', settings: { fontStyle: 'bold' } },
      ],
    });
    expect(ratio(theme.colors['editor.foreground'] as string, '#ffffff')).toBeGreaterThanOrEqual(4.5);
    expect(ratio(theme.tokenColors?.[0]?.settings?.foreground as string, '#ffffff')).toBeGreaterThanOrEqual(4.5);
    expect(theme.tokenColors?.[1]).toEqual({ scope: 'x', settings: { fontStyle: 'bold' } });
  });
});

describe('highlighted code in every theme kind', () => {
  it('gives every token class a colour that reads at 4.5:1 on its code background', () => {
    const sample = 'x = 1  # a comment\n"text" + `t` // note\n-- sql comment\nconst y: number = 2; /* c */';
    const html = HIGHLIGHTED_LANGUAGES.map((lang) => highlightCode(sample, lang)).join('\n');
    const css = highlightCss();
    for (const kind of ['light', 'dark', 'hc', 'hclight']) {
      const bg = new RegExp(`--shiki-${kind}-bg:(#[0-9a-f]+)`, 'i').exec(html + css)?.[1];
      expect(bg, kind).toBeDefined();
      const colours = [...css.matchAll(new RegExp(`--shiki-${kind}:(#[0-9a-f]+)`, 'gi'))].map((m) => m[1] as string);
      expect(colours.length, kind).toBeGreaterThan(3);
      const low = colours.filter((c) => ratio(c, bg as string) < 4.5);
      expect(low, `${kind} on ${bg}`).toEqual([]);
    }
  });
});
