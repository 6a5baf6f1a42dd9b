import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { businessDayStart, businessSlot } from '../../shared/businessTime';
import { addDays } from '../../shared/calendar';
import { SitesFile } from '../../shared/siteConfig';
import { StaffingPlanReply } from '../../shared/staffingPlan';
import { backfillCounters, backfillRange } from '../../server/sim/history';
import { PAGE_MS, PUSH_MS, closeBrowserTest, launchChromium, pageKit, screenshotPath } from '../support/browser';
import { openSignedIn, openWall } from '../support/browserAuth';
import { haveChromium, haveRedis } from '../support/programs';
import { startRedis, type RedisProcess } from '../support/redisServer';
import { startTestServer, type TestServer } from '../support/testServer';

// A Skyen-sized site with a long Danish name, a weekly plan that is short in the evening and a
// dated change for the payday night.
const SITES = SitesFile.parse({
  sites: [
    {
      id: 'skyen',
      name: 'Skyen — Sundhedsrummet på Halmtorvet',
      timeZone: 'Europe/Copenhagen',
      demo: true,
      rooms: [
        { id: 'inj', name: 'Injektionsrummet ved Istedgade', kind: 'injection', booths: 9 },
        { id: 'smk', name: 'Rygerummet mod gården', kind: 'inhalation', booths: 8 },
      ],
      staffingPlan: { default: 3, changes: [{ date: '2026-11-30', fromHour: 0, toHour: 6, staff: 5 }] },
    },
  ],
});
const SITE = SITES.sites[0]!;

// Sunday 29 November 2026, 18:30 in Copenhagen: the evening before payday (Monday the 30th),
// after 12:00, so the payday-ahead warning is due. The server's clock runs on from there.
const BASE = Date.parse('2026-11-29T17:30:00Z');

