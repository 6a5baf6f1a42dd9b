import { describe, expect, it } from 'vitest';
import { businessDayStart } from '../../shared/businessTime';
import { ForecastReply } from '../../shared/forecast';
import { keys } from '../../server/store/keys';
import { tallyCounters } from '../../server/sim/counters';
import { runSimulator } from '../../server/sim/driver';
import { haveRedis } from '../support/programs';
import { serverOnRedis } from '../support/serverFixture';
import { testSites } from '../support/testServer';

const DAY = '2026-03-10';

describe.runIf(haveRedis())('simulator against a real server', () => {
  const clock = { now: Date.parse('2026-03-10T05:00:00Z') };

  const { srv } = serverOnRedis({ clock: () => clock.now });

  it('runs a simulated day at full speed and the counters equal what it sent', async () => {
    const site = testSites().sites.find((s) => s.id === 'alpha')!;
    const start = businessDayStart(DAY, site.timeZone, site.businessDayStart);
    const report = await runSimulator({
      send: (method, path, body, headers) => srv.send(method, path, body, headers),
      siteId: 'alpha',
      seed: 11,
      scenario: 'normal',
      speed: Infinity,
      start,
      minutes: 24 * 60,
      keepAccepted: true,
      beforeSend: (e) => void (clock.now = e.at),
    });
    expect(report.failures).toBe(0);
    expect(report.conflicts).toBe(0);
    expect(report.byType['check-in']).toBeGreaterThan(100);
    expect(report.byType['queue-join']).toBeGreaterThan(0);
    const want = tallyCounters(report.accepted, site);
    const r = srv.store.redis;
    for (const [date, fields] of want.days) {
      const got = await r.hgetall(keys.day('alpha', date));
      expect(Object.fromEntries(Object.entries(got).map(([k, v]) => [k, Number(v)])), `day ${date}`).toEqual(fields);
    }
    for (const [key, fields] of want.hours) {
      const [date, hh] = [key.slice(0, 10), Number(key.slice(11))];
      const got = await r.hgetall(keys.hour('alpha', date, hh));
      expect(Object.fromEntries(Object.entries(got).map(([k, v]) => [k, Number(v)])), `hour ${key}`).toEqual(fields);
    }
    expect(await r.xlen(keys.events('alpha'))).toBe(report.sent);
  });

  it('refuses a site not marked demo', async () => {
    await expect(
      runSimulator({ send: (m, p, b, h) => srv.send(m, p, b, h), siteId: 'beta', seed: 1, scenario: 'normal', speed: Infinity, minutes: 10 }),
    ).rejects.toThrow(/demo: true/);
  });

  it('serves the forecast, learning from the day just simulated', async () => {
    // Only once that business day is over: an unfinished day is never learnt from.
    const site = testSites().sites.find((s) => s.id === 'alpha')!;
    const unfinished = ForecastReply.parse((await srv.send('GET', '/api/sites/alpha/forecast?date=2026-03-17')).body);
    expect(unfinished.historyDays).toBe(0);
    expect(unfinished.excluded).toEqual([{ date: DAY, reason: 'unfinished' }]);
    clock.now = businessDayStart('2026-03-11', site.timeZone, site.businessDayStart) + 3_600_000;
    const res = await srv.send('GET', '/api/sites/alpha/forecast?date=2026-03-17');
    expect(res.status).toBe(200);
    const f = ForecastReply.parse(res.body);
    expect(f.hours).toHaveLength(24);
    expect(f.hours[0]!.hour).toBe(6);
    expect(f.historyDays).toBe(1);
    expect(f.expectedTotal).toBeGreaterThan(0);
    const bad = await srv.send('GET', '/api/sites/alpha/forecast?date=2026-02-30');
    expect(bad.status).toBe(400);
    expect(bad.body.error.details[0].path).toBe('date');
    expect((await srv.send('GET', '/api/sites/nowhere/forecast?date=2026-03-17')).status).toBe(404);
  });

  it('serves the payday calendar', async () => {
    const res = await srv.send('GET', '/api/calendar/paydays?year=2026');
    expect(res.status).toBe(200);
    expect(res.body.year).toBe(2026);
    expect(res.body.dates).toHaveLength(12);
    expect(res.body.dates[0]).toBe('2026-01-30');
    expect(res.body.paymentDays).toEqual(['2026-01-20', '2026-04-20', '2026-07-20', '2026-10-20']);
    const bad = await srv.send('GET', '/api/calendar/paydays?year=next');
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.map((d: { path: string }) => d.path)).toContain('year');
  });
});
