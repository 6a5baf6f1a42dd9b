import { z } from 'zod';
import { Temporal } from '@js-temporal/polyfill';
import { addDays, daysFromPayday, isoWeekday, nextPayday, PaydayPosition, type PaydayRules } from './calendar';
import { businessDayStart, isIsoDate } from './businessTime';
import { boothsForTargetWait, DEFAULT_BOOTHS_PER_OBSERVER, staffNeeded } from './erlang';
import { openFractionOn } from './openingHours';
import { boothIdsOf, WEEKDAYS, type SiteConfig, type StaffingPlan, type Weekday } from './siteConfig';

// ---- Defaults from PRODUCT.md ("Numbers for a realistic simulator") ------------------------

/** Share of a day's uses per local clock hour, in per cent (index = hour 0–23; sums to 100). */
export const DEFAULT_HOURLY_SHARE: readonly number[] = Array.from({ length: 24 }, (_, h) =>
  h >= 6 && h < 10 ? 2.5 : h >= 10 && h < 14 ? 4 : h >= 14 && h < 18 ? 5 : h >= 18 && h < 22 ? 6 : h >= 2 && h < 6 ? 3 : 4.5,
);

/** Day volume relative to an ordinary day, by payday position. */
export const DEFAULT_PAYDAY_MULTIPLIER: Readonly<Record<PaydayPosition, number>> = {
  payday: 1.5,
  after1: 1.3,
  after2: 1.15,
  before: 0.9,
  other: 1,
};

/** Reference site: Skyen, 17 places open 24 h, about 600 uses on an ordinary day. */
export const REFERENCE_USES_PER_PLACE_DAY = 600 / 17;

/** Mean session minutes without history (PRODUCT.md: injection mean 20; smoking median 10). */
export const DEFAULT_SESSION_MINUTES = { injection: 20, inhalation: 12 } as const;

/** Minutes a booth stays unavailable after a session (check-out until cleaned). */
export const DEFAULT_TURNAROUND_MINUTES = 3;

/** Mean wait the staffing recommendation aims for. */
export const DEFAULT_TARGET_WAIT_MINUTES = 5;

/** Weeks of the same weekday the hourly profile learns from. */
export const PROFILE_WEEKS = 8;
/** Days of daily totals the payday multipliers learn from (about three paydays). */
export const MULTIPLIER_DAYS = 91;
/** Days of check-outs the mean session time learns from. */
export const SESSION_DAYS = 28;
/** Weight of the default, in days of history: the default fades as real days accumulate. */
const PRIOR_DAYS = 1;
/** Check-outs at which measured and default session time weigh the same. */
const SESSION_PRIOR_CHECKOUTS = 100;

// ---- Site shape -----------------------------------------------------------------------------

/** The weekday (`mon` …) of a calendar date. */
export const weekdayOf = (date: string): Weekday => WEEKDAYS[isoWeekday(date) - 1]!;

/** The calendar date a clock hour of business day `date` falls on (after midnight → next day). */
export const calendarDateOf = (date: string, hour: number, startHour: number): string =>
  hour < startHour ? addDays(date, 1) : date;

/**
 * How often each local clock hour (index 0–23) occurs in a business day: 1 normally, 0 for the
 * hour skipped in spring and 2 for the hour repeated in autumn (counted in one bucket).
 */
export function clockHourOccurrences(date: string, timeZone: string, startHour: number): number[] {
  const occ = new Array<number>(24).fill(0);
  const start = businessDayStart(date, timeZone, startHour);
  const end = businessDayStart(addDays(date, 1), timeZone, startHour);
  for (let t = start; t < end; t += 3_600_000) {
    occ[Temporal.Instant.fromEpochMilliseconds(t).toZonedDateTimeISO(timeZone).hour]! += 1;
  }
  return occ;
}

/** Open booths (fractional for part-hours) per clock hour of a business day, all rooms together. */
export function openBoothsByHour(site: SiteConfig, date: string): number[] {
  return Array.from({ length: 24 }, (_, h) => {
    // Dated closures and temporary hours count: a closed Christmas Eve expects nobody.
    const calendarDate = calendarDateOf(date, h, site.businessDayStart);
    return site.rooms.reduce((sum, room) => sum + boothIdsOf(room).length * openFractionOn(room, calendarDate, h), 0);
  });
}

