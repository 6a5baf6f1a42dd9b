import { WEEKDAYS, type OpeningHours, type Weekday } from './siteConfig';

/** Minutes since midnight of an `HH:MM` time. */
export const minutesOf = (hm: string): number => Number(hm.slice(0, 2)) * 60 + Number(hm.slice(3, 5));

/**
 * Whether a room with these opening hours is open at a local weekday and minute of the day. A
 * window whose `close` is not after `open` runs past midnight into the next weekday, as the
 * sites file documents.
 */
export function isOpenAt(hours: OpeningHours, weekday: Weekday, minute: number): boolean {
  if (hours === '24h') return true;
  const yesterday = WEEKDAYS[(WEEKDAYS.indexOf(weekday) + 6) % 7]!;
  return hours.some((w) => {
    const o = minutesOf(w.open);
    const c = minutesOf(w.close);
    if (c > o) return w.days.includes(weekday) && minute >= o && minute < c;
    // Overnight: from `open` to midnight on its days, and from midnight to `close` the day after.
    return (w.days.includes(weekday) && minute >= o) || (w.days.includes(yesterday) && minute < c);
  });
}

/** Share (0–1) of the local clock hour `hour` on `weekday` during which the room is open. */
export function openFraction(hours: OpeningHours, weekday: Weekday, hour: number): number {
  if (hours === '24h') return 1;
  let open = 0;
  for (let m = hour * 60; m < hour * 60 + 60; m++) if (isOpenAt(hours, weekday, m)) open++;
  return open / 60;
}
