import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { businessDayStart, businessSlot } from '../../shared/businessTime';
import { addDays } from '../../shared/calendar';
import { COUNTER_FIELD } from '../../shared/counters';
import { createLogger } from '../../server/logger';
import { demoClock, demoStart, startDemo } from '../../server/sim/demo';
import { keys } from '../../server/store/keys';
import { createStore } from '../../server/store/redis';
import { startTestServer, testSites, type TestServer } from '../support/testServer';

const HOUR = 3_600_000;

describe('the demo runs on its own simulated clock (issue 14)', () => {
  let srv: TestServer;
  let stop: AbortController | undefined;
  const sites = testSites();
  const alpha = sites.sites.find((s) => s.id === 'alpha')!;
  beforeAll(async () => {
    srv = await startTestServer({ sites }); // the embedded store, as `npm start -- --demo` uses by default
  });
  afterAll(async () => {
    stop?.abort();
    await srv?.close();
  });

  it('stamps each simulated hour with its own traffic, never a day in the real current hour', { timeout: 120_000 }, async () => {
    const realStart = Date.now();
    stop = await startDemo({ port: srv.port, app: srv.app, store: srv.store, sites, log: createLogger('silent') }, { historyDays: 2, speed: 900 });
    const info = (await srv.send('GET', '/api/sites')).body.find((s: { id: string }) => s.id === 'alpha').simulatedClock;
    expect(info.speed).toBe(900);
    const simStart = Date.parse(info.startedAt);
    const hours = async (until: number) => {
      const out: number[] = [];
      for (let t = simStart; t < until; t += HOUR) {
        const slot = businessSlot(t, alpha.timeZone, alpha.businessDayStart);
        out.push(Number((await srv.store.redis.hget(keys.hour('alpha', slot.date, slot.hour), COUNTER_FIELD.intakes)) ?? 0));
      }
      return out;
    };
    // An hour passes every four real seconds: wait for four simulated hours and 20 intakes (a
    // busy machine sends more slowly; the clock does not wait for it).
    await expect.poll(() => srv.app.clocks.now('alpha'), { timeout: 30_000, interval: 200 }).toBeGreaterThan(simStart + 4 * HOUR);
    await expect.poll(async () => (await hours(srv.app.clocks.now('alpha'))).reduce((a, b) => a + b, 0), { timeout: 60_000, interval: 500 }).toBeGreaterThan(20);
    stop.abort();
    const simNow = srv.app.clocks.now('alpha');
    // The site's own time is simulated: its snapshot says so; a real site keeps the real clock.
    expect(Date.parse((await srv.send('GET', '/api/sites/alpha/snapshot')).body.at)).toBeGreaterThan(simStart + 4 * HOUR);
    expect(Math.abs(srv.app.clocks.now('beta') - Date.now())).toBeLessThan(5_000);

    // Intakes per simulated clock hour: spread over the hours that passed, each a plausible hour.
    const perHour = await hours(simNow);
    const total = perHour.reduce((a, b) => a + b, 0);
    expect(perHour.filter((n) => n > 0).length).toBeGreaterThanOrEqual(5);
    // Alpha's busiest hour expects about 15 intakes; a day is about 250.
    expect(Math.max(...perHour)).toBeLessThan(45);
    // The real current hour holds at most the simulated hour that happened to share its clock hour.
    const real = businessSlot(realStart, alpha.timeZone, alpha.businessDayStart);
    const inRealHour = Number((await srv.store.redis.hget(keys.hour('alpha', real.date, real.hour), COUNTER_FIELD.intakes)) ?? 0);
    expect(inRealHour).toBeLessThan(45);
    console.log(`demo: ${total} intakes over ${perHour.length} simulated hours (${perHour.join(', ')}); ${inRealHour} in the real current hour`);

    // History: whole simulated days before the first simulated one, none on it.
    const first = businessSlot(simStart, alpha.timeZone, alpha.businessDayStart).date;
    expect(await srv.store.redis.exists(keys.day('alpha', addDays(first, -1)))).toBe(1);
    expect(await srv.store.redis.exists(keys.day('alpha', addDays(first, -3)))).toBe(0);
  });

  it('a rerun on a store that kept earlier demo days starts after the last of them', async () => {
    const store = await createStore(undefined, createLogger('silent'));
    const site = { ...alpha, id: 'demo-rerun' }; // the embedded engine is shared within the process
    const now = Date.parse('2026-11-29T10:30:00Z');
    expect(await demoStart(store.redis, site, now)).toBe(now);
    await store.redis.hset(keys.day(site.id, '2026-11-29'), COUNTER_FIELD.intakes, '600');
    await store.redis.hset(keys.day(site.id, '2026-11-30'), COUNTER_FIELD.intakes, '900');
    expect(await demoStart(store.redis, site, now)).toBe(businessDayStart('2026-12-01', site.timeZone, site.businessDayStart));
    await store.close();
    // And the clock itself: `speed` times real time from its start.
    let real = 1_000;
    const c = demoClock(now, 60, () => real);
    real += 60_000;
    expect(c.now()).toBe(now + 3_600_000);
  });
});
