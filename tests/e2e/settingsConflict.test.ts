import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { VersionedSiteConfig } from '../../shared/siteSettings';
import { closeBrowserTest, launchChromium, newPage, screenshotPath } from '../support/browser';
import { openSignedIn } from '../support/browserAuth';
import { haveChromium, haveRedis } from '../support/programs';
import { startRedis, type RedisProcess } from '../support/redisServer';
import { send, startTestServer, type TestServer } from '../support/testServer';

/**
 * Two managers at once: Settings saves only on top of the version it loaded. Someone else's
 * change to other fields (a threshold) is kept; a change to the same form's fields stops the
 * save with who changed what, and a reload.
 */
describe.skipIf(!haveChromium() || !haveRedis())('site settings saved by two managers at once, in Chromium', () => {
  let redis: RedisProcess;
  let srv: TestServer;
  let browser: Browser;
  let metteCookie = '';
  const contexts: BrowserContext[] = [];
  const MANAGER = { username: 'soren', displayName: 'Søren Kierkegaard-Østergaard', password: 'soren-password-1' };
  const METTE = { username: 'mette', displayName: 'Mette Søndergaard-Christiansen', password: 'mette-password-1' };

  async function open(width: number, height: number): Promise<{ page: Page; errors: string[] }> {
    // The browser logs the 412 answer itself; the page handles it.
    const { page, errors } = await newPage(browser, contexts, { width, height, ignore: /status of 412/ });
    await openSignedIn(page, srv, '/settings#site-config', MANAGER.username, MANAGER.password);
    await page.getByTestId('site-config-form').waitFor({ timeout: 10_000 });
    return { page, errors };
  }

  /** Mette saves through the API, as her own session, on top of what is stored now. */
  async function metteSaves(change: (c: VersionedSiteConfig) => VersionedSiteConfig): Promise<void> {
    const now = (await send(srv.baseUrl, 'GET', '/api/sites/alpha/config', undefined, { cookie: metteCookie })).body as VersionedSiteConfig;
    const r = await send(srv.baseUrl, 'PUT', '/api/sites/alpha/config', change(now), { cookie: metteCookie });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
  }
  const stored = async () => (await srv.send('GET', '/api/sites/alpha/config')).body as VersionedSiteConfig;

  beforeAll(async () => {
    redis = await startRedis();
    srv = await startTestServer({ redisUrl: redis.url });
    for (const m of [MANAGER, METTE]) expect((await srv.send('POST', '/api/users', { ...m, role: 'manager', sites: ['alpha'] })).status).toBe(201);
    const login = await fetch(`${srv.baseUrl}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: METTE.username, password: METTE.password }) });
    metteCookie = /rw_session=[^;]+/.exec(login.headers.get('set-cookie') ?? '')?.[0] ?? '';
    browser = await launchChromium();
  }, 120_000);
  afterAll(() => closeBrowserTest(contexts, browser, () => srv?.close(), () => redis?.destroy()));

  it('at 1440×900: keeps a threshold saved meanwhile; stops on a clash with who changed what, then reloads their version', async () => {
    const { page, errors } = await open(1440, 900);
    // Mette lowers the queue threshold (another section) while the form is open: the save goes on top.
    await page.getByTestId('room-name-0').fill('Injektionsrummet ved Istedgade');
    await metteSaves((c) => ({ ...c, alerts: { ...(c.alerts ?? {}), rules: { ...(c.alerts?.rules ?? {}), queue: { warning: 4 } } } } as VersionedSiteConfig));
    await page.getByTestId('config-save').click();
    await page.getByTestId('config-saved').waitFor({ timeout: 5_000 });
    const both = await stored();
    expect(both.rooms[0]!.name).toBe('Injektionsrummet ved Istedgade');
    expect(both.alerts?.rules?.queue).toMatchObject({ warning: 4 });

    // Now she renames the smoking room and plans staff while this form changes the same room.
    await page.getByTestId('room-name-1').fill('Rygerummet');
    await metteSaves((c) => ({ ...c, rooms: c.rooms.map((r) => (r.id === 'smk' ? { ...r, name: 'Rygerum (Mette)' } : r)), staffingPlan: { default: 5, byWeekday: {}, changes: [] } }));
    await page.getByTestId('config-save').click();
    const notice = page.getByTestId('config-conflict');
    await notice.waitFor({ timeout: 5_000 });
    const text = (await notice.textContent()) ?? '';
    expect(text).toContain(METTE.displayName);
    expect(text).toContain('rooms.1.name');
    expect(text).toContain('"Rygerum (Mette)"');
    expect(text).toContain('staffingPlan.default');
    expect((await stored()).rooms[1]!.name).toBe('Rygerum (Mette)'); // nothing of this form was saved
    await notice.scrollIntoViewIfNeeded();
    await page.screenshot({ path: screenshotPath('settings-conflict-1440x900') });

    await page.getByTestId('config-conflict-reload').click();
    await expect.poll(() => page.getByTestId('room-name-1').inputValue()).toBe('Rygerum (Mette)');
    expect(await page.getByTestId('staff-default').inputValue()).toBe('5');
    expect(await notice.count()).toBe(0);
    expect(errors).toEqual([]);
  });

  it('at 390×844: the same clash on a phone, readable', async () => {
    const { page, errors } = await open(390, 844);
    await page.getByTestId('max-injection').fill('25');
    await metteSaves((c) => ({ ...c, maxSessionMinutes: { ...c.maxSessionMinutes, injection: 35 }, rooms: c.rooms.map((r) => ({ ...r, name: `${r.name} — ombygning fra mandag` })) }));
    await page.getByTestId('config-save').click();
    const notice = page.getByTestId('config-conflict');
    await notice.waitFor({ timeout: 5_000 });
    expect(await notice.textContent()).toContain('maxSessionMinutes.injection');
    await notice.scrollIntoViewIfNeeded();
    await page.screenshot({ path: screenshotPath('settings-conflict-390x844') });
    expect(errors).toEqual([]);
  });
});
