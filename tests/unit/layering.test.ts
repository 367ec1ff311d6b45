import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(__dirname, '../..');

function sources(dir: string): string[] {
  return readdirSync(path.join(ROOT, dir), { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts'))
    .map((e) => path.relative(ROOT, path.join(e.parentPath, e.name)));
}

const importsOf = (file: string) => [...readFileSync(path.join(ROOT, file), 'utf8').matchAll(/(?:from\s+|require\()['"]([^'"]+)['"]/g)].map((m) => m[1] ?? '');

describe('layering (DESIGN.md)', () => {
  it('keeps vscode out of everything but src/extension', () => {
    const offenders = sources('src')
      .filter((f) => !f.startsWith('src/extension/'))
      .filter((f) => importsOf(f).some((i) => i === 'vscode' || i.includes('/extension/')));
    expect(offenders).toEqual([]);
  });

  it('keeps core free of render, and neither depends on the webview script', () => {
    const offenders = sources('src/core').filter((f) => importsOf(f).some((i) => i.includes('/render/') || i.includes('/webview/')));
    expect(offenders).toEqual([]);
    const renderOffenders = sources('src/render').filter((f) => importsOf(f).some((i) => i.includes('/webview/')));
    expect(renderOffenders).toEqual([]);
  });

  it('keeps every file in src/ to 300 lines, or says why at its top', () => {
    const long = sources('src')
      .map((f) => ({ f, text: readFileSync(path.join(ROOT, f), 'utf8') }))
      .filter(({ text }) => text.split('\n').length > 300 && !text.startsWith('// Over 300 lines'))
      .map(({ f }) => f);
    expect(long).toEqual([]);
  });
});
