/** The dates of the matrix (npm run test:dates), also usable by name in npm run test:repeat. */

/** Every instant is in Europe/Copenhagen, written with the offset in force then. */
export const DATES = [
  { name: 'real', at: null, why: 'whatever today is' },
  { name: 'spring-eve', at: '2026-03-28T22:00+01:00', why: 'Saturday evening before the spring DST change' },
  { name: 'spring-dst', at: '2026-03-29T03:30+02:00', why: 'night of the 23-hour business day, just after 02:00 became 03:00' },
  // 02:30 happens twice that night; this is the first time (CEST, +02:00): the next hours
  // (forecast, staffing plan, alerts that look ahead) run through the repeated hour.
  { name: 'autumn-dst', at: '2026-10-25T02:30+02:00', why: 'night of the 25-hour business day, before 03:00 becomes 02:00 again' },
  { name: 'payday-eve', at: '2026-11-29T20:00+01:00', why: 'Sunday evening before the November payday' },
  { name: 'payday-night', at: '2026-11-30T00:30+01:00', why: 'payday has begun by the calendar; still the previous business day' },
  { name: 'year-end', at: '2026-12-31T23:50+01:00', why: 'ten minutes to the new year, inside the business day of 31 Dec' },
] as const;

export interface Planned {
  name: string;
  /** ROOMWATCH_TEST_NOW for the run; null for the real date. */
  at: string | null;
}

/** A date of the matrix by name, or any ISO instant with an offset; `fail` explains otherwise. */
export function named(name: string, fail: (problem: string) => never): Planned {
  const d = DATES.find((x) => x.name === name);
  if (d) return { name: d.name, at: d.at };
  if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(name)) return { name, at: name };
  return fail(`unknown date "${name}" (one of ${DATES.map((x) => x.name).join(', ')}, or an ISO instant with an offset)`);
}
