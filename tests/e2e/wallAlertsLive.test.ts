import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { AlertList, type Alert } from '../../shared/alerts/schema';
import { SitesFile } from '../../shared/siteConfig';
import { PUSH_MS, closeBrowserTest, launchChromium, newPage, screenshotPath } from '../support/browser';
import { haveChromium, haveRedis } from '../support/programs';
import { startRedis, type RedisProcess } from '../support/redisServer';
import { startTestServer, type TestServer } from '../support/testServer';
import { clippedText } from './pages/screenOracle';
import { WallPage } from './pages/wallPage';

/*
 * Issue 13, point 4: the wall's alert banner shows the present. Its figures follow the floor
 * while the alert stays open (not only on a state change), an acknowledgement shows only for
 * the severity it was given at, and a warning that turns critical re-shows and chimes again.
 */
const SITES = SitesFile.parse({
  sites: [
    {
      id: 'vest',
      name: 'Vesterbro Fixerum',
      timeZone: 'Europe/Copenhagen',
      demo: true,
      rooms: [{ id: 'inj', name: 'Injektionsrummet', kind: 'injection', booths: 6 }],
      // Only the rules this test drives: the forecast's and the screens' own depend on the hour.
      alerts: { rules: { 'wall-offline': { enabled: false }, 'forecast-gap': { enabled: false }, 'no-data': { enabled: false }, 'payday-ahead': { enabled: false } } },
    },
  ],
});

/** Records every tone the page's Web Audio starts (the chime's first note tells warning 523 Hz from critical 880 Hz). */
async function recordTones(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const w = window as unknown as { __tones: number[] };
    w.__tones = [];
    const start = OscillatorNode.prototype.start;
    OscillatorNode.prototype.start = function (this: OscillatorNode, ...args: Parameters<OscillatorNode['start']>) {
      w.__tones.push(this.frequency.value);
      return start.apply(this, args);
    };
  });
}
const tones = (page: Page) => page.evaluate(() => (window as unknown as { __tones: number[] }).__tones.slice());

describe.skipIf(!haveChromium() || !haveRedis())('the wall alert banner shows the present', () => {
  let redis: RedisProcess;
  let srv: TestServer;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  /** The server's clock runs with the page's, shifted forward to pass pending periods. */
  let shift = 0;
  const clock = () => Date.now() + shift;

  const evaluate = async () => {
    await srv.app.alerts.evaluate('vest');
    await srv.app.alerts.settled();
  };
  const queueAlert = async (): Promise<Alert | undefined> =>
    AlertList.parse((await srv.send('GET', '/api/sites/vest/alerts?state=active')).body).alerts.find((a) => a.rule === 'queue');
  const setQueue = async (count: number) => expect((await srv.send('POST', '/api/sites/vest/queue', { op: 'set', count })).status).toBe(200);

  beforeAll(async () => {
    redis = await startRedis();
    srv = await startTestServer({ redisUrl: redis.url, sites: SITES, clock });
    await srv.app.alerts.stop(); // evaluations are driven by hand
    browser = await launchChromium();
  });
  afterAll(() => closeBrowserTest(contexts, browser, () => srv?.close(), () => redis?.destroy()));

  it('re-renders the figures, shows an acknowledgement only for its severity, and chimes again on worsening', async () => {
    expect((await srv.send('PUT', '/api/sites/vest/staffing', { onShift: 6 })).status).toBe(200);
    const { page, errors } = await newPage(browser, contexts, { width: 1920, height: 1080 });
    await recordTones(page);
    const wall = new WallPage(page);
    await wall.open(srv, 'vest', '?lang=en');
    const banner = wall.figure('alert-banner');
    const entry = banner.locator('[data-rule="queue"]');
    const title = () => entry.locator('.walert__title').textContent();

    // 6 waiting for longer than the pending period: a warning, worded with the warning's limit.
    await setQueue(6);
    await evaluate();
    shift += 4 * 60_000;
    await evaluate();
    expect(await queueAlert()).toMatchObject({ state: 'firing', severity: 'warning' });
    await expect.poll(title, { timeout: PUSH_MS }).toBe('Queue 6 waiting (limit 5)');
    await expect.poll(async () => (await tones(page))[0], { timeout: PUSH_MS }).toBe(523);
    const warningTones = (await tones(page)).length;

    // The queue grows without crossing a threshold: no transition, yet the banner says 8 now.
    await setQueue(8);
    await evaluate();
    await expect.poll(title, { timeout: PUSH_MS }).toBe('Queue 8 waiting (limit 5)');
    expect(await entry.getAttribute('data-severity')).toBe('warning');
    expect(await tones(page), 'a figure update is not a new alert: no chime').toHaveLength(warningTones);

    // A lead acknowledges the warning: the banner says who.
    const alert = (await queueAlert())!;
    expect((await srv.send('POST', `/api/sites/vest/alerts/${alert.id}/ack`, { comment: 'ekstra mand i receptionen' })).status).toBe(200);
    await expect.poll(() => entry.locator('.walert__ack').count(), { timeout: PUSH_MS }).toBe(1);

    // It worsens to critical: the banner turns red, names the critical limit, drops the
    // warning's acknowledgement, and chimes again (the critical chime).
    await setQueue(12);
    await evaluate();
    expect(await queueAlert()).toMatchObject({ state: 'firing', severity: 'critical', acknowledged: { severity: 'warning' } });
    await expect.poll(() => entry.getAttribute('data-severity'), { timeout: PUSH_MS }).toBe('critical');
    await expect.poll(title, { timeout: PUSH_MS }).toBe('Queue 12 waiting (limit 10)');
    expect(await entry.locator('.walert__ack').count(), 'the warning was acknowledged, not the critical alert').toBe(0);
    await expect.poll(async () => (await tones(page)).slice(warningTones), { timeout: PUSH_MS }).toEqual([880, 660, 880]);
    expect(await banner.getAttribute('class')).toContain('walerts--critical');
    await page.screenshot({ path: screenshotPath('wall-alert-worsened-1920x1080') });
    // Nothing cut off (the intakes figure's "−100 %" beside its label once stuck out of its box).
    expect(await clippedText(page)).toEqual([]);
    expect(await wall.overflow()).toEqual([]);
    expect(errors).toEqual([]);
  });
});
