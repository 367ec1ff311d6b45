import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterEach } from 'vitest';
import type { Difficulty, SectionSlug } from '../../src/core/catalog/sections';
import type { Question } from '../../src/core/catalog/types';
import { questionCachesWritten } from '../../src/core/catalog/question-cache';
import type { GradeReport } from '../../src/grader/types';

const made: string[] = [];

afterEach(async () => {
  // A catalog load writes its parsed-question cache after handing the catalog back: let it finish before its folder goes.
  await questionCachesWritten();
  await Promise.all(made.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

/** A fresh temp folder, removed after the test. */
export async function tempDir(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'mlops-labs-test-'));
  made.push(dir);
  return dir;
}

/** Writes files (relative path → content) under `root`. */
export async function writeTree(root: string, files: Record<string, string>): Promise<void> {
  for (const [relative, content] of Object.entries(files)) {
    const file = path.join(root, relative);
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, content);
  }
}

export interface QuestionOptions {
  id?: string;
  title?: string;
  section?: string;
  difficulty?: string;
  tags?: string[];
  labs?: string[];
  body?: string;
  extraFrontMatter?: string;
}

/** A valid question file, with any field overridden. */
export function questionFile(options: QuestionOptions = {}): string {
  const {
    id = 'sample-question',
    title = 'What does a sample question look like?',
    section = 'training-frameworks',
    difficulty = 'mid',
    tags = ['sample'],
    labs = [],
    body = '## Short answer\n\nA short answer.\n\n## Answer\n\nThe full answer.\n',
    extraFrontMatter = '',
  } = options;
  return `---\nid: ${id}\ntitle: ${JSON.stringify(title)}\nsection: ${section}\ndifficulty: ${difficulty}\ntags: [${tags.join(', ')}]\nlabs: [${labs.join(', ')}]\nupdated: "2026-11-27"\n${extraFrontMatter}---\n\n${body}`;
}

export function packJson(overrides: Record<string, unknown> = {}): string {
  return JSON.stringify({
    id: 'core',
    name: 'Test pack',
    version: '1.0.0',
    author: 'Tests',
    description: 'A pack made by a test.',
    questions: ['questions'],
    labs: ['labs'],
    ...overrides,
  });
}

export function labJson(overrides: Record<string, unknown> = {}): string {
  return JSON.stringify({
    id: 'zero-memory',
    version: '1.0.0',
    title: 'ZeRO memory',
    summary: 'Compute per-GPU memory for ZeRO stages.',
    difficulty: 'senior',
    estimatedMinutes: 45,
    questions: [],
    tasks: [{ id: 1, title: 'Baseline', points: 10, tests: ['baseline > counts 16 bytes per parameter'] }],
    hints: ['Start from 16 bytes per parameter.'],
    runtime: { onnxruntime: false, timeoutMs: 10000, memoryMb: 256 },
    ...overrides,
  });
}

/** An in-memory question for tests of grouping, search and rendering. */
export function questionFixture(fields: {
  id: string;
  title?: string;
  section?: SectionSlug;
  difficulty?: Difficulty;
  tags?: string[];
  answer?: string;
}): Question {
  const { id, title = `Question ${id}`, section = 'serving', difficulty = 'mid', tags = ['x'], answer = 'a' } = fields;
  return {
    id,
    qualifiedId: `core/${id}`,
    packId: 'core',
    title,
    section,
    difficulty,
    tags,
    labs: [],
    labIds: [],
    updated: '2026-11-27',
    order: 1,
    file: `/x/${id}.md`,
    body: { context: '', shortAnswer: '', keyPoints: '', answer, pitfalls: '', followUps: '' },
    keyPoints: [],
  };
}

/** A take-home grade report with the protections a real one carries; tests give the tests, tasks and points. */
export function reportFixture(overrides: Partial<GradeReport> = {}): GradeReport {
  return {
    version: 3,
    status: 'pass',
    message: null,
    tests: [],
    lab: { id: 'zero-memory', version: '1.0.0' },
    suite: 'hidden',
    mode: 'take-home',
    points: 0,
    maxPoints: 0,
    tasks: [],
    passed: false,
    durationMs: 50,
    protections: {
      permissionModel: 'enforced',
      permissionFlag: '--permission',
      nodeVersion: 'v20.19.0',
      timeoutMs: 10000,
      heapMb: 256,
      rssWatchdogMb: 512,
      outputCapBytes: 1048576,
      addons: false,
      childProcesses: false,
    },
    output: '',
    tampering: [],
    ...overrides,
  };
}
