import type { RoomStatus } from '../../../../shared/openingHours';
import { formatTimeOfDay } from '../../format';

type Translate = (key: string, named?: Record<string, unknown>) => string;

/**
 * A room's status in words, in the site's time: "open until 23:30", "closed · opens 07:30",
 * "closed · opens Thu 24/12 07:30", "opened early until 02:00". An opening within a day says
 * only the time; later ones the day too.
 */
export function roomStatusText(t: Translate, s: RoomStatus, locale: string, timeZone: string | undefined, now: number): string {
  if (s.open) {
    if (s.openedEarly && s.closesAt) return t('rooms.openedEarly', { time: formatTimeOfDay(Date.parse(s.closesAt), locale, timeZone) });
    return s.closesAt ? t('rooms.openUntil', { time: formatTimeOfDay(Date.parse(s.closesAt), locale, timeZone) }) : t('rooms.openAllDay');
  }
  if (!s.opensAt) return t('rooms.closedNoDate');
  const at = Date.parse(s.opensAt);
  if (at - now < 20 * 3_600_000) return t('rooms.closedOpens', { time: formatTimeOfDay(at, locale, timeZone) });
  const day = new Intl.DateTimeFormat(locale, { weekday: 'short', day: 'numeric', month: 'numeric', timeZone }).format(at);
  return t('rooms.closedOpensDay', { day, time: formatTimeOfDay(at, locale, timeZone) });
}

/** Local clock time (23:30, Danish 23.30) of an ISO instant in the site's zone. */
export const clockOf = (iso: string, locale: string, timeZone: string | undefined): string => formatTimeOfDay(Date.parse(iso), locale, timeZone);
