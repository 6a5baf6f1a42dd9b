import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { SiteInfo, Snapshot } from '../../shared/api';
import { AlertList } from '../../shared/alerts/schema';
import { HistoryReply } from '../../shared/history';
import { SitesFile } from '../../shared/siteConfig';
import { businessDayStart } from '../../shared/businessTime';
import { SimSender, type Send } from '../../server/sim/driver';
import { Simulation, type SimEvent, type SimSite } from '../../server/sim/generator';
import { launchChromium, screenshotPath, settleFrames } from '../support/browser';
import { openWall, signIn } from '../support/browserAuth';
import { inputLog, recordInput } from '../support/inputLog';
import { haveChromium, haveRedis } from '../support/programs';
import { startRedis, type RedisProcess } from '../support/redisServer';
import { startTestServer, type TestServer } from '../support/testServer';
import { ConsolePage } from './pages/consolePage';
import { clippedText, compareScreen, numberIn, readScreen, type Truth } from './pages/screenOracle';
import { WallPage } from './pages/wallPage';

/*
 * A REAL DAY, END TO END (issue 13). A whole payday at Skyen — the last banking day of November
 * 2026, about a thousand intakes — is driven through the running server at full speed on an
 * injected clock, with the wall (1920×1080 in Danish and 3840×2160 in English), the staff
 * console (1280×800, a shift lead) and the manager overview (390×844) open in Chromium, their
 * clocks moved with the server's (`page.clock`). On the way: a queue of 15, overdoses with
 * naloxone, staff coming and going, a place out of service, an undo, a tablet that goes
 * offline, the 30-place smoking room closing for the night and being opened early by the lead.
 * At each checkpoint every figure on every screen is compared with the API (snapshot, alerts,
 * history) through the public data attributes, no text may be cut off or stick out, and
 * screenshots are saved to tests/artifacts/realday-*.png.
 *
 * Run alone: CI=true npx vitest run tests/e2e/realDay.test.ts
 */
const ALL_DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
const SITES = SitesFile.parse({
  sites: [
    {
      id: 'skyen',
      name: 'Skyen',
      timeZone: 'Europe/Copenhagen',
      businessDayStart: 6,
      demo: true,
      // Simulated time runs about a thousand times faster than the screens' 30-second heartbeats
      // here, so every screen would read as "offline for 30 min"; that rule has its own tests.
      alerts: { rules: { 'wall-offline': { enabled: false } } },
      rooms: [
        { id: 'inj', name: 'Injektionsrummet', kind: 'injection', booths: 9, openingHours: '24h' },
        {
          id: 'smk',
          name: 'Rygerummet ved Halmtorvet, bagindgang',
          kind: 'inhalation',
          booths: 30,
          openingHours: [{ days: [...ALL_DAYS], open: '07:00', close: '23:30' }],
        },
      ],
    },
  ],
});
const SITE = SITES.sites[0]!;
const DAY = '2026-11-30'; // a Monday, and the month's payday
const START = businessDayStart(DAY, SITE.timeZone, SITE.businessDayStart); // 06:00 local
const at = (hhmm: string, nextDay = false) => {
  const [h, m] = hhmm.split(':').map(Number) as [number, number];
  return START + ((nextDay ? 24 : 0) + h - 6) * 3_600_000 + m * 60_000;
};