/** Planned staff for a clock hour on a weekday, or null without a plan. */
export function plannedStaff(plan: StaffingPlan | undefined, weekday: Weekday, hour: number): number | null {
  if (!plan) return null;
  return plan.byWeekday[weekday]?.[hour] ?? plan.default;
}

/** Mean session minutes without history: the defaults weighted by booth count per kind. */
export function defaultSessionMinutes(site: SiteConfig): number {
  let booths = 0;
  let weighted = 0;
  for (const room of site.rooms) {
    const n = boothIdsOf(room).length;
    booths += n;
    weighted += n * DEFAULT_SESSION_MINUTES[room.kind];
  }
  return booths > 0 ? weighted / booths : DEFAULT_SESSION_MINUTES.injection;
}

/**
 * Expected intakes per clock hour of business day `date` from the PRODUCT.md profile alone:
 * the reference volume per place, times the places open in that hour, times the payday
 * multiplier, times how often the hour occurs that day (DST).
 */
export function defaultHourly(site: SiteConfig, date: string, multiplier = DEFAULT_PAYDAY_MULTIPLIER[daysFromPayday(date, site.paydays)]): number[] {
  const open = openBoothsByHour(site, date);
  const occ = clockHourOccurrences(date, site.timeZone, site.businessDayStart);
  return open.map((booths, h) => (REFERENCE_USES_PER_PLACE_DAY * (DEFAULT_HOURLY_SHARE[h]! / 100) * booths * multiplier * occ[h]!));
}

// ---- Learning from history --------------------------------------------------------------------

/** One stored business day: its totals and its intakes per clock hour (if read). */
export interface HistoryDay {
  intakes: number;
  checkouts: number;
  sessionMs: number;
  hourly?: number[];
}

/** What the forecast reads: business date → stored day. Missing or zero days mean "no data". */
export type History = Record<string, HistoryDay>;

/** The business dates the forecast for `date` reads, and which of them need hourly counts. */
export function historyDates(date: string): { days: string[]; hourly: string[] } {
  const days = Array.from({ length: MULTIPLIER_DAYS }, (_, i) => addDays(date, -(i + 1)));
  const hourly = Array.from({ length: PROFILE_WEEKS }, (_, i) => addDays(date, -7 * (i + 1)));
  return { days, hourly };
}

/**
 * Payday multipliers learnt from daily totals: each position's days against the level of
 * ordinary ("other") days of the same weekday, shrunk towards the default by `PRIOR_DAYS`.
 */
export function learnMultipliers(history: History, rules?: PaydayRules): Record<PaydayPosition, number> {
  const level = new Map<Weekday, number[]>();
  const byPosition = new Map<PaydayPosition, Array<{ date: string; total: number }>>();
  for (const [date, day] of Object.entries(history)) {
    if (!(day.intakes > 0)) continue;
    const pos = daysFromPayday(date, rules);
    if (pos === 'other') {
      const list = level.get(weekdayOf(date)) ?? [];
      list.push(day.intakes);
      level.set(weekdayOf(date), list);
    } else {
      const list = byPosition.get(pos) ?? [];
      list.push({ date, total: day.intakes });
      byPosition.set(pos, list);
    }
  }
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const allOther = [...level.values()].flat();
  const out = { ...DEFAULT_PAYDAY_MULTIPLIER };
  if (allOther.length === 0) return out;
  const overall = mean(allOther);
  for (const [pos, days] of byPosition) {
    const ratios = days.map(({ date, total }) => {
      const same = level.get(weekdayOf(date));
      return total / (same?.length ? mean(same) : overall);
    });
    out[pos] = (ratios.reduce((a, b) => a + b, 0) + PRIOR_DAYS * DEFAULT_PAYDAY_MULTIPLIER[pos]) / (ratios.length + PRIOR_DAYS);
  }
  return out;
}

/** Mean session minutes over the last `SESSION_DAYS` days, blended with the default. */
export function learnSessionMinutes(history: History, date: string, fallback: number): number {
  let checkouts = 0;
  let ms = 0;
  for (let i = 1; i <= SESSION_DAYS; i++) {
    const day = history[addDays(date, -i)];
    if (!day || !(day.checkouts > 0)) continue;
    checkouts += day.checkouts;
    ms += day.sessionMs;
  }
  if (checkouts === 0) return fallback;
  const measured = ms / checkouts / 60_000;
  return (checkouts * measured + SESSION_PRIOR_CHECKOUTS * fallback) / (checkouts + SESSION_PRIOR_CHECKOUTS);
}

