import { z } from 'zod';
import { isIsoDate, zonedParts } from './zonedTime';
import { addDays, calendarDateOf, daysFromPayday, hourPosition, isoWeekday, nextPayday, PaydayPosition, PAYDAY_POSITIONS, positionDateOf } from './calendar';
import { businessDayStart } from './businessTime';
import { boothsForTargetWait, DEFAULT_BOOTHS_PER_OBSERVER, staffNeeded } from './erlang';
import { openFractionOn, type RoomSchedule } from './openingHours';
import { DEFAULT_SESSION_MINUTES } from './sessionModel';
import { boothIdsOf, WEEKDAYS, type SiteConfig, type StaffingPlan, type Weekday } from './siteConfig';

export { calendarDateOf } from './calendar';
export { DEFAULT_SESSION_MINUTES } from './sessionModel';

// ---- Defaults from PRODUCT.md ("Numbers for a realistic simulator") ------------------------

/** Share of a day's uses per local clock hour, in per cent (index = hour 0–23; sums to 100). */
export const DEFAULT_HOURLY_SHARE: readonly number[] = Array.from({ length: 24 }, (_, h) =>
  h >= 6 && h < 10 ? 2.5 : h >= 10 && h < 14 ? 4 : h >= 14 && h < 18 ? 5 : h >= 18 && h < 22 ? 6 : h >= 2 && h < 6 ? 3 : 4.5,
);

/**
 * Volume relative to an ordinary day, by payday position. `payment` (børneydelse, a local
 * benefit) is not in PRODUCT.md: assumed a tenth up until a site's history says otherwise.
 */
export const DEFAULT_PAYDAY_MULTIPLIER: Readonly<Record<PaydayPosition, number>> = {
  payday: 1.5,
  after1: 1.3,
  after2: 1.15,
  payment: 1.1,
  before: 0.9,
  other: 1,
};

/** Reference site: Skyen, 17 places open 24 h, about 600 uses on an ordinary day. */
export const REFERENCE_USES_PER_PLACE_DAY = 600 / 17;

/** Minutes a booth stays unavailable after a session (check-out until cleaned). */
export const DEFAULT_TURNAROUND_MINUTES = 3;

/** Mean wait the staffing recommendation aims for. */
export const DEFAULT_TARGET_WAIT_MINUTES = 5;

/** Weeks of the same weekday the hourly profile learns from. */
export const PROFILE_WEEKS = 8;
/** Days (all weekdays) the pooled hourly shape learns from. */
export const SHAPE_DAYS = 28;
/** Days of history the forecast reads: the payday multipliers learn from all of them (about three paydays). */
export const MULTIPLIER_DAYS = 91;
/** Days of check-outs the mean session time learns from. */
export const SESSION_DAYS = 28;
/** Weight of the default, in days of history: the default fades as real days accumulate. */
const PRIOR_DAYS = 1;
/** Weight of the pooled shape against a weekday's own hours, in days. */
const SHAPE_PRIOR_DAYS = 8;
/** Check-outs at which measured and default session time weigh the same. */
const SESSION_PRIOR_CHECKOUTS = 100;

// ---- Site shape -----------------------------------------------------------------------------

/** The weekday (`mon` …) of a calendar date. */
export const weekdayOf = (date: string): Weekday => WEEKDAYS[isoWeekday(date) - 1]!;

/**
 * How often each local clock hour (index 0–23) occurs in a business day: 1 normally, 0 for the
 * hour skipped in spring and 2 for the hour repeated in autumn (counted in one bucket).
 */
export function clockHourOccurrences(date: string, timeZone: string, startHour: number): number[] {
  // Months of history ask this per day; Temporal is slow, so remember recent answers.
  const key = `${date}|${timeZone}|${startHour}`;
  const hit = occurrenceMemo.get(key);
  if (hit) return [...hit];
  const start = businessDayStart(date, timeZone, startHour);
  const end = businessDayStart(addDays(date, 1), timeZone, startHour);
  // A 24-hour day has every clock hour once; only a DST day needs the hour-by-hour walk.
  const occ = new Array<number>(24).fill(end - start === 86_400_000 ? 1 : 0);
  if (end - start !== 86_400_000) {
    for (let t = start; t < end; t += 3_600_000) {
      occ[zonedParts(t, timeZone).hour]! += 1;
    }
  }
  if (occurrenceMemo.size > 2_000) occurrenceMemo.clear();
  occurrenceMemo.set(key, occ);
  return [...occ];
}
const occurrenceMemo = new Map<string, number[]>();

