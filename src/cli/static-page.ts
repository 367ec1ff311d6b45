import { createHash } from 'node:crypto';
import { escapeHtml } from '../render/escape';

/**
 * The start of a page the CLI writes to disk (gradebook, feedback, similarity), up to `<body>`: no scripts, nothing
 * loaded, and its one style block allowed by hash (a CSP with 'none' for everything else, form posts and base URLs
 * included). `title` is text and is escaped here.
 */
export function staticPageHead(title: string, style: string): string {
  const hash = createHash('sha256').update(style).digest('base64');
  const csp = `default-src 'none'; style-src 'sha256-${hash}'; base-uri 'none'; form-action 'none'`;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${style}</style>
</head>`;
}
