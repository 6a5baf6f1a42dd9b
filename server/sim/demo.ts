import type { Redis } from 'ioredis';
import { businessDayStart, businessSlot } from '../../shared/businessTime';
import { addDays } from '../../shared/calendar';
import type { SiteConfig } from '../../shared/siteConfig';
import type { Started } from '../index';
import { keys } from '../store/keys';
import { backfillCounters, backfillRange, datesWithCounters } from './history';
import { httpSender, runSimulator } from './driver';

/** Days of history the demo writes when a demo site has none, so forecasts and charts have shape. */
export const DEMO_HISTORY_DAYS = 56;
/** Simulated minutes per real minute in the demo: an hour of floor life a minute. */
export const DEMO_SPEED = 60;
/** How far ahead a rerun looks for days an earlier demo run already played (Redis keeps them). */
const RESUME_LOOKAHEAD_DAYS = 400;

/** A clock that runs `speed` times faster than real time from `start` (simulated epoch ms). */
export interface DemoClock {
  start: number;
  speed: number;
  now(): number;
}

export function demoClock(start: number, speed: number, realNow: () => number = Date.now): DemoClock {
  const realStart = realNow();
  return { start, speed, now: () => start + (realNow() - realStart) * speed };
}

/**
 * Where a demo site's simulated clock starts: now, or — when an earlier run (on Redis) already
 * played days from today on — at the start of the business day after the last of them, so a
 * rerun never writes a second day's traffic over a day already played.
 */
export async function demoStart(redis: Redis, site: SiteConfig, now: number): Promise<number> {
  const today = businessSlot(now, site.timeZone, site.businessDayStart).date;
  const dates = Array.from({ length: RESUME_LOOKAHEAD_DAYS }, (_, i) => addDays(today, i));
  const p = redis.pipeline();
  for (const d of dates) p.exists(keys.day(site.id, d));
  const res = (await p.exec()) ?? [];
  const played = dates.filter((_, i) => Number(res[i]?.[1] ?? 0) > 0);
  if (played.length === 0) return now;
  return businessDayStart(addDays(played.at(-1)!, 1), site.timeZone, site.businessDayStart);
}

/**
 * `npm start -- --demo`: every `demo: true` site runs on its own simulated clock (an hour a
 * minute): the site's floor, counters, alerts and forecast all live in simulated time, so each
 * simulated hour holds its own traffic and nothing piles into the real current hour. The
 * simulator drives the site through this very server's HTTP API (with an API token the process
 * issues itself), paced by that clock. Before its first simulated day, each site gets 56 whole
 * days of simulated history (counters only, and only when it has none).
 */
export async function startDemo(s: Started, opts: { historyDays?: number; speed?: number } = {}): Promise<AbortController> {
  const stop = new AbortController();
  const demoSites = s.sites.sites.filter((site) => site.demo);
  if (demoSites.length === 0) {
    s.log.warn('--demo: no site is marked demo: true; nothing to simulate');
    return stop;
  }
  const speed = opts.speed ?? DEMO_SPEED;
  const system = { principal: { kind: 'user' as const, id: 'admin', role: 'admin' as const, sites: '*' as const }, from: 'demo' };
  const { token } = await s.app.auth.createToken(system, { kind: 'api', name: 'demo simulator (in-process)', role: 'staff', sites: demoSites.map((d) => d.id) });
  const send = httpSender(`http://127.0.0.1:${s.port}`, token);
  const days = opts.historyDays ?? DEMO_HISTORY_DAYS;
  for (const [i, site] of demoSites.entries()) {
    const clock = demoClock(await demoStart(s.store.redis, site, Date.now()), speed);
    s.app.clocks.simulate(site.id, { now: clock.now, info: { speed, startedAt: new Date(clock.start).toISOString() } });
    runSimulator({ send, siteId: site.id, seed: i + 1, scenario: 'normal', speed, start: clock.start, simNow: clock.now, signal: stop.signal, log: (m) => s.log.warn(m) })
      .then((r) => s.log.info({ site: site.id, ...r, accepted: undefined }, '--demo: simulator stopped'))
      .catch((err) => s.log.error({ err, site: site.id }, '--demo: simulator failed'));
    s.log.info({ site: site.id, speed, simulatedStart: new Date(clock.start).toISOString() }, '--demo: simulated traffic running on its own clock');
  }
  // History after the live traffic starts (the floor moves at once): whole simulated days before
  // each site's first simulated day, never one the clock is playing.
  for (const [i, site] of demoSites.entries()) {
    const range = backfillRange(site, days, s.app.clocks.now(site.id));
    if ((await datesWithCounters(s.store.redis, site.id, range)).length > 0) continue;
    const r = await backfillCounters(s.store.redis, site, range, i + 1);
    s.log.info({ site: site.id, days, intakes: r.intakes }, `--demo: wrote ${days} days of simulated history (counters only)`);
  }
  return stop;
}
