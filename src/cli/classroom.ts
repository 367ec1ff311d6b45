/**
 * A candidate's grade as a GitHub Classroom autograding result: the JSON that the runner actions
 * (classroom-resources/autograding-command-grader, -io-grader) publish, base64-encoded, as their `result`
 * output, and that classroom-resources/autograding-grading-reporter reads. What the reporter does with it:
 * - its `runners` input lists step ids; for each it reads the env var `<STEP ID IN UPPER CASE>_RESULTS`;
 * - the points sent to Classroom are the sum of `tests[].score` over runners with a non-zero `max_score`,
 *   out of the sum of their `max_score`;
 * - its console table instead shows (passing entries / entries) × `max_score`, where a partly passed task
 *   counts as nothing; only that log table differs, Classroom gets the summed scores;
 * - a runner whose `status` is `fail` or `error` fails the reporter's step (the points are still sent).
 */
import type { TestResult } from '../grader/types';
import type { CandidateResult } from './take-home-result';

export const CLASSROOM_REPORTER_ACTION = 'classroom-resources/autograding-grading-reporter@v1';
/** The id of the workflow step that runs `mlops-labs grade`; the reporter's `runners` input names it. */
export const CLASSROOM_STEP_ID = 'grader';
export const CLASSROOM_RUNNERS_INPUT = 'runners';
/** The env var the reporter reads the base64 result from. */
export const CLASSROOM_RESULTS_ENV = `${CLASSROOM_STEP_ID.toUpperCase()}_RESULTS`;

export type ClassroomStatus = 'pass' | 'fail' | 'error';

export interface ClassroomTest {
  name: string;
  status: ClassroomStatus;
  /** Points earned; the reporter sums these. */
  score: number;
  message: string | null;
  test_code: string;
  filename: string;
  /** 0 tells the reporter there is no line to print. */
  line_no: number;
  /** Seconds, as the io-grader writes it: "1.25s". */
  execution_time: string;
}

export interface ClassroomResult {
  version: 1;
  status: ClassroomStatus;
  max_score: number;
  tests: ClassroomTest[];
}

/** Step outputs are capped (1 MB a job) and every message is printed to the log, so each stays short. */
const MESSAGE_CHARS = 1000;

/** One test entry per task of every lab; score is the task's points, max_score the candidate's total maximum. */
export function classroomResult(result: CandidateResult): ClassroomResult {
  const tests = result.labs.flatMap(({ id, report }) =>
    report.tasks.map((task): ClassroomTest => {
      const mine = report.tests.filter((t) => t.task_id === task.id);
      const passed = task.total > 0 && task.passed === task.total && task.points === task.maxPoints;
      const status: ClassroomStatus = passed ? 'pass' : report.status === 'error' || mine.some((t) => t.status === 'error') ? 'error' : 'fail';
      return {
        name: `${id} task ${task.id}: ${task.title}`,
        status,
        score: task.points,
        message: passed ? null : taskMessage(report.message, mine),
        test_code: '',
        filename: '',
        line_no: 0,
        execution_time: `${mine.reduce((sum, t) => sum + (t.duration_ms ?? 0), 0) / 1000}s`,
      };
    }),
  );
  const status: ClassroomStatus =
    result.tampered || tests.some((t) => t.status === 'error') ? 'error' : tests.every((t) => t.status === 'pass') ? 'pass' : 'fail';
  return { version: 1, status, max_score: result.maxPoints, tests };
}

/** Base64 of the JSON, as a runner writes to its `result` output. */
export function encodeClassroomResult(result: ClassroomResult): string {
  return Buffer.from(JSON.stringify(result), 'utf8').toString('base64');
}

function taskMessage(runMessage: string | null, tests: readonly TestResult[]): string {
  const lines = [
    ...(runMessage ? [runMessage] : []),
    `${tests.filter((t) => t.status === 'pass').length} of ${tests.length} tests passed.`,
    ...tests.filter((t) => t.status !== 'pass').map((t) => `${t.status}: ${t.name}${t.message ? ` — ${t.message.split('\n')[0]}` : ''}`),
  ];
  return forLog(lines.join('\n')).slice(0, MESSAGE_CHARS);
}

/**
 * The reporter prints messages to the job log, where a line starting with `::` is a workflow command and
 * escape sequences restyle the log; candidate text gets neither.
 */
function forLog(text: string): string {
  return (
    text
      // eslint-disable-next-line no-control-regex
      .replace(/\u001b\[[0-9;?]*[A-Za-z]|[\u0000-\u0008\u000b-\u001f\u007f]/g, '')
      .replace(/^(\s*)::/gm, '$1: :')
  );
}
