let format: Intl.DateTimeFormat | undefined;

/**
 * A date and time as "Dec 7, 2026, 7:31 PM". The formatter is made on first use, not when the module loads:
 * creating an Intl.DateTimeFormat starts ICU, about 6 ms, which activation would otherwise pay.
 */
export function shortDateTime(at: string | number | Date): string {
  format ??= new Intl.DateTimeFormat('en', { dateStyle: 'medium', timeStyle: 'short' });
  return format.format(new Date(at));
}
