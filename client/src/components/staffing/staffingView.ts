import type { StaffingPlanHour } from '../../../../shared/staffingPlan';
import { formatTimeOfDay } from '../../format';

/** How an hour reads: closed, short of staff (plan below need), over capacity (need above places), or fine. */
export type HourState = 'closed' | 'short' | 'over_capacity' | 'ok';

export function hourState(h: StaffingPlanHour): HourState {
  if (h.flag === 'closed') return 'closed';
  if (h.gap !== null && h.gap > 0) return 'short';
  return h.flag === 'over_capacity' ? 'over_capacity' : 'ok';
}

/** The local start of an hour, `14:00`, in the site's zone. */
export const hourText = (start: string, locale: string, timeZone?: string): string => formatTimeOfDay(Date.parse(start), locale, timeZone);

/** A calendar date as `man. 30. nov.` / `Mon 30 Nov` (a date, so UTC avoids a shift). */
export const shortDate = (date: string, locale: string): string =>
  new Intl.DateTimeFormat(locale, { weekday: 'short', day: 'numeric', month: 'short', timeZone: 'UTC' }).format(Date.parse(`${date}T00:00:00Z`));

/** Whole intakes for people; tenths only under ten. */
export const intakesText = (n: number, locale: string): string =>
  new Intl.NumberFormat(locale, { maximumFractionDigits: n < 10 ? 1 : 0 }).format(n);
