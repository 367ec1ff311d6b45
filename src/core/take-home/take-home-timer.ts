/**
 * The take-home clock: pure functions over a record kept in labs.json, so the time left survives reloads
 * and restarts. Time runs from the Start event. A clock set back never gives time back: elapsed time is
 * measured against the latest moment seen (the high-water mark), and each setback is counted.
 */

/** Warnings, in minutes left, announced once each; only those inside the limit (a 10-minute take-home gets the 5-minute one only). */
export const WARNINGS = [15, 5] as const;

/** The warnings a clock gives: the thresholds shorter than its whole time (start to deadline). */
export function warningsFor(record: Pick<TimerRecord, 'startedAt' | 'deadline'>): number[] {
  const total = Date.parse(record.deadline) - Date.parse(record.startedAt);
  return WARNINGS.filter((m) => m * 60_000 < total);
}

/** The warning's words, from the true time left (a reading may come late, after a sleep or a reload): `4 minutes`, `1 minute`. */
export function timeLeftText(remainingMs: number): string {
  const minutes = Math.max(1, Math.ceil(remainingMs / 60_000));
  return `${minutes} minute${minutes === 1 ? '' : 's'}`;
}

/** A backwards jump smaller than this is ordinary clock correction (NTP), not a setback worth counting. */
const SETBACK_TOLERANCE_MS = 60_000;

/**
 * Work stamped this soon after the deadline is on time: the freeze runs on the clock's first tick past the
 * deadline and stamps its files a moment later, so a lab frozen when time ran out is never late for that.
 */
export const LATE_GRACE_MS = 60_000;

export interface TimeLimit {
  /** `pack`: one clock for the whole pack, started by the first lab started; `lab`: the lab's own. */
  scope: 'pack' | 'lab';
  minutes?: number;
  /** ISO date-time. */
  due?: string;
}

export interface TimerRecord {
  startedAt: string;
  /** The earlier of start + limit and the due date. */
  deadline: string;
  limitMinutes?: number;
  due?: string;
  /** The latest clock reading seen; elapsed time never goes below it. */
  highWater: string;
  /** Minutes-left warnings already given. */
  warned: number[];
  clockSetbacks: number;
  /** The last reading found the clock set back: one setback is counted once, not on every reading until the clock catches up. */
  clockBehind?: boolean;
  /** When time ran out and the submission was frozen. */
  frozenAt?: string;
  /** The history attempt holding the frozen files. */
  frozenAttempt?: string;
}

/**
 * The limit of a lab in its pack. A lab's own minutes run on its own clock; a pack's minutes are one clock
 * for the whole pack (docs/formats.md §7); the pack's due date applies to every lab either way.
 */
export function timeLimitOf(lab: { timeLimitMinutes?: number }, pack: { timeLimitMinutes?: number; due?: string } | undefined): TimeLimit | undefined {
  const scope = lab.timeLimitMinutes !== undefined ? 'lab' : 'pack';
  const minutes = lab.timeLimitMinutes ?? pack?.timeLimitMinutes;
  const due = pack?.due;
  if (minutes === undefined && due === undefined) return undefined;
  return { scope, ...(minutes !== undefined ? { minutes } : {}), ...(due !== undefined ? { due } : {}) };
}

/** A new clock; for a pack-wide limit, `shared` is a clock another lab of the pack already started, whose start and deadline it takes. */
export function startTimer(limit: TimeLimit, now: Date, shared?: TimerRecord): TimerRecord {
  if (shared && limit.scope === 'pack') {
    return {
      startedAt: shared.startedAt,
      deadline: shared.deadline,
      ...(limit.minutes !== undefined ? { limitMinutes: limit.minutes } : {}),
      ...(limit.due ? { due: limit.due } : {}),
      highWater: now.toISOString(),
      warned: [],
      clockSetbacks: 0,
    };
  }
  const candidates = [...(limit.minutes !== undefined ? [now.getTime() + limit.minutes * 60_000] : []), ...(limit.due ? [Date.parse(limit.due)] : [])];
  const deadline = new Date(Math.min(...candidates));
  return {
    startedAt: now.toISOString(),
    deadline: deadline.toISOString(),
    ...(limit.minutes !== undefined ? { limitMinutes: limit.minutes } : {}),
    ...(limit.due ? { due: limit.due } : {}),
    highWater: now.toISOString(),
    warned: [],
    clockSetbacks: 0,
  };
}