export interface HourlyForecast {
  /** Expected intakes per clock hour (index 0–23) of the business day. */
  intakes: number[];
  position: PaydayPosition;
  multiplier: number;
  /** Same-weekday days of history the hourly profile used (0 = the default profile alone). */
  historyDays: number;
}

/**
 * Expected intakes per clock hour: the same weekday over the last `PROFILE_WEEKS` weeks, each
 * day brought to an ordinary-day level by its payday multiplier, averaged, scaled by this
 * day's multiplier and blended with the default profile's shape (weight `PRIOR_DAYS`) while
 * history is short. Hours the site is closed now expect nothing whatever the history says.
 */
export function forecastHourly(site: SiteConfig, date: string, history: History): HourlyForecast {
  const rules = site.paydays;
  const multipliers = learnMultipliers(history, rules);
  const position = daysFromPayday(date, rules);
  const multiplier = multipliers[position];
  const fallback = defaultHourly(site, date, DEFAULT_PAYDAY_MULTIPLIER[position]);
  const occ = clockHourOccurrences(date, site.timeZone, site.businessDayStart);
  const open = openBoothsByHour(site, date);
  const sums = new Array<number>(24).fill(0);
  const counts = new Array<number>(24).fill(0);
  let historyDays = 0;
  for (const d of historyDates(date).hourly) {
    const day = history[d];
    if (!day?.hourly || !(day.intakes > 0)) continue;
    historyDays++;
    const dOcc = clockHourOccurrences(d, site.timeZone, site.businessDayStart);
    const m = multipliers[daysFromPayday(d, rules)];
    for (let h = 0; h < 24; h++) {
      if (dOcc[h] === 0) continue;
      sums[h]! += day.hourly[h]! / dOcc[h]! / m;
      counts[h]! += 1;
    }
  }
  const learnt = sums.map((sum, h) => (counts[h]! > 0 ? (sum / counts[h]!) * multiplier * occ[h]! : null));
  // The default lends its shape, not its level: scaled to the level the site really has, so a
  // site much busier or quieter than the reference is not pulled towards it.
  let seen = 0;
  let prior = 0;
  learnt.forEach((x, h) => {
    if (x === null) return;
    seen += x;
    prior += fallback[h]!;
  });
  const level = prior > 0 && seen > 0 ? seen / prior : 1;
  const intakes = fallback.map((def, h) => {
    if (open[h] === 0) return 0;
    const n = counts[h]!;
    const x = learnt[h];
    if (n === 0 || x == null) return def * level;
    return (n * x + PRIOR_DAYS * def * level) / (n + PRIOR_DAYS);
  });
  return { intakes, position, multiplier, historyDays };
}

// ---- The HTTP reply ---------------------------------------------------------------------------

/** Query of `GET /api/sites/:siteId/forecast`. */
export const ForecastQuery = z.object({
  date: z.string().refine(isIsoDate, 'a calendar date YYYY-MM-DD'),
});
export type ForecastQuery = z.infer<typeof ForecastQuery>;

export const StaffingFlag = z.enum(['ok', 'short', 'over_capacity', 'closed']);
export type StaffingFlag = z.infer<typeof StaffingFlag>;

export const ForecastHour = z.object({
  /** Local clock hour 0–23; `hours` lists them in business order (start hour first). */
  hour: z.number().int(),
  /** 0, 1 or 2: how often this clock hour occurs on the day (DST). */
  occurrences: z.number().int(),
  openBooths: z.number(),
  expectedIntakes: z.number(),
  /** Mean booths in use (arrivals × session time, Little's law), at most the open booths. */
  expectedOccupied: z.number(),
  /** Booths that keep the mean wait under the target (Erlang C). */
  boothsNeeded: z.number().int(),
  recommendedStaff: z.number().int(),
  plannedStaff: z.number().int().nullable(),
  /** `short`: planned below recommended; `over_capacity`: more booths needed than open. */
  flag: StaffingFlag,
});
export type ForecastHour = z.infer<typeof ForecastHour>;

