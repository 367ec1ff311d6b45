import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { Lab, LabManifest } from '../../../src/core/catalog/types';

export const ROOT = path.resolve(__dirname, '../../..');
export const HARNESS = path.join(ROOT, 'dist/grader-harness.js');
export const FIXTURES = path.join(ROOT, 'tests/fixtures/grader');

export function fixtureLab(overrides: Partial<LabManifest> = {}): Lab {
  const dir = path.join(FIXTURES, 'lab');
  const manifest = JSON.parse(readFileSync(path.join(dir, 'lab.json'), 'utf8')) as LabManifest;
  return { ...manifest, ...overrides, qualifiedId: `fixtures/${manifest.id}`, packId: 'fixtures', dir, contents: { hiddenTests: true, solution: true } };
}

export const submission = (name: string) => path.join(FIXTURES, 'submissions', name);
