import type { GradeReport } from '../grader/types';
export interface LabResult {
  id: string;
  title: string;
  report: GradeReport;
  /** Hint texts the candidate revealed, in order. */ hints: string[];
}
export interface CandidateResult {
  /** From the submission's file name: candidate-supplied, so never trusted as HTML. */
  candidate: string;
  submission: string;
  pack: { id: string; version: string };
  startedAt?: string;
  finishedAt?: string;
  elapsedMinutes?: number;
  timeLimitMinutes?: number;
  late: boolean;
  tampered: boolean;
  /** Human-readable findings: "late: finished 12 min after the deadline", "checksum differs: src/zero.ts", "3 large pastes (4,210 characters)". */
  flags: string[];
  labs: LabResult[];
  points: number;
  maxPoints: number;
}
