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

/** Whether `date` is a real calendar date `YYYY-MM-DD` (no 2026-02-30, no month 13). */
export function isCalendarDate(date: string): boolean {
  const m = ISO.exec(date);
  if (!m) return false;
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  return Number(m[1]) >= 1000 && fromMs(ms) === date;
}

/** A calendar date, checked for real (zod). */
export const CalendarDate = z.string().refine(isCalendarDate, 'a real calendar date YYYY-MM-DD');
const Month = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'a month YYYY-MM (01–12)');

/**
 * A site's own payday rules, on top of the default calendar: official payment calendars are
 * published yearly and occasionally move a date; other benefits (børneydelse, a local benefit)
 * land on days of their own, which bring less than a payday.
 */
export const PaydayRules = z
  .strictObject({
    /** Extra full paydays (an official calendar with a second payday in a month). */
    add: z.array(CalendarDate).max(120).default([]),
    /** Month `YYYY-MM` → the date in that month that replaces its default payday. */
    replace: z.record(Month, CalendarDate).default({}),
    /** Other payment days (a local benefit paid mid-month): a smaller kind of day than payday. */
    paymentDays: z.array(CalendarDate).max(120).default([]),
    /** The quarterly børneydelse days (last weekday on or before the 20th of Jan, Apr, Jul, Oct) as payment days. */
    childBenefit: z.boolean().default(true),
    /** Local clock hour the money lands: hours before it still take the previous day's position. */
    moneyArrivesHour: z.number().int().min(0).max(23).default(0),
  })
  .superRefine((r, ctx) => {
    for (const [month, date] of Object.entries(r.replace)) {
      if (!date.startsWith(`${month}-`)) ctx.addIssue({ code: 'custom', path: ['replace', month], message: `must be a date in ${month}` });
    }
  });
export type PaydayRules = z.infer<typeof PaydayRules>;
export type PaydayRulesInput = z.input<typeof PaydayRules>;

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

/** Danish børneydelse: the last weekday on or before the 20th of January, April, July and October. */
export function childBenefitDays(year: number): string[] {
  return [1, 4, 7, 10].map((m) => {
    let d = ymd(year, m, 20);
    while (isoWeekday(d) > 5) d = addDays(d, -1);
    return d;
  });
}

/** Other payment days of `year` (sorted, unique, never a payday): børneydelse unless switched off, and the site's own. */
export function paymentDaysOf(year: number, rules?: PaydayRules): string[] {
  const paydays = new Set(paydaysOf(year, rules));
  const dates = new Set<string>(rules?.childBenefit === false ? [] : childBenefitDays(year));
  for (const d of rules?.paymentDays ?? []) if (d.startsWith(`${year}-`)) dates.add(d);
  return [...dates].filter((d) => !paydays.has(d)).sort();
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

/**
 * Where a day stands relative to payday; demand and overdose risk follow it (PRODUCT.md).
 * `payment`: another payment day (børneydelse, a local benefit), a smaller kind of day.
 */
export const PaydayPosition = z.enum(['payday', 'after1', 'after2', 'payment', 'before', 'other']);
export type PaydayPosition = z.infer<typeof PaydayPosition>;
export const PAYDAY_POSITIONS = PaydayPosition.options;

/** How many calendar days before payday count as "the last days before payday". */
export const DAYS_BEFORE_PAYDAY = 5;

/**
 * The payday position of a calendar date: payday itself, the first or second day after the
 * last payday, another payment day, one of the last 5 calendar days before the next payday, or
 * other. Payday wins ties, then the days after it, then a payment day.
 */
export function daysFromPayday(date: string, rules?: PaydayRules): PaydayPosition {
  // Asked per hour of months of history: memoised per rules object (site configs are immutable).
  const memo = rules ? (positionMemo.get(rules) ?? positionMemo.set(rules, new Map()).get(rules)!) : defaultPositions;
  let pos = memo.get(date);
  if (pos === undefined) {
    if (memo.size > 5_000) memo.clear();
    memo.set(date, (pos = positionOf(date, rules)));
  }
  return pos;
}

const positionMemo = new WeakMap<PaydayRules, Map<string, PaydayPosition>>();
const defaultPositions = new Map<string, PaydayPosition>();

function positionOf(date: string, rules?: PaydayRules): PaydayPosition {
  const since = daysBetween(previousPayday(date, rules), date);
  if (since === 0) return 'payday';
  if (since === 1) return 'after1';
  if (since === 2) return 'after2';
  if (paymentDaysOf(Number(date.slice(0, 4)), rules).includes(date)) return 'payment';
  const until = daysBetween(date, nextPayday(date, rules));
  return until >= 1 && until <= DAYS_BEFORE_PAYDAY ? 'before' : 'other';
}

/** Positions on which overdose risk roughly doubles (payday and the two days after; PRODUCT.md). */
export const RISK_POSITIONS: readonly PaydayPosition[] = ['payday', 'after1', 'after2'];

/** The calendar date a clock hour of business day `date` falls on (hours before the start hour → the next day). */
export const calendarDateOf = (date: string, hour: number, startHour: number): string => (hour < startHour ? addDays(date, 1) : date);

/**
 * The date whose payday position a local clock hour takes: its own calendar date once the money
 * has arrived (`moneyArrivesHour`, default 0), the day before until then. So the small hours
 * after midnight on payday are payday, although they belong to the previous business day.
 */
export function positionDateOf(calendarDate: string, hour: number, rules?: PaydayRules): string {
  return hour < (rules?.moneyArrivesHour ?? 0) ? addDays(calendarDate, -1) : calendarDate;
}

/** The payday position of clock hour `hour` of business day `date`. */
export function hourPosition(date: string, hour: number, startHour: number, rules?: PaydayRules): PaydayPosition {
  return daysFromPayday(positionDateOf(calendarDateOf(date, hour, startHour), hour, rules), rules);
}

/** Query of `GET /api/calendar/paydays`. */
export const PaydaysQuery = z.object({
  year: z.coerce.number().int().min(2000).max(2100),
  siteId: z.string().min(1).max(40).optional(),
});
export type PaydaysQuery = z.infer<typeof PaydaysQuery>;

/** Reply of `GET /api/calendar/paydays`: paydays, and (additive) the other payment days. */
export const PaydaysReply = z.object({ year: z.number().int(), dates: z.array(z.string()), paymentDays: z.array(z.string()).optional() });
export type PaydaysReply = z.infer<typeof PaydaysReply>;
