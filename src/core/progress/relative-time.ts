const format = new Intl.RelativeTimeFormat('en', { numeric: 'auto' });

/**
 * "in 3 days", "tomorrow", "in 10 minutes", "in 1 minute", "now": when a review falls due, relative to `now`.
 * "now" only once it is due: Review Next Due offers a question from that moment, so the words agree with it
 * (a question rated Again is due in a minute, not now). Each unit is rounded before the next is chosen, so
 * 59.5 minutes reads "in 1 hour", never "in 60 minutes", and 23.6 hours "tomorrow", never "in 24 hours".
 */
export function describeDue(due: Date, now: Date): string {
  const delta = due.getTime() - now.getTime();
  if (delta <= 0) return 'now';
  const minutes = Math.max(1, Math.round(delta / 60_000));
  if (minutes < 60) return format.format(minutes, 'minute');
  const hours = Math.round(minutes / 60);
  if (hours < 24) return format.format(hours, 'hour');
  return format.format(Math.round(minutes / 1440), 'day');
}
