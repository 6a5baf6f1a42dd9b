import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { QUIET_CHECK_MS } from '../../client/src/stores/floorSequencer';
import { launchChromium } from '../support/browser';
import { haveChromium, haveRedis } from '../support/programs';
import { startRedis, type RedisProcess } from '../support/redisServer';
import { startTestServer, type TestServer } from '../support/testServer';
import { commitUnpublished } from '../support/unpublishedChange';
import { WallPage } from './pages/wallPage';

/*
 * The wall's background safety net in the browser, on a screen whose clock stands still: a
 * change that was never pushed is found by the quiet check (`site:seq`) and shown. The check
 * measures its quiet spell on the monotonic clock; on Date.now a clock that stands still or
 * jumps back would switch the net off (it did: tests/e2e/realDay.test.ts kept a wall one change
 * behind for a minute with the page's clock fixed).
 */
describe.skipIf(!haveChromium() || !haveRedis())('wall safety net with a clock that stands still', () => {
  let redis: RedisProcess;
  let srv: TestServer;
  let browser: Browser;
  const clock = () => Date.now();

  beforeAll(async () => {
    redis = await startRedis();
    srv = await startTestServer({ redisUrl: redis.url, clock });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await srv?.close();
    await redis?.destroy();
  });

  it('a change nobody pushed reaches a wall whose Date.now is fixed, by the quiet check', async () => {
    const ctx = await browser.newContext({ viewport: { width: 1920, height: 1080 } });
    const page = await ctx.newPage();
    // Date.now stands still at the start (timers and the monotonic clock run on).
    await page.clock.setFixedTime(Date.now());
    const wall = new WallPage(page);
    await wall.open(srv, 'alpha');
    const seq = async () => Number(await page.locator('[data-seq]').first().getAttribute('data-seq'));
    const before = await seq();

    // Committed by something that does not publish (a tool on the store): only the net can see it.
    await commitUnpublished(srv.store, 'alpha', clock);
    expect(await seq(), 'nothing pushed the change').toBe(before);

    // A quiet spell, then one check every half spell: caught up within two spells at the most.
    await expect.poll(seq, { timeout: 2 * QUIET_CHECK_MS + 10_000, interval: 500 }).toBe(before + 1);
    await ctx.close();
  });
});