/**
 * Share (0–1) of clock hour `hour` of business day `date` during which `room` is open. The one
 * place the forecast asks the opening hours, so dated closures and temporary hours (a closed
 * Christmas Eve expects nobody) reach it through `openFractionOn`.
 */
export function roomOpenFraction(room: RoomSchedule, date: string, hour: number, startHour: number): number {
  return openFractionOn(room, calendarDateOf(date, hour, startHour), hour);
}

/** How a clock hour of a business day is open: for what share of it, and how many places meanwhile. */
export interface OpenPart {
  /** Share of the hour (0–1) during which any room is open. */
  fraction: number;
  /** Places open on average while the site is open in that hour (whole rooms, not pro-rated). */
  places: number;
  /** Place-hours open in the hour: places × the share each room is open (the fractional count). */
  placeHours: number;
}

/** The open part of each clock hour (index 0–23) of business day `date`, all rooms together. */
export function openPartByHour(site: SiteConfig, date: string): OpenPart[] {
  // Months of history ask this per day, minute by minute for windowed rooms: remember it per
  // config object (a settings change is a new object) and date.
  let byDate = openPartMemo.get(site);
  if (!byDate) openPartMemo.set(site, (byDate = new Map()));
  const hit = byDate.get(date);
  if (hit) return hit;
  if (byDate.size > 1_000) byDate.clear();
  const parts = Array.from({ length: 24 }, (_, h): OpenPart => {
    let fraction = 0;
    let placeHours = 0;
    for (const room of site.rooms) {
      const f = roomOpenFraction(room, date, h, site.businessDayStart);
      fraction = Math.max(fraction, f);
      placeHours += boothIdsOf(room).length * f;
    }
    return { fraction, placeHours, places: fraction > 0 ? placeHours / fraction : 0 };
  });
  byDate.set(date, parts);
  return parts;
}
const openPartMemo = new WeakMap<SiteConfig, Map<string, OpenPart[]>>();

/** Open booths (fractional for part-hours) per clock hour of a business day, all rooms together. */
export const openBoothsByHour = (site: SiteConfig, date: string): number[] => openPartByHour(site, date).map((p) => p.placeHours);

/**
 * Planned staff for a clock hour of a calendar date, or null without a plan: the last dated
 * change covering it, else the weekday's numbers, else the default.
 */
export function plannedStaff(plan: StaffingPlan | undefined, calendarDate: string, hour: number): number | null {
  if (!plan) return null;
  for (let i = plan.changes.length - 1; i >= 0; i--) {
    const c = plan.changes[i]!;
    if (c.date === calendarDate && hour >= c.fromHour && hour < c.toHour) return c.staff;
  }
  return plan.byWeekday[weekdayOf(calendarDate)]?.[hour] ?? plan.default;
}

/** Mean session minutes without history: the session model's means weighted by booth count per kind. */
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

/** The payday position of every clock hour (index 0–23) of business day `date`. */
export const hourPositions = (site: SiteConfig, date: string): PaydayPosition[] =>
  Array.from({ length: 24 }, (_, h) => hourPosition(date, h, site.businessDayStart, site.paydays));

type Multipliers = Readonly<Record<PaydayPosition, number>>;

/**
 * Expected intakes per clock hour of business day `date` from the PRODUCT.md profile alone:
 * the reference volume per place, times the places open in that hour, times the hour's payday
 * multiplier (by its own calendar date), times how often the hour occurs that day (DST).
 * `multiplier` may be one number for every hour.
 */
