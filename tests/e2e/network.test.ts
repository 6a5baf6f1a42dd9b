import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { SitesFile } from '../../shared/siteConfig';
import { SUBSTANCES } from '../../shared/vocabulary';
import { blockingViolations } from '../support/axe';
import { PAGE_MS, PUSH_MS, closeBrowserTest, launchChromium, pageKit, screenshotPath } from '../support/browser';
import { openSignedIn, openWall } from '../support/browserAuth';
import { haveChromium, haveRedis } from '../support/programs';
import { startRedis, type RedisProcess } from '../support/redisServer';
import { startTestServer, type TestServer } from '../support/testServer';
import { WallPage } from './pages/wallPage';

/** Local `HH:MM` in Copenhagen of an instant. */
const hm = (ms: number) => new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Copenhagen', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(ms);

/**
 * Two Copenhagen sites 6 minutes apart. H17's day hours are set around the test's "now" (opened
 * 2 h ago, closing in 3 h, past midnight when that is where now is), so the suggestion's "open
 * until" is real at any date the suite runs at.
 */
function sites(now: number) {
  const window = [{ open: hm(now - 2 * 3_600_000), close: hm(now + 3 * 3_600_000) }];
  return SitesFile.parse({
    sites: [
      {
        id: 'skyen',
        name: 'Sundholmsvej Fixerum – Indgang B',
        network: 'København',
        walkMinutes: { h17: 6 },
        rooms: [
          { id: 'inj', name: 'Injektionsrummet', kind: 'injection', booths: 9 },
          { id: 'smk', name: 'Rygerummet', kind: 'inhalation', booths: 8 },
        ],
        // The layout under test is the banner row; alerts that depend on the hour stay out of it.
        alerts: { rules: { 'wall-offline': { enabled: false }, 'forecast-gap': { enabled: false }, 'no-data': { enabled: false }, 'payday-ahead': { enabled: false } } },
      },
      {
        id: 'h17',
        name: 'H17',
        network: 'København',
        rooms: [
          { id: 'inj', name: 'Injektion', kind: 'injection', booths: 6, openingHours: window },
          { id: 'smk', name: 'Rygning', kind: 'inhalation', booths: 6, openingHours: window },
        ],
      },
    ],
  });
}