export interface TimerReading {
  record: TimerRecord;
  /** Never negative. */
  remainingMs: number;
  elapsedMs: number;
  /** A warning to give now (minutes left), at most one per reading. */
  announce?: number;
  /** True on the reading where time first runs out: freeze now. */
  expiredNow: boolean;
  expired: boolean;
  /** Whether the record changed in a way worth saving (a warning, a setback, a new high-water minute). */
  changed: boolean;
}

export function readTimer(record: TimerRecord, now: Date): TimerReading {
  const highWater = Date.parse(record.highWater);
  const setBack = now.getTime() < highWater - SETBACK_TOLERANCE_MS;
  const effective = Math.max(now.getTime(), highWater);
  const remainingMs = Math.max(0, Date.parse(record.deadline) - effective);
  const elapsedMs = effective - Date.parse(record.startedAt);
  const expired = remainingMs === 0;
  const due = warningsFor(record).filter((m) => remainingMs <= m * 60_000 && !record.warned.includes(m));
  // Announce only the most urgent one; the earlier ones are marked given too (a reload past both warns once).
  const announce = !expired && due.length ? Math.min(...due) : undefined;
  const { clockBehind, ...rest } = record;
  const next: TimerRecord = {
    ...rest,
    highWater: new Date(effective).toISOString(),
    warned: due.length ? [...record.warned, ...due].sort((a, b) => b - a) : record.warned,
    clockSetbacks: record.clockSetbacks + (setBack && !clockBehind ? 1 : 0),
    ...(setBack ? { clockBehind: true } : {}),
  };
  const minuteMoved = Math.floor(effective / 60_000) !== Math.floor(highWater / 60_000);
  return {
    record: next,
    remainingMs,
    elapsedMs,
    ...(announce !== undefined ? { announce } : {}),
    expired,
    expiredNow: expired && !record.frozenAt,
    changed: due.length > 0 || setBack !== Boolean(clockBehind) || minuteMoved,
  };
}

/** Whether a moment (an edit, an export) came after the deadline and its grace. */
export function isLate(record: TimerRecord, at: Date): boolean {
  return Math.max(at.getTime(), Date.parse(record.highWater)) > Date.parse(record.deadline) + LATE_GRACE_MS;
}

/** `42:07` under an hour, `1:05:00` beyond. */
export function formatRemaining(ms: number): string {
  const total = Math.ceil(ms / 1000);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const two = (n: number) => String(n).padStart(2, '0');
  return h > 0 ? `${h}:${two(m)}:${two(s)}` : `${m}:${two(s)}`;
}

/**
 * One window's reading of a clock merged into the record as stored, which another window may have moved on:
 * the start and deadline never change, the high-water mark and setbacks only grow, warnings given anywhere
 * stay given, and a freeze recorded anywhere is kept.
 */
export function mergeTimer(stored: TimerRecord | undefined, mine: TimerRecord): TimerRecord {
  if (!stored) return mine;
  const frozen = stored.frozenAt ? stored : mine;
  return {
    startedAt: stored.startedAt,
    deadline: stored.deadline,
    ...(stored.limitMinutes !== undefined ? { limitMinutes: stored.limitMinutes } : {}),
    ...(stored.due !== undefined ? { due: stored.due } : {}),
    highWater: Date.parse(mine.highWater) > Date.parse(stored.highWater) ? mine.highWater : stored.highWater,
    warned: [...new Set([...stored.warned, ...mine.warned])].sort((a, b) => b - a),
    clockSetbacks: Math.max(stored.clockSetbacks, mine.clockSetbacks),
    ...(mine.clockBehind ? { clockBehind: true } : {}),
    ...(frozen.frozenAt ? { frozenAt: frozen.frozenAt } : {}),
    ...(frozen.frozenAttempt ? { frozenAttempt: frozen.frozenAttempt } : {}),
  };
}
