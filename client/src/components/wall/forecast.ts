import { getJson, isApiError } from '../../api';
import { ForecastReply, expectedByNow } from '../../../../shared/forecast';

/*
 * The day's forecast for the wall and the overview (`GET /api/sites/:siteId/forecast?date=`).
 * Imported statically: every page that shows live figures asks for it at once, and the forecast
 * maths (about 1 kB) cost less in the start-up file than two requests of their own.
 * A missing endpoint or a reply that does not parse hides the expected figure and line: the
 * wall never shows a made-up expectation.
 */
export interface WallForecast {
  reply: ForecastReply;
  /** Expected intakes per clock hour (index 0–23). */
  hourly: number[];
  /** Expected intakes from the business day's start until `now` (DST-aware, shared maths). */
  expectedAt(now: number): number;
}

/** The forecast of `date`, or null when there is none (404: not built or no forecast). */
export async function fetchForecast(
  site: { id: string; timeZone: string; businessDayStart: number },
  date: string,
  signal?: AbortSignal,
): Promise<WallForecast | null> {
  let reply: ForecastReply;
  try {
    reply = await getJson(`/api/sites/${encodeURIComponent(site.id)}/forecast?date=${encodeURIComponent(date)}`, ForecastReply, signal);
  } catch (e) {
    if (isApiError(e) && e.status === 404) return null;
    throw e;
  }
  const hourly = new Array<number>(24).fill(0);
  for (const h of reply.hours) if (h.hour >= 0 && h.hour < 24) hourly[h.hour] = h.expectedIntakes;
  return { reply, hourly, expectedAt: (now) => expectedByNow(reply, site, now) };
}
