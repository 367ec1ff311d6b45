/**
 * The lazily loaded core entry (dist/core.js): catalog loading with its schemas, the progress store and
 * the scheduler. The extension requires it on first use, never at activation.
 */
export { loadCatalog, type Catalog } from './catalog/catalog';
export { ProgressStore, type LoadResult, type LoadNotice } from './progress/progress-store';
export { applyRating } from './progress/scheduler';
export { buildSearchIndex, searchQuestions, type SearchHit, type SearchIndex } from './questions/search';
export { groupQuestions, neighbour, isFiltered } from './questions/question-tree';
export { ProgressBook } from './progress/progress-book';
export { AnswerBook, AnswersStore } from './progress/answers';
export { describeDue } from './progress/relative-time';
export { formatProblem } from './catalog/problems';
export { LabState, labStatus, type LabRecord, type LabStatus } from './labs/lab-state';
export { AttemptHistory, type AttemptMeta } from './labs/history';
export { planStart, writeWorkspace, restoreStarter, readMarker, MARKER, type StartPlan, type Marker } from './labs/workspace';
export { readFolder } from './io/files';
export { TrustGate } from './labs/trust-gate';
export { openPackSources, isZipPath, copyName, type PackSource } from './packs/pack-source';
export { PackCopies } from './packs/pack-cache';
export { watchStorage, type StorageWatch } from './io/storage-watch';
export { buildSubmission, type LabExport } from './take-home/submission';
export { readTimer, timeLimitOf, isLate, formatRemaining, type TimerRecord, type TimeLimit } from './take-home/take-home-timer';
export { writeZip } from './io/zip';
export { LARGE_INSERTION_CHARS } from './labs/lab-state';
export { readMutants, writeMutant, type Mutant } from './labs/mutants';
export { buildExport, readExport, countsOf, mergeProgress, mergeAnswers, mergeLabs, type ProgressExport, type ExportCounts } from './progress/export';
export { nextDue, type DueItem } from './progress/review-queue';
