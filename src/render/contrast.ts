/**
 * Text contrast as WCAG 2.2 measures it, and code themes adjusted to reach it: a token colour below 4.5:1
 * against its theme's background (github-dark's comments are 3.05:1, github-light's orange 3.49:1) is moved
 * toward white or black, keeping its hue, just far enough.
 */

type Rgb = [number, number, number];

/** #rgb, #rrggbb or #rrggbbaa; an alpha colour is blended over `under` first. Undefined for anything else. */
export function parseHex(hex: string, under?: Rgb): Rgb | undefined {
  const m = /^#([0-9a-f]{3}|[0-9a-f]{6}|[0-9a-f]{8})$/i.exec(hex.trim());
  if (!m?.[1]) return undefined;
  const h = m[1].length === 3 ? [...m[1]].map((c) => c + c).join('') : m[1];
  const rgb: Rgb = [0, 2, 4].map((i) => parseInt(h.slice(i, i + 2), 16)) as Rgb;
  if (h.length === 8 && under) {
    const a = parseInt(h.slice(6, 8), 16) / 255;
    return rgb.map((c, i) => Math.round(c * a + under[i]! * (1 - a))) as Rgb;
  }
  return rgb;
}

const toHex = (rgb: Rgb) => `#${rgb.map((c) => Math.round(c).toString(16).padStart(2, '0')).join('')}`;

function luminance([r, g, b]: Rgb): number {
  const lin = (v: number) => {
    const c = v / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
}

export function contrastRatio(a: Rgb, b: Rgb): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

/** `fg` itself when it reads at `min` on `bg`; else the nearest mix toward white (dark background) or black. */
export function readableOn(fg: string, bg: string, min = 4.5): string {
  const back = parseHex(bg);
  const front = back ? parseHex(fg, back) : undefined;
  if (!back || !front || contrastRatio(front, back) >= min) return fg;
  const target: Rgb = luminance(back) < 0.5 ? [255, 255, 255] : [0, 0, 0];
  for (let step = 1; step <= 100; step++) {
    const t = step / 100;
    const mixed = front.map((c, i) => c + (target[i]! - c) * t) as Rgb;
    if (contrastRatio(mixed, back) >= min) return toHex(mixed);
  }
  return toHex(target);
}

interface ThemeLike {
  colors?: Record<string, string>;
  tokenColors?: { scope?: unknown; settings?: { foreground?: string; background?: string; fontStyle?: string } }[];
}

/** A copy of a code theme whose every token colour reads at `min` against the theme's editor background. */
export function accessibleTheme<T extends ThemeLike>(theme: T, min = 4.5): T {
  const bg = theme.colors?.['editor.background'];
  if (!bg) return theme;
  const fg = theme.colors?.['editor.foreground'];
  return {
    ...theme,
    colors: { ...theme.colors, ...(fg ? { 'editor.foreground': readableOn(fg, bg, min) } : {}) },
    tokenColors: theme.tokenColors?.map((rule) =>
      rule.settings?.foreground ? { ...rule, settings: { ...rule.settings, foreground: readableOn(rule.settings.foreground, bg, min) } } : rule,
    ),
  };
}
