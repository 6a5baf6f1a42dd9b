import { formatTimeOfDay } from '../../format';

/** Date and time in the site's zone, e.g. "man. 30. nov. 07:00" / "Mon 30 Nov, 07:00". */
export function formatDateTime(isoInstant: string, locale: string, timeZone?: string): string {
  return new Intl.DateTimeFormat(locale, { weekday: 'short', day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone }).format(Date.parse(isoInstant));
}

/** Time of day in the site's zone (hh:mm). */
export const formatTime = (isoInstant: string, locale: string, timeZone?: string): string => formatTimeOfDay(Date.parse(isoInstant), locale, timeZone);

/** A handover's span: the start with its date, the end with its date only when another day. */
export function formatSpan(from: string, to: string, locale: string, timeZone?: string): { from: string; to: string } {
  const day = (iso: string) => new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(Date.parse(iso));
  return { from: formatDateTime(from, locale, timeZone), to: day(from) === day(to) ? formatTime(to, locale, timeZone) : formatDateTime(to, locale, timeZone) };
}

/** Today's calendar date in a zone (YYYY-MM-DD). */
export function todayIn(timeZone: string | undefined, nowMs = Date.now()): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(nowMs);
}
