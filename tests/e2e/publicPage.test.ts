import { writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { blockingViolations } from '../support/axe';
import { ARTIFACTS, PAGE_MS, closeBrowserTest, launchChromium, newPage, screenshotPath } from '../support/browser';
import { haveChromium, haveRedis } from '../support/programs';
import { fillSkyen, PUBLIC_NOW, PUBLIC_SITES } from '../support/publicSites';
import { startRedis, type RedisProcess } from '../support/redisServer';
import { startTestServer, type TestServer } from '../support/testServer';

/*
 * The public page `/open` in Chromium as the street sees it: an old phone (360×640) with
 * JavaScript off, Danish and English, a busy site and a closed one; axe-clean; under 30 kB for
 * everything the page loads. And the door poster, printed to A4.
 */
describe.skipIf(!haveChromium() || !haveRedis())('the public page /open and the poster in Chromium', () => {
  let redis: RedisProcess;
  let srv: TestServer;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  let now = PUBLIC_NOW;

  beforeAll(async () => {
    redis = await startRedis();
    const publicPage = { refreshMs: 0, perMinute: 10_000, baseUrl: 'https://rum.example.org' };
    srv = await startTestServer({ redisUrl: redis.url, sites: PUBLIC_SITES, clock: () => now, handoverTickMs: 0, publicPage });
    await srv.app.alerts.stop();
    await fillSkyen(srv);
    browser = await launchChromium();
  }, 120_000);
  afterAll(() => closeBrowserTest(contexts, browser, () => srv?.close(), () => redis?.destroy()));

  /** Opens a path with JavaScript off and counts every response the page loads (decoded and on the wire). */
  async function openNoScript(path: string, lang?: string): Promise<{ page: Page; decoded: number; wire: number; urls: string[] }> {
    const { ctx, page, errors } = await newPage(browser, contexts, { width: 360, height: 640, javaScriptEnabled: false });
    if (lang) await ctx.setExtraHTTPHeaders({ 'accept-language': lang });
    page.setDefaultTimeout(PAGE_MS);
    const responses: Array<Promise<{ decoded: number; wire: number }>> = [];
    const urls: string[] = [];
    page.on('requestfinished', (req) => {
      urls.push(req.url());
      responses.push(
        (async () => {
          const [sizes, res] = await Promise.all([req.sizes(), req.response()]);
          return { decoded: (await res?.body())?.length ?? 0, wire: sizes.responseBodySize + sizes.responseHeadersSize };
        })(),
      );
    });
    await page.goto(srv.baseUrl + path, { waitUntil: 'load' });
    const sizes = await Promise.all(responses);
    expect(errors).toEqual([]);
    return { page, urls, decoded: sizes.reduce((n, s) => n + s.decoded, 0), wire: sizes.reduce((n, s) => n + s.wire, 0) };
  }

  /**
   * axe-core runs in the page and needs script (its timers do not run with JavaScript off): the
   * same URL in a context with JavaScript on, which renders the same, as the page has no script.
   */
  async function axeOn(path: string, state: string, lang = 'da'): Promise<string> {
    const { ctx, page } = await newPage(browser, contexts, { width: 360, height: 640 });
    await ctx.setExtraHTTPHeaders({ 'accept-language': lang });
    page.setDefaultTimeout(PAGE_MS);
    await page.goto(srv.baseUrl + path);
    const found = await blockingViolations(page, state);
    await ctx.close();
    return found;
  }

  it('shows a busy site and a closed one at 360×640 without JavaScript, in Danish, axe-clean and under 30 kB', async () => {
    const { page, decoded, wire, urls } = await openNoScript('/open', 'da-DK,da;q=0.9');
    console.log(`[public page] ${urls.length} response(s), ${decoded} bytes decoded, ${wire} bytes on the wire`);
    expect(urls).toEqual([`${srv.baseUrl}/open`]);
    expect(decoded).toBeLessThan(30 * 1024);
    expect(await page.getAttribute('html', 'lang')).toBe('da');
    const skyen = page.locator('[data-site-id="skyen"]');
    await expect.poll(() => skyen.getAttribute('data-open')).toBe('true');
    expect(await skyen.locator('[data-kind="injection"]').getAttribute('data-band')).toBe('few');
    expect(await skyen.locator('[data-kind="inhalation"]').innerText()).toContain('Åbner i morgen kl. 07.00');
    expect(await skyen.locator('.wait').innerText()).toMatch(/^Ventetid ca\. \d+ min$/);
    const h17 = page.locator('[data-site-id="h17"]');
    expect(await h17.getAttribute('data-open')).toBe('false');
    expect(await h17.locator('.status').innerText()).toBe('Lukket – åbner i morgen kl. 07.30');
    expect(await page.locator('[data-site-id="natcafe"]').count()).toBe(0);
    // Nothing wider than the phone: no sideways scrolling.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    await page.screenshot({ path: screenshotPath('public-open-360-da'), fullPage: true });
    expect(await axeOn('/open', '/open in Danish')).toBe('');
  });

  it('switches to English by its link, and shows free places by day', async () => {
    const { page } = await openNoScript('/open?lang=da');
    await page.getByRole('link', { name: 'English' }).click();
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    expect(await page.locator('[data-site-id="h17"] .status').innerText()).toBe('Closed – opens tomorrow at 07:30');
    await page.screenshot({ path: screenshotPath('public-open-360-en'), fullPage: true });
    expect(await axeOn('/open?lang=en', '/open in English')).toBe('');

    // Tuesday 12:00: H17 open with every place free, Skyen's smoking room open again.
    now = Date.parse('2026-12-01T11:00:00Z');
    await page.reload();
    const h17 = page.locator('[data-site-id="h17"]');
    expect(await h17.locator('.status').innerText()).toBe('Open – closes at 23:30');
    expect(await h17.locator('[data-kind="injection"]').innerText()).toContain('6 places free');
    expect(await h17.locator('.wait').innerText()).toBe('No wait');
    await page.screenshot({ path: screenshotPath('public-open-360-en-day'), fullPage: true });
    expect(await axeOn('/open?lang=en', '/open by day')).toBe('');
    now = PUBLIC_NOW;
  });

  it('reflows at 320 px and at 200 % zoom: no sideways scrolling, links of at least 24 px', async () => {
    for (const [label, viewport, scale] of [['320', { width: 320, height: 640 }, 1], ['zoom200', { width: 640, height: 400 }, 2]] as const) {
      const { page } = await newPage(browser, contexts, { ...viewport, deviceScaleFactor: scale, javaScriptEnabled: false });
      await page.goto(srv.baseUrl + '/open?lang=da');
      await page.locator('[data-site-id="skyen"]').waitFor({ timeout: PAGE_MS });
      await page.screenshot({ path: screenshotPath(`a11y-reflow-${label}-open`), fullPage: true });
      expect(await page.evaluate(() => document.documentElement.scrollWidth), `/open at ${label}`).toBeLessThanOrEqual(viewport.width);
      const small = await page.$$eval('a, button', (els) => els.map((e) => e.getBoundingClientRect()).filter((r) => r.width > 0 && (r.width < 24 || r.height < 24)).length);
      expect(small, `/open at ${label}: targets under 24 px`).toBe(0);
    }
  });

  it('prints the door poster on one A4 page with its QR code', async () => {
    // The A4 page inside its 14 mm margins, at 96 px per inch: what one printed page can hold.
    const { page } = await newPage(browser, contexts, { width: 688, height: 1017 });
    page.setDefaultTimeout(PAGE_MS);
    await page.goto(`${srv.baseUrl}/open/poster/h17?lang=da`);
    await page.emulateMedia({ media: 'print' });
    expect(await page.locator('.qr svg').count()).toBe(1);
    expect(await page.locator('.url').innerText()).toBe('rum.example.org/open');
    expect(await page.locator('nav').isVisible()).toBe(false);
    await page.screenshot({ path: screenshotPath('public-poster-a4-print'), fullPage: true });
    const pdf = await page.pdf({ format: 'A4', printBackground: true, preferCSSPageSize: true });
    writeFileSync(`${ARTIFACTS}public-poster-h17.pdf`, pdf);
    const pages = pdf.toString('latin1').match(/\/Type\s*\/Page\b/g) ?? [];
    expect(pages.length).toBe(1);
    await page.emulateMedia({ media: 'screen' });
    expect(await blockingViolations(page, 'poster')).toBe('');
  });
});
