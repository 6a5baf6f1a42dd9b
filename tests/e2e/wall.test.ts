import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext } from 'playwright-core';
import { SitesFile } from '../../shared/siteConfig';
import { PUSH_MS, launchChromium, screenshotPath } from '../support/browser';
import { haveChromium, haveRedis } from '../support/programs';
import { startRedis, type RedisProcess } from '../support/redisServer';
import { openRoomNow, startTestServer, testSites, type TestServer } from '../support/testServer';
import { WallPage } from './pages/wallPage';

// The fixture sites plus a 24-booth site: the largest floor the wall promises to fit.
const SITES = SitesFile.parse({
  sites: [
    ...testSites().sites,
    {
      id: 'gamma',
      name: 'Gamma Vesterbro',
      timeZone: 'Europe/Copenhagen',
      demo: true,
      rooms: [
        { id: 'inj', name: 'Injektion', kind: 'injection', booths: 12 },
        { id: 'smk', name: 'Rygning', kind: 'inhalation', booths: 12 },
      ],
      // The banner has room for three alerts. Every screen this test opens and closes (each with
      // its own display token) raises "wall screen offline" 2 min after it closes, and the
      // forecast's warnings depend on the hour (on a payday eve the payday-ahead warning adds a
      // banner; tests/e2e/staffing.test.ts covers it): on a slow run they took the overstay's
      // place. The layout test drives the alerts it lays out; those rules stay out of it.
      alerts: { rules: { 'wall-offline': { enabled: false }, 'forecast-gap': { enabled: false }, 'no-data': { enabled: false }, 'payday-ahead': { enabled: false } } },
    },
  ],
});

