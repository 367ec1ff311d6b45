/**
 * The lazily loaded core entry (dist/core.js): catalog loading with its schemas, the progress store and
 * the scheduler. The extension requires it on first use, never at activation.
 */
export { loadCatalog, type Catalog } from './catalog/catalog';
export { ProgressStore, type LoadResult, type LoadNotice } from './progress/progress-store';
export { applyRating } from './progress/scheduler';
export { buildSearchIndex, buildSearchIndexInSlices, searchQuestions, type SearchHit, type SearchIndex } from './questions/search';
export { groupQuestions, neighbour, isFiltered } from './questions/question-tree';
export { ProgressBook } from './progress/progress-book';
export { AnswerBook, AnswersStore } from './progress/answers';
export { describeDue } from './progress/relative-time';
export { formatProblem } from './catalog/problems';
export { LabState, labStatus, type LabRecord, type LabStatus } from './labs/lab-state';
export { AttemptHistory, type AttemptMeta } from './labs/history';
export { planStart, labFolderName, writeWorkspace, restoreStarter, readMarker, MARKER, type StartPlan, type Marker } from './labs/workspace';
export { readFolder } from './io/files';
export { TrustGate } from './labs/trust-gate';
export { openPackSources, isZipPath, copyName, type PackSource } from './packs/pack-source';
export { PackCopies } from './packs/pack-cache';
export { watchStorage, type StorageWatch } from './io/storage-watch';
export { buildSubmission, type LabExport } from './take-home/submission';
export { readTimer, timeLimitOf, isLate, formatRemaining, timeLeftText, warningsFor, type TimerRecord, type TimeLimit } from './take-home/take-home-timer';
export { EditSessions, changedLines, LATE_EDIT_PAUSE_MS } from './take-home/late-edits';
export { writeZip } from './io/zip-write';
export { LARGE_INSERTION_CHARS, hasUnexportedWork } from './labs/lab-state';
export { readMutants, writeMutant, type Mutant } from './labs/mutants';
export {
  planInterview,
  seededRandom,
  MINUTES_BY_LEVEL,
  INTERVIEW_LENGTHS,
  LAB_MINUTES,
  type PlanHistory,
  type PlannedQuestion,
} from './practice/interview-plan';
export * as interview from './practice/interview';
export { InterviewBook, InterviewsStore, listInterviews, type InterviewListing } from './practice/interviews-store';
export { sha256 } from './io/hash';
export { attemptLabel } from './take-home/attempt-label';
export { buildDashboardData, labRows, interviewRows, type DashboardData, type MockInterviewRow } from './progress/dashboard-data';
export { buildExport, readExport, countsOf, mergeProgress, mergeAnswers, mergeLabs, type ProgressExport, type ExportCounts } from './progress/export';
export { nextDue, type DueItem } from './progress/review-queue';
