/**
 * Late policy (docs/packs.md "Late policy"; `latePolicy` in pack.json or `--late-*` on the command line):
 * a grace period, then a deduction per started hour late and/or a cap on what late work can score. Pure:
 * the grader works out how late a submission is; this says what that costs.
 */

export interface LatePolicy {
  /** The policy format; 1 is the only one so far. */
  version: 1;
  /** Minutes after the deadline (plus any extension) that cost nothing. */
  graceMinutes?: number;
  /** Percent of the points possible deducted for every started hour past the grace. */
  penaltyPercentPerHour?: number;
  /** The most the deduction can reach, in percent of the points possible (default 100). */
  maxPenaltyPercent?: number;
  /** Late work scores at most this percent of the points possible. */
  capPercent?: number;
}

export interface LateOutcome {
  /** Minutes past the deadline after the extension and the grace; 0 when on time under the policy. */
  minutesLate: number;
  startedHours: number;
  penaltyPoints: number;
  finalPoints: number;
}

const round2 = (n: number) => Math.round(n * 100) / 100;

/**
 * What a policy makes of `rawPoints` out of `maxPoints` for work finished `minutesPastDeadline` after the
 * deadline (negative when early), with the candidate's `extensionMinutes`.
 */
export function applyLatePolicy(
  policy: LatePolicy | undefined,
  rawPoints: number,
  maxPoints: number,
  minutesPastDeadline: number | undefined,
  extensionMinutes = 0,
): LateOutcome {
  const over = (minutesPastDeadline ?? 0) - extensionMinutes - (policy?.graceMinutes ?? 0);
  if (!policy || over <= 0) return { minutesLate: 0, startedHours: 0, penaltyPoints: 0, finalPoints: round2(rawPoints) };
  const startedHours = Math.ceil(over / 60);
  const percent = Math.min(policy.maxPenaltyPercent ?? 100, startedHours * (policy.penaltyPercentPerHour ?? 0), 100);
  let final = Math.max(0, rawPoints - (maxPoints * percent) / 100);
  if (policy.capPercent !== undefined) final = Math.min(final, (maxPoints * policy.capPercent) / 100);
  final = round2(final);
  return { minutesLate: round2(over), startedHours, penaltyPoints: round2(rawPoints - final), finalPoints: final };
}

/** The policy in words, for the gradebook and the pages. */
export function describeLatePolicy(policy: LatePolicy | undefined): string {
  if (!policy) return 'none';
  const parts = policy.graceMinutes ? [`grace ${policy.graceMinutes} min`] : [];
  if (policy.penaltyPercentPerHour)
    parts.push(`-${policy.penaltyPercentPerHour}% per started hour${policy.maxPenaltyPercent !== undefined ? ` (at most -${policy.maxPenaltyPercent}%)` : ''}`);
  if (policy.capPercent !== undefined) parts.push(`late work capped at ${policy.capPercent}%`);
  return parts.length ? parts.join('; ') : 'no penalty';
}

/** The command line's `--late-*` options over the pack's policy: each given option replaces that field. */
export function mergeLatePolicy(
  fromPack: LatePolicy | undefined,
  fromCli: { graceMinutes?: number; penaltyPercentPerHour?: number; maxPenaltyPercent?: number; capPercent?: number },
): LatePolicy | undefined {
  const given = Object.fromEntries(Object.entries(fromCli).filter(([, v]) => v !== undefined));
  if (!fromPack && Object.keys(given).length === 0) return undefined;
  return { ...(fromPack ?? { version: 1 }), ...given, version: 1 };
}