describe.skipIf(!haveChromium() || !haveRedis())('wall screen in Chromium', () => {
  let redis: RedisProcess;
  let srv: TestServer;
  let browser: Browser;
  /** Shifts the server's clock (ms), to make sessions look old without waiting. */
  let clockShift = 0;
  const clock = () => Date.now() + clockShift;
  const contexts: BrowserContext[] = [];

  async function wall(width: number, height: number, siteId: string, query = '') {
    const ctx = await browser.newContext({ viewport: { width, height } });
    contexts.push(ctx);
    const page = await ctx.newPage();
    const errors: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    page.on('pageerror', (e) => errors.push(e.message));
    const w = new WallPage(page);
    await w.open(srv, siteId, query);
    return { w, errors, ctx };
  }

  const post = async (path: string, body?: unknown) => {
    const r = await srv.send('POST', path, body);
    expect(r.status, `${path}: ${JSON.stringify(r.body)}`).toBeLessThan(300);
  };

  beforeAll(async () => {
    redis = await startRedis();
    srv = await startTestServer({ redisUrl: redis.url, sites: SITES, clock });
    browser = await launchChromium();
  });
  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await browser?.close();
    await srv?.close();
    await redis?.destroy();
  });

  it('shows every booth and follows check-ins, check-outs and the queue live', async () => {
    const { w, errors } = await wall(1920, 1080, 'alpha');
    expect(await w.booths().count()).toBe(7);
    for (const id of ['inj-1', 'inj-2', 'inj-3', 'inj-4', 'smk-1', 'smk-2', 'smk-3']) {
      expect(await w.booth(id).getAttribute('data-state')).toBe('free');
    }
    // The token fragment is kept on the device and gone from the address bar.
    expect(w.page.url()).not.toContain('token=');
    expect(await w.page.evaluate(() => localStorage.getItem('roomwatch.wall.token'))).toBeTruthy();
    // The wall's heartbeat reached the server on connect.
    await expect.poll(() => srv.app.displays.lastSeen('alpha'), { timeout: PUSH_MS }).not.toBeNull();

    await post('/api/sites/alpha/booths/inj-1/check-in', { substance: 'cocaine', route: 'injection' });
    await w.waitForBoothState('inj-1', 'occupied');
    await expect.poll(() => w.figure('wall-in-use').textContent(), { timeout: PUSH_MS }).toBe('1');
    await expect.poll(() => w.figure('wall-intakes').textContent(), { timeout: PUSH_MS }).toBe('1');
    // The timer ticks.
    const first = await w.elapsed('inj-1').textContent();
    expect(first).toMatch(/^00:0\d$/);
    await expect.poll(() => w.elapsed('inj-1').textContent(), { timeout: PUSH_MS }).not.toBe(first);

    await post('/api/sites/alpha/queue', { op: 'join' });
    await post('/api/sites/alpha/queue', { op: 'join' });
    await expect.poll(() => w.figure('wall-queue').textContent(), { timeout: PUSH_MS }).toBe('2');
    await srv.send('PUT', '/api/sites/alpha/staffing', { onShift: 2 });
    await expect.poll(() => w.figure('wall-staff').textContent(), { timeout: PUSH_MS }).toBe('2');

    // A check-in takes one from the queue.
    await post('/api/sites/alpha/booths/smk-1/check-in', { substance: 'mixed', route: 'inhalation' });
    await w.waitForBoothState('smk-1', 'occupied');
    await expect.poll(() => w.figure('wall-queue').textContent(), { timeout: PUSH_MS }).toBe('1');
    await expect.poll(() => w.figure('wall-in-use').textContent(), { timeout: PUSH_MS }).toBe('2');

    await post('/api/sites/alpha/booths/inj-1/check-out');
    await w.waitForBoothState('inj-1', 'cleaning');
    await expect(w.elapsed('inj-1').count()).resolves.toBe(0);
    await expect.poll(() => w.figure('wall-in-use').textContent(), { timeout: PUSH_MS }).toBe('1');
    await post('/api/sites/alpha/booths/smk-2/out-of-service', { reason: 'repair' });
    await w.waitForBoothState('smk-2', 'out_of_service');
    await expect.poll(() => w.figure('wall-open').textContent(), { timeout: PUSH_MS }).toContain('6');
    await post('/api/sites/alpha/incidents', { kind: 'overdose', boothId: 'smk-1', naloxone: true });
    await expect.poll(() => w.figure('wall-overdoses').textContent(), { timeout: PUSH_MS }).toBe('1');
    // An overdose in the last 30 minutes strains the floor (the load level follows PRODUCT rules).
    await expect.poll(() => w.figure('load-banner').getAttribute('data-level'), { timeout: PUSH_MS }).toMatch(/strained|critical/);

    // No forecast endpoint (or no forecast) means no expected figure and no line: nothing faked.
    const snap = await srv.send('GET', '/api/sites/alpha/snapshot');
    const forecast = await srv.send('GET', `/api/sites/alpha/forecast?date=${snap.body.businessDate}`);
    if (forecast.status === 200) {
      await expect.poll(() => w.figure('wall-expected').textContent(), { timeout: PUSH_MS }).toMatch(/\d/);
      expect(await w.figure('chart-expected-key').count()).toBe(1);
    } else {
      expect(await w.figure('wall-expected').count()).toBe(0);
      expect(await w.figure('chart-expected-key').count(), `forecast answered ${forecast.status} ${JSON.stringify(forecast.body).slice(0, 200)}`).toBe(0);
    }
    // 2 on shift, 1 occupied, an overdose in the last 30 min: 2 − 1/5 − 2 × 1 < 1, so the
    // responder floor (a safety rule, no pending period) fires and the wall says so in red.
    const banner = w.figure('alert-banner');
    const entry = banner.locator('[data-rule="responder-floor"]');
    await entry.waitFor({ timeout: PUSH_MS });
    expect(await entry.getAttribute('data-severity')).toBe('critical');
    expect(await banner.getAttribute('class')).toContain('walerts--critical');
    expect(await banner.getAttribute('role')).toBe('alert');
    // The alert has been firing since the first check-in, with nobody on shift: its title follows
    // the evaluation after the overdose, which may come up to the engine's 200-ms gap later.
    await expect
      .poll(async () => (await entry.locator('.walert__title').textContent())?.trim(), { timeout: PUSH_MS })
      .toMatch(/^No free responder: \d+ more staff needed \(2 on shift\)$/);
    expect(await entry.locator('.walert__since').textContent()).toMatch(/\d\d:\d\d/);
    // It is the alert the server holds as firing, not something the wall made up.
    const active = await srv.send('GET', '/api/sites/alpha/alerts?state=active');
    const responder = (active.body.alerts as Array<{ id: string; rule: string; state: string; severity: string }>).find((a) => a.rule === 'responder-floor');
    expect(responder, JSON.stringify(active.body)).toMatchObject({ state: 'firing', severity: 'critical' });
    expect(await entry.getAttribute('data-alert-id')).toBe(responder!.id);
    expect(errors).toEqual([]);
  });

  it('asks for Chart.js only after its floor is painted, then draws the chart', async () => {
    const ctx = await browser.newContext({ viewport: { width: 1920, height: 1080 } });
    contexts.push(ctx);
    const page = await ctx.newPage();
    const asked: string[] = [];
    page.on('request', (r) => {
      if (/\/assets\/chart-[^/]*\.js$/.test(r.url())) asked.push(r.url());
    });
    // The page clock also drives animation frames: held still, no frame is painted after the
    // booths are in the page, so the chart must not be asked for; once time runs, it is.
    await page.clock.pauseAt(clock() + 1_000);
    const w = new WallPage(page);
    await w.open(srv, 'alpha');
    await w.booths().first().waitFor({ state: 'visible' });
    await page.waitForLoadState('networkidle');
    expect(asked, 'Chart.js asked for before a frame was painted with the booths').toEqual([]);
    await page.clock.resume();
    await page.locator('[data-testid="wall-chart"] canvas').waitFor({ state: 'visible', timeout: 15_000 });
    expect(asked).toHaveLength(1);
  });

  it('marks a booth past its maximum session time: amber, then red', async () => {
    const { w } = await wall(1920, 1080, 'beta');
    // beta's room allows 1 minute. Sessions that began 2.5 and 8 minutes ago (server clock). The
    // room keeps New York hours: at night a lead opens it early, or check-ins would be refused.
    clockShift = -480_000;
    await openRoomNow(srv, 'beta', 'inj');
    clockShift = -150_000;
    await post('/api/sites/beta/booths/b-east/check-in', { substance: 'heroin', route: 'injection' });
    clockShift = -480_000;
    await post('/api/sites/beta/booths/b-west/check-in', { substance: 'heroin', route: 'injection' });
    clockShift = 0;
    // The wall keeps the server's clock from each change's time: one change at the real "now".
    expect((await srv.send('PUT', '/api/sites/beta/staffing', { onShift: 1 })).status).toBe(200);
    await w.page.locator('[data-booth-id="b-east"][data-overstay="amber"]').waitFor({ timeout: PUSH_MS });
    await w.page.locator('[data-booth-id="b-west"][data-overstay="red"]').waitFor({ timeout: PUSH_MS });
    expect(await w.booth('b-east').getAttribute('data-state')).toBe('occupied');
    expect(await w.elapsed('b-east').textContent()).toMatch(/^02:[23]\d$/);
    await w.page.screenshot({ path: screenshotPath('wall-overstay-1920x1080') });
  });

  it('fits 24 booths at 1080p and 4K, day and night, with and without an alert banner, with no scrollbars and large text', async () => {
    const activeAlerts = async () =>
      ((await srv.send('GET', '/api/sites/gamma/alerts?state=active')).body.alerts as Array<{ rule: string; state: string; severity: string }>).filter(
        (a) => a.severity !== 'info',
      );
    /** Opens gamma at every size and theme and checks that it fits; `alerting` says whether a banner must be there. */
    async function checkFits(alerting: boolean): Promise<void> {
      for (const [width, height] of [
        [1920, 1080],
        [3840, 2160],
      ] as const) {
        for (const [theme, lang] of [
          ['day', 'en'],
          ['night', 'da'],
        ] as const) {
          const { w, errors, ctx } = await wall(width, height, 'gamma', `?theme=${theme}&lang=${lang}`);
          expect(await w.booths().count()).toBe(24);
          expect(await w.root().getAttribute('data-theme')).toBe(theme);
          if (alerting) {
            // The banner arrives after the floor and chart are laid out: the layout must make room for it.
            await w.page.locator('[data-testid="alert-banner"] [data-rule="responder-floor"][data-severity="critical"]').waitFor({ timeout: PUSH_MS });
            await w.page.locator('[data-testid="alert-banner"] [data-rule="overstay"]').first().waitFor({ timeout: PUSH_MS });
            await w.page.locator('[data-booth-id="inj-12"][data-overstay="red"]').waitFor({ timeout: PUSH_MS });
          } else {
            await w.page.locator('[data-booth-id="inj-9"][data-state="occupied"]').waitFor({ timeout: PUSH_MS });
            // The wall has loaded its alert list before this asserts that it shows no banner.
            await w.page.locator('[data-testid="wall"][data-alerts-loaded="true"]').waitFor({ timeout: PUSH_MS });
            expect(await w.figure('alert-banner').count(), JSON.stringify(await activeAlerts())).toBe(0);
          }
          // Let ResizeObserver-driven work (the chart) settle before the screenshot, as a viewer would see it.
          await w.settle();
          const name = `wall-${width}x${height}-${theme}${alerting ? '-alert' : ''}`;
          await w.page.screenshot({ path: screenshotPath(name) });
          expect(await w.overflow(), name).toEqual([]);
          const smallest = await w.smallestTextShare();
          expect(smallest.share, `${name}: smallest text "${smallest.sample}"`).toBeGreaterThanOrEqual(0.025);
          expect(errors).toEqual([]);
          await ctx.close();
        }
      }
    }

    // A busy afternoon on the 24-booth site, staffed well enough that no alert fires.
    await srv.send('PUT', '/api/sites/gamma/staffing', { onShift: 9 });
    const subs = ['cocaine', 'heroin', 'mixed', 'cocaine', 'amphetamine'] as const;
    for (let i = 1; i <= 10; i++) await post(`/api/sites/gamma/booths/inj-${i}/check-in`, { substance: subs[i % 5], route: 'injection' });
    for (let i = 1; i <= 8; i++) await post(`/api/sites/gamma/booths/smk-${i}/check-in`, { substance: 'cocaine', route: 'inhalation' });
    for (const id of ['inj-2', 'smk-3']) await post(`/api/sites/gamma/booths/${id}/check-out`);
    await post('/api/sites/gamma/booths/smk-12/out-of-service', { reason: 'biohazard' });
    await post('/api/sites/gamma/queue', { op: 'set', count: 4 });
    await post('/api/sites/gamma/incidents', { kind: 'overdose', boothId: 'inj-5' });
    expect(await activeAlerts()).toEqual([]);
    await checkFits(false);

    // Then two sessions run long and staff leave: overstay warnings and the responder floor fire
    // (5 − 18/5 − 2 × 1 < 1), and the banner takes its row.
    clockShift = -32 * 60_000;
    await post('/api/sites/gamma/booths/inj-11/check-in', { substance: 'heroin', route: 'injection' });
    clockShift = -45 * 60_000;
    await post('/api/sites/gamma/booths/inj-12/check-in', { substance: 'opioid_other', route: 'injection' });
    clockShift = 0;
    await srv.send('PUT', '/api/sites/gamma/staffing', { onShift: 5 });
    await expect.poll(async () => (await activeAlerts()).map((a) => `${a.rule}:${a.state}`).sort(), { timeout: 20_000 }).toEqual(
      expect.arrayContaining(['overstay:firing', 'responder-floor:firing']),
    );
    await checkFits(true);
  }, 300_000);

  it('says it is stale within 35 s when its link goes silent, even as its clock is set back an hour', async () => {
    const ctx = await browser.newContext({ viewport: { width: 1920, height: 1080 } });
    contexts.push(ctx);
    const page = await ctx.newPage();
    // A link that stays open but carries nothing (a proxy or a router that hangs): no disconnect
    // tells the wall; only the silence does, until Engine.IO's own ping timeout (45 s) gives up.
    let silent = false;
    await page.routeWebSocket(/\/socket\.io\//, (ws) => {
      const server = ws.connectToServer();
      ws.onMessage((m) => void (silent || server.send(m)));
      server.onMessage((m) => void (silent || ws.send(m)));
    });
    const w = new WallPage(page);
    await w.open(srv, 'alpha', '?theme=day&lang=en');
    // The device's clock is corrected back an hour (NTP after a bad boot) as the link dies: its
    // last contact now looks an hour ahead, and only the monotonic clock still sees it age.
    const before = await page.evaluate(() => ({ wall: Date.now(), mono: performance.now() }));
    await page.clock.setSystemTime(before.wall - 3_600_000);
    const after = await page.evaluate(() => ({ wall: Date.now(), mono: performance.now() }));
    expect(after.wall - before.wall).toBeLessThan(-3_500_000);
    expect(after.mono).toBeGreaterThanOrEqual(before.mono);
    silent = true;
    const t0 = Date.now();
    await w.waitStale(60_000);
    // 30 s of silence plus a heartbeat's 5-s wait for its answer, and room for a slow machine; on
    // the device's clock alone it took Engine.IO's 45-s ping timeout.
    expect(Date.now() - t0).toBeLessThan(40_000);
  });

  it('says it is stale within 35 s when the server stops, and comes back live without a reload', async () => {
    const { w } = await wall(1920, 1080, 'alpha', '?theme=day&lang=en');
    await w.page.evaluate(() => ((window as unknown as { __wallMarker: number }).__wallMarker = 42));
    const port = srv.port;
    const t0 = Date.now();
    await srv.close();
    await w.waitStale(35_000);
    expect(Date.now() - t0).toBeLessThan(35_000);
    expect(await w.root().getAttribute('data-stale')).toBe('true');
    expect(await w.figure('stale-since').textContent()).toMatch(/\d\d:\d\d:\d\d/);
    await w.page.screenshot({ path: screenshotPath('wall-stale-1920x1080') });

    // A new server on the same port and the same Redis: the wall reconnects with backoff and resyncs.
    srv = await startTestServer({ redisUrl: redis.url, sites: SITES, clock, port });
    await w.waitLive(30_000);
    expect(await w.page.evaluate(() => (window as unknown as { __wallMarker?: number }).__wallMarker)).toBe(42);
    await post('/api/sites/alpha/booths/inj-3/check-in', { substance: 'cocaine', route: 'injection' });
    await w.waitForBoothState('inj-3', 'occupied');
  });
});
