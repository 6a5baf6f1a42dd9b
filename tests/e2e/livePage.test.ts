import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { PUSH_MS, launchChromium, screenshotPath } from '../support/browser';
import { haveChromium, haveRedis } from '../support/programs';
import { startRedis, type RedisProcess } from '../support/redisServer';
import { startTestServer, type TestServer } from '../support/testServer';
import { LivePage } from './pages/livePage';
import { signIn } from '../support/browserAuth';

describe.skipIf(!haveChromium() || !haveRedis())('live page in Chromium', () => {
  let redis: RedisProcess;
  let srv: TestServer;
  let browser: Browser;

  beforeAll(async () => {
    redis = await startRedis();
    srv = await startTestServer({ redisUrl: redis.url });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await srv?.close();
    await redis?.destroy();
  });

  it('shows every booth and follows changes posted over HTTP live', async () => {
    const ctx = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    const errors: string[] = [];
    const live = new LivePage(await ctx.newPage());
    live.page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    await signIn(live.page, srv);
    await live.open(srv.baseUrl, 'alpha');
    expect(await live.booths().count()).toBe(7);
    expect(await live.booth('inj-1').getAttribute('data-state')).toBe('free');

    const r = await srv.send('POST', '/api/sites/alpha/booths/inj-1/check-in', { substance: 'cocaine', route: 'injection' });
    expect(r.status).toBe(200);
    await live.waitForBoothState('inj-1', 'occupied');
    await expect.poll(() => live.figure('intakes-today').textContent(), { timeout: PUSH_MS }).toBe('1');

    await srv.send('POST', '/api/sites/alpha/queue', { op: 'join' });
    await srv.send('POST', '/api/sites/alpha/queue', { op: 'join' });
    await expect.poll(() => live.figure('queue-count').textContent(), { timeout: PUSH_MS }).toBe('2');
    await srv.send('PUT', '/api/sites/alpha/staffing', { onShift: 3 });
    await expect.poll(() => live.figure('on-shift').textContent(), { timeout: PUSH_MS }).toBe('3');
    await srv.send('POST', '/api/sites/alpha/booths/smk-2/out-of-service', { reason: 'repair' });
    await live.waitForBoothState('smk-2', 'out_of_service');
    await srv.send('POST', '/api/sites/alpha/booths/inj-4/check-in', { substance: 'heroin', route: 'injection' });
    await srv.send('POST', '/api/sites/alpha/booths/inj-4/check-out');
    await live.waitForBoothState('inj-4', 'cleaning');

    await live.page.screenshot({ path: screenshotPath('live-page-1440x900') });
    await live.page.setViewportSize({ width: 1280, height: 800 });
    await live.page.screenshot({ path: screenshotPath('live-page-1280x800') });
    expect(errors).toEqual([]);
    await ctx.close();
  });

  it('resyncs after a gap: a change made while disconnected shows after reconnect', async () => {
    const ctx = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const live = new LivePage(await ctx.newPage());
    await signIn(live.page, srv);
    await live.open(srv.baseUrl, 'alpha');
    // Cut this page's socket from the server side; socket.io reconnects and re-subscribes.
    for (const s of await srv.app.io.fetchSockets()) s.disconnect(false);
    await srv.send('POST', '/api/sites/alpha/booths/smk-3/check-in', { substance: 'mixed', route: 'inhalation' });
    await live.waitForBoothState('smk-3', 'occupied');
    await ctx.close();
  });
});
