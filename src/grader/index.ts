/** The lazily loaded grader entry (dist/grader.js). */
export { Grader, prepareDebugRun, type GradeRequest, type GraderOptions } from './grader';
export { buildReport, expectedTests, failureText, isNotRun } from './report';
export type { GradeReport, TestResult, TaskScore, Protections, Suite, GradeMode } from './types';
export type { ChildEvent } from './channel';
export { toTestUpdate, type TestUpdate } from './test-updates';
export { affectedTestFiles, discoverTests, isTestFile, type DiscoveredFile, type DiscoveredTest } from './discovery';
export type { CoverageReport } from './types';
