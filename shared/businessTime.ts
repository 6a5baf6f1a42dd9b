import { Temporal } from './temporal';

/** Where an instant falls in a site's counting: its business date and local clock hour. */
export interface BusinessSlot {
  /** `YYYY-MM-DD`: the calendar date on which this business day started. */
  date: string;
  /** Local wall-clock hour 0–23 in the site's zone. A repeated DST hour shares one bucket. */
  hour: number;
}

/**
 * The business date and hour of an instant in a site's time zone. A business day starts at
 * `startHour` local time, so 02:00 on a Saturday belongs to Friday's business day. The zone's
 * rules come from the Temporal polyfill (IANA data via Intl), so 23- and 25-hour days are right.
 */
export function businessSlot(epochMs: number, timeZone: string, startHour: number): BusinessSlot {
  // Every zone's UTC offset is a whole number of quarter hours, so local date and hour cannot
  // change inside a UTC-aligned 15-minute window: memoise per window (this runs per command).
  const window = Math.floor(epochMs / QUARTER_HOUR);
  const key = `${timeZone}|${startHour}|${window}`;
  const hit = slotCache.get(key);
  if (hit) return { ...hit };
  const local = Temporal.Instant.fromEpochMilliseconds(epochMs).toZonedDateTimeISO(timeZone);
  const day = local.hour < startHour ? local.toPlainDate().subtract({ days: 1 }) : local.toPlainDate();
  const slot = { date: day.toString(), hour: local.hour };
  if (slotCache.size >= 256) slotCache.clear(); // bounded: a few sites × a few windows
  slotCache.set(key, slot);
  return { ...slot };
}

const QUARTER_HOUR = 15 * 60_000;
const slotCache = new Map<string, BusinessSlot>();

/** The instant (epoch ms) at which the business day `date` starts in `timeZone`. */
export function businessDayStart(date: string, timeZone: string, startHour: number): number {
  return Temporal.PlainDate.from(date)
    .toZonedDateTime({ timeZone, plainTime: new Temporal.PlainTime(startHour) })
    .epochMilliseconds;
}

/** Length in hours of the business day `date` (23, 24 or 25 around DST changes). */
export function businessDayHours(date: string, timeZone: string, startHour: number): number {
  const start = businessDayStart(date, timeZone, startHour);
  const next = businessDayStart(Temporal.PlainDate.from(date).add({ days: 1 }).toString(), timeZone, startHour);
  return Math.round((next - start) / 3_600_000);
}

/** Clock hours of a business day in display order: startHour … 23, 0 … startHour − 1. */
export function businessHourOrder(startHour: number): number[] {
  return Array.from({ length: 24 }, (_, i) => (startHour + i) % 24);
}

/** Whether `date` is a valid ISO calendar date (`YYYY-MM-DD`). */
export function isIsoDate(date: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) return false;
  try {
    Temporal.PlainDate.from(date, { overflow: 'reject' });
    return true;
  } catch {
    return false;
  }
}
