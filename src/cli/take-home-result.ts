import type { ManualItem } from '../core/take-home/manual-grades';
import type { GradeReport } from '../grader/types';
export interface LabResult {
  id: string;
  title: string;
  report: GradeReport;
  /** Hint texts the candidate revealed, in order. */ hints: string[];
  /** Set when src/ failed its checksums and the verified frozen copy was graded instead: what src/ as submitted scored. */
  asSubmitted?: { points: number; maxPoints: number };
}
export interface CandidateResult {
  /** From the submission's file name: candidate-supplied, so never trusted as HTML. */
  candidate: string;
  submission: string;
  pack: { id: string; version: string };
  /** Why the submission was not graded (unreadable, another pack): a JUnit error, not an empty suite. */
  notGraded?: string;
  /** From the roster, when one was given and lists this submission. */
  name?: string;
  email?: string;
  /** The name the candidate typed at export (manifest `candidateName`), shown beside the roster's. */
  typedName?: string;
  /** The candidate's UTC offset at export, when the manifest recorded it: their pages show local times. */
  utcOffsetMinutes?: number;
  /** Extra minutes past the deadline from the roster. */
  extensionMinutes?: number;
  startedAt?: string;
  finishedAt?: string;
  elapsedMinutes?: number;
  timeLimitMinutes?: number;
  /** How long after the deadline (before any extension) the latest lab finished; 0 or absent when on time. */
  minutesPastDeadline?: number;
  late: boolean;
  tampered: boolean;
  /** When a lab was graded from its verified frozen copy: the total src/ as submitted would have scored. */
  asSubmittedPoints?: number;
  /** Human-readable findings: "late: finished 12 min after the deadline", "checksum differs: src/zero.ts", "3 large pastes (4,210 characters)". */
  flags: string[];
  labs: LabResult[];
  /** The automatic points. */
  points: number;
  maxPoints: number;
  /** Rubric items and comments from the instructor's manual grades sheet. */
  manual?: ManualItem[];
  manualPoints?: number;
  manualMaxPoints?: number;
  /** Automatic plus manual points, before the late policy; and after it. */
  rawPoints?: number;
  finalPoints?: number;
  latePenaltyPoints?: number;
  /** The late policy applied, in words ("none" without one). */
  latePolicy?: string;
  /** With `--similarity`: the highest similarity score over the labs and with whom (absent partner: shares nothing particular). A reason to talk, not a verdict. */
  similarity?: { score: number; partner?: string; lab?: string };
}
