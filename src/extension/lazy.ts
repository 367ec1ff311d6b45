import * as path from 'node:path';
import type * as CoreIndex from '../core/index';
import type * as GraderIndex from '../grader/index';
import type * as RenderIndex from '../render/index';
import type * as PagesIndex from '../render/pages';
import type * as MarkdownPlain from '../render/markdown-plain';

/**
 * Heavy modules live in their own bundles beside dist/extension.js and are required on first use, never at
 * activation (DESIGN.md: activate() under 10 ms).
 */
type CoreModule = typeof CoreIndex;
type RenderModule = typeof RenderIndex;
type PagesModule = typeof PagesIndex;
type MarkdownModule = typeof MarkdownPlain;
type GraderModule = typeof GraderIndex;

let core: CoreModule | undefined;
let render: RenderModule | undefined;
let pages: PagesModule | undefined;
let markdown: MarkdownModule | undefined;
let grader: GraderModule | undefined;

// A computed path, so esbuild leaves the require alone instead of inlining the module.
const sibling = <T>(bundle: string): T => require(path.join(__dirname, bundle)) as T;

export function loadCore(): CoreModule {
  core ??= sibling<CoreModule>('core.js');
  return core;
}

/** The page builders and the pre-rendered question lookup: no markdown-it, KaTeX or shiki. */
export function loadPages(): PagesModule {
  pages ??= sibling<PagesModule>('pages.js');
  return pages;
}

/** markdown-it and KaTeX without shiki: answer attempts with no code to highlight. */
export function loadMarkdown(): MarkdownModule {
  markdown ??= sibling<MarkdownModule>('markdown.js');
  return markdown;
}

/** markdown-it, KaTeX and shiki: only for Markdown nothing pre-rendered (see src/render/prerendered.ts). */
export function loadRender(): RenderModule {
  render ??= sibling<RenderModule>('render.js');
  return render;
}

export function loadGrader(): GraderModule {
  grader ??= sibling<GraderModule>('grader.js');
  return grader;
}