export const ForecastReply = z.object({
  siteId: z.string(),
  date: z.string(),
  position: PaydayPosition,
  multiplier: z.number(),
  nextPayday: z.string(),
  historyDays: z.number().int(),
  expectedTotal: z.number(),
  meanSessionMinutes: z.number(),
  targetWaitMinutes: z.number(),
  boothsPerObserver: z.number(),
  hours: z.array(ForecastHour),
});
export type ForecastReply = z.infer<typeof ForecastReply>;

export interface ForecastOptions {
  targetWaitMinutes?: number;
  boothsPerObserver?: number;
  turnaroundMinutes?: number;
}

const round1 = (x: number) => Math.round(x * 10) / 10;

/** The whole forecast of a business day: expected traffic, booths and staff per clock hour. */
export function buildForecast(site: SiteConfig, date: string, history: History, opts: ForecastOptions = {}): ForecastReply {
  const target = opts.targetWaitMinutes ?? DEFAULT_TARGET_WAIT_MINUTES;
  const ratio = opts.boothsPerObserver ?? DEFAULT_BOOTHS_PER_OBSERVER;
  const turnaround = opts.turnaroundMinutes ?? DEFAULT_TURNAROUND_MINUTES;
  const f = forecastHourly(site, date, history);
  const session = learnSessionMinutes(history, date, defaultSessionMinutes(site));
  const occ = clockHourOccurrences(date, site.timeZone, site.businessDayStart);
  const open = openBoothsByHour(site, date);
  const order = Array.from({ length: 24 }, (_, i) => (site.businessDayStart + i) % 24);
  const hours = order.map((h): ForecastHour => {
    const openBooths = open[h]!;
    const perHour = occ[h]! > 0 ? f.intakes[h]! / occ[h]! : 0;
    const boothsNeeded = boothsForTargetWait(perHour, session + turnaround, target);
    const recommendedStaff = openBooths > 0 ? staffNeeded(Math.min(boothsNeeded, Math.ceil(openBooths)), ratio) : 0;
    const planned = plannedStaff(site.staffingPlan, weekdayOf(calendarDateOf(date, h, site.businessDayStart)), h);
    const flag: StaffingFlag =
      openBooths === 0 || occ[h] === 0 ? 'closed'
      : planned !== null && planned < recommendedStaff ? 'short'
      : boothsNeeded > openBooths ? 'over_capacity'
      : 'ok';
    return {
      hour: h,
      occurrences: occ[h]!,
      openBooths: round1(openBooths),
      expectedIntakes: round1(f.intakes[h]!),
      expectedOccupied: round1(Math.min(openBooths, (perHour * session) / 60)),
      boothsNeeded,
      recommendedStaff,
      plannedStaff: planned,
      flag,
    };
  });
  return {
    siteId: site.id,
    date,
    position: f.position,
    multiplier: Math.round(f.multiplier * 1000) / 1000,
    nextPayday: nextPayday(date, site.paydays),
    historyDays: f.historyDays,
    expectedTotal: round1(f.intakes.reduce((a, b) => a + b, 0)),
    meanSessionMinutes: round1(session),
    targetWaitMinutes: target,
    boothsPerObserver: ratio,
    hours,
  };
}

/**
 * Intakes expected from the start of business day `date` up to `now`: every elapsed real hour
 * adds its clock hour's forecast (split between the two occurrences of a repeated DST hour),
 * the current hour pro-rated by the minutes gone. For the wall ("expected by now"), the
 * manager view and the load level.
 */
export function expectedByNow(
  forecast: Pick<ForecastReply, 'date' | 'hours'>,
  site: { timeZone: string; businessDayStart: number },
  now: number,
): number {
  const start = businessDayStart(forecast.date, site.timeZone, site.businessDayStart);
  const end = businessDayStart(addDays(forecast.date, 1), site.timeZone, site.businessDayStart);
  const byHour = new Map(forecast.hours.map((h) => [h.hour, h]));
  let sum = 0;
  for (let t = start; t < Math.min(now, end); t += 3_600_000) {
    const h = byHour.get(Temporal.Instant.fromEpochMilliseconds(t).toZonedDateTimeISO(site.timeZone).hour);
    if (!h || h.occurrences === 0) continue;
    sum += (h.expectedIntakes / h.occurrences) * Math.min(1, (now - t) / 3_600_000);
  }
  return sum;
}
