import { Temporal } from '@js-temporal/polyfill';
import { businessDayStart } from '../businessTime';
import { addDays } from '../calendar';
import { WEEKDAYS, type OpeningHours, type Weekday } from '../siteConfig';

const minutesOf = (hm: string): number => Number(hm.slice(0, 2)) * 60 + Number(hm.slice(3, 5));

/** Local weekday, minute of the day and calendar date of an instant in a time zone. */
export function localClock(epochMs: number, timeZone: string): { weekday: Weekday; minute: number; date: string } {
  const z = Temporal.Instant.fromEpochMilliseconds(epochMs).toZonedDateTimeISO(timeZone);
  return { weekday: WEEKDAYS[z.dayOfWeek - 1]!, minute: z.hour * 60 + z.minute, date: z.toPlainDate().toString() };
}

/** Whether a room with these opening hours is open at a local weekday and minute (windows may run past midnight). */
export function isOpenAt(hours: OpeningHours, weekday: Weekday, minute: number): boolean {
  if (hours === '24h') return true;
  const yesterday = WEEKDAYS[(WEEKDAYS.indexOf(weekday) + 6) % 7]!;
  return hours.some((w) => {
    const o = minutesOf(w.open);
    const c = minutesOf(w.close);
    if (c > o) return w.days.includes(weekday) && minute >= o && minute < c;
    // Overnight: from `open` to midnight on its days, and from midnight to `close` the day after.
    return (w.days.includes(weekday) && minute >= o) || (w.days.includes(yesterday) && minute < c);
  });
}

/** Whether a local minute of the day lies in a quiet-hours window (`from` after `to` runs past midnight). */
export function inQuietHours(q: { from: string; to: string }, minute: number): boolean {
  const f = minutesOf(q.from);
  const t = minutesOf(q.to);
  return f <= t ? minute >= f && minute < t : minute >= f || minute < t;
}

/** When the payday-ahead alert runs: the day before at `hour` (local) until the payday's business day ends. */
export function paydayWindow(payday: string, timeZone: string, startHour: number, hour: number): { notifyFrom: number; until: number } {
  const dayBefore = Temporal.PlainDate.from(addDays(payday, -1));
  const notifyFrom = dayBefore.toZonedDateTime({ timeZone, plainTime: Temporal.PlainTime.from({ hour }) }).epochMilliseconds;
  return { notifyFrom, until: businessDayStart(addDays(payday, 1), timeZone, startHour) };
}

/** Epoch ms of the start of the local clock hour containing `epochMs`. */
export function hourStart(epochMs: number, timeZone: string): number {
  const z = Temporal.Instant.fromEpochMilliseconds(epochMs).toZonedDateTimeISO(timeZone);
  return z.round({ smallestUnit: 'hour', roundingMode: 'floor' }).epochMilliseconds;
}
