import { CORE_SCHEMA, load as loadYaml } from 'js-yaml';
import { qualify, resolveReference } from '../catalog/ids';
import { validator } from '../io/schema';
import type { Question, QuestionBody, QuestionFrontMatter } from '../catalog/types';

const validateQuestionFrontMatter = validator<QuestionFrontMatter>('question', 'front matter');

/** The level-2 headings of a question body, in their required order (docs/formats.md §3). */
const HEADINGS = [
  { title: 'Short answer', key: 'shortAnswer', required: true },
  { title: 'Key points', key: 'keyPoints', required: false },
  { title: 'Answer', key: 'answer', required: true },
  { title: 'Pitfalls', key: 'pitfalls', required: false },
  { title: 'Follow-ups', key: 'followUps', required: false },
] as const;

export const QUESTION_FILE_NAME = /^(\d{2})-([a-z0-9]+(?:-[a-z0-9]+)*)\.md$/;

export type ParseResult = { ok: true; question: Question } | { ok: false; errors: string[] };

export interface QuestionSource {
  /** Absolute path, used in messages and kept on the question. */
  file: string;
  fileName: string;
  /** The section slug named by the question's folder. */
  folderSection: string;
  packId: string;
  text: string;
}

export function parseQuestionFile(source: QuestionSource): ParseResult {
  const name = QUESTION_FILE_NAME.exec(source.fileName);
  if (!name) return fail(`file name must look like "NN-question-slug.md"`);

  const split = splitFrontMatter(source.text);
  if (!split) return fail('missing front matter: the file must start with a "---" line and close it with another');

  let data: unknown;
  try {
    // js-yaml parses a front matter about seven times faster than `yaml` (a 5,000-question pack's first load was
    // mostly YAML). The core schema keeps dates and other tags as plain strings, as the question schema expects.
    data = loadYaml(split.yaml, { schema: CORE_SCHEMA, filename: source.fileName });
  } catch (error) {
    return fail(`front matter is not valid YAML: ${firstLine(error)}`);
  }
  const checked = validateQuestionFrontMatter(data);
  if (!checked.ok) return { ok: false, errors: checked.errors };
  const front = checked.value;
  if (front.section !== source.folderSection) {
    return fail(`section "${front.section}" does not match its folder (section "${source.folderSection}")`);
  }

  const body = splitBody(split.body);
  if (!body.ok) return { ok: false, errors: body.errors };
  const keyPoints = parseKeyPoints(body.value.keyPoints);
  if (typeof keyPoints === 'string') return fail(keyPoints);

  return {
    ok: true,
    question: {
      ...front,
      qualifiedId: qualify(source.packId, front.id),
      packId: source.packId,
      order: Number(name[1]),
      file: source.file,
      body: body.value,
      labIds: front.labs.map((lab) => resolveReference(source.packId, lab)),
      keyPoints,
    },
  };
}

function fail(message: string): ParseResult {
  return { ok: false, errors: [message] };
}

function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? '';
}

function splitFrontMatter(text: string): { yaml: string; body: string } | undefined {
  const normalised = text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  if (!normalised.startsWith('---\n')) return undefined;
  const end = normalised.indexOf('\n---\n', 3);
  const endAtEof = normalised.endsWith('\n---') ? normalised.length - 4 : -1;
  const close = end >= 0 ? end : endAtEof;
  if (close < 0) return undefined;
  return { yaml: normalised.slice(4, close), body: normalised.slice(close + 5) };
}

/** Splits the body at level-2 headings outside fenced code, checking their names and order. */
function splitBody(body: string): { ok: true; value: QuestionBody } | { ok: false; errors: string[] } {
  const parts: { title: string; lines: string[] }[] = [{ title: '', lines: [] }];
  let fence: string | undefined;
  for (const line of body.split('\n')) {
    const marker = /^\s{0,3}(`{3,}|~{3,})/.exec(line)?.[1];
    if (marker && (!fence || (marker[0] === fence[0] && marker.length >= fence.length))) {
      fence = fence ? undefined : marker;
    }
    const heading = fence ? undefined : /^##\s+(.+?)\s*#*\s*$/.exec(line);
    if (heading?.[1] !== undefined) parts.push({ title: heading[1], lines: [] });
    else parts.at(-1)?.lines.push(line);
  }

  const errors: string[] = [];
  const value: QuestionBody = { context: '', shortAnswer: '', keyPoints: '', answer: '', pitfalls: '', followUps: '' };
  value.context = parts[0]?.lines.join('\n').trim() ?? '';
  let next = 0;
  for (const part of parts.slice(1)) {
    const index = HEADINGS.findIndex((h) => h.title === part.title);
    if (index < 0) {
      errors.push(`unknown heading "## ${part.title}" (allowed: ${HEADINGS.map((h) => h.title).join(', ')})`);
      continue;
    }
    if (index < next) {
      errors.push(`heading "## ${part.title}" is out of order or repeated`);
      continue;
    }
    next = index + 1;
    const heading = HEADINGS[index];
    if (heading) value[heading.key] = part.lines.join('\n').trim();
  }
  for (const heading of HEADINGS) {
    if (heading.required && !value[heading.key]) errors.push(`missing or empty "## ${heading.title}" section`);
  }
  return errors.length ? { ok: false, errors } : { ok: true, value };
}

export const KEY_POINTS = { min: 3, max: 7 } as const;

/**
 * The statements of a `## Key points` section: a bullet list of 3–7 one-line items and nothing else, so each
 * can be ticked off yes or no. An absent section gives none (packs may leave it out; the built-in bank may not).
 */
function parseKeyPoints(markdown: string): string[] | string {
  if (!markdown) return [];
  const lines = markdown.split('\n').filter((line) => line.trim() !== '');
  const items = lines.map((line) => /^[-*]\s+(\S.*)$/.exec(line)?.[1]?.trim());
  if (items.some((item) => item === undefined)) return '"## Key points" must be a bullet list only ("- " and one statement per line)';
  if (items.length < KEY_POINTS.min || items.length > KEY_POINTS.max)
    return `"## Key points" holds ${items.length} statements; a question has ${KEY_POINTS.min} to ${KEY_POINTS.max}`;
  return items as string[];
}
