/**
 * The rules every zip entry name follows, read (zip.ts) or written (zip-write.ts), and the error both raise.
 */
import * as path from 'node:path';

/** No real project path comes near this; capping it keeps the name checks cheap on hostile zips. */
const MAX_NAME_LENGTH = 1024;

export class ZipError extends Error {
  override readonly name = 'ZipError';

  constructor(
    readonly zipFile: string,
    reason: string,
    readonly entry?: string,
  ) {
    super(`${path.basename(zipFile)}: ${entry === undefined ? '' : `entry ${JSON.stringify(entry)} `}${reason}`);
  }
}

/**
 * Why a path may not be a zip entry, or undefined when it may. Folder entries end in '/'. Refuses anything
 * that could land outside the folder unpacked into, or mean different things on different systems.
 */
export function entryNameProblem(name: string, isFolder: boolean): string | undefined {
  if (name === '') return 'has an empty name';
  if (hasControlCharacter(name)) return 'contains a control character';
  if (/^([/\\]|[A-Za-z]:)/.test(name)) return 'is an absolute path';
  if (name.includes('\\')) return 'contains a backslash';
  if (name.length > MAX_NAME_LENGTH) return `has a name longer than ${MAX_NAME_LENGTH} characters`;
  const segments = (isFolder ? name.slice(0, -1) : name).split('/');
  if (segments.includes('..')) return 'points outside the folder it is unpacked into';
  if (segments.some((s) => s === '' || s === '.')) return 'has an empty or "." path segment';
  return undefined;
}

function hasControlCharacter(name: string): boolean {
  for (let i = 0; i < name.length; i++) {
    const code = name.charCodeAt(i);
    if (code < 0x20 || (code >= 0x7f && code <= 0x9f)) return true;
  }
  return false;
}

export interface EntryName {
  /** As the zip spells it, for messages. */
  name: string;
  /** Without a folder's trailing '/'. */
  path: string;
  isFolder: boolean;
}

/**
 * Refuses two entries that would unpack to the same path, on this system or on a case-insensitive one
 * (Windows, macOS), and an entry that sits inside another entry that is a file.
 */
export function checkCollisions(names: readonly EntryName[], zipFile: string): void {
  const byKey = new Map<string, EntryName>();
  for (const item of names) {
    const key = foldName(item.path);
    const prior = byKey.get(key);
    if (prior) {
      const reason =
        prior.name === item.name
          ? 'appears twice'
          : prior.path === item.path
            ? `collides with entry ${JSON.stringify(prior.name)}: one path cannot be both a file and a folder`
            : `collides with entry ${JSON.stringify(prior.name)}: they are the same path on Windows and macOS`;
      throw new ZipError(zipFile, reason, item.name);
    }
    byKey.set(key, item);
  }
  // Sorted, every path under "a/" follows "a/" directly, so one binary search per file finds a child.
  const keys = [...byKey.keys()].sort();
  for (const [key, item] of byKey) {
    if (item.isFolder) continue;
    const child = keys[lowerBound(keys, `${key}/`)];
    if (child?.startsWith(`${key}/`)) {
      throw new ZipError(zipFile, `sits inside ${JSON.stringify(item.name)}, which is a file`, byKey.get(child)?.name);
    }
  }
}

const foldName = (name: string): string => name.normalize('NFC').toLowerCase();

function lowerBound(sorted: readonly string[], value: string): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((sorted[middle] ?? '') < value) low = middle + 1;
    else high = middle;
  }
  return low;
}
