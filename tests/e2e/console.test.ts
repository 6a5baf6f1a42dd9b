import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext } from 'playwright-core';
import type { Snapshot } from '../../shared/api';
import { PAGE_MS, PUSH_MS, launchChromium, screenshotPath } from '../support/browser';
import { haveChromium, haveRedis } from '../support/programs';
import { startRedis, type RedisProcess } from '../support/redisServer';
import { startTestServer, type TestServer } from '../support/testServer';
import { ConsolePage } from './pages/consolePage';

/*
 * The staff console in Chromium against the real server and Redis. Each test uses its own
 * booths of site alpha (inj-1…4, smk-1…3) and compares counters before and after, so the
 * tests do not depend on each other's order.
 */
describe.skipIf(!haveChromium() || !haveRedis())('staff console in Chromium', () => {
  let redis: RedisProcess;
  let srv: TestServer;
  let browser: Browser;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    redis = await startRedis();
    srv = await startTestServer({ redisUrl: redis.url });
    browser = await launchChromium();
  });
  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await browser?.close();
    await srv?.close();
    await redis?.destroy();
  });

  const snapshot = async (): Promise<Snapshot> => (await srv.send('GET', '/api/sites/alpha/snapshot')).body as Snapshot;
  const boothOf = (s: Snapshot, id: string) => s.booths.find((b) => b.id === id)!;
  const events = async (afterSeq: number) => {
    const rows = await srv.store.redis.xrange('rw:{alpha}:events', String(afterSeq + 1), '+');
    return rows.map(([, flat]) => {
      const f: Record<string, string> = {};
      for (let i = 0; i + 1 < flat.length; i += 2) f[flat[i]!] = flat[i + 1]!;
      return f;
    });
  };

  async function openConsole(viewport = { width: 1280, height: 800 }) {
    const ctx = await browser.newContext({ viewport, hasTouch: true });
    contexts.push(ctx);
    const c = new ConsolePage(await ctx.newPage());
    c.page.setDefaultTimeout(PAGE_MS);
    const errors: string[] = [];
    c.page.on('pageerror', (e) => errors.push(String(e)));
    await c.open(srv, 'alpha');
    return { ctx, c, errors };
  }

  it('checks in with two taps (most common substance first, route preset), then check-out → cleaning → cleaned', async () => {
    // Heroin is today's most common substance after this, so the sheet offers it first.
    expect((await srv.send('POST', '/api/sites/alpha/booths/smk-3/check-in', { substance: 'heroin', route: 'inhalation' })).status).toBe(200);
    const { c, errors } = await openConsole();
    const before = await snapshot();

    await c.booth('inj-1').click();
    expect((await c.substanceOrder())[0]).toBe('heroin');
    expect(await c.sheet().locator('[data-route="injection"]').getAttribute('aria-pressed')).toBe('true');
    await c.substance('cocaine').click();
    await c.waitForBoothState('inj-1', 'occupied');
    await expect.poll(async () => boothOf(await snapshot(), 'inj-1').state).toBe('occupied');
    const after = await snapshot();
    expect(boothOf(after, 'inj-1')).toMatchObject({ substance: 'cocaine', route: 'injection', assisted: false });
    expect(after.counters.intakes).toBe(before.counters.intakes + 1);
    await expect.poll(() => c.figure('intakes-today').textContent()).toBe(String(after.counters.intakes));

    await c.boothAction('inj-1', 'check-out');
    await c.waitForBoothState('inj-1', 'cleaning');
    await c.boothAction('inj-1', 'cleaned');
    await c.waitForBoothState('inj-1', 'free');
    await expect.poll(async () => boothOf(await snapshot(), 'inj-1').state).toBe('free');
    expect((await snapshot()).counters.checkouts).toBe(before.counters.checkouts + 1);
    await expect.poll(() => c.waitingCount()).toBe(0);
    expect(errors).toEqual([]);
  });

  it('records an overdose on an occupied booth, with naloxone', async () => {
    const { c } = await openConsole();
    await c.checkIn('inj-2', 'opioid_other');
    await c.waitForBoothState('inj-2', 'occupied');
    const before = await snapshot();
    await c.booth('inj-2').click();
    await c.sheet().locator('[data-testid="naloxone-toggle"]').click();
    await c.sheet().locator('[data-action="overdose"]').click();
    await expect.poll(async () => (await snapshot()).counters.incidents.overdose).toBe(before.counters.incidents.overdose + 1);
    const after = await snapshot();
    expect(after.counters.naloxone).toBe(before.counters.naloxone + 1);
    expect(after.counters.ambulance).toBe(before.counters.ambulance);
    expect((await events(before.seq)).at(-1)).toMatchObject({ type: 'incident', kind: 'overdose', booth: 'inj-2', naloxone: '1' });
    await expect.poll(() => c.figure('overdoses').textContent()).toBe(String(after.counters.incidents.overdose));
    expect(await c.boothState('inj-2')).toBe('occupied'); // the person is still there
  });

  it('counts queue joins and walk-aways', async () => {
    const { c } = await openConsole();
    const before = await snapshot();
    await c.action('queue-join').click();
    await c.action('queue-join').click();
    await expect.poll(() => c.figure('queue-count').textContent()).toBe(String(before.queue + 2));
    await c.action('queue-leave').click();
    await expect.poll(async () => (await snapshot()).counters.walkAways).toBe(before.counters.walkAways + 1);
    const after = await snapshot();
    expect(after.queue).toBe(before.queue + 1);
    expect(after.counters.queueJoins).toBe(before.counters.queueJoins + 2);
    await expect.poll(() => c.figure('queue-count').textContent()).toBe(String(after.queue));
  });

  it('undoes a check-in: booth free again and every counter restored, both entries logged', async () => {
    const { c } = await openConsole();
    const before = await snapshot();
    await c.checkIn('inj-3', 'amphetamine');
    await c.waitForBoothState('inj-3', 'occupied');
    await expect.poll(async () => boothOf(await snapshot(), 'inj-3').state).toBe('occupied');
    await c.figure('undo-toast').waitFor();
    expect(Number((await c.figure('undo-seconds').textContent())!.replace(/\D/g, ''))).toBeGreaterThan(20);
    await c.undoButton().click();
    await c.waitForBoothState('inj-3', 'free');
    await expect.poll(async () => boothOf(await snapshot(), 'inj-3').state).toBe('free');
    const after = await snapshot();
    // Everything but the peaks (documented: an undo does not lower a peak).
    expect({ ...after.counters, peakOccupied: 0, peakQueue: 0 }).toEqual({ ...before.counters, peakOccupied: 0, peakQueue: 0 });
    expect(after.occupied).toBe(before.occupied);
    expect((await events(before.seq)).map((e) => e.type)).toEqual(['check-in', 'undo']);
    await expect.poll(() => c.figure('intakes-today').textContent()).toBe(String(after.counters.intakes));
    expect(await c.figure('undo-toast').count()).toBe(0);
  });

  it('two tablets tap the same free booth at once: one checks in, the other shows it was just taken; an open sheet does not change under a finger', async () => {
    const a = await openConsole();
    const b = await openConsole({ width: 800, height: 1280 });
    const before = await snapshot();
    await a.c.booth('inj-4').click();
    await b.c.booth('inj-4').click();
    await Promise.all([a.c.substance('cocaine').click(), b.c.substance('heroin').click()]);
    await expect.poll(async () => (await a.c.conflictNotice().count()) + (await b.c.conflictNotice().count()), { timeout: PUSH_MS }).toBe(1);
    const loser = (await a.c.conflictNotice().count()) === 1 ? a.c : b.c;
    const notice = loser.conflictNotice();
    expect(await notice.getAttribute('data-conflict-booth')).toBe('inj-4');
    expect(await notice.getAttribute('data-conflict-state')).toBe('occupied');
    expect(await notice.locator('[data-testid="conflict-current"]').textContent()).toContain('Occupied');
    const after = await snapshot();
    expect(after.counters.intakes).toBe(before.counters.intakes + 1);
    expect((await events(before.seq)).filter((e) => e.type === 'check-in')).toHaveLength(1);
    // Both tablets show the booth taken, with the winner's substance.
    const winner = boothOf(after, 'inj-4').substance!;
    for (const p of [a.c, b.c]) {
      await p.waitForBoothState('inj-4', 'occupied');
      await expect.poll(() => p.booth('inj-4').textContent()).toContain(winner === 'cocaine' ? 'Cocaine' : 'Heroin');
    }
    await loser.page.screenshot({ path: screenshotPath('console-conflict') });

    // A sheet open while the place changes elsewhere keeps its buttons where they were (no tap
    // lands on something else), says what changed, and a tap is refused with the current state.
    const winnerPage = loser === a.c ? b.c : a.c;
    await winnerPage.booth('inj-4').click();
    const checkOut = winnerPage.sheet().locator('[data-action="check-out"]');
    const boxBefore = await checkOut.boundingBox();
    expect((await srv.send('POST', '/api/sites/alpha/booths/inj-4/check-out')).status).toBe(200);
    await winnerPage.sheet().locator('[data-testid="sheet-changed"][data-booth-now="cleaning"]').waitFor();
    expect(await checkOut.boundingBox()).toEqual(boxBefore);
    await winnerPage.page.screenshot({ path: screenshotPath('console-sheet-changed') });
    await checkOut.click();
    await winnerPage.conflictNotice().waitFor();
    expect(await winnerPage.conflictNotice().getAttribute('data-conflict-state')).toBe('cleaning');
    expect((await snapshot()).counters.checkouts).toBe(after.counters.checkouts + 1);
  });

  it('works offline: 10 actions kept over a reload, replayed once when back, exactly 10 events', async () => {
    const { ctx, c } = await openConsole();
    const before = await snapshot();
    await ctx.setOffline(true);

    await c.checkIn('smk-1', 'cocaine'); // 1
    await c.checkIn('smk-2', 'mixed'); // 2
    await c.action('queue-join').click(); // 3
    await c.action('queue-join').click(); // 4
    await c.action('queue-leave').click(); // 5
    await c.action('staff-plus').click(); // 6
    await c.action('registration').click(); // 7
    await c.boothAction('smk-1', 'check-out'); // 8 (applies to the optimistic check-in above)
    await c.action('incident').click(); // 9
    await c.page.locator('[data-testid="incident-sheet"] [data-action="medical"]').click();
    await c.action('registration').click(); // 10

    await expect.poll(() => c.waitingCount()).toBe(10);
    await c.figure('offline-banner').waitFor();
    expect(await c.page.locator('[data-stale="true"]').count()).toBe(1);
    expect(await c.boothState('smk-1')).toBe('cleaning');
    expect(await c.boothState('smk-2')).toBe('occupied');
    expect(await c.booth('smk-2').getAttribute('data-pending')).toBe('true');
    expect(await c.figure('queue-count').textContent()).toBe(String(before.queue + 1));
    expect((await snapshot()).seq).toBe(before.seq); // nothing reached the server
    await c.page.screenshot({ path: screenshotPath('console-offline-1280x800') });

    // Reload while the API still cannot be reached (the page itself loads; commands do not).
    const blockWrites = (route: import('playwright-core').Route) =>
      route.request().method() === 'GET' ? route.continue() : route.abort('internetdisconnected');
    await ctx.route('**/api/sites/alpha/**', blockWrites);
    await ctx.setOffline(false);
    await c.page.reload();
    await c.waitLoaded(false);
    await expect.poll(() => c.waitingCount()).toBe(10);
    expect((await snapshot()).seq).toBe(before.seq);

    // Back online: everything goes out, in order, once.
    await ctx.unroute('**/api/sites/alpha/**', blockWrites);
    // The outbox retries every 3 s on a page timer: jump to the next try instead of waiting.
    await c.page.clock.fastForward(3_000);
    await expect.poll(() => c.waitingCount(), { timeout: PAGE_MS }).toBe(0);
    const after = await snapshot();
    expect(after.seq).toBe(before.seq + 10);
    const log = await events(before.seq);
    expect(log.map((e) => e.type)).toEqual([
      'check-in',
      'check-in',
      'queue-join',
      'queue-join',
      'queue-leave',
      'staffing',
      'registration',
      'check-out',
      'incident',
      'registration',
    ]);
    expect(new Set(log.map((e) => e.idem)).size).toBe(10);
    expect(after.counters.intakes).toBe(before.counters.intakes + 2);
    expect(after.counters.queueJoins).toBe(before.counters.queueJoins + 2);
    expect(after.counters.walkAways).toBe(before.counters.walkAways + 1);
    expect(after.counters.registrations).toBe(before.counters.registrations + 2);
    expect(after.counters.checkouts).toBe(before.counters.checkouts + 1);
    expect(after.counters.incidents.medical).toBe(before.counters.incidents.medical + 1);
    expect(after.onShift).toBe(before.onShift + 1);
    expect(after.queue).toBe(before.queue + 1);
    expect(boothOf(after, 'smk-1').state).toBe('cleaning');
    expect(boothOf(after, 'smk-2')).toMatchObject({ state: 'occupied', substance: 'mixed', route: 'inhalation' });
    await expect.poll(() => c.figure('offline-banner').count()).toBe(0);
    // A second reload sends nothing again.
    await c.page.reload();
    await c.waitLoaded();
    expect(await c.waitingCount()).toBe(0);
    expect((await snapshot()).seq).toBe(after.seq);
  });

  it('looks right on a tablet: screenshots at 1280×800 and 800×1280', async () => {
    const { c, errors } = await openConsole();
    await c.action('staff-plus').click();
    await c.booth('inj-1').click();
    await c.sheet().waitFor();
    await c.page.screenshot({ path: screenshotPath('console-sheet-1280x800') });
    await c.page.keyboard.press('Escape');
    await c.sheet().waitFor({ state: 'detached' });
    await c.page.screenshot({ path: screenshotPath('console-1280x800') });
    await c.page.setViewportSize({ width: 800, height: 1280 });
    await c.page.screenshot({ path: screenshotPath('console-800x1280') });
    await c.booth('smk-2').click();
    await c.sheet().waitFor();
    await c.page.screenshot({ path: screenshotPath('console-sheet-800x1280') });
    // Touch targets: every button in the console and its sheet is at least 48 px high and wide.
    const small = await c.page.locator('.console-page button').evaluateAll((els) =>
      els
        .map((e) => ({ text: (e.textContent ?? '').trim().slice(0, 30), r: e.getBoundingClientRect() }))
        .filter(({ r }) => r.width > 0 && (r.height < 48 || r.width < 48))
        .map(({ text, r }) => `${text} ${Math.round(r.width)}×${Math.round(r.height)}`),
    );
    expect(small).toEqual([]);
    expect(errors).toEqual([]);
  });
});
