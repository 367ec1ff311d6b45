/**
 * The lazily loaded core entry (dist/core.js): catalog loading with its schemas, the progress store and
 * the scheduler. The extension requires it on first use, never at activation.
 */
export { loadCatalog, type Catalog } from './catalog';
export { ProgressStore, type LoadResult, type LoadNotice } from './progress-store';
export { applyRating } from './scheduler';
export { buildSearchIndex, searchQuestions, type SearchHit, type SearchIndex } from './search';
export { groupQuestions, neighbour, isFiltered } from './question-tree';
export { ProgressBook } from './progress-book';
export { describeDue } from './relative-time';
export { formatProblem } from './problems';
export { LabState, labStatus, type LabRecord, type LabStatus } from './lab-state';
export { AttemptHistory, type AttemptMeta } from './history';
export { planStart, writeWorkspace, restoreStarter, readMarker, MARKER, type StartPlan, type Marker } from './workspace';
export { readFolder } from './files';
export { TrustGate } from './trust-gate';
export { openPackSources, isZipPath, copyName, type PackSource } from './pack-source';
export { PackCopies } from './pack-cache';
export { watchStorage, type StorageWatch } from './storage-watch';
export { buildSubmission, type LabExport } from './submission';
export { readTimer, timeLimitOf, isLate, formatRemaining, type TimerRecord, type TimeLimit } from './take-home-timer';
export { writeZip } from './zip';
export { LARGE_INSERTION_CHARS } from './lab-state';
