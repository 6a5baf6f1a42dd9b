import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { businessSlot } from '../../shared/businessTime';
import { addDays, paydaysOf } from '../../shared/calendar';
import { backfillCounters, backfillRange } from '../../server/sim/history';
import { PAGE_MS, PUSH_MS, closeBrowserTest, launchChromium, pageKit, screenshotPath } from '../support/browser';
import { openSignedIn } from '../support/browserAuth';
import { haveChromium, haveRedis } from '../support/programs';
import { startRedis, type RedisProcess } from '../support/redisServer';
import { startTestServer, type TestServer, openRoomNow } from '../support/testServer';
import { ManagerSitePage, OverviewPage } from './pages/managerPages';

describe.skipIf(!haveChromium() || !haveRedis())('manager views in Chromium', () => {
  let redis: RedisProcess;
  let srv: TestServer;
  let browser: Browser;
  const pages = pageKit(() => browser);
  const today = () => businessSlot(Date.now(), 'Europe/Copenhagen', 6).date;

  async function open(width: number, height: number, path: string): Promise<{ page: Page; errors: string[] }> {
    const { page, errors } = await pages.open(width, height);
    await openSignedIn(page, srv, path);
    return { page, errors };
  }

  beforeAll(async () => {
    redis = await startRedis();
    srv = await startTestServer({ redisUrl: redis.url });
    // A simulated history of 120 business days for alpha (counters only), and a live floor.
    const alpha = srv.app.floor.site('alpha').config;
    await backfillCounters(srv.store.redis, alpha, backfillRange(alpha, 120, Date.now()), 8);
    await srv.send('PUT', '/api/sites/alpha/staffing', { onShift: 2 });
    await srv.send('PUT', '/api/sites/beta/staffing', { onShift: 1 });
    await openRoomNow(srv, 'beta', 'inj');
    for (const b of ['inj-1', 'inj-2', 'smk-1']) await srv.send('POST', `/api/sites/alpha/booths/${b}/check-in`, { substance: 'cocaine', route: b.startsWith('smk') ? 'inhalation' : 'injection' });
    await srv.send('POST', '/api/sites/alpha/queue', { op: 'set', count: 4 });
    // An overdose with 2 on shift and 3 places in use: the responder floor fires at once, so the
    // site page lists an alert with its acknowledge form on any date (its input once pushed the
    // 390-px page sideways, on the days other alerts happened to be open).
    await srv.send('POST', '/api/sites/alpha/incidents', { kind: 'overdose', boothId: 'inj-1' });
    browser = await launchChromium();
  }, 120_000);
  afterAll(() => closeBrowserTest(pages, browser, () => srv?.close(), () => redis?.destroy()));

  for (const [w, h] of [
    [390, 844],
    [1440, 900],
  ] as const) {
    it(`overview at ${w}×${h}: a live card per site`, async () => {
      const { page, errors } = await open(w, h, '/');
      const o = new OverviewPage(page);
      await o.waitLive(['alpha', 'beta']);
      expect(await o.cards().count()).toBe(2);
      expect(await o.figure('alpha', 'in-use').textContent()).toMatch(/3\D+7/);
      expect(await o.figure('alpha', 'queue').textContent()).toBe('4');
      // Live: a check-in elsewhere shows on the card.
      await srv.send('POST', '/api/sites/beta/booths/b-east/check-in', { substance: 'heroin', route: 'injection' });
      await page.locator('[data-site-id="beta"] [data-testid="in-use"]', { hasText: /^1\D/ }).waitFor({ timeout: PUSH_MS });
      await srv.send('POST', '/api/sites/beta/booths/b-east/check-out');
      await srv.send('POST', '/api/sites/beta/booths/b-east/cleaned');
      // No horizontal scrolling on a phone.
      expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
      await page.screenshot({ path: screenshotPath(`overview-${w}x${h}`), fullPage: true });
      expect(errors).toEqual([]);
    });

    it(`site page at ${w}×${h}: live floor and charts, paydays of the range marked`, async () => {
      const { page, errors } = await open(w, h, '/sites/alpha');
      const s = new ManagerSitePage(page);
      await page.locator('[data-booth-id="inj-1"][data-state="occupied"]').waitFor({ timeout: PAGE_MS });
      await s.waitForDays(90);
      await page.locator('[data-testid="alert-list"] [data-rule="responder-floor"] [data-testid="alert-ack"]').waitFor({ timeout: PUSH_MS });
      const to = today();
      const from = addDays(to, -89);
      const expected = [Number(from.slice(0, 4)), Number(to.slice(0, 4))]
        .filter((y, i, a) => a.indexOf(y) === i)
        .flatMap((y) => paydaysOf(y))
        .filter((d) => d >= from && d <= to);
      expect(expected.length).toBeGreaterThanOrEqual(2);
      // The range ends on the site's business day (before 06:00 that is yesterday's date).
      expect(await page.locator('[data-testid="range-to"]').inputValue()).toBe(to);
      await expect.poll(() => s.perDay().getAttribute('data-paydays'), { timeout: PUSH_MS }).toBe(expected.join(','));
      expect(await page.locator('[data-testid="payday-list"]').isVisible()).toBe(true);
      expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
      await page.screenshot({ path: screenshotPath(`site-manager-${w}x${h}`), fullPage: true });
      expect(errors).toEqual([]);
    });
  }

  it('the monthly report page shows a month with totals, printable', async () => {
    const month = addDays(today(), -35).slice(0, 7);
    const { page, errors } = await open(1440, 900, `/sites/alpha/report?month=${month}`);
    await page.locator('[data-testid="report-table"] tfoot td').first().waitFor({ timeout: PAGE_MS });
    const rows = await page.locator('[data-testid="report-table"] tbody tr').count();
    expect(rows).toBeGreaterThanOrEqual(28);
    await page.emulateMedia({ media: 'print' });
    await page.screenshot({ path: screenshotPath('report-print-1440x900'), fullPage: true });
    expect(errors).toEqual([]);
  });

  it('the report opens on the last whole month of the site\'s calendar, and a chosen month stays in the address', async () => {
    const { page, errors } = await open(1440, 900, '/sites/alpha/report');
    const civilToday = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Copenhagen', year: 'numeric', month: '2-digit', day: '2-digit' }).format(Date.now());
    const lastMonth = addDays(`${civilToday.slice(0, 7)}-01`, -1).slice(0, 7);
    const input = page.locator('[data-testid="report-month"]');
    await page.locator('[data-testid="report-table"] tfoot td').first().waitFor({ timeout: PAGE_MS });
    expect(await input.inputValue()).toBe(lastMonth);
    expect(await page.title()).toContain('Alpha');
    const earlier = addDays(`${lastMonth}-01`, -1).slice(0, 7);
    await input.fill(earlier);
    await input.dispatchEvent('change');
    await page.waitForURL((u) => u.searchParams.get('month') === earlier, { timeout: PAGE_MS });
    expect(errors).toEqual([]);
  });
});