export function defaultHourly(site: SiteConfig, date: string, multiplier: number | Multipliers = DEFAULT_PAYDAY_MULTIPLIER): number[] {
  const open = openBoothsByHour(site, date);
  const occ = clockHourOccurrences(date, site.timeZone, site.businessDayStart);
  const pos = hourPositions(site, date);
  return open.map((booths, h) => {
    const m = typeof multiplier === 'number' ? multiplier : multiplier[pos[h]!];
    return REFERENCE_USES_PER_PLACE_DAY * (DEFAULT_HOURLY_SHARE[h]! / 100) * booths * m * occ[h]!;
  });
}

// ---- Learning from history --------------------------------------------------------------------

/** One stored business day: its totals, its intakes per clock hour, and whether data is missing. */
export interface HistoryDay {
  intakes: number;
  checkouts: number;
  sessionMs: number;
  hourly?: number[];
  /** The no-data alert fired that day (a dead tablet): the day is not learned from. */
  gap?: boolean;
}

/** What the forecast reads: business date → stored day. Missing or zero days mean "no data". */
export type History = Record<string, HistoryDay>;

/** The business dates the forecast for `date` reads (daily totals and hourly counts of each). */
export function historyDates(date: string): string[] {
  return Array.from({ length: MULTIPLIER_DAYS }, (_, i) => addDays(date, -(i + 1)));
}

/** Why a stored day was left out of the learning. */
export const ExcludedReason = z.enum(['unfinished', 'gap', 'closed']);
export type ExcludedReason = z.infer<typeof ExcludedReason>;

/** One complete, usable day of history, with what the model needs per clock hour. */
interface LearnDay {
  date: string;
  weekday: Weekday;
  /** Intakes per real hour (a repeated DST hour halved), null where the hour did not occur or nothing was open. */
  y: Array<number | null>;
  /** Places open (place-hours) per clock hour. */
  c: number[];
  pos: PaydayPosition[];
  /** The date whose position each hour takes (groups the hours of one payday). */
  posDate: string[];
}

/**
 * The complete days among `history` that may be learnt from: before `today` (the business day
 * still running is unfinished, later ones cannot have data), not flagged as a data gap, with
 * intakes and hourly counts, and open at all. Returns them and the stored days left out.
 */
export function usableDays(site: SiteConfig, history: History, today?: string): { days: LearnDay[]; excluded: Array<{ date: string; reason: ExcludedReason }> } {
  const days: LearnDay[] = [];
  const excluded: Array<{ date: string; reason: ExcludedReason }> = [];
  for (const date of Object.keys(history).sort()) {
    const day = history[date]!;
    if (!(day.intakes > 0) || !day.hourly) continue; // nothing stored: not data
    if (today !== undefined && date >= today) {
      excluded.push({ date, reason: 'unfinished' });
      continue;
    }
    if (day.gap) {
      excluded.push({ date, reason: 'gap' });
      continue;
    }
    const c = openBoothsByHour(site, date);
    if (c.every((x) => x === 0)) {
      excluded.push({ date, reason: 'closed' });
      continue;
    }
    const occ = clockHourOccurrences(date, site.timeZone, site.businessDayStart);
    const pos = hourPositions(site, date);
    days.push({
      date,
      weekday: weekdayOf(date),
      y: c.map((open, h) => (occ[h]! > 0 && open > 0 ? day.hourly![h]! / occ[h]! : null)),
      c,
      pos,
      posDate: pos.map((_, h) => positionDateOf(calendarDateOf(date, h, site.businessDayStart), h, site.paydays)),
    });
  }
  return { days, excluded };
}

/** Intakes per open place and real hour at an ordinary-day level, per clock hour (null: never seen). */
type Rates = Array<number | null>;

/** Reference rate per place and hour of the PRODUCT.md profile. */
const defaultRate = (h: number) => (REFERENCE_USES_PER_PLACE_DAY * DEFAULT_HOURLY_SHARE[h]!) / 100;

/** Ratio estimate Σ y/m ÷ Σ c per clock hour over `days`. */
function rateOf(days: readonly LearnDay[], m: Multipliers): { rate: Rates; n: number[] } {
  const y = new Array<number>(24).fill(0);
  const c = new Array<number>(24).fill(0);
  const n = new Array<number>(24).fill(0);
  for (const d of days) {
    for (let h = 0; h < 24; h++) {
      const v = d.y[h];
      if (v == null) continue;
      y[h]! += v / m[d.pos[h]!];
      c[h]! += d.c[h]!;
      n[h]! += 1;
    }
  }
  return { rate: y.map((v, h) => (c[h]! > 0 ? v / c[h]! : null)), n };
}

