import { WEEKDAYS, type OpeningHours, type Weekday } from './siteConfig';

const minutesOf = (hm: string): number => Number(hm.slice(0, 2)) * 60 + Number(hm.slice(3, 5));

/**
 * Share (0–1) of the local clock hour `hour` on `weekday` during which a room with these
 * opening hours is open. A window whose `close` is not after `open` runs past midnight into
 * the next weekday, as the sites file documents.
 */
export function openFraction(hours: OpeningHours, weekday: Weekday, hour: number): number {
  if (hours === '24h') return 1;
  const from = hour * 60;
  const open = new Array<boolean>(60).fill(false);
  const mark = (start: number, end: number) => {
    for (let m = Math.max(start, from); m < Math.min(end, from + 60); m++) open[m - from] = true;
  };
  const yesterday = WEEKDAYS[(WEEKDAYS.indexOf(weekday) + 6) % 7]!;
  for (const w of hours) {
    const o = minutesOf(w.open);
    const c = minutesOf(w.close);
    const overnight = c <= o;
    if (w.days.includes(weekday)) mark(o, overnight ? 24 * 60 : c);
    if (overnight && w.days.includes(yesterday)) mark(0, c);
  }
  return open.filter(Boolean).length / 60;
}