describe.skipIf(!haveChromium() || !haveRedis())('where to send people: the suggestion card in Chromium', () => {
  let redis: RedisProcess;
  let srv: TestServer;
  let browser: Browser;
  const pages = pageKit(() => browser);
  /** The server's clock runs this far behind while sessions are started, so they last as long as real ones. */
  let shift = 0;
  const clock = () => Date.now() + shift;
  const MIN = 60_000;

  const post = async (path: string, body: unknown = {}) => {
    const r = await srv.send('POST', path, body);
    expect(r.status, `${path}: ${JSON.stringify(r.body)}`).toBeLessThan(300);
    return r.body;
  };
  const ids = (room: string, n: number, from = 1) => Array.from({ length: n }, (_, i) => `${room}-${from + i}`);
  const checkIn = (site: string, booth: string, i = 0) =>
    post(`/api/sites/${site}/booths/${booth}/check-in`, { substance: SUBSTANCES[i % 4], route: booth.startsWith('smk') ? 'inhalation' : 'injection' });
  const checkOut = async (site: string, booth: string) => {
    await post(`/api/sites/${site}/booths/${booth}/check-out`);
    await post(`/api/sites/${site}/booths/${booth}/cleaned`);
  };

  /** Skyen full with 15 waiting (busy or worse, short of both kinds); H17 with 4 free injection and 6 free smoking places. */
  async function overrun(): Promise<void> {
    await post('/api/sites/skyen/queue', { op: 'set', count: 15 });
    // Every place taken over the last quarter of an hour.
    shift = -14 * MIN;
    for (const [i, b] of [...ids('inj', 9), ...ids('smk', 8)].entries()) {
      await checkIn('skyen', b, i);
      shift += 45_000;
    }
    shift = 0;
    // (the queue served one per check-in: back to 15)
    await post('/api/sites/skyen/queue', { op: 'set', count: 15 });
  }
  /** Skyen's queue gone and places free again: no suggestion. */
  async function calm(): Promise<void> {
    await post('/api/sites/skyen/queue', { op: 'set', count: 0 });
    await Promise.all([...ids('inj', 9), ...ids('smk', 8)].map((b) => checkOut('skyen', b)));
  }

  beforeAll(async () => {
    redis = await startRedis();
    srv = await startTestServer({ redisUrl: redis.url, sites: sites(Date.now()), clock });
    // A real day: hundreds of intakes at Skyen, a few dozen at H17, staff on shift.
    await srv.send('PUT', '/api/sites/skyen/staffing', { onShift: 4 });
    await srv.send('PUT', '/api/sites/h17/staffing', { onShift: 3 });
    const skyen = [...ids('inj', 9), ...ids('smk', 8)];
    // Sessions of 19 minutes (checked in "19 minutes ago", out now), so the measured mean and the
    // estimated wait are a real day's.
    const rounds = async (site: string, booths: string[], n: number) => {
      for (let round = 0; round < n; round++) {
        shift = -19 * MIN;
        await Promise.all(booths.map((b, i) => checkIn(site, b, round + i)));
        shift = 0;
        await Promise.all(booths.map((b) => checkOut(site, b)));
      }
    };
    await rounds('skyen', skyen, 16);
    await rounds('h17', ids('inj', 6), 5);
    shift = -9 * MIN;
    await Promise.all(ids('inj', 2).map((b, i) => checkIn('h17', b, i)));
    shift = 0;
    browser = await launchChromium();
  }, 240_000);
  afterAll(() => closeBrowserTest(pages, browser, () => srv?.close(), () => redis?.destroy()));

  const card = (page: Page) => page.locator('[data-redirect-site]');

  it('wall: the card appears when Skyen is overrun and H17 has room, with the figures, and clears when that stops', async () => {
    const { page, errors } = await pages.open(1920, 1080);
    await openWall(page, srv, 'skyen', '?lang=en');
    await page.locator('[data-testid="wall"][data-stale="false"]').waitFor({ timeout: PAGE_MS });
    expect(await card(page).count()).toBe(0);

    await overrun();
    await card(page).waitFor({ timeout: PUSH_MS });
    expect(await card(page).getAttribute('data-redirect-site')).toBe('h17');
    const text = await page.locator('[data-testid="redirect-details"]').innerText();
    expect(text).toContain('H17: 4 free injection places, 6 free smoking places, no queue');
    expect(text).toMatch(/open until \d\d:\d\d, 6 min walk$/);
    // A live region with a name, inside the banner row; nothing overflows the 1080p wall.
    expect(await page.locator('[role="status"][aria-label="Where to send people"] [data-redirect-site]').count()).toBe(1);
    const wall = new WallPage(page);
    expect(await wall.overflow()).toEqual([]);
    expect(await wall.headerDate()).not.toBe('cut');
    // Readable from 5 m: no text under 2.5 % of the screen's height, the card's included.
    expect((await wall.smallestTextShare()).share).toBeGreaterThanOrEqual(0.025);
    await page.screenshot({ path: screenshotPath('network-wall-suggestion-1920x1080') });
    expect(await blockingViolations(page, 'wall with a suggestion')).toBe('');

    // H17 fills up (every free place taken): the card goes by itself.
    await Promise.all([...ids('inj', 4, 3), ...ids('smk', 6)].map((b, i) => checkIn('h17', b, i)));
    await card(page).waitFor({ state: 'detached', timeout: PUSH_MS });
    // …and comes back when two injection places there are free again.
    await Promise.all(ids('inj', 2, 5).map((b) => checkOut('h17', b)));
    await card(page).waitFor({ timeout: PUSH_MS });
    expect(await page.locator('[data-testid="redirect-details"]').innerText()).toContain('H17: 2 free injection places, no queue');
    // Skyen calms down: no suggestion.
    await calm();
    await card(page).waitFor({ state: 'detached', timeout: PUSH_MS });
    expect(errors).toEqual([]);
  });

  it('wall at 4K, in Danish, at night: the same card, large', async () => {
    await overrun();
    const { page, errors } = await pages.open(3840, 2160);
    await openWall(page, srv, 'skyen', '?lang=da&theme=night');
    await card(page).waitFor({ timeout: PAGE_MS });
    expect(await page.locator('[data-testid="redirect-details"]').innerText()).toMatch(/^H17: 2 ledige injektionspladser, ingen kø, åben til \d\d\.\d\d, 6 min\. gang$/);
    await page.screenshot({ path: screenshotPath('network-wall-suggestion-3840x2160') });
    const wall = new WallPage(page);
    expect(await wall.overflow()).toEqual([]);
    expect(await wall.headerDate()).not.toBe('cut');
    // At 1280 px the long name takes the room the date needs: the date goes, it is not cut to "t…".
    await page.setViewportSize({ width: 1280, height: 720 });
    await expect.poll(() => wall.headerDate(), { timeout: PUSH_MS }).toBe('hidden');
    await page.setViewportSize({ width: 3840, height: 2160 });
    await expect.poll(() => wall.headerDate(), { timeout: PUSH_MS }).not.toBe('cut');
    expect(await blockingViolations(page, 'wall at night with a suggestion', ['.redirect-live--wall', '.wload'])).toBe('');
    expect(errors).toEqual([]);
  });

  it('console: the card, and a walk-away recorded as sent to H17 in two taps', async () => {
    const { page, errors } = await pages.open(1280, 800);
    await page.addInitScript(() => localStorage.setItem('roomwatch.locale', 'en'));
    await openSignedIn(page, srv, '/console/skyen');
    await page.locator('[data-testid="live-indicator"][data-status="live"]').waitFor({ timeout: PAGE_MS });
    await card(page).waitFor({ timeout: PUSH_MS });
    expect(await page.locator('[data-testid="redirect-details"]').innerText()).toContain('H17: 2 free injection places, no queue');
    expect(await blockingViolations(page, 'console with a suggestion')).toBe('');

    const before = (await srv.send('GET', '/api/sites/skyen/snapshot')).body;
    await page.locator('[data-action="queue-sent"]').click();
    await page.locator('[data-testid="sent-to-choice"]').waitFor({ timeout: PAGE_MS });
    await page.screenshot({ path: screenshotPath('network-console-1280x800') });
    expect(await blockingViolations(page, 'console sent-to choice', ['[data-testid="sent-to-choice"]'])).toBe('');
    await page.locator('[data-sent-to="h17"]').click();
    await page.locator(`[data-testid="queue-count"]:text-is("${before.queue - 1}")`).waitFor({ timeout: PUSH_MS });
    // (the console shows the walk-away at once, before the server has it: wait until it has)
    await page.locator('[data-testid="outbox-count"][data-count="0"]').waitFor({ timeout: PUSH_MS });
    await expect.poll(async () => (await srv.send('GET', '/api/sites/skyen/snapshot')).body.seq, { timeout: PUSH_MS }).toBeGreaterThan(before.seq);
    const after = (await srv.send('GET', '/api/sites/skyen/snapshot')).body;
    expect(after.counters.walkAways).toBe(before.counters.walkAways + 1);
    expect(after.counters.sentTo).toEqual({ h17: (before.counters.sentTo?.h17 ?? 0) + 1 });
    expect(await page.locator('[data-testid="console-announce"]').innerText()).toBe('Walked away · sent to H17');

    // Skyen calms down: the card clears on the console too.
    await calm();
    await card(page).waitFor({ state: 'detached', timeout: PUSH_MS });
    expect(errors).toEqual([]);
  });

  it('settings: the network name, the walk to the other site and the threshold at 1440×900', async () => {
    const { page, errors } = await pages.open(1440, 900);
    await page.addInitScript(() => localStorage.setItem('roomwatch.locale', 'en'));
    await openSignedIn(page, srv, '/settings');
    await page.locator('[data-testid="site-config-site"]').selectOption('skyen');
    const fields = page.locator('[data-testid="network-fields"]');
    await fields.waitFor({ timeout: PAGE_MS });
    expect(await page.locator('[data-testid="network-name"]').inputValue()).toBe('København');
    expect(await page.locator('[data-walk-to="h17"]').inputValue()).toBe('6');
    await page.locator('[data-walk-to="h17"]').fill('7');
    await page.locator('[data-testid="network-threshold"]').fill('25');
    await fields.evaluate((el) => el.scrollIntoView({ block: "center" }));
    await page.screenshot({ path: screenshotPath('network-settings-1440x900') });
    expect(await blockingViolations(page, 'settings network fields', ['[data-testid="network-fields"]'])).toBe('');
    await page.locator('[data-testid="site-config-form"] button[type="submit"]').click();
    await expect.poll(async () => (await srv.send('GET', '/api/sites/skyen/config')).body.walkMinutes, { timeout: PUSH_MS }).toEqual({ h17: 7 });
    expect((await srv.send('GET', '/api/sites/skyen/config')).body.redirectWaitMinutes).toBe(25);
    expect(errors).toEqual([]);
  });
});
