import type { Difficulty, SectionSlug } from './sections';
import type { LatePolicy } from '../take-home/late-policy';

/** Front matter of a question file (schemas/question.schema.json). */
export interface QuestionFrontMatter {
  id: string;
  title: string;
  section: SectionSlug;
  difficulty: Difficulty;
  tags: string[];
  labs: string[];
  updated: string;
  /** URLs or named primary documents the answer rests on (docs/formats.md §3). */
  sources?: string[];
}

/** The body of a question, split at its level-2 headings (docs/formats.md §3). */
export interface QuestionBody {
  /** Markdown before the first heading, shown with the question. */
  context: string;
  shortAnswer: string;
  /** The `## Key points` list as written (markdown); empty when the question has none. */
  keyPoints: string;
  answer: string;
  pitfalls: string;
  followUps: string;
}

export interface Question extends QuestionFrontMatter {
  /** `<pack>/<id>`: the key for progress and links. */
  qualifiedId: string;
  packId: string;
  /** Order within its section, from the file name's numeric prefix. */
  order: number;
  /** Absolute path of the source file. */
  file: string;
  body: QuestionBody;
  /** Related labs as qualified ids. */
  labIds: string[];
  /** The statements of `## Key points`, one idea each, in the order an interviewer listens for them. */
  keyPoints: string[];
}

export interface LabTask {
  id: number;
  title: string;
  points: number;
  /** Hidden tests: they score the task. */
  tests: string[];
  /** Public tests: feedback only. */
  publicTests?: string[];
}

/** lab.json (schemas/lab.schema.json). */
export interface LabManifest {
  id: string;
  version: string;
  title: string;
  summary: string;
  difficulty: Difficulty;
  estimatedMinutes: number;
  questions: string[];
  tasks: LabTask[];
  hints: string[];
  runtime: { onnxruntime: boolean; timeoutMs: number; memoryMb: number };
  timeLimitMinutes?: number;
}

export interface Lab extends LabManifest {
  qualifiedId: string;
  packId: string;
  /** Absolute path of the lab folder. */
  dir: string;
  /** What the folder holds: a student build has neither hidden tests nor a reference solution. */
  contents: LabContents;
}

export interface LabContents {
  hiddenTests: boolean;
  solution: boolean;
}

/** pack.json (schemas/pack.schema.json). */
export interface PackManifest {
  id: string;
  name: string;
  version: string;
  author: string;
  description: string;
  questions: string[];
  labs: string[];
  timeLimitMinutes?: number;
  due?: string;
  /** How late work is scored (docs/packs.md, Late policy). */
  latePolicy?: LatePolicy;
  checksums?: Record<string, string>;
}

export interface Pack extends PackManifest {
  /** Absolute path of the pack folder. */
  dir: string;
}
