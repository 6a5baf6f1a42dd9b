import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { backfillCounters, backfillRange } from '../../server/sim/history';
import { blockingViolations } from '../support/axe';
import { PAGE_MS, PUSH_MS, closeBrowserTest, launchChromium, pageKit, screenshotPath } from '../support/browser';
import { openSignedIn } from '../support/browserAuth';
import { haveChromium, haveRedis } from '../support/programs';
import { startRedis, type RedisProcess } from '../support/redisServer';
import { startTestServer, type TestServer } from '../support/testServer';
import { ConsolePage } from './pages/consolePage';
import { WallPage } from './pages/wallPage';

/*
 * Issue 17: axe-core's WCAG 2.0/2.1/2.2 A and AA rules on every page and state, at the sizes its
 * users have. A test walks one page through its states and collects every critical or serious
 * violation (rule, element, help), so one run lists them all. What axe cannot judge (focus order,
 * names that make sense, reflow, motion) is tested in a11yKeyboard.test.ts or checked by hand
 * (README, Accessibility).
 */
describe.skipIf(!haveChromium() || !haveRedis())('WCAG 2.2 AA (axe-core) on every page and state', () => {
  let redis: RedisProcess;
  let srv: TestServer;
  let browser: Browser;
  const pages = pageKit(() => browser);

  async function open(width: number, height: number, path: string): Promise<Page> {
    const { page } = await pages.open(width, height);
    page.setDefaultTimeout(PAGE_MS);
    await openSignedIn(page, srv, path);
    return page;
  }
  const problems: string[] = [];
  async function scan(page: Page, state: string, shot?: string, include?: string[]): Promise<void> {
    const found = await blockingViolations(page, state, include);
    if (found) problems.push(found);
    if (shot) await page.screenshot({ path: screenshotPath(`a11y-${shot}`) });
  }
  const verdict = () => problems.splice(0).join('\n');

  beforeAll(async () => {
    redis = await startRedis();
    srv = await startTestServer({ redisUrl: redis.url });
    const alpha = srv.app.floor.site('alpha').config;
    await backfillCounters(srv.store.redis, alpha, backfillRange(alpha, 120, Date.now()), 8);
    await srv.send('PUT', '/api/sites/alpha/staffing', { onShift: 2 });
    for (const b of ['inj-1', 'inj-2', 'smk-1']) await srv.send('POST', `/api/sites/alpha/booths/${b}/check-in`, { substance: 'cocaine', route: b.startsWith('smk') ? 'inhalation' : 'injection' });
    await srv.send('POST', '/api/sites/alpha/booths/smk-1/check-out');
    await srv.send('POST', '/api/sites/alpha/booths/inj-4/out-of-service', { reason: 'broken' });
    await srv.send('POST', '/api/sites/alpha/queue', { op: 'set', count: 15 });
    // An overdose with 2 on shift: the responder-floor alert fires at once, on any date.
    await srv.send('POST', '/api/sites/alpha/incidents', { kind: 'overdose', boothId: 'inj-1' });
    browser = await launchChromium();
  }, 120_000);
  afterAll(() => closeBrowserTest(pages, browser, () => srv?.close(), () => redis?.destroy()));

  // One test per size: on two busy shared cores a page with every chart takes a while to check.
  for (const [w, h] of [[390, 844], [1440, 900]] as const) {
    it(`login, overview, site page with charts${w > 1000 ? ' and report' : ''} at ${w}×${h}`, async () => {
      const { page } = await pages.open(w, h);
      await page.goto(`${srv.baseUrl}/login`);
      await page.locator('[data-testid="login-form"]').waitFor();
      await scan(page, `login ${w}`);
      await page.locator('[data-testid="login-submit"]').click();
      await page.locator('[data-testid="login-error"]').waitFor();
      await scan(page, `login with an error ${w}`, `login-error-${w}`, ['[data-testid="login-form"]']);

      const overview = await open(w, h, '/');
      await overview.locator('[data-testid="site-card"] [data-testid="in-use"]').first().waitFor();
      await scan(overview, `overview ${w}`, `overview-${w}`);

      const site = await open(w, h, '/sites/alpha');
      await site.locator('[data-testid="chart-per-day"][data-days]').waitFor();
      // Every chart's table open, so the check covers the text equivalents too.
      for (const summary of await site.locator('[data-testid="chart-table"] summary').all()) await summary.click();
      await scan(site, `site page ${w}, chart tables open`);
      await site.screenshot({ path: screenshotPath(`a11y-site-${w}`), fullPage: true });
      if (w > 1000) {
        const report = await open(1440, 900, '/sites/alpha/report');
        await report.locator('[data-testid="report-table"]').waitFor();
        await scan(report, 'report', 'report-1440');
      }
      expect(verdict()).toBe('');
    });
  }

  it('console at 1280×800: floor, every sheet, undo, a conflict, offline', async () => {
    const { page } = await pages.open(1280, 800);
    page.setDefaultTimeout(PAGE_MS);
    const c = new ConsolePage(page);
    await c.open(srv, 'alpha');
    await scan(page, 'console floor', 'console-1280');
    for (const [booth, state] of [['inj-3', 'free'], ['inj-2', 'occupied'], ['smk-1', 'cleaning'], ['inj-4', 'out of service']] as const) {
      await c.booth(booth).click();
      await c.sheet().waitFor();
      await scan(page, `console sheet of a ${state} place`, `console-sheet-${booth}`, ['[data-testid="booth-sheet"]']);
      await page.keyboard.press('Escape');
      await c.sheet().waitFor({ state: 'detached' });
    }
    await c.action('incident').click();
    await c.figure('incident-sheet').waitFor();
    await scan(page, 'console incident sheet', 'console-incident', ['[data-testid="incident-sheet"]']);
    await page.keyboard.press('Escape');

    await c.checkIn('inj-3', 'cocaine');
    await c.figure('undo-toast').waitFor();
    await scan(page, 'console undo toast', undefined, ['[data-testid="undo-toast"]']);

    // A conflict: the place is taken elsewhere while this sheet is open.
    await c.booth('smk-2').click();
    expect((await srv.send('POST', '/api/sites/alpha/booths/smk-2/check-in', { substance: 'heroin', route: 'inhalation' })).status).toBe(200);
    await c.sheet().locator('[data-testid="sheet-changed"]').waitFor({ timeout: PUSH_MS });
    await scan(page, 'console sheet changed under a finger', undefined, ['[data-testid="booth-sheet"]']);
    await c.substance('cocaine').click();
    await c.conflictNotice().waitFor({ timeout: PUSH_MS });
    await scan(page, 'console conflict notice', 'console-conflict', ['[data-testid="conflict-notice"]']);

    await page.context().setOffline(true);
    await c.figure('offline-banner').waitFor({ timeout: PUSH_MS });
    await c.action('queue-join').click();
    await scan(page, 'console offline, one action waiting', 'console-offline');
    await page.context().setOffline(false);
    expect(verdict()).toBe('');
  });

  it('wall at 1920×1080: day and night with the alert banner, stale, pairing', async () => {
    for (const theme of ['day', 'night']) {
      const { page } = await pages.open(1920, 1080);
      const w = new WallPage(page);
      await w.open(srv, 'alpha', `?theme=${theme}&lang=en`);
      await w.figure('alert-banner').waitFor({ timeout: PUSH_MS });
      await scan(page, `wall ${theme} with an alert`, `wall-${theme}`);
      // Stale: the figures fade and a banner says since when; the faded figures must stay legible.
      await page.context().setOffline(true);
      await w.waitStale(PUSH_MS);
      await scan(page, `wall ${theme}, stale`, `wall-${theme}-stale`);
      await page.context().setOffline(false);
    }
    const { page } = await pages.open(1920, 1080);
    await page.goto(`${srv.baseUrl}/wall/alpha?lang=en`);
    await page.locator('[data-testid="pairing-code"]').waitFor({ timeout: PAGE_MS });
    await scan(page, 'wall pairing', 'wall-pairing');
    expect(verdict()).toBe('');
  });

  it('settings at 1440×900: every section, then each form with its validation errors', async () => {
    const page = await open(1440, 900, '/settings');
    await page.locator('[data-testid="site-config-form"]').waitFor();
    await page.locator('[data-testid="thresholds-form"]').waitFor();
    await scan(page, 'settings, every section', 'settings-1440');
    await page.locator('[data-testid="max-injection"]').fill('0');
    await page.locator('[data-testid="config-save"]').click();
    await page.locator('[data-testid="config-problems"]').waitFor();
    for (const form of ['user-form', 'token-form', 'pairing-form']) await page.locator(`[data-testid="${form}"] [type="submit"]`).click();
    await page.locator('[data-testid="user-form"] [aria-invalid="true"]').first().waitFor();
    await scan(page, 'settings with validation errors', 'settings-errors-1440', ['[data-testid="site-config-form"]', '[data-testid="user-form"]', '[data-testid="token-form"]', '[data-testid="pairing-form"]']);
    const phone = await open(390, 844, '/settings');
    await phone.locator('[data-testid="site-config-form"]').waitFor();
    await scan(phone, 'settings on a phone', 'settings-390');
    expect(verdict()).toBe('');
  });
});