describe.skipIf(!haveChromium() || !haveRedis())('a real payday at Skyen, end to end', () => {
  let redis: RedisProcess;
  let srv: TestServer;
  let browser: Browser;
  let now = START;
  const contexts: BrowserContext[] = [];
  const errors: string[] = [];
  /** While the tablet is offline on purpose, its failed requests are expected. */
  let tabletOffline = false;
  const screens: Array<{ name: string; kind: 'wall' | 'console' | 'overview'; page: Page; locale: string; root?: string }> = [];
  let consolePage: ConsolePage;
  let consoleCtx: BrowserContext;
  let info: SiteInfo;

  const simSite: SimSite = {
    id: 'skyen',
    timeZone: SITE.timeZone,
    businessDayStart: SITE.businessDayStart,
    rooms: SITE.rooms.map((r) => ({ kind: r.kind, boothIds: Array.from({ length: r.booths as number }, (_, i) => `${r.id}-${i + 1}`), openingHours: r.openingHours })),
  };
  // About a thousand intakes on this payday (the PRODUCT.md profile, ×1.5 for payday).
  const sim = new Simulation({ site: simSite, seed: 1130, scenario: 'payday', start: START, until: at('06:00', true), usesPerPlaceDay: 24 });
  let next: SimEvent | null = null;
  let sent = 0;
  const statuses = new Map<number, number>();
  let sender: SimSender;

  /**
   * Sets the screens' clocks to the server's at a checkpoint. In between, their Date.now stands
   * still while the simulated day races on: the screens keep the server's time from the `at` of
   * each change they apply (as a tablet with a wrong clock does), and nothing on them reads stale.
   */
  async function syncClocks(t: number): Promise<void> {
    now = t;
    await Promise.all(screens.map((s) => s.page.clock.setFixedTime(t)));
  }

  /** Plays the simulated day up to `until`, every command through HTTP on the server's clock. */
  async function playUntil(until: number): Promise<void> {
    const t0 = performance.now();
    const sent0 = sent;
    for (;;) {
      next ??= sim.next();
      if (!next || next.at > until) break;
      const e = next;
      next = null;
      now = e.at;
      const status = await sender.send(e, sent++);
      if (status !== null) statuses.set(status, (statuses.get(status) ?? 0) + 1);
    }
    await syncClocks(until);
    if (process.env.REALDAY_LOG) console.log(`played to ${new Date(until).toISOString()}: ${sent - sent0} commands in ${Math.round(performance.now() - t0)} ms`);
  }

  const api = async <T>(path: string, parse: { parse: (x: unknown) => T }): Promise<T> => {
    const r = await srv.send('GET', path);
    if (r.status !== 200) throw new Error(`${path}: ${r.status} ${JSON.stringify(r.body)}`);
    return parse.parse(r.body);
  };
  const snapshot = () => api('/api/sites/skyen/snapshot', Snapshot);

  async function dismissToasts(): Promise<void> {
    const buttons = consolePage.page.locator('[data-action="dismiss-alert"]');
    while ((await buttons.count()) > 0) await buttons.first().click({ timeout: 2_000 }).catch(() => undefined);
  }

  /** Waits until every screen shows the floor at the API's seq (they follow the stream in order). */
  async function caughtUp(): Promise<void> {
    // The API's seq is read on every poll: a change still on its way (the console's outbox
    // sending, a tap's command) may land between two reads, and the screens then follow it.
    const shown = async () => {
      const seq = (await snapshot()).seq;
      const at = await Promise.all(
        screens.map(async (s) => {
          const v = await s.page.locator(s.root ?? '[data-seq]').first().getAttribute('data-seq', { timeout: 1_000 }).catch(() => `none on ${s.page.url()}`);
          return `${s.name}:${v}`;
        }),
      );
      return at.every((v, i) => v === `${screens[i]!.name}:${seq}`) ? 'caught up' : `API at ${seq}, screens at ${at.join(' ')}`;
    };
    await expect.poll(shown, { timeout: 60_000, interval: 200 }).toBe('caught up');
  }

  /**
   * Taps on the console as staff do: once. An alert toast over the console is read and dismissed
   * first (the page's locator handler, set up with the page). A tap is never repeated: a click
   * that Playwright dispatched but reported late (a starved CPU) has done its work — an undo,
   * a closed sheet — and a second one would do something else or find nothing. A click aimed at a
   * control that a live change moved is not dispatched at all (Playwright checks the hit target
   * at the click) but aimed again within the timeout. On failure the error carries what the page
   * saw (tests/support/inputLog.ts) and a screenshot.
   */
  async function tap(locator: Locator, opens?: Locator): Promise<void> {
    await caughtUp();
    try {
      await locator.click({ timeout: 20_000 });
      if (opens) await opens.waitFor({ state: 'visible', timeout: 20_000 });
    } catch (err) {
      await consolePage.page.screenshot({ path: screenshotPath('realday-failed-tap') }).catch(() => undefined);
      throw new Error(`tap on ${String(locator)} failed: ${(err as Error).message.split('\n')[0]}\nwhat the console saw (newest last):\n${await inputLog(consolePage.page)}`, { cause: err });
    }
  }

  /**
   * A checkpoint: alerts evaluated at the server's clock, every screen live, then every figure on
   * every screen compared with the API, nothing cut off, and screenshots saved.
   */
  async function checkpoint(name: string): Promise<Truth> {
    const t0 = performance.now();
    await srv.app.alerts.evaluate('skyen');
    await srv.app.alerts.settled();
    // One change at the checkpoint's instant (staff on shift set to what it is): every screen has
    // contact now, so the wall is live, not stale from the clock jump.
    const current = await snapshot();
    expect((await srv.send('PUT', '/api/sites/skyen/staffing', { onShift: current.onShift })).status).toBe(200);
    await caughtUp();
    for (const s of screens) {
      if (s.kind === 'wall') await s.page.locator('[data-testid="wall"][data-stale="false"]').waitFor({ timeout: 15_000 });
      if (s.kind === 'console') await s.page.locator('[data-testid="live-indicator"][data-status="live"]').waitFor({ timeout: 20_000 });
    }
    let truth!: Truth;
    const diffs = async () => {
      truth = { snapshot: await snapshot(), site: info, alerts: (await api('/api/sites/skyen/alerts?state=active', AlertList)).alerts, now };
      const out: string[] = [];
      for (const s of screens) for (const d of compareScreen(s.kind, await readScreen(s.page, s.root), truth, s.locale)) out.push(`${s.name}: ${d}`);
      return out;
    };
    await expect.poll(diffs, { timeout: 15_000, interval: 250 }).toEqual([]);
    // The history API agrees with the snapshot (so the wall's chart, compared above, agrees with both).
    const history = await api(`/api/sites/skyen/history?from=${DAY}&to=${DAY}&bucket=hour`, HistoryReply);
    const perHour = Array<number>(24).fill(0);
    for (const b of history.buckets) perHour[b.hour!] = b.counters.intakes;
    expect(perHour, `${name}: history per hour`).toEqual(truth.snapshot.hourlyIntakes);
    const day = await api(`/api/sites/skyen/history?from=${DAY}&to=${DAY}&bucket=day`, HistoryReply);
    expect(day.buckets[0]!.counters.intakes, `${name}: history of the day`).toBe(truth.snapshot.counters.intakes);

    for (const s of screens) {
      await settleFrames(s.page);
      const viewport = s.page.viewportSize()!;
      await s.page.screenshot({ path: screenshotPath(`realday-${name}-${s.name}-${viewport.width}x${viewport.height}`), fullPage: s.kind !== 'wall' });
      expect(await clippedText(s.page), `${name}: ${s.name} cuts off text`).toEqual([]);
      if (s.kind === 'wall') expect(await new WallPage(s.page).overflow(), `${name}: ${s.name} overflows`).toEqual([]);
    }
    expect(errors, 'errors in the pages').toEqual([]);
    if (process.env.REALDAY_LOG) console.log(`checkpoint ${name}: ${Math.round(performance.now() - t0)} ms`);
    return truth;
  }

  beforeAll(async () => {
    redis = await startRedis();
    srv = await startTestServer({ redisUrl: redis.url, sites: SITES, clock: () => now });
    const adminSend: Send = (method, path, body, headers) => srv.send(method, path, body, headers);
    sender = new SimSender({ send: adminSend, siteId: 'skyen', keyPrefix: `realday-${DAY}` });
    for (const [username, role] of [
      ['lead-skyen', 'lead'],
      ['manager-skyen', 'manager'],
    ] as const) {
      const r = await srv.send('POST', '/api/users', { username, displayName: role === 'lead' ? 'Mette (vagtleder)' : 'Jonas (leder)', password: 'a-long-test-password', role, sites: ['skyen'] });
      expect(r.status, JSON.stringify(r.body)).toBe(201);
    }
    info = (await api('/api/sites', { parse: (x) => SiteInfo.array().parse(x) }))[0]!;
    browser = await launchChromium();

    const open = async (name: string, kind: 'wall' | 'console' | 'overview', viewport: { width: number; height: number }, go: (p: Page) => Promise<void>, locale: string, extra: { isMobile?: boolean; hasTouch?: boolean } = {}) => {
      const ctx = await browser.newContext({ viewport, ...extra });
      contexts.push(ctx);
      if (kind === 'console') await recordInput(ctx);
      const page = await ctx.newPage();
      page.setDefaultTimeout(10_000);
      page.on('pageerror', (e) => errors.push(`${name}: ${e.message}`));
      page.on('console', (m) => {
        if (m.type() !== 'error') return;
        if (name === 'console' && tabletOffline && /ERR_INTERNET_DISCONNECTED|Failed to load resource|WebSocket/.test(m.text())) return;
        // Chromium's own note when a screen rebuilds its link (on a starved CPU a heartbeat can go
        // unanswered twice): the screen reconnects and resyncs, and its figures are checked anyway.
        if (/WebSocket is already in CLOSING or CLOSED state/.test(m.text())) return;
        errors.push(`${name}: ${m.text()}`);
      });
      // The page's clock says the server's time (Date.now fixed to it, moved with it); its
      // timers keep running at their normal pace, so nothing fires a simulated day's worth of ticks.
      await page.clock.setFixedTime(START);
      await go(page);
      screens.push({ name, kind, page, locale, ...(kind === 'overview' ? { root: '[data-testid="site-card"][data-site-id="skyen"]' } : {}) });
      return { ctx, page };
    };
    await open('wall', 'wall', { width: 1920, height: 1080 }, async (p) => {
      await openWall(p, srv, 'skyen', '?lang=da&theme=day');
      await new WallPage(p).waitLive(15_000);
    }, 'da');
    await open('wall4k', 'wall', { width: 3840, height: 2160 }, async (p) => {
      await openWall(p, srv, 'skyen', '?lang=en&theme=night');
      await new WallPage(p).waitLive(15_000);
    }, 'en');
    const c = await open('console', 'console', { width: 1280, height: 800 }, async (p) => {
      await signIn(p, srv, 'lead-skyen', 'a-long-test-password');
      await p.goto(`${srv.baseUrl}/console/skyen`);
      await new ConsolePage(p).waitLoaded();
    }, 'en', { hasTouch: true });
    consolePage = new ConsolePage(c.page);
    consoleCtx = c.ctx;
    // Staff read an alert toast and dismiss it before their next tap (it may sit over a control).
    await c.page.addLocatorHandler(c.page.locator('[data-action="dismiss-alert"]').first(), (dismiss) => dismiss.click(), { noWaitAfter: true });
    await open('overview', 'overview', { width: 390, height: 844 }, async (p) => {
      await signIn(p, srv, 'manager-skyen', 'a-long-test-password');
      await p.goto(`${srv.baseUrl}/`);
      await p.locator('[data-testid="site-card"][data-site-id="skyen"] [data-figure="in-use"]').waitFor({ timeout: 15_000 });
    }, 'en', { isMobile: true, hasTouch: true });
  }, 180_000);

  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await browser?.close();
    await srv?.close();
    await redis?.destroy();
  });

  it('shows every figure true on every screen through a whole payday', async () => {
    const t0 = performance.now();
    // 06:30 — the morning, the night's staff handing over.
    await playUntil(at('06:30'));
    await tap(consolePage.action('staff-plus'));
    await expect.poll(async () => (await snapshot()).onShift).toBeGreaterThan(0);
    await checkpoint('0630');

    // 14:00 — the afternoon rush: a queue of 15, an overdose (naloxone given), a place out of
    // service, one more on shift, and an entry taken back with Undo.
    await playUntil(at('14:00'));
    await dismissToasts();
    expect((await srv.send('POST', '/api/sites/skyen/queue', { op: 'set', count: 15 })).status).toBe(200);
    let s = await snapshot();
    const occupied = s.booths.find((b) => b.state === 'occupied' && !s.incidents.some((i) => i.boothId === b.id))!;
    await tap(consolePage.booth(occupied.id), consolePage.sheet());
    await tap(consolePage.sheet().locator('[data-testid="naloxone-toggle"]'));
    await tap(consolePage.sheet().locator('[data-action="overdose"]'));
    await expect.poll(async () => (await snapshot()).incidents.find((i) => i.boothId === occupied.id && i.closedAt === undefined)?.naloxone).toBe(true);
    const overdose = (await snapshot()).incidents.find((i) => i.boothId === occupied.id)!;
    const free = (await snapshot()).booths.find((b) => b.id.startsWith('smk') && b.state === 'free')!;
    await tap(consolePage.booth(free.id), consolePage.sheet());
    await tap(consolePage.sheet().locator('[data-action="out-of-service-repair"]'));
    await expect.poll(async () => (await snapshot()).booths.find((b) => b.id === free.id)!.state).toBe('out_of_service');
    await tap(consolePage.action('staff-plus'));
    s = await snapshot();
    await tap(consolePage.action('registration'));
    await expect.poll(async () => (await snapshot()).counters.registrations).toBe(s.counters.registrations + 1);
    await tap(consolePage.undoButton());
    await expect.poll(async () => (await snapshot()).counters.registrations).toBe(s.counters.registrations);
    await dismissToasts();
    let truth = await checkpoint('1400');
    expect(truth.snapshot.queue).toBe(15);
    expect(truth.alerts.some((a) => a.rule === 'queue' || a.rule === 'overdose-cluster' || a.rule === 'responder-floor')).toBe(true);

    // 18:00 — the overdose is over (recovered here); then the tablet loses its network while the
    // floor moves on, records what happens, and sends it all once it is back.
    await playUntil(at('18:00'));
    await dismissToasts();
    const item = consolePage.page.locator(`[data-testid="open-incidents"] [data-incident-id="${overdose.id}"]`);
    await tap(item.locator('[data-action="close-incident"]'), consolePage.page.locator('[data-testid="incident-close-sheet"]'));
    await tap(consolePage.page.locator('[data-testid="incident-close-sheet"] [data-outcome="recovered"]'));
    await expect.poll(async () => (await srv.send('GET', `/api/sites/skyen/incidents?from=${DAY}T00:00:00Z&to=${DAY}T23:59:59Z`)).body.incidents.find((i: { id: string }) => i.id === overdose.id)?.outcome).toBe('recovered');
    await tap(consolePage.booth(free.id), consolePage.sheet());
    await tap(consolePage.sheet().locator('[data-action="back-in-service"]'));
    await expect.poll(async () => (await snapshot()).booths.find((b) => b.id === free.id)!.state).toBe('free');
    s = await snapshot();
    tabletOffline = true;
    await consoleCtx.setOffline(true);
    for (let i = 0; i < 3; i++) await tap(consolePage.action('queue-join'));
    await tap(consolePage.action('registration'));
    await consolePage.page.locator('[data-testid="offline-banner"]').waitFor({ timeout: 20_000 });
    await expect.poll(() => consolePage.waitingCount()).toBe(4);
    await playUntil(at('18:20'));
    await consoleCtx.setOffline(false);
    await expect.poll(() => consolePage.waitingCount(), { timeout: 30_000 }).toBe(0);
    tabletOffline = false;
    expect((await snapshot()).counters.registrations).toBe(s.counters.registrations + 1);
    await checkpoint('1820');

    // 23:45 — the smoking room closed at 23:30: closed on every screen, people still inside stay
    // until they leave, and its free places take nobody in.
    await playUntil(at('23:45'));
    await dismissToasts();
    s = await snapshot();
    expect(s.rooms.find((r) => r.id === 'smk')).toMatchObject({ open: false, opensAt: new Date(at('07:00', true)).toISOString() });
    const closedFree = s.booths.find((b) => b.id.startsWith('smk') && b.state === 'free')!;
    await tap(consolePage.booth(closedFree.id), consolePage.sheet());
    await consolePage.page.locator('[data-testid="room-closed-notice"]').waitFor();
    expect(await consolePage.sheet().locator('[data-substance]').count()).toBe(0);
    await tap(consolePage.sheet().locator('[data-action="close"]'));
    const refused = await srv.send('POST', `/api/sites/skyen/booths/${closedFree.id}/check-in`, { substance: 'cocaine', route: 'inhalation' });
    expect([refused.status, refused.body.error.code]).toEqual([409, 'room_closed']);
    truth = await checkpoint('2345');
    expect(truth.snapshot.rooms.find((r) => r.id === 'smk')!.open).toBe(false);

    // The lead opens it early for an hour (a late rush), then ends that again.
    const sheet = consolePage.page.locator('[data-testid="room-open-sheet"]');
    await tap(consolePage.page.locator('[data-room-id="smk"] [data-action="room-open"]'), sheet);
    const oneHour = sheet.locator('[data-until]').nth(1);
    const until = await oneHour.getAttribute('data-until');
    await tap(oneHour);
    await expect.poll(async () => (await snapshot()).rooms.find((r) => r.id === 'smk')).toMatchObject({ open: true, openedEarly: { until } });
    truth = await checkpoint('2346-opened-early');
    const audit = ((await srv.send('GET', '/api/audit')).body as Array<{ action: string; actor: string }>).find((e) => e.action === 'room.open-early');
    expect(audit?.actor).toBe('lead-skyen');
    await tap(consolePage.page.locator('[data-room-id="smk"] [data-action="room-close"]'));
    await expect.poll(async () => (await snapshot()).rooms.find((r) => r.id === 'smk')!.open).toBe(false);

    // 05:50 — the end of the business day: a four-digit day on every screen.
    await playUntil(at('05:50', true));
    await dismissToasts();
    truth = await checkpoint('0550');
    // ≈ 900–1,000 intakes (999 with this seed): the payday at Skyen.
    expect(truth.snapshot.counters.intakes).toBeGreaterThanOrEqual(900);
    const wallIntakes = (await readScreen(screens[0]!.page)).figures['intakes-today']!;
    expect(numberIn(wallIntakes[0])).toBe(truth.snapshot.counters.intakes);
    const seconds = Math.round((performance.now() - t0) / 1000);
    console.log(
      `real day: ${sent} simulated commands (${JSON.stringify(Object.fromEntries(statuses))}), ${truth.snapshot.counters.intakes} intakes, ` +
        `${truth.snapshot.counters.incidents.overdose} overdoses, peak queue ${truth.snapshot.counters.peakQueue}, in ${seconds} s`,
    );
    // Nothing the generator sent failed (409s are its commands for places changed by hand).
    expect([...statuses.keys()].filter((k) => k !== 200 && k !== 201 && k !== 409)).toEqual([]);
  }, 600_000);
});
