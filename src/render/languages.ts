/**
 * The languages the question renderer highlights (a fine-grained shiki bundle loads only these) and the
 * info-string aliases that name them. Anything else renders as plain, escaped text.
 */
export const HIGHLIGHTED_LANGUAGES = ['python', 'typescript', 'javascript', 'json', 'yaml', 'bash', 'sql', 'docker', 'toml'] as const;
export type HighlightedLanguage = (typeof HIGHLIGHTED_LANGUAGES)[number];

const ALIASES: Record<string, HighlightedLanguage | 'text'> = {
  python: 'python',
  py: 'python',
  typescript: 'typescript',
  ts: 'typescript',
  javascript: 'javascript',
  js: 'javascript',
  json: 'json',
  yaml: 'yaml',
  yml: 'yaml',
  bash: 'bash',
  sh: 'bash',
  shell: 'bash',
  dockerfile: 'docker',
  docker: 'docker',
  sql: 'sql',
  toml: 'toml',
  text: 'text',
  txt: 'text',
  plain: 'text',
};

/** All names an author may put in a fence's info string. */
export const FENCE_LANGUAGE_NAMES: readonly string[] = Object.keys(ALIASES);

/** Parses a fence info string such as `ts fragment`: its language and whether it is a fragment. */
export function parseFenceInfo(info: string): { language: HighlightedLanguage | 'text' | undefined; name: string; fragment: boolean } {
  const [name = '', ...flags] = info.trim().split(/\s+/);
  return { language: ALIASES[name.toLowerCase()], name, fragment: flags.includes('fragment') };
}
