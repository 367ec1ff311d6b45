const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ['day', 86_400_000],
  ['hour', 3_600_000],
  ['minute', 60_000],
];

const format = new Intl.RelativeTimeFormat('en', { numeric: 'auto' });

/**
 * "in 3 days", "tomorrow", "in 10 minutes", "in 1 minute", "now": when a review falls due, relative to `now`.
 * "now" only once it is due: Review Next Due offers a question from that moment, so the words agree with it
 * (a question rated Again is due in a minute, not now).
 */
export function describeDue(due: Date, now: Date): string {
  const delta = due.getTime() - now.getTime();
  if (delta <= 0) return 'now';
  for (const [unit, ms] of UNITS) {
    if (delta >= ms) return format.format(Math.round(delta / ms), unit);
  }
  return format.format(1, 'minute');
}
