import type { AttemptMeta } from '../labs/history';
import type { TimerRecord } from './take-home-timer';

/**
 * What History calls an attempt. A frozen snapshot says why it was frozen: at time-up, or when the candidate
 * submitted before the deadline; files kept by Reset say so.
 */
export function attemptLabel(attempt: Pick<AttemptMeta, 'kind' | 'id' | 'points' | 'maxPoints' | 'status'>, timer: TimerRecord | undefined): string {
  if (attempt.kind === 'graded') return `${attempt.points}/${attempt.maxPoints} points, ${attempt.status === 'pass' ? 'passed' : 'not passed'}`;
  if (attempt.kind === 'reset') return 'Files before reset';
  const submittedEarly = timer?.frozenAttempt === attempt.id && timer.frozenAt !== undefined && Date.parse(timer.frozenAt) < Date.parse(timer.deadline);
  return submittedEarly ? 'Frozen at submit' : 'Frozen at time-up';
}
