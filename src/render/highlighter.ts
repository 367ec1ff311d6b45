import { createHighlighterCoreSync, type HighlighterCore } from '@shikijs/core';
import { createJavaScriptRegexEngine } from '@shikijs/engine-javascript';
import bash from '@shikijs/langs/bash';
import docker from '@shikijs/langs/docker';
import javascript from '@shikijs/langs/javascript';
import json from '@shikijs/langs/json';
import python from '@shikijs/langs/python';
import sql from '@shikijs/langs/sql';
import toml from '@shikijs/langs/toml';
import typescript from '@shikijs/langs/typescript';
import yaml from '@shikijs/langs/yaml';
import githubDark from '@shikijs/themes/github-dark';
import githubDarkHighContrast from '@shikijs/themes/github-dark-high-contrast';
import githubLight from '@shikijs/themes/github-light';
import githubLightHighContrast from '@shikijs/themes/github-light-high-contrast';
import { transformerStyleToClass } from '@shikijs/transformers';
import { accessibleTheme } from './contrast';
import type { HighlightedLanguage } from './languages';

/**
 * One theme per VS Code theme kind. Tokens carry all four colours as CSS variables; media/question.css picks
 * the one matching the webview's `data-vscode-theme-kind`, so a theme change needs no re-render.
 */
const THEMES = { light: 'github-light', dark: 'github-dark', hc: 'github-dark-high-contrast', hclight: 'github-light-high-contrast' } as const;

let highlighter: HighlighterCore | undefined;
// Shiki writes inline style attributes, which the webview's CSP blocks; this turns them into classes.
const toClasses = transformerStyleToClass({ classPrefix: 'hl-' });

function instance(): HighlighterCore {
  highlighter ??= createHighlighterCoreSync({
    // Every token reads at 4.5:1 on its background (WCAG 2.2 AA), which the stock themes miss for a few colours.
    themes: [githubLight, githubDark, githubDarkHighContrast, githubLightHighContrast].map((theme) => accessibleTheme(theme)),
    langs: [python, typescript, javascript, json, yaml, bash, sql, docker, toml],
    // The JavaScript regex engine needs no WebAssembly, so the bundle stays one synchronous file.
    engine: createJavaScriptRegexEngine({ forgiving: true }),
  });
  return highlighter;
}

/**
 * Shiki's default stops tokenizing a line after 500 ms and leaves the rest in one colour, so on a busy machine the
 * same code came out differently (seen while pre-rendering: the first TypeScript line of a cold highlighter, under
 * load). The build pre-renders the built-in questions and the panel serves them as they are, so the output must
 * depend on the input only: no time limit; instead, a line longer than this stays plain, which bounds the work.
 */
const MAX_HIGHLIGHTED_LINE = 1000;

/** Highlights code into a `<pre class="shiki">` whose colours are classes, never inline styles. */
export function highlightCode(code: string, language: HighlightedLanguage): string {
  return instance().codeToHtml(code, {
    lang: language,
    themes: THEMES,
    defaultColor: false,
    transformers: [toClasses],
    tokenizeTimeLimit: 0,
    tokenizeMaxLineLength: MAX_HIGHLIGHTED_LINE,
  });
}

/** The CSS of every class the highlighter has produced so far. */
export function highlightCss(): string {
  return toClasses.getCSS();
}
