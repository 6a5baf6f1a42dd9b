import { Temporal } from '../temporal';
import { businessDayStart } from '../businessTime';
import { addDays } from '../calendar';
import { minutesOf } from '../openingHours';
import { WEEKDAYS, type Weekday } from '../siteConfig';

/** Local weekday, minute of the day and calendar date of an instant in a time zone. */
export function localClock(epochMs: number, timeZone: string): { weekday: Weekday; minute: number; date: string } {
  const z = Temporal.Instant.fromEpochMilliseconds(epochMs).toZonedDateTimeISO(timeZone);
  return { weekday: WEEKDAYS[z.dayOfWeek - 1]!, minute: z.hour * 60 + z.minute, date: z.toPlainDate().toString() };
}

/** Opening-hours semantics live in one place; re-exported for the rules' callers. */
export { isOpenAt } from '../openingHours';

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
