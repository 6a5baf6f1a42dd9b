/**
 * A site's wall clock from the platform's own time-zone data (`Intl.DateTimeFormat`), in both
 * directions. The opening hours and the business day need only these two conversions, and every
 * page shows rooms: with them done here, a browser without native Temporal (Safari in 2026, the
 * managers' phones) no longer fetches the Temporal polyfill to draw its first screen. The answers
 * equal Temporal's, 'compatible' disambiguation included (tests/unit/zonedTime.test.ts compares
 * them around every DST change of several zones); the polyfill reads the same Intl data.
 */

/** Wall-clock parts of an instant in a zone. */
export interface ZonedParts {
  /** `YYYY-MM-DD`, the local calendar date. */
  date: string;
  hour: number;
  minute: number;
  second: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();
const formatterOf = (timeZone: string | undefined): Intl.DateTimeFormat => {
  const key = timeZone ?? '';
  let f = formatters.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
    });
    formatters.set(key, f);
  }
  return f;
};

/** Numeric year, month, day, hour, minute, second of an instant in a zone (undefined: the runtime's). */
function numericParts(epochMs: number, timeZone: string | undefined): [number, number, number, number, number, number] {
  const p = { year: 0, month: 0, day: 0, hour: 0, minute: 0, second: 0 };
  for (const part of formatterOf(timeZone).formatToParts(epochMs)) {
    if (part.type in p) p[part.type as keyof typeof p] = Number(part.value);
  }
  return [p.year, p.month, p.day, p.hour % 24, p.minute, p.second];
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** `Date.UTC` without its two-digit-year rule (year 50 is 50, not 1950). */
function utc(y: number, mo: number, d: number, h = 0, mi = 0, s = 0): number {
  const t = new Date(0);
  t.setUTCFullYear(y, mo - 1, d);
  t.setUTCHours(h, mi, s, 0);
  return t.getTime();
}

/** The local date and time of an instant in `timeZone` (undefined: the runtime's own zone). */
export function zonedParts(epochMs: number, timeZone: string | undefined): ZonedParts {
  const [y, mo, d, h, mi, s] = numericParts(epochMs, timeZone);
  return { date: `${pad(y, 4)}-${pad(mo)}-${pad(d)}`, hour: h, minute: mi, second: s };
}

/** The zone's offset from UTC at an instant, in ms (whole seconds; sub-second parts dropped). */
function offsetAt(epochMs: number, timeZone: string): number {
  const [y, mo, d, h, mi, s] = numericParts(epochMs, timeZone);
  const whole = epochMs - (((epochMs % 1000) + 1000) % 1000);
  return utc(y, mo, d, h, mi, s) - whole;
}

const DAY_MS = 86_400_000;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * The instant at which the wall clock in `timeZone` reads `date` plus `minute` minutes (minute
 * may pass midnight). Like Temporal's 'compatible': a time repeated when clocks go back is its
 * first occurrence, and a time skipped when they go forward counts from the moment after the gap
 * (02:30 on a 02:00→03:00 night is 03:30 summer time).
 */
export function zonedEpoch(date: string, minute: number, timeZone: string): number {
  const m = ISO_DATE.exec(date);
  if (!m || !isIsoDate(date)) throw new RangeError(`not a YYYY-MM-DD date: ${date}`);
  const wall = utc(Number(m[1]), Number(m[2]), Number(m[3])) + minute * 60_000;
  // Real zones change offset at most once in two days: the offsets a day either side are the
  // only candidates (Temporal's GetPossibleInstantsFor does the same).
  const before = offsetAt(wall - DAY_MS, timeZone);
  const after = offsetAt(wall + DAY_MS, timeZone);
  const possible = [wall - before, wall - after].filter((t) => wall - offsetAt(t, timeZone) === t);
  // Both read the same wall time (clocks went back) or only one does: the earlier one.
  if (possible.length > 0) return Math.min(...possible);
  // Skipped by a change forward: the wall time moved on by the gap, i.e. read with the offset before.
  return wall - before;
}

/** Whether `date` is a real calendar date written `YYYY-MM-DD`. */
export function isIsoDate(date: string): boolean {
  const m = ISO_DATE.exec(date);
  if (!m) return false;
  const t = new Date(utc(Number(m[1]), Number(m[2]), Number(m[3])));
  return t.getUTCFullYear() === Number(m[1]) && t.getUTCMonth() === Number(m[2]) - 1 && t.getUTCDate() === Number(m[3]);
}
