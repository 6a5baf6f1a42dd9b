import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext } from 'playwright-core';
import { PAGE_MS, PUSH_MS, launchChromium, screenshotPath } from '../support/browser';
import { haveChromium, haveRedis } from '../support/programs';
import { startRedis, type RedisProcess } from '../support/redisServer';
import { send, startTestServer, type TestServer } from '../support/testServer';
import { WallPage } from './pages/wallPage';

const TOKEN_KEY = 'roomwatch.wall.token';

describe.skipIf(!haveChromium() || !haveRedis())('wall screen pairing in Chromium', () => {
  let redis: RedisProcess;
  let srv: TestServer;
  let browser: Browser;
  /** Shifts the server's clock (ms): a code issued "earlier" expires sooner on the screen. */
  let clockShift = 0;
  const contexts: BrowserContext[] = [];

  /** A TV that has never been paired: no fragment, nothing stored. */
  async function freshWall(path: string) {
    const ctx = await browser.newContext({ viewport: { width: 1920, height: 1080 } });
    contexts.push(ctx);
    const page = await ctx.newPage();
    const errors: string[] = [];
    page.on('console', (m) => {
      // A refused token or a rate limit shows up as a failed resource load: expected here.
      if (m.type() === 'error' && !/Failed to load resource/.test(m.text())) errors.push(m.text());
    });
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(srv.baseUrl + path);
    return { w: new WallPage(page), page, errors };
  }

  const codeOf = async (w: WallPage) => {
    const code = w.figure('pairing-code');
    await code.waitFor({ timeout: PUSH_MS });
    return (await code.textContent())?.trim() ?? '';
  };

  async function claim(code: string, siteId: string, sites: string[] = [siteId]) {
    const lead = await srv.token('api', 'lead', sites);
    const r = await send(srv.baseUrl, 'POST', '/api/pairing/claim', { code, siteId, name: 'Staff room TV' }, { authorization: `Bearer ${lead}` });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
  }

  beforeAll(async () => {
    redis = await startRedis();
    srv = await startTestServer({ redisUrl: redis.url, clock: () => Date.now() + clockShift });
    browser = await launchChromium();
  });
  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await browser?.close();
    await srv?.close();
    await redis?.destroy();
  });

  it('shows a code without a token, unlocks sound on a tap, and goes live once a lead claims it', async () => {
    const { w, page, errors } = await freshWall('/wall/alpha?lang=en&theme=day');
    const code = await codeOf(w);
    expect(code).toMatch(/^[A-Z0-9]{3}-[A-Z0-9]{3}$/);
    expect(await w.figure('wall-pairing').textContent()).toContain('On your phone: Settings → Pair a wall screen → enter this code');
    expect(await w.figure('pairing-site').textContent()).toContain('alpha');
    expect(await w.figure('pairing-status').textContent()).toMatch(/New code in (10:00|9:[0-5]\d)/);
    expect(await w.booths().count()).toBe(0);
    expect(await w.overflow()).toEqual([]);
    expect((await w.smallestTextShare()).share).toBeGreaterThanOrEqual(0.025);
    await page.screenshot({ path: screenshotPath('wall-pairing-1920x1080') });

    // The one interaction the TV gets starts Web Audio, so later chimes need no click.
    await w.figure('pairing-sound').click();
    await expect.poll(() => w.figure('pairing-sound').getAttribute('data-on'), { timeout: PUSH_MS }).toBe('true');
    await page.screenshot({ path: screenshotPath('wall-pairing-sound-on-1920x1080') });

    // A marker that a reload would wipe.
    await page.evaluate(() => ((window as unknown as { notReloaded: boolean }).notReloaded = true));
    await claim(code, 'alpha');
    await w.waitLive(PUSH_MS);
    expect(await w.booths().count()).toBe(7);
    expect(await w.figure('wall-live').getAttribute('data-live')).toBe('true');
    expect(await w.figure('wall-pairing').count()).toBe(0);
    expect(await page.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded)).toBe(true);
    expect(page.url()).toBe(`${srv.baseUrl}/wall/alpha?lang=en&theme=day`);
    const stored = await page.evaluate((k) => localStorage.getItem(k), TOKEN_KEY);
    expect(stored).toBeTruthy();
    expect(page.url()).not.toContain(stored!);
    // The token is the screen's from now on: a reload goes straight to the floor.
    await page.reload();
    await w.waitLive(PAGE_MS);
    expect(await w.booths().count()).toBe(7);
    expect(errors).toEqual([]);
  });

  it('moves to the site the code was claimed for', async () => {
    const { w, page } = await freshWall('/wall/alpha');
    await claim(await codeOf(w), 'beta', ['alpha', 'beta']);
    await w.waitLive(PUSH_MS);
    expect(new URL(page.url()).pathname).toBe('/wall/beta');
    expect(await w.root().getAttribute('data-site-id')).toBe('beta');
    expect(await w.booths().count()).toBe(2);
  });

  it('pairs again, in Danish, when the stored token is refused', async () => {
    const { w, page, errors } = await freshWall('/wall/alpha?lang=da#token=not-a-real-token');
    await codeOf(w);
    expect(await w.figure('pairing-rejected').count()).toBe(1);
    expect(await w.figure('wall-pairing').textContent()).toContain('På din telefon: Indstillinger → Par en vægskærm → skriv denne kode');
    expect(await page.evaluate((k) => localStorage.getItem(k), TOKEN_KEY)).toBeNull();
    expect(page.url()).not.toContain('token=');
    expect(errors).toEqual([]);
  });

  it('goes back to pairing when its token is revoked while it shows the floor', async () => {
    const created = await srv.send('POST', '/api/tokens', { kind: 'display', name: 'Revoked TV', role: 'display', sites: ['alpha'] });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const { w, page } = await freshWall(`/wall/alpha?lang=en#token=${created.body.token as string}`);
    await w.waitLive(PAGE_MS);
    expect(await w.booths().count()).toBe(7);
    expect((await srv.send('DELETE', `/api/tokens/${created.body.id as string}`)).status).toBe(204);
    await codeOf(w);
    expect(await w.figure('pairing-rejected').count()).toBe(1);
    expect(await page.evaluate((k) => localStorage.getItem(k), TOKEN_KEY)).toBeNull();
  });

  it('shows a fresh code when the old one expires', async () => {
    // Issued "9 min 57 s ago" by the server's clock: the screen counts down the last seconds
    // (at least 10 s) and then asks for a new code by itself.
    clockShift = -(10 * 60_000 - 3_000);
    const { w } = await freshWall('/wall/alpha?lang=en');
    const first = await codeOf(w);
    clockShift = 0;
    expect(await w.figure('pairing-status').textContent()).toMatch(/New code in 0:(0\d|10)/);
    // The countdown and the polling are page timers: jump the page clock past the end instead
    // of waiting the seconds out.
    await w.page.clock.fastForward(11_000);
    await expect.poll(() => w.figure('pairing-code').textContent(), { timeout: PUSH_MS }).not.toBe(first);
    expect(await w.figure('pairing-status').textContent()).toMatch(/New code in (10:00|9:[0-5]\d)/);
  });

  // Last: it spends this address's pairing budget for the rest of the file.
  it('waits for Retry-After when too many codes were asked for', async () => {
    for (let i = 0; i < 30; i++) await send(srv.baseUrl, 'POST', '/api/pairing');
    const { w, page } = await freshWall('/wall/alpha?lang=en');
    await page.locator('[data-testid="wall-pairing"][data-phase="rate_limited"]').waitFor({ timeout: PUSH_MS });
    expect(await w.figure('pairing-code').count()).toBe(0);
    expect(await w.figure('pairing-status').textContent()).toMatch(/Too many codes requested – waiting, next try in \d+:\d\d/);
    await page.screenshot({ path: screenshotPath('wall-pairing-rate-limited-1920x1080') });
  });
});
