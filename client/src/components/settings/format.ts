/** Date and time of an ISO instant in the viewer's zone, e.g. "3 Mar 2026, 14:05". */
export function formatDateTime(iso: string, locale: string): string {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return iso;
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short', hourCycle: 'h23' }).format(ms);
}
