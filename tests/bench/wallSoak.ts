// Wall soak: the wall screen open in Chromium while a script drives a 24-booth site through
// whole days of traffic at high speed; the page's JS heap is read through the Chrome DevTools
// Protocol (after a forced GC) once warmed up, every minute, and at the end. Reports the heap
// growth per simulated 24 h (target: under 5 MB). Slow by design (≥ 30 min): `npm run bench`
// runs it only with BENCH_SOAK=1 (see README "Benchmarks").
import { chromium, type CDPSession } from 'playwright-core';
import { ensureClientBuilt } from '../../server/scripts/clientBuild';
import { SitesFile } from '../../shared/siteConfig';
import { CHROMIUM } from '../support/programs';
import { startTestServer, testSites } from '../support/testServer';
import { round } from './stats';

export interface SoakOptions {
  /** Real minutes the soak runs (warm-up included). */
  minutes: number;
  /** Real minutes one simulated 24 h takes. */
  dayMinutes: number;
  /** Real minutes before the baseline heap reading. */
  warmupMinutes: number;
  /** Uses per simulated day (PRODUCT.md: 500–700). */
  usesPerDay?: number;
  log?: (msg: string) => void;
}

const SITE_ID = 'soak';
const SITES = SitesFile.parse({
  sites: [
    ...testSites().sites,
    {
      id: SITE_ID,
      name: 'Soak',
      demo: true,
      rooms: [
        { id: 'inj', name: 'Injektion', kind: 'injection', booths: 12 },
        { id: 'smk', name: 'Rygning', kind: 'inhalation', booths: 12 },
      ],
    },
  ],
});
const BOOTHS = [...Array.from({ length: 12 }, (_, i) => `inj-${i + 1}`), ...Array.from({ length: 12 }, (_, i) => `smk-${i + 1}`)];

/** PRODUCT.md's share of a day's uses per local hour, in per cent. */
function hourShare(h: number): number {
  if (h >= 6 && h < 10) return 2.5;
  if (h >= 10 && h < 14) return 4;
  if (h >= 14 && h < 18) return 5;
  if (h >= 18 && h < 22) return 6;
  if (h >= 22 || h < 2) return 4.5;
  return 3;
}

/** Lognormal session minutes (median `median`, capped), as PRODUCT.md describes. */
function sessionMinutes(median: number, cap: number): number {
  const z = Math.sqrt(-2 * Math.log(Math.random() || 1e-9)) * Math.cos(2 * Math.PI * Math.random());
  return Math.min(cap, median * Math.exp(0.55 * z));
}

async function heapMb(cdp: CDPSession): Promise<number> {
  await cdp.send('HeapProfiler.collectGarbage');
  await cdp.send('HeapProfiler.collectGarbage');
  const { usedSize } = await cdp.send('Runtime.getHeapUsage');
  return usedSize / 1_048_576;
}

/** Least-squares slope of y over x. */
function slope(points: Array<[number, number]>): number {
  const n = points.length;
  if (n < 2) return NaN;
  const mx = points.reduce((a, [x]) => a + x, 0) / n;
  const my = points.reduce((a, [, y]) => a + y, 0) / n;
  const num = points.reduce((a, [x, y]) => a + (x - mx) * (y - my), 0);
  const den = points.reduce((a, [x]) => a + (x - mx) ** 2, 0);
  return den === 0 ? NaN : num / den;
}