/**
 * The ordinary-day rate per place of each clock hour for business days of `weekday`: the pooled
 * shape of the last `SHAPE_DAYS` days at the weekday's own level, refined by the weekday's own
 * hours (weight `SHAPE_PRIOR_DAYS`), then blended with the PRODUCT.md profile (weight one day)
 * at the site's level: the default lends its shape, not its level.
 */
function weekdayRates(days: readonly LearnDay[], date: string, weekday: Weekday, m: Multipliers): { rate: number[]; sameWeekday: number } {
  const recent = days.filter((d) => d.date >= addDays(date, -SHAPE_DAYS));
  const same = days.filter((d) => d.weekday === weekday && d.date >= addDays(date, -7 * PROFILE_WEEKS));
  const pooled = rateOf(recent.length > 0 ? recent : days, m).rate;
  const own = rateOf(same, m);
  // The weekday's level against the pooled shape, over the hours both saw.
  let seen = 0;
  let expected = 0;
  for (const d of same) {
    for (let h = 0; h < 24; h++) {
      const v = d.y[h];
      const p = pooled[h];
      if (v == null || p == null) continue;
      seen += v / m[d.pos[h]!];
      expected += d.c[h]! * p;
    }
  }
  const level = expected > 0 ? seen / expected : 1;
  const learnt = pooled.map((p, h) => {
    const o = own.rate[h];
    const n = own.n[h]!;
    if (p == null) return o;
    return o == null ? p * level : (n * o + SHAPE_PRIOR_DAYS * p * level) / (n + SHAPE_PRIOR_DAYS);
  });
  let sumLearnt = 0;
  let sumDefault = 0;
  learnt.forEach((x, h) => {
    if (x == null) return;
    sumLearnt += x;
    sumDefault += defaultRate(h);
  });
  const siteLevel = sumLearnt > 0 && sumDefault > 0 ? sumLearnt / sumDefault : 1;
  const weight = Math.max(...own.n, recent.length > 0 ? recent.length : days.length);
  const rate = learnt.map((x, h) => {
    const def = defaultRate(h) * siteLevel;
    return x == null ? def : (weight * x + PRIOR_DAYS * def) / (weight + PRIOR_DAYS);
  });
  return { rate, sameWeekday: same.length };
}

/**
 * Payday multipliers learnt from hourly counts: for each position, the intakes of its hours
 * against what an ordinary day would bring in those hours, grouped by the date whose position
 * they take (so a payday's small hours count with the payday), shrunk towards the default with
 * the weight of one day.
 */
export function learnMultipliers(days: readonly LearnDay[], rates: (weekday: Weekday) => number[]): Record<PaydayPosition, number> {
  const seen = new Map<PaydayPosition, number>();
  const base = new Map<PaydayPosition, number>();
  const groups = new Map<PaydayPosition, Set<string>>();
  const byWeekday = new Map<Weekday, number[]>();
  let dayMass = 0;
  for (const d of days) {
    let r = byWeekday.get(d.weekday);
    if (!r) byWeekday.set(d.weekday, (r = rates(d.weekday)));
    let mass = 0;
    for (let h = 0; h < 24; h++) {
      const v = d.y[h];
      if (v == null) continue;
      const p = d.pos[h]!;
      const e = d.c[h]! * r[h]!;
      mass += e;
      if (p === 'other') continue;
      seen.set(p, (seen.get(p) ?? 0) + v);
      base.set(p, (base.get(p) ?? 0) + e);
      const g = groups.get(p) ?? new Set<string>();
      g.add(d.posDate[h]!);
      groups.set(p, g);
    }
    dayMass += mass;
  }
  const perDay = days.length > 0 ? dayMass / days.length : 0;
  const out = { ...DEFAULT_PAYDAY_MULTIPLIER };
  for (const p of PAYDAY_POSITIONS) {
    const b = base.get(p);
    if (p === 'other' || !b || !(perDay > 0)) continue;
    // A group of hours weighs what it saw; the default weighs one ordinary day's worth.
    out[p] = ((seen.get(p) ?? 0) + PRIOR_DAYS * perDay * DEFAULT_PAYDAY_MULTIPLIER[p]) / (b + PRIOR_DAYS * perDay);
  }
  return out;
}

