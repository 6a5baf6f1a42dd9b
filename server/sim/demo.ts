import type { Started } from '../index';
import { backfillCounters, backfillRange, datesWithCounters } from './history';
import { httpSender, runSimulator } from './driver';

/** Days of history the demo writes when a demo site has none, so forecasts and charts have shape. */
export const DEMO_HISTORY_DAYS = 56;
/** Simulated minutes per real minute in the demo: an hour of floor life a minute. */
export const DEMO_SPEED = 60;

/**
 * `npm start -- --demo`: runs the simulator against this very server over HTTP for every
 * `demo: true` site, so a newcomer sees a living floor at once, then gives each site 56 days of
 * simulated history (counters only, and only when it has none) for forecasts and charts. It
 * signs its requests with an API token the process issues itself.
 */
export async function startDemo(s: Started, opts: { historyDays?: number; speed?: number } = {}): Promise<AbortController> {
  const stop = new AbortController();
  const demoSites = s.sites.sites.filter((site) => site.demo);
  if (demoSites.length === 0) {
    s.log.warn('--demo: no site is marked demo: true; nothing to simulate');
    return stop;
  }
  const system = { principal: { kind: 'user' as const, id: 'admin', role: 'admin' as const, sites: '*' as const }, from: 'demo' };
  const { token } = await s.app.auth.createToken(system, { kind: 'api', name: 'demo simulator (in-process)', role: 'staff', sites: demoSites.map((d) => d.id) });
  const send = httpSender(`http://127.0.0.1:${s.port}`, token);
  demoSites.forEach((site, i) => {
    runSimulator({ send, siteId: site.id, seed: i + 1, scenario: 'normal', speed: opts.speed ?? DEMO_SPEED, signal: stop.signal, log: (m) => s.log.warn(m) })
      .then((r) => s.log.info({ site: site.id, ...r, accepted: undefined }, '--demo: simulator stopped'))
      .catch((err) => s.log.error({ err, site: site.id }, '--demo: simulator failed'));
  });
  s.log.info({ sites: demoSites.map((d) => d.id), speed: opts.speed ?? DEMO_SPEED }, '--demo: simulated traffic running');
  // History after the live traffic starts: the floor moves at once, past days fill in behind it.
  const days = opts.historyDays ?? DEMO_HISTORY_DAYS;
  for (const site of demoSites) {
    const range = backfillRange(site, days, Date.now());
    if ((await datesWithCounters(s.store.redis, site.id, range)).length > 0) continue;
    const r = await backfillCounters(s.store.redis, site, range, 1);
    s.log.info({ site: site.id, days, intakes: r.intakes }, `--demo: wrote ${days} days of simulated history (counters only)`);
  }
  return stop;
}
