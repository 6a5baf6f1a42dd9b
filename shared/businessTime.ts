import { addDays } from './calendar';
import { zonedEpoch, zonedParts } from './zonedTime';

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
 * rules are the platform's IANA data (Intl), so 23- and 25-hour days are right.
 */
export function businessSlot(epochMs: number, timeZone: string, startHour: number): BusinessSlot {
  // Every zone's UTC offset is a whole number of quarter hours, so local date and hour cannot
  // change inside a UTC-aligned 15-minute window: memoise per window (this runs per command).
  const window = Math.floor(epochMs / QUARTER_HOUR);
  const key = `${timeZone}|${startHour}|${window}`;
  const hit = slotCache.get(key);
  if (hit) return { ...hit };
  const local = zonedParts(epochMs, timeZone);
  const slot = { date: local.hour < startHour ? addDays(local.date, -1) : local.date, hour: local.hour };
  if (slotCache.size >= 256) slotCache.clear(); // bounded: a few sites × a few windows
  slotCache.set(key, slot);
  return { ...slot };
}

const QUARTER_HOUR = 15 * 60_000;
const slotCache = new Map<string, BusinessSlot>();

/** The instant (epoch ms) at which the business day `date` starts in `timeZone`. */
export function businessDayStart(date: string, timeZone: string, startHour: number): number {
  return zonedEpoch(date, startHour * 60, timeZone);
}

/** Length in hours of the business day `date` (23, 24 or 25 around DST changes). */
export function businessDayHours(date: string, timeZone: string, startHour: number): number {
  const start = businessDayStart(date, timeZone, startHour);
  const next = businessDayStart(addDays(date, 1), timeZone, startHour);
  return Math.round((next - start) / 3_600_000);
}

/** Clock hours of a business day in display order: startHour … 23, 0 … startHour − 1. */
export function businessHourOrder(startHour: number): number[] {
  return Array.from({ length: 24 }, (_, i) => (startHour + i) % 24);
}