/** Mean session minutes over the complete days of the last `SESSION_DAYS` days, blended with the default. */
export function learnSessionMinutes(history: History, date: string, fallback: number, usable?: ReadonlySet<string>): number {
  let checkouts = 0;
  let ms = 0;
  for (let i = 1; i <= SESSION_DAYS; i++) {
    const d = addDays(date, -i);
    const day = history[d];
    if (!day || !(day.checkouts > 0) || (usable && !usable.has(d))) continue;
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
  /** Payday position of each clock hour (by the hour's own calendar date). */
  positions: PaydayPosition[];
  /** Position and multiplier of the business date itself. */
  position: PaydayPosition;
  multiplier: number;
  multipliers: Record<PaydayPosition, number>;
  /** Same-weekday complete days the hourly profile used (0 = the default profile alone). */
  historyDays: number;
  /** Complete days learnt from in all. */
  learnedDays: number;
  excluded: Array<{ date: string; reason: ExcludedReason }>;
  /** Complete days (for the session time). */
  usable: Set<string>;
}

/**
 * Expected intakes per clock hour of business day `date`: the ordinary-day rate per open place
 * of the hour (learnt from complete days, see `weekdayRates`), times the places open in that hour
 * (part hours count their open part), times the hour's payday multiplier, times its occurrences.
 * Without history it is the PRODUCT.md profile. `today` is the business day running now: it and
 * later days are never learnt from.
 */
export function forecastHourly(site: SiteConfig, date: string, history: History, today?: string): HourlyForecast {
  const window = Object.fromEntries(historyDates(date).flatMap((d) => (history[d] ? [[d, history[d]] as const] : [])));
  const { days, excluded } = usableDays(site, window, today);
  // Two passes: rates at the default multipliers, multipliers from those rates, rates again.
  let multipliers: Record<PaydayPosition, number> = { ...DEFAULT_PAYDAY_MULTIPLIER };
  const ratesAt = (m: Multipliers) => {
    const cache = new Map<Weekday, number[]>();
    return (wd: Weekday) => {
      let r = cache.get(wd);
      if (!r) cache.set(wd, (r = weekdayRates(days, date, wd, m).rate));
      return r;
    };
  };
  if (days.length > 0) {
    multipliers = learnMultipliers(days, ratesAt(multipliers));
    multipliers = learnMultipliers(days, ratesAt(multipliers));
  }
  const { rate, sameWeekday } = days.length > 0 ? weekdayRates(days, date, weekdayOf(date), multipliers) : { rate: DEFAULT_HOURLY_SHARE.map((_, h) => defaultRate(h)), sameWeekday: 0 };
  const open = openBoothsByHour(site, date);
  const occ = clockHourOccurrences(date, site.timeZone, site.businessDayStart);
  const positions = hourPositions(site, date);
  const intakes = open.map((places, h) => (places > 0 ? rate[h]! * places * multipliers[positions[h]!] * occ[h]! : 0));
  const position = daysFromPayday(date, site.paydays);
  return {
    intakes,
    positions,
    position,
    multiplier: multipliers[position],
    multipliers,
    historyDays: sameWeekday,
    learnedDays: days.length,
    excluded,
    usable: new Set(days.map((d) => d.date)),
  };
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
  /** Place-hours open (fractional for part hours). */
  openBooths: z.number(),
  /** Minutes of the hour during which the site is open (0–60). */
  openMinutes: z.number(),
  /** Payday position of the hour (by its own calendar date and the money-arrives hour). */
  position: PaydayPosition,
  expectedIntakes: z.number(),
  /** Mean booths in use over the hour (arrivals × session time, Little's law), at most the open booths. */
  expectedOccupied: z.number(),
  /** Booths that keep the mean wait under the target (Erlang C) while the site is open. */
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
  /** Complete days of history learnt from; `excluded`: stored days left out, and why. */
  learnedDays: z.number().int(),
  excluded: z.array(z.object({ date: z.string(), reason: ExcludedReason })),
  expectedTotal: z.number(),
  meanSessionMinutes: z.number(),
  targetWaitMinutes: z.number(),
  boothsPerObserver: z.number(),
  hours: z.array(ForecastHour),
});
export type ForecastReply = z.infer<typeof ForecastReply>;

