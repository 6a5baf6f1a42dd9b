import { z } from 'zod';

/**
 * Danish banking calendar and paydays. Pure date arithmetic on `YYYY-MM-DD` strings (UTC
 * calendar maths, no time zones involved): a payday is a calendar date, not an instant.
 */

const ISO = /^(\d{4})-(\d{2})-(\d{2})$/;
const DAY_MS = 86_400_000;

const toMs = (date: string): number => {
  const m = ISO.exec(date);
  if (!m) throw new RangeError(`not a YYYY-MM-DD date: ${date}`);
  return Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
};
const fromMs = (ms: number): string => new Date(ms).toISOString().slice(0, 10);
const ymd = (y: number, m: number, d: number): string => fromMs(Date.UTC(y, m - 1, d));

/** `date` moved by `days` calendar days. */
export const addDays = (date: string, days: number): string => fromMs(toMs(date) + days * DAY_MS);

/** Whole calendar days from `a` to `b` (positive when `b` is later). */
export const daysBetween = (a: string, b: string): number => Math.round((toMs(b) - toMs(a)) / DAY_MS);

/** ISO weekday, 1 = Monday … 7 = Sunday. */
export const isoWeekday = (date: string): number => ((new Date(toMs(date)).getUTCDay() + 6) % 7) + 1;

/** Easter Sunday (Gregorian), by the anonymous Gregorian algorithm (Meeus/Jones/Butcher). */
export function easterSunday(year: number): string {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return ymd(year, month, day);
}

/**
 * Danish bank closing days of a year (weekdays or not), date → name. Follows Danmarks
 * Nationalbank's published "banklukkedage": besides the list in PRODUCT.md it includes the
 * Friday after Ascension Day, on which banks are closed too (Nationalbanken lists it for 2026:
 * 15 May, and 2027: 7 May). Great Prayer Day (Easter + 26) was abolished from 2024.
 */
export function bankHolidays(year: number): Map<string, string> {
  const easter = easterSunday(year);
  const out = new Map<string, string>([
    [ymd(year, 1, 1), "New Year's Day"],
    [addDays(easter, -3), 'Maundy Thursday'],
    [addDays(easter, -2), 'Good Friday'],
    [addDays(easter, 1), 'Easter Monday'],
    [addDays(easter, 39), 'Ascension Day'],
    [addDays(easter, 40), 'Bank closing day after Ascension'],
    [addDays(easter, 50), 'Whit Monday'],
    [ymd(year, 6, 5), 'Constitution Day'],
    [ymd(year, 12, 24), 'Christmas Eve'],
    [ymd(year, 12, 25), 'Christmas Day'],
    [ymd(year, 12, 26), 'Boxing Day'],
    [ymd(year, 12, 31), "New Year's Eve"],
  ]);
  if (year < 2024) out.set(addDays(easter, 26), 'Great Prayer Day');
  return out;
}

const holidayCache = new Map<number, Map<string, string>>();
const holidaysOf = (year: number) => {
  let h = holidayCache.get(year);
  if (!h) holidayCache.set(year, (h = bankHolidays(year)));
  return h;
};

/** A weekday that is not a Danish bank closing day. */
export function isBankingDay(date: string): boolean {
  return isoWeekday(date) <= 5 && !holidaysOf(Number(date.slice(0, 4))).has(date);
}

/** The last banking day of a month (`month` 1–12): the default Danish payday. */
export function lastBankingDay(year: number, month: number): string {
  let d = fromMs(Date.UTC(year, month, 0)); // day 0 of the next month = last day of this one
  while (!isBankingDay(d)) d = addDays(d, -1);
  return d;
}

const IsoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'YYYY-MM-DD');

/**
 * A site's own payday rules, on top of the default calendar: official payment calendars are
 * published yearly and occasionally move a date, and some local benefits land on other days.
 */
export const PaydayRules = z.strictObject({
  /** Extra paydays (e.g. a local benefit paid mid-month). */
  add: z.array(IsoDate).max(120).default([]),
  /** Month `YYYY-MM` → the date that replaces that month's default payday. */
  replace: z.record(z.string().regex(/^\d{4}-\d{2}$/, 'YYYY-MM'), IsoDate).default({}),
});
export type PaydayRules = z.infer<typeof PaydayRules>;

/** The paydays of `year` (sorted, unique): default rule, then the site's replacements and extras. */
export function paydaysOf(year: number, rules?: PaydayRules): string[] {
  const dates = new Set<string>();
  for (let m = 1; m <= 12; m++) {
    const key = `${year}-${String(m).padStart(2, '0')}`;
    dates.add(rules?.replace[key] ?? lastBankingDay(year, m));
  }
  for (const d of rules?.add ?? []) if (d.startsWith(`${year}-`)) dates.add(d);
  return [...dates].sort();
}

/** True when `date` is a payday under `rules`. */
export const isPayday = (date: string, rules?: PaydayRules): boolean =>
  paydaysOf(Number(date.slice(0, 4)), rules).includes(date);

/** The first payday on or after `date`. */
export function nextPayday(date: string, rules?: PaydayRules): string {
  const year = Number(date.slice(0, 4));
  for (const y of [year, year + 1]) {
    const hit = paydaysOf(y, rules).find((d) => d >= date);
    if (hit) return hit;
  }
  throw new RangeError(`no payday after ${date}`);
}

/** The last payday on or before `date`. */
export function previousPayday(date: string, rules?: PaydayRules): string {
  const year = Number(date.slice(0, 4));
  for (const y of [year, year - 1]) {
    const hit = paydaysOf(y, rules).filter((d) => d <= date).pop();
    if (hit) return hit;
  }
  throw new RangeError(`no payday before ${date}`);
}

/** Where a day stands relative to payday; demand and overdose risk follow it (PRODUCT.md). */
export const PaydayPosition = z.enum(['payday', 'after1', 'after2', 'before', 'other']);
export type PaydayPosition = z.infer<typeof PaydayPosition>;
export const PAYDAY_POSITIONS = PaydayPosition.options;

/** How many calendar days before payday count as "the last days before payday". */
export const DAYS_BEFORE_PAYDAY = 5;

/**
 * The payday position of a (business) date: payday itself, the first or second day after the
 * last payday, one of the last 5 calendar days before the next, or other. Payday wins ties.
 */
export function daysFromPayday(date: string, rules?: PaydayRules): PaydayPosition {
  const since = daysBetween(previousPayday(date, rules), date);
  if (since === 0) return 'payday';
  if (since === 1) return 'after1';
  if (since === 2) return 'after2';
  const until = daysBetween(date, nextPayday(date, rules));
  return until >= 1 && until <= DAYS_BEFORE_PAYDAY ? 'before' : 'other';
}

/** Query of `GET /api/calendar/paydays`. */
export const PaydaysQuery = z.object({
  year: z.coerce.number().int().min(2000).max(2100),
  siteId: z.string().min(1).max(40).optional(),
});
export type PaydaysQuery = z.infer<typeof PaydaysQuery>;

/** Reply of `GET /api/calendar/paydays`. */
export const PaydaysReply = z.object({ year: z.number().int(), dates: z.array(z.string()) });
export type PaydaysReply = z.infer<typeof PaydaysReply>;