export async function wallSoak(opts: SoakOptions): Promise<Record<string, string | number>> {
  const log = opts.log ?? console.log;
  const usesPerDay = opts.usesPerDay ?? 650;
  const speed = (24 * 60) / opts.dayMinutes; // simulated ms per real ms
  const realStart = Date.now();
  const simStart = realStart;
  const simNow = () => simStart + (Date.now() - realStart) * speed;
  const simDays = () => (simNow() - simStart) / 86_400_000;

  await ensureClientBuilt(log);
  // In-process server on the embedded store, its clock running `speed` times fast, so the wall
  // sees whole business days (roll-overs, resyncs, a new forecast each day) go by.
  const srv = await startTestServer({ sites: SITES, clock: simNow });
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  const commands = { sent: 0, conflicts: 0, failed: 0 };
  let running = true;
  try {
    const ctx = await browser.newContext({ viewport: { width: 1920, height: 1080 } });
    const page = await ctx.newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (e) => pageErrors.push(e.message));
    const token = await srv.token('display', 'display', [SITE_ID]);
    await page.goto(`${srv.baseUrl}/wall/${SITE_ID}?theme=auto#token=${token}`);
    await page.locator('[data-testid="wall"][data-stale="false"]').waitFor({ timeout: 20_000 });
    const cdp = await ctx.newCDPSession(page);

    // ---- Traffic: arrivals by hour, sessions, cleaning, queue, walk-aways, staff, overdoses ----
    const state = new Map<string, { state: 'free' | 'occupied' | 'cleaning'; until: number }>(BOOTHS.map((b) => [b, { state: 'free', until: 0 }]));
    let queue = 0;
    let lastHour = -1;
    const cmd = async (method: 'POST' | 'PUT', path: string, body?: unknown) => {
      commands.sent++;
      const r = await srv.send(method, `/api/sites/${SITE_ID}${path}`, body);
      if (r.status === 409) commands.conflicts++;
      else if (r.status >= 300) commands.failed++;
      return r.status;
    };
    const drive = async () => {
      let lastTick = simNow();
      while (running) {
        const now = simNow();
        const hour = new Date(now).getUTCHours();
        if (hour !== lastHour) {
          lastHour = hour;
          await cmd('PUT', '/staffing', { onShift: 3 + Math.round(hourShare(hour)) });
        }
        for (const [id, b] of state) {
          if (b.state === 'occupied' && now >= b.until) {
            await cmd('POST', `/booths/${id}/check-out`);
            state.set(id, { state: 'cleaning', until: now + 2 * 60_000 });
          } else if (b.state === 'cleaning' && now >= b.until) {
            await cmd('POST', `/booths/${id}/cleaned`);
            state.set(id, { state: 'free', until: 0 });
          }
        }
        // Poisson arrivals over the simulated time since the last tick.
        const rate = (usesPerDay * hourShare(hour)) / 100 / 3_600_000; // per simulated ms
        let arrivals = 0;
        let left = rate * (now - lastTick);
        while (left > 0 && Math.random() < Math.min(1, left)) {
          arrivals++;
          left -= 1;
        }
        lastTick = now;
        for (let i = 0; i < arrivals; i++) {
          await cmd('POST', '/queue', { op: 'join' });
          queue++;
        }
        for (const [id, b] of state) {
          if (queue === 0) break;
          if (b.state !== 'free') continue;
          const inj = id.startsWith('inj');
          const minutes = inj ? sessionMinutes(15, 30) : sessionMinutes(10, 20);
          await cmd('POST', `/booths/${id}/check-in`, { substance: Math.random() < 0.75 ? 'cocaine' : 'heroin', route: inj ? 'injection' : 'inhalation' });
          queue--;
          state.set(id, { state: 'occupied', until: now + minutes * 60_000 });
          if (Math.random() < 0.001) await cmd('POST', '/incidents', { kind: 'overdose', boothId: id, naloxone: true });
        }
        if (queue > 6 && Math.random() < 0.1) {
          await cmd('POST', '/queue', { op: 'leave' });
          queue--;
        }
        await new Promise((r) => setTimeout(r, 100));
      }
    };
    const driving = drive().catch((e: unknown) => {
      log(`soak: traffic stopped: ${String(e)}`);
    });

    // ---- Heap readings -------------------------------------------------------------------
    const minute = 60_000;
    await new Promise((r) => setTimeout(r, opts.warmupMinutes * minute));
    const base = { mb: await heapMb(cdp), day: simDays() };
    log(`soak: warm-up done at ${round(base.day, 2)} simulated days, heap ${round(base.mb, 2)} MB`);
    const samples: Array<[number, number]> = [[base.day, base.mb]];
    const endAt = realStart + opts.minutes * minute;
    while (Date.now() < endAt) {
      await new Promise((r) => setTimeout(r, Math.min(minute, Math.max(0, endAt - Date.now()))));
      const mb = await heapMb(cdp);
      samples.push([simDays(), mb]);
      log(`soak: ${round(simDays(), 2)} simulated days, heap ${round(mb, 2)} MB, ${commands.sent} commands`);
    }
    running = false;
    await driving;
    const end = samples[samples.length - 1]!;
    const days = end[0] - base.day;
    const liveOnScreen = await page.locator('[data-testid="wall"][data-stale="false"]').count();
    const booths = await page.locator('[data-booth-id]').count();
    await ctx.close();
    return {
      bench: 'wall soak (JS heap per simulated 24 h)',
      real_minutes: round((Date.now() - realStart) / minute, 1),
      simulated_days: round(days, 2),
      commands: commands.sent,
      conflicts: commands.conflicts,
      failed: commands.failed,
      heap_start_mb: round(base.mb, 2),
      heap_end_mb: round(end[1], 2),
      growth_mb_per_day: round((end[1] - base.mb) / days, 3),
      slope_mb_per_day: round(slope(samples), 3),
      wall_live_at_end: liveOnScreen === 1 && booths === 24 ? 'yes' : 'NO',
      page_errors: pageErrors.length,
    };
  } finally {
    running = false;
    await browser.close();
    await srv.close();
  }
}
