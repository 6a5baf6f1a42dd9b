import { businessDayStart } from '../businessTime';
import { addDays, isoWeekday } from '../calendar';
import { minutesOf } from '../openingHours';
import { WEEKDAYS, type Weekday } from '../siteConfig';
import { zonedEpoch, zonedParts } from '../zonedTime';

/** Local weekday, minute of the day and calendar date of an instant in a time zone. */
export function localClock(epochMs: number, timeZone: string): { weekday: Weekday; minute: number; date: string } {
  const z = zonedParts(epochMs, timeZone);
  return { weekday: WEEKDAYS[isoWeekday(z.date) - 1]!, minute: z.hour * 60 + z.minute, date: z.date };
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
  const notifyFrom = zonedEpoch(addDays(payday, -1), hour * 60, timeZone);
  return { notifyFrom, until: businessDayStart(addDays(payday, 1), timeZone, startHour) };
}

/** Epoch ms of the start of the local clock hour containing `epochMs`. */
export function hourStart(epochMs: number, timeZone: string): number {
  const z = zonedParts(epochMs, timeZone);
  // The same offset as now where that reads the whole hour (nearly always); else, as Temporal's
  // rounding does, the hour's wall time resolved 'compatible' (a half-hour DST change inside it).
  const sameOffset = epochMs - (((epochMs % 1000) + 1000) % 1000) - (z.minute * 60 + z.second) * 1000;
  const back = zonedParts(sameOffset, timeZone);
  if (back.date === z.date && back.hour === z.hour && back.minute === 0 && back.second === 0) return sameOffset;
  return zonedEpoch(z.date, z.hour * 60, timeZone);
}
