import { it } from 'vitest';
import { SitesFile } from '../../shared/siteConfig';
import { businessDayStart } from '../../shared/businessTime';
import { SimSender } from '../../server/sim/driver';
import { Simulation } from '../../server/sim/generator';
import { startRedis } from '../support/redisServer';
import { startTestServer } from '../support/testServer';
import { launchChromium } from '../support/browser';
import { openWall } from '../support/browserAuth';
it('prof', async () => {
  const SITES = SitesFile.parse({ sites: [{ id: 'skyen', name: 'Skyen', timeZone: 'Europe/Copenhagen', demo: true, alerts: { rules: { 'wall-offline': { enabled: false } } }, rooms: [
    { id: 'inj', name: 'Injektionsrummet', kind: 'injection', booths: 9 },
    { id: 'smk', name: 'Rygerummet ved Halmtorvet, bagindgang', kind: 'inhalation', booths: 30, openingHours: [{ open: '07:00', close: '23:30' }] } ] }] });
  const START = businessDayStart('2026-11-30', 'Europe/Copenhagen', 6) + 6 * 3600e3;
  let now = START;
  const redis = await startRedis();
  const srv = await startTestServer({ redisUrl: redis.url, sites: SITES, clock: () => now });
  const browser = await launchChromium();
  const [W, H] = (process.env.VP ?? '1920x1080').split('x').map(Number);
  const ctx = await browser.newContext({ viewport: { width: W!, height: H! } });
  const page = await ctx.newPage();
  await page.clock.install({ time: now });
  await openWall(page, srv, 'skyen', '?lang=da&theme=day');
  await page.locator('[data-testid="wall"][data-stale="false"]').waitFor({ timeout: 20000 });
  const cdp = await ctx.newCDPSession(page);
  await cdp.send('Performance.enable');
  const m0 = Object.fromEntries(((await cdp.send('Performance.getMetrics')) as { metrics: Array<{ name: string; value: number }> }).metrics.map((m) => [m.name, m.value]));
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.start');
  const sender = new SimSender({ send: (m, p, b, h) => srv.send(m, p, b, h), siteId: 'skyen', keyPrefix: 'x' });
  const sim = new Simulation({ site: { id: 'skyen', timeZone: 'Europe/Copenhagen', businessDayStart: 6, rooms: [
    { kind: 'injection', boothIds: Array.from({ length: 9 }, (_, i) => `inj-${i + 1}`), openingHours: '24h' },
    { kind: 'inhalation', boothIds: Array.from({ length: 30 }, (_, i) => `smk-${i + 1}`), openingHours: [{ days: ['mon','tue','wed','thu','fri','sat','sun'], open: '07:00', close: '23:30' }] } ] },
    seed: 1130, scenario: 'payday', start: START, until: START + 12 * 3600e3, usesPerPlaceDay: 24 });
  let n = 0; const t0 = performance.now();
  for (let e = sim.next(); e; e = sim.next()) { now = e.at; await sender.send(e, n++); if (n === 300) break; }
  const seq = (await srv.send('GET', '/api/sites/skyen/snapshot')).body.seq;
  await page.locator(`[data-seq="${seq}"]`).waitFor({ timeout: 60000 });
  console.log('ms/cmd incl. catch-up', (performance.now() - t0) / n);
  const m1 = Object.fromEntries(((await cdp.send('Performance.getMetrics')) as { metrics: Array<{ name: string; value: number }> }).metrics.map((m) => [m.name, m.value]));
  console.log(['TaskDuration', 'ScriptDuration', 'LayoutDuration', 'RecalcStyleDuration', 'LayoutCount', 'RecalcStyleCount'].map((k) => `${k}=${((m1[k] ?? 0) - (m0[k] ?? 0)).toFixed(2)}`).join(' '), 'wall s', ((performance.now() - t0) / 1000).toFixed(1));
  const { profile } = await cdp.send('Profiler.stop') as { profile: { nodes: Array<{ id: number; callFrame: { functionName: string; url: string; lineNumber: number }; hitCount: number }> } };
  const self = new Map<string, number>();
  for (const nd of profile.nodes) { const k = `${nd.callFrame.functionName || '(anon)'} ${nd.callFrame.url.split('/').pop()}:${nd.callFrame.lineNumber}`; self.set(k, (self.get(k) ?? 0) + nd.hitCount); }
  const total = [...self.values()].reduce((a, b) => a + b, 0);
  console.log([...self].sort((a, b) => b[1] - a[1]).slice(0, 25).map(([k, v]) => `${(100 * v / total).toFixed(1)}% ${k}`).join('\n'));
  await browser.close(); await srv.close(); await redis.destroy();
}, 600000);
