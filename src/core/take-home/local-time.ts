/** Times on the feedback pages: in the candidate's own time zone when the manifest recorded its UTC offset, else in UTC, said as UTC. */

const pad = (n: number) => String(n).padStart(2, '0');

/** "2026-11-27 13:20 (UTC+01:00)" for an offset of 60 minutes; "2026-11-27 12:20 UTC" with none. */
export function formatLocalTime(iso: string, utcOffsetMinutes?: number): string {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return iso;
  const d = new Date(ms + (utcOffsetMinutes ?? 0) * 60_000);
  const text = `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
  if (utcOffsetMinutes === undefined) return `${text} UTC`;
  const sign = utcOffsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(utcOffsetMinutes);
  return `${text} (UTC${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)})`;
}
