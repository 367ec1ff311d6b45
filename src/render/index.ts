/**
 * The heavy render entry (dist/render.js): markdown-it, KaTeX and shiki, loaded only to render Markdown the build
 * did not pre-render and no cache holds (a pack question never seen before, the candidate's own attempts).
 * The page builders are the light entry, ./pages (dist/pages.js).
 */
export { renderQuestion, type RenderedQuestion } from './question-view';
export { renderMarkdown as renderAttempt } from './markdown';
export { highlightCss } from './highlighter';
