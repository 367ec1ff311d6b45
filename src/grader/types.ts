/** The grader's public types: what a grade is asked for, and the report it produces. */
import type { FileCoverageData } from 'istanbul-lib-coverage';

/**
 * `public` and `hidden`: the lab's own suites. `workspace`: the tests in the candidate's workspace (the public
 * tests as they have them, and their own), run in the same sandbox but never graded.
 */
export type Suite = 'public' | 'hidden' | 'workspace';

/** `practice`: the candidate is trusted. `take-home`: the submission is hostile (docs/grading.md). */
export type GradeMode = 'practice' | 'take-home';

export type TestStatus = 'pass' | 'fail' | 'error';

/** One test in a report: Exercism's results.json v3 fields, plus what the editor needs for a diff. */
export interface TestResult {
  name: string;
  status: TestStatus;
  message: string | null;
  output: string | null;
  /** 1-based task number; absent for a test no task lists. */
  task_id?: number;
  duration_ms?: number;
  /** For assertion failures: the two sides, as text, for a diff view. */
  expected?: string;
  actual?: string;
  /** Where the failure was raised in the candidate's code, when it was. */
  location?: { file: string; line: number; column: number };
}

export interface TaskScore {
  id: number;
  title: string;
  points: number;
  maxPoints: number;
  passed: number;
  total: number;
}

/** Which limits were in force for this grade, so a report never claims more isolation than it had. */
export interface Protections {
  permissionModel: 'enforced' | 'unavailable' | 'not-enforced';
  permissionFlag?: string;
  nodeVersion: string;
  timeoutMs: number;
  heapMb: number;
  rssWatchdogMb: number | null;
  outputCapBytes: number;
  addons: boolean;
  childProcesses: boolean;
}

/** Exercism results.json version 3, extended with points, per-task scores, timing and protections. */
export interface GradeReport {
  version: 3;
  status: TestStatus;
  /** Why the run as a whole errored (compile error, timeout, crash, tampering); null otherwise. */
  message: string | null;
  tests: TestResult[];
  lab: { id: string; version: string };
  suite: Suite;
  mode: GradeMode;
  points: number;
  maxPoints: number;
  tasks: TaskScore[];
  /** True when every expected test of the suite passed. */
  passed: boolean;
  durationMs: number;
  protections: Protections;
  /** Output the submission printed outside any test, capped. */
  output: string;
  /** Signs of tampering seen in take-home mode. */
  tampering: string[];
  /** Coverage of src/ by the tests that ran, when it was asked for (workspace runs only). */
  coverage?: CoverageReport;
}

/** Istanbul's per-file coverage data (statements, branches, functions), by workspace-relative file ("src/zero.ts"). */
export type CoverageReport = Record<string, FileCoverageData>;
