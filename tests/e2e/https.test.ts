import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { DEFAULT_SECURITY } from '../../server/config';
import { PAGE_MS, PUSH_MS, closeBrowserTest, launchChromium, newPage, screenshotPath } from '../support/browser';
import { httpsGet, haveCaddy, startCaddy, type CaddyProcess } from '../support/caddy';
import { haveChromium, haveRedis } from '../support/programs';
import { startRedis, type RedisProcess } from '../support/redisServer';
import { startTestServer, type TestServer } from '../support/testServer';
import { ConsolePage } from './pages/consolePage';
import { LoginPage } from './pages/loginPage';

/**
 * The deployment's HTTPS for real: server/deploy/Caddyfile run by `caddy` with its internal CA
 * (the LAN variant) on loopback, in front of the app, and Chromium trusting that CA's keys only
 * (not "ignore all certificate errors"). Secure cookies, wss:// live updates, the wall's Wake
 * Lock, the service worker, and a push delivered to it (DevTools protocol) showing a notification.
 */
describe.skipIf(!haveChromium() || !haveRedis() || !haveCaddy())('over HTTPS through Caddy, in Chromium', () => {
  let redis: RedisProcess;
  let srv: TestServer;
  let caddy: CaddyProcess;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  const STAFF = { username: 'mette', displayName: 'Mette Søndergaard-Christiansen', password: 'mette-password-1' };

  beforeAll(async () => {
    redis = await startRedis();
    // The app trusts X-Forwarded-* from the proxy on loopback only, as compose trusts the proxy's address.
    srv = await startTestServer({ redisUrl: redis.url, security: { ...DEFAULT_SECURITY, trustProxy: 'loopback' } });
    expect((await srv.send('POST', '/api/users', { ...STAFF, role: 'lead', sites: ['alpha'] })).status).toBe(201);
    for (let i = 0; i < 15; i++) await srv.send('POST', '/api/sites/alpha/queue', { op: 'join' });
    await srv.send('PUT', '/api/sites/alpha/staffing', { onShift: 4 });
    caddy = await startCaddy(srv.port);
    browser = await launchChromium([`--ignore-certificate-errors-spki-list=${caddy.spkiHashes.join(',')}`]);
  }, 120_000);
  afterAll(() => closeBrowserTest(contexts, browser, () => caddy?.stop(), () => srv?.close(), () => redis?.destroy()));

  async function context(width: number, height: number, grant: string[] = []): Promise<{ ctx: BrowserContext; page: Page; errors: string[]; sockets: string[] }> {
    const opened = await newPage(browser, contexts, { width, height, ...(grant.length ? { grant: { origin: caddy.origin, permissions: grant } } : {}) });
    const sockets: string[] = [];
    opened.page.on('websocket', (ws) => sockets.push(ws.url()));
    return { ...opened, sockets };
  }

  it('serves the deployment Caddyfile: HTTP redirects to HTTPS, the certificate chains to the internal CA, HSTS from the app', async () => {
    const plain = await fetch(`http://localhost:${caddy.httpPort}/wall/alpha?lang=da`, { redirect: 'manual' });
    expect(plain.status).toBe(308);
    expect(plain.headers.get('location')).toBe(`${caddy.origin}/wall/alpha?lang=da`);
    const live = await httpsGet(`${caddy.origin}/api/health`, caddy.rootPem);
    expect(live.status).toBe(200);
    // the app saw HTTPS through the trusted proxy: HSTS is on
    expect(live.headers['strict-transport-security']).toMatch(/max-age=31536000/);
    // a client that does not trust the CA is refused by TLS, not silently served
    await expect(httpsGet(`${caddy.origin}/api/health`, '')).rejects.toThrow(/certificate|self.signed/i);
  });

  it('console: signs in over HTTPS with a Secure cookie, live updates over wss://, the service worker shows a pushed notification', async () => {
    const { ctx, page, errors, sockets } = await context(1280, 800, ['notifications']);
    const login = new LoginPage(page);
    await login.open(caddy.origin, '/console/alpha');
    expect(await page.evaluate(() => window.isSecureContext)).toBe(true);
    await login.signIn(STAFF.username, STAFF.password);
    errors.length = 0; // signed out, the app's first GET /api/me was a 401: that is how it finds out
    const console = new ConsolePage(page);
    await console.waitLoaded();

    const cookie = (await ctx.cookies(caddy.origin)).find((c) => c.name === 'rw_session');
    expect(cookie).toMatchObject({ secure: true, httpOnly: true, sameSite: 'Strict' });

    // a change made elsewhere reaches this console over the secure WebSocket
    expect(sockets.some((u) => u.startsWith(`wss://localhost:${caddy.httpsPort}/socket.io/`))).toBe(true);
    expect(sockets.every((u) => u.startsWith('wss://'))).toBe(true);
    await srv.send('POST', '/api/sites/alpha/booths/inj-2/check-in', { substance: 'cocaine', route: 'injection' });
    await console.waitForBoothState('inj-2', 'occupied', 5_000);

    // the service worker is registered (on every secure page) and controls push
    const scope = await page.evaluate(async () => (await navigator.serviceWorker.ready).active?.scriptURL);
    expect(scope).toBe(`${caddy.origin}/sw.js`);

    // a push message, delivered to the worker through the DevTools protocol, becomes a notification
    const cdp = await ctx.newCDPSession(page);
    const registration = new Promise<string>((resolve) => {
      cdp.on('ServiceWorker.workerRegistrationUpdated', (e: { registrations: Array<{ registrationId: string; scopeURL: string; isDeleted: boolean }> }) => {
        const r = e.registrations.find((x) => x.scopeURL === `${caddy.origin}/` && !x.isDeleted);
        if (r) resolve(r.registrationId);
      });
    });
    await cdp.send('ServiceWorker.enable');
    const registrationId = await registration;
    const payload = { title: 'Roomwatch Alpha', body: 'CRITICAL: queue 15 waiting, 4 staff on shift', tag: 'alpha:queue', url: '/sites/alpha' };
    const shown = () => page.evaluate(async () => (await (await navigator.serviceWorker.ready).getNotifications()).map((n) => ({ title: n.title, body: n.body, tag: n.tag })));
    // Delivered through DevTools, a push can be dropped while Chromium is still starting the
    // worker for it (once in about ten whole-suite runs, the notification never came): deliver
    // again, up to three times. The same tag replaces a notification, so it still shows once.
    for (let attempt = 1; attempt <= 3; attempt++) {
      await cdp.send('ServiceWorker.deliverPushMessage', { origin: `${caddy.origin}/`, registrationId, data: JSON.stringify(payload) });
      const deadline = Date.now() + 3_000;
      while (Date.now() < deadline && (await shown()).length === 0) await new Promise((r) => setTimeout(r, 100));
      if ((await shown()).length > 0) break;
    }
    await expect.poll(shown, { timeout: PUSH_MS }).toEqual([{ title: payload.title, body: payload.body, tag: payload.tag }]);

    await page.screenshot({ path: screenshotPath('https-console-1280x800') });
    expect(errors).toEqual([]);
  });

  it('wall: a paired screen over HTTPS holds its Wake Lock and goes live over wss://', async () => {
    const { page, errors, sockets } = await context(1920, 1080);
    const token = await srv.token('display', 'display', ['alpha']);
    await page.goto(`${caddy.origin}/wall/alpha#token=${token}`);
    await page.locator('[data-testid="wall"][data-stale="false"]').waitFor({ timeout: PAGE_MS });
    await page.locator('[data-testid="wall"][data-wake-lock="held"]').waitFor({ timeout: PUSH_MS });
    expect(await page.evaluate(() => window.isSecureContext)).toBe(true);
    expect(sockets.length).toBeGreaterThan(0);
    expect(sockets.every((u) => u.startsWith('wss://'))).toBe(true);
    await srv.send('POST', '/api/sites/alpha/booths/smk-1/check-in', { substance: 'heroin', route: 'inhalation' });
    await page.locator('[data-booth-id="smk-1"][data-state="occupied"]').waitFor({ timeout: PUSH_MS });
    await page.screenshot({ path: screenshotPath('https-wall-1920x1080') });
    expect(errors).toEqual([]);
  });

  it('site page: "Notify me" says what really happened — refused only when permission was denied', async () => {
    // Permission granted, but this Chromium has no push service to reach: a clear reason, not "refused".
    const granted = await context(390, 844, ['notifications']);
    await new LoginPage(granted.page).open(caddy.origin, '/sites/alpha');
    await new LoginPage(granted.page).signIn(STAFF.username, STAFF.password);
    await granted.page.getByTestId('push-subscribe').click();
    const outcome = granted.page.getByTestId('push-outcome');
    await outcome.waitFor({ timeout: PAGE_MS });
    expect(await outcome.getAttribute('data-outcome')).toBe('push-service');
    expect(await outcome.textContent()).toMatch(/push service did not set this device up|push-tjeneste satte ikke enheden op/);
    await granted.page.screenshot({ path: screenshotPath('https-site-push-390x844'), fullPage: true });

    // No permission (headless Chromium answers the prompt with "denied"): now it is "refused".
    const denied = await context(1440, 900);
    await new LoginPage(denied.page).open(caddy.origin, '/sites/alpha');
    await new LoginPage(denied.page).signIn(STAFF.username, STAFF.password);
    await denied.page.getByTestId('push-subscribe').click();
    await denied.page.locator('[data-testid="push-outcome"][data-outcome="denied"]').waitFor({ timeout: PAGE_MS });
    expect(await denied.page.getByTestId('push-outcome').textContent()).toMatch(/refused|afvist/);
    await denied.page.screenshot({ path: screenshotPath('https-site-push-denied-1440x900') });
  });
});