describe.skipIf(!haveChromium() || !haveRedis())('staffing plan on the wall, the console, the site page and in Settings (issue 14)', () => {
  let redis: RedisProcess;
  let srv: TestServer;
  let browser: Browser;
  const started = Date.now();
  const clock = () => BASE + (Date.now() - started);
  const pages = pageKit(() => browser);
  const newPage = (width: number, height: number) => pages.open(width, height);
  /** Whether the element lies entirely inside the viewport (no scrolling needed to see it). */
  const inView = (page: Page, selector: string) =>
    page.locator(selector).first().evaluate((el) => {
      const r = el.getBoundingClientRect();
      return r.top >= 0 && r.left >= 0 && r.bottom <= window.innerHeight + 0.5 && r.right <= window.innerWidth + 0.5 && r.height > 0;
    });

  beforeAll(async () => {
    redis = await startRedis();
    srv = await startTestServer({ redisUrl: redis.url, sites: SITES, clock });
    // 56 days of simulated history, and today so far (hundreds of intakes), as counters.
    await backfillCounters(srv.store.redis, SITE, backfillRange(SITE, 56, clock()), 5);
    const today = businessSlot(clock(), SITE.timeZone, SITE.businessDayStart).date;
    await backfillCounters(srv.store.redis, SITE, { from: today, to: addDays(today, 1), start: businessDayStart(today, SITE.timeZone, SITE.businessDayStart), until: clock() - 60_000 }, 6);
    // The floor now: 14 places in use, 15 waiting, 4 on shift.
    await srv.send('PUT', '/api/sites/skyen/staffing', { onShift: 4 });
    for (let i = 1; i <= 8; i++) await srv.send('POST', `/api/sites/skyen/booths/inj-${i}/check-in`, { substance: 'cocaine', route: 'injection' });
    for (let i = 1; i <= 6; i++) await srv.send('POST', `/api/sites/skyen/booths/smk-${i}/check-in`, { substance: 'cocaine', route: 'inhalation' });
    await srv.send('POST', '/api/sites/skyen/queue', { op: 'set', count: 15 });
    await srv.app.alerts.evaluate('skyen');
    browser = await launchChromium();
  }, 120_000);
  afterAll(() => closeBrowserTest(pages, browser, () => srv?.close(), () => redis?.destroy()));

  for (const [w, h] of [
    [1920, 1080],
    [3840, 2160],
  ] as const) {
    it(`wall at ${w}×${h}: the next 12 hours and the payday warning, without scrolling`, async () => {
      const { page, errors } = await newPage(w, h);
      await openWall(page, srv, 'skyen');
      await page.locator('[data-testid="staffing-hour"]').nth(11).waitFor({ timeout: PAGE_MS });
      expect(await page.locator('[data-testid="staffing-hour"]').count()).toBe(12);
      expect(await inView(page, '[data-testid="staffing-strip"]')).toBe(true);
      expect(await page.locator('[data-testid="staffing-payday"]').getAttribute('data-warning')).toBe('true');
      // The payday-ahead warning is in the wall's alert banner too (a warning, not info).
      await page.locator('.walert[data-rule="payday-ahead"][data-severity="warning"]').waitFor({ timeout: PUSH_MS });
      expect(await inView(page, '.walert[data-rule="payday-ahead"]')).toBe(true);
      // The payday night's hours (from midnight) read payday figures: the dated change plans 5.
      const night = page.locator('[data-testid="staffing-hour"]').nth(6);
      expect(await night.locator('.staffing-hour__plan').textContent()).toBe('5');
      // Readable from 5 m: no text in the strip below 2.5 % of the screen height; nothing overflows.
      const smallest = await page.locator('[data-testid="staffing-strip"] :is(h2, span, strong):not(.visually-hidden)').evaluateAll((els) => Math.min(...els.map((e) => parseFloat(getComputedStyle(e).fontSize))));
      expect(smallest / h).toBeGreaterThanOrEqual(0.025);
      expect(await page.evaluate(() => document.documentElement.scrollHeight <= window.innerHeight && document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
      await page.screenshot({ path: screenshotPath(`staffing-wall-${w}x${h}`) });
      expect(errors).toEqual([]);
    });
  }

  it('console at 1280×800: the strip above the floor', async () => {
    const { page, errors } = await newPage(1280, 800);
    await openSignedIn(page, srv, '/console/skyen');
    await page.locator('[data-testid="staffing-hour"]').nth(11).waitFor({ timeout: PAGE_MS });
    expect(await inView(page, '[data-testid="staffing-strip"]')).toBe(true);
    expect(await page.locator('[data-testid="staffing-strip"]').getAttribute('data-density')).toBe('console');
    await page.screenshot({ path: screenshotPath('staffing-console-1280x800') });
    expect(errors).toEqual([]);
  });

  for (const [w, h] of [
    [390, 844],
    [1440, 900],
  ] as const) {
    it(`site page at ${w}×${h}: the staffing plan table and the next payday`, async () => {
      const { page, errors } = await newPage(w, h);
      await openSignedIn(page, srv, '/sites/skyen');
      await page.locator('[data-testid="staffing-row"]').nth(11).waitFor({ timeout: PAGE_MS });
      const api = StaffingPlanReply.parse((await srv.send('GET', '/api/sites/skyen/staffing-plan?hours=12')).body);
      // The first row is this hour: its figures are the API's.
      const first = page.locator('[data-testid="staffing-row"]').first();
      const cells = await first.locator('td').allTextContents();
      expect(cells[1]).toBe(String(api.hours[0]!.boothsNeeded));
      expect(cells[2]).toBe(String(api.hours[0]!.recommendedStaff));
      expect(cells[3]).toBe(String(api.hours[0]!.plannedStaff));
      expect(await page.locator('[data-testid="staffing-panel"] [data-testid="staffing-payday"]').getAttribute('data-warning')).toBe('true');
      const panel = page.locator('[data-testid="staffing-panel"]');
      await panel.scrollIntoViewIfNeeded();
      await page.screenshot({ path: screenshotPath(`staffing-site-${w}x${h}`) });
      await panel.screenshot({ path: screenshotPath(`staffing-panel-${w}x${h}`) });
      // Nothing runs off a phone's screen sideways.
      const wide = await page.evaluate(() =>
        Array.from(document.querySelectorAll<HTMLElement>('body *'))
          .filter((e) => e.getBoundingClientRect().right > window.innerWidth + 0.5)
          .map((e) => `${e.tagName.toLowerCase()}.${e.className}`)
          .slice(0, 5),
      );
      expect(wide).toEqual([]);
      const box = (await panel.boundingBox())!;
      expect(box.x + box.width).toBeLessThanOrEqual(w + 0.5);
      expect(errors).toEqual([]);
    });
  }

  it('Settings: a dated change is saved and shows in the plan; a bad one is refused naming its field', async () => {
    const { page, errors } = await newPage(1440, 900);
    await openSignedIn(page, srv, '/settings');
    const form = page.locator('[data-testid="site-config-form"]');
    await form.waitFor();
    const changes = form.locator('[data-testid="staffing-change"]');
    expect(await changes.count()).toBe(1); // the payday night from the sites file
    // A bad row: "to" before "from".
    await form.locator('[data-testid="staffing-change-add"]').click();
    const row = changes.nth(1);
    await row.locator('input[type="date"]').fill('2026-11-29');
    await row.locator('input').nth(1).fill('22');
    await row.locator('input').nth(2).fill('20');
    await row.locator('input').nth(3).fill('7');
    await form.locator('[data-testid="config-save"]').click();
    await form.locator('[data-testid="config-problems"]').waitFor();
    expect(await form.locator('[data-testid="config-problems"]').textContent()).toContain('staffingPlan.changes.1.toHour');
    await page.screenshot({ path: screenshotPath('staffing-settings-error-1440x900'), fullPage: false });
    // Fixed: 20:00–22:00 tonight, seven on the floor.
    await row.locator('input').nth(1).fill('20');
    await row.locator('input').nth(2).fill('22');
    await form.locator('[data-testid="config-save"]').click();
    await form.locator('[data-testid="config-saved"]').waitFor();
    const plan = StaffingPlanReply.parse((await srv.send('GET', '/api/sites/skyen/staffing-plan?hours=12')).body);
    expect(plan.hours.filter((x) => x.date === '2026-11-29' && (x.hour === 20 || x.hour === 21)).map((x) => x.plannedStaff)).toEqual([7, 7]);
    await changes.nth(1).scrollIntoViewIfNeeded();
    await page.screenshot({ path: screenshotPath('staffing-settings-1440x900') });
    expect(errors).toEqual([]);
  });
});
