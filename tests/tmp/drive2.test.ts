import { it } from 'vitest';
import { SitesFile } from '../../shared/siteConfig';
import { businessDayStart } from '../../shared/businessTime';
import { SimSender } from '../../server/sim/driver';
import { Simulation } from '../../server/sim/generator';
import { startRedis } from '../support/redisServer';
import { startTestServer } from '../support/testServer';
import { launchChromium } from '../support/browser';
import { openWall, signIn } from '../support/browserAuth';
it('drive', async () => {
  const SITES = SitesFile.parse({ sites: [{ id: 'skyen', name: 'Skyen', timeZone: 'Europe/Copenhagen', demo: true, alerts: { rules: { 'wall-offline': { enabled: false } } }, rooms: [
    { id: 'inj', name: 'I', kind: 'injection', booths: 9 },
    { id: 'smk', name: 'S', kind: 'inhalation', booths: 30, openingHours: [{ open: '07:00', close: '23:30' }] } ] }] });
  const START = businessDayStart('2026-11-30', 'Europe/Copenhagen', 6) ;
  let now = START + Number(process.env.SKIP ?? 0) * 3600e3;
  const redis = await startRedis();
  const srv = await startTestServer({ redisUrl: redis.url, sites: SITES, clock: () => now });
  const browser = await launchChromium();
  const msgs = new Map<string, number>();
  const sizes = (process.env.SIZES ?? 'wall').split(',');
  await srv.send('POST', '/api/users', { username: 'lead', password: 'a-long-test-password', role: 'lead', sites: ['skyen'] });
  for (const sz of sizes) {
    const [w, h] = sz === 'wall4k' ? [3840, 2160] : sz === 'console' ? [1280, 800] : sz === 'overview' ? [390, 844] : [1920, 1080];
    const ctx = await browser.newContext({ viewport: { width: w!, height: h! } });
    const p = await ctx.newPage();
    p.on('console', (m) => { const k = `${sz} ${m.type()} ${m.text().slice(0, 120)}`; msgs.set(k, (msgs.get(k) ?? 0) + 1); });
    await p.clock.install({ time: now });
    if (sz.startsWith('wall')) {
      await openWall(p, srv, 'skyen', '?lang=da');
      await p.locator('[data-testid="wall"][data-stale="false"]').waitFor({ timeout: 20000 });
    } else {
      await signIn(p, srv, 'lead', 'a-long-test-password');
      await p.goto(srv.baseUrl + (sz === 'console' ? '/console/skyen' : '/'));
      await p.locator('[data-booth-id], [data-figure]').first().waitFor({ timeout: 20000 });
    }
  }
  const sender = new SimSender({ send: (m, p, b, h) => srv.send(m, p, b, h), siteId: 'skyen', keyPrefix: 'x' });
  const sim = new Simulation({ site: { id: 'skyen', timeZone: 'Europe/Copenhagen', businessDayStart: 6, rooms: [
    { kind: 'injection', boothIds: Array.from({ length: 9 }, (_, i) => `inj-${i + 1}`), openingHours: '24h' },
    { kind: 'inhalation', boothIds: Array.from({ length: 30 }, (_, i) => `smk-${i + 1}`), openingHours: [{ days: ['mon','tue','wed','thu','fri','sat','sun'], open: '07:00', close: '23:30' }] } ] },
    seed: 1130, scenario: 'payday', start: START + Number(process.env.SKIP ?? 0) * 3600e3, until: START + 12 * 3600e3, usesPerPlaceDay: 24 });
  let n = 0;
  const t0 = performance.now();
  let lastSync = now;
  const pages = browser.contexts().map((c) => c.pages()[0]!);
  for (let e = sim.next(); e; e = sim.next()) {
    if (process.env.SYNC && e.at - lastSync >= 5 * 60000) { await Promise.all(pages.map((p) => p.clock.setSystemTime(e.at))); lastSync = e.at; }
    now = e.at; await sender.send(e, n++); if (n === Number(process.env.N ?? 400)) break; }
  console.log([...msgs].map(([k, v]) => `${v} × ${k}`).join('\n'));
  console.log('sizes', sizes.join(' '), n, (performance.now() - t0) / n, 'ms/cmd');
  await browser.close(); await srv.close(); await redis.destroy();
}, 600000);
