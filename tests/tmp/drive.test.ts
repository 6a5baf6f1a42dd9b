import { it } from 'vitest';
import { SitesFile } from '../../shared/siteConfig';
import { businessDayStart } from '../../shared/businessTime';
import { SimSender } from '../../server/sim/driver';
import { Simulation } from '../../server/sim/generator';
import { startRedis } from '../support/redisServer';
import { startTestServer } from '../support/testServer';
it('drive', async () => {
  const SITES = SitesFile.parse({ sites: [{ id: 'skyen', name: 'Skyen', timeZone: 'Europe/Copenhagen', demo: true, alerts: { rules: { 'wall-offline': { enabled: false } } }, rooms: [
    { id: 'inj', name: 'I', kind: 'injection', booths: 9 },
    { id: 'smk', name: 'S', kind: 'inhalation', booths: 30, openingHours: [{ open: '07:00', close: '23:30' }] } ] }] });
  const START = businessDayStart('2026-11-30', 'Europe/Copenhagen', 6);
  let now = START;
  const redis = await startRedis();
  const srv = await startTestServer({ redisUrl: redis.url, sites: SITES, clock: () => now });
  const sender = new SimSender({ send: (m, p, b, h) => srv.send(m, p, b, h), siteId: 'skyen', keyPrefix: 'x' });
  const sim = new Simulation({ site: { id: 'skyen', timeZone: 'Europe/Copenhagen', businessDayStart: 6, rooms: [
    { kind: 'injection', boothIds: Array.from({ length: 9 }, (_, i) => `inj-${i + 1}`), openingHours: '24h' },
    { kind: 'inhalation', boothIds: Array.from({ length: 30 }, (_, i) => `smk-${i + 1}`), openingHours: [{ days: ['mon','tue','wed','thu','fri','sat','sun'], open: '07:00', close: '23:30' }] } ] },
    seed: 1130, scenario: 'payday', start: START, until: START + 8 * 3600e3, usesPerPlaceDay: 24 });
  let n = 0;
  const t0 = performance.now();
  for (let e = sim.next(); e; e = sim.next()) { now = e.at; await sender.send(e, n++); if (n === 300) break; }
  console.log('with alerts', n, (performance.now() - t0) / n, 'ms/cmd');
  await srv.close(); await redis.destroy();
}, 300000);