export interface ForecastOptions {
  /** The business date running now: it and later days are not learnt from. */
  today?: string;
  targetWaitMinutes?: number;
  boothsPerObserver?: number;
  turnaroundMinutes?: number;
}

const round1 = (x: number) => Math.round(x * 10) / 10;

/**
 * Booths and staff for one hour. Arrivals of a part hour come while it is open, so the rate is
 * taken over the open part and compared with the places open meanwhile (not a fraction of them).
 */
export function hourStaffing(
  expected: number,
  part: OpenPart,
  holdMinutes: number,
  opts: { targetWaitMinutes: number; boothsPerObserver: number },
): { boothsNeeded: number; recommendedStaff: number; overCapacity: boolean } {
  if (part.fraction <= 0) return { boothsNeeded: 0, recommendedStaff: 0, overCapacity: false };
  const boothsNeeded = boothsForTargetWait(expected / part.fraction, holdMinutes, opts.targetWaitMinutes);
  const places = Math.ceil(part.places - 1e-9);
  return {
    boothsNeeded,
    recommendedStaff: staffNeeded(Math.min(boothsNeeded, places), opts.boothsPerObserver),
    overCapacity: boothsNeeded > part.places + 1e-9,
  };
}

/** The whole forecast of a business day: expected traffic, booths and staff per clock hour. */
export function buildForecast(site: SiteConfig, date: string, history: History, opts: ForecastOptions = {}): ForecastReply {
  const target = opts.targetWaitMinutes ?? DEFAULT_TARGET_WAIT_MINUTES;
  const ratio = opts.boothsPerObserver ?? DEFAULT_BOOTHS_PER_OBSERVER;
  const turnaround = opts.turnaroundMinutes ?? DEFAULT_TURNAROUND_MINUTES;
  const f = forecastHourly(site, date, history, opts.today);
  const session = learnSessionMinutes(history, date, defaultSessionMinutes(site), f.usable);
  const occ = clockHourOccurrences(date, site.timeZone, site.businessDayStart);
  const parts = openPartByHour(site, date);
  const order = Array.from({ length: 24 }, (_, i) => (site.businessDayStart + i) % 24);
  const hours = order.map((h): ForecastHour => {
    const part = parts[h]!;
    const perHour = occ[h]! > 0 ? f.intakes[h]! / occ[h]! : 0;
    const need = hourStaffing(perHour, part, session + turnaround, { targetWaitMinutes: target, boothsPerObserver: ratio });
    const planned = plannedStaff(site.staffingPlan, calendarDateOf(date, h, site.businessDayStart), h);
    const flag: StaffingFlag =
      part.fraction === 0 || occ[h] === 0 ? 'closed'
      : planned !== null && planned < need.recommendedStaff ? 'short'
      : need.overCapacity ? 'over_capacity'
      : 'ok';
    return {
      hour: h,
      occurrences: occ[h]!,
      openBooths: round1(part.placeHours),
      openMinutes: Math.round(part.fraction * 60),
      position: f.positions[h]!,
      expectedIntakes: round1(f.intakes[h]!),
      expectedOccupied: round1(Math.min(part.placeHours, (perHour * session) / 60)),
      boothsNeeded: need.boothsNeeded,
      recommendedStaff: need.recommendedStaff,
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
    learnedDays: f.learnedDays,
    excluded: f.excluded,
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
    const h = byHour.get(zonedParts(t, site.timeZone).hour);
    if (!h || h.occurrences === 0) continue;
    sum += (h.expectedIntakes / h.occurrences) * Math.min(1, (now - t) / 3_600_000);
  }
  return sum;
}
