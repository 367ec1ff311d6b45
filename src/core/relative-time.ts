const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ['day', 86_400_000],
  ['hour', 3_600_000],
  ['minute', 60_000],
];

const format = new Intl.RelativeTimeFormat('en', { numeric: 'auto' });

/** "in 3 days", "tomorrow", "in 10 minutes", "now": when a review falls due, relative to `now`. */
export function describeDue(due: Date, now: Date): string {
  const delta = due.getTime() - now.getTime();
  if (delta <= 60_000) return 'now';
  for (const [unit, ms] of UNITS) {
    if (Math.abs(delta) >= ms) return format.format(Math.round(delta / ms), unit);
  }
  return 'now';
}
