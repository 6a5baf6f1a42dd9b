import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { chromium, type Page } from 'playwright-core';
import { ensureClientBuilt } from '../../server/scripts/clientBuild';
import { ADMIN_PASSWORD, startTestServer } from '../support/testServer';
import { percentile, printTable, round } from './stats';

/**
 * Page weight for phones (issue 16): the first load of `/`, `/wall/:siteId` and `/console/:siteId`
 * in Chromium through the DevTools protocol, cache empty, from the built client served by the real
 * app (compression on, as in production). Bytes are what went over the wire (CDP
 * `Network.loadingFinished` → `encodedDataLength`, i.e. compressed, headers included); "live" is
 * the time from navigation until the page shows a figure from its live snapshot, with the CPU 4×
 * slower and the network throttled to a mid-range phone on 4G (9 Mbit/s down, 150 ms RTT) and,
 * for a worse day, Lighthouse's slow 4G (1.6 Mbit/s down, 150 ms RTT).
 *
 * Alone: `npx tsx tests/bench/pageWeight.ts [--files]` (builds the client when stale; `--files`
 * lists every script each page loaded). Also the last part of `npm run bench`.
 */
const PROFILES = {
  '4g': { offline: false, latency: 150, downloadThroughput: (9 * 1024 * 1024) / 8, uploadThroughput: (1.5 * 1024 * 1024) / 8 },
  slow4g: { offline: false, latency: 150, downloadThroughput: (1.6 * 1024 * 1024) / 8, uploadThroughput: (750 * 1024) / 8 },
} as const;
const CPU_SLOWDOWN = 4;
/** Loads per page and profile, each with an empty cache: one load's time swings by several hundred ms on a shared machine. */
const LOADS = Number(process.env.BENCH_PAGE_LOADS ?? 3);
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

const PAGES = [
  { name: '/', path: '/', live: '[data-testid="in-use"]', as: 'person', viewport: { width: 390, height: 844 } },
  { name: '/wall/:siteId', path: '/wall/alpha', live: '[data-booth-id]', as: 'wall', viewport: { width: 1920, height: 1080 } },
  { name: '/console/:siteId', path: '/console/alpha', live: '[data-booth-id]', as: 'person', viewport: { width: 1280, height: 800 } },
  // A browser without its own Temporal (Safari in 2026) also fetches temporal-polyfill.
  { name: '/ (no native Temporal)', path: '/', live: '[data-testid="in-use"]', as: 'person', viewport: { width: 390, height: 844 }, noTemporal: true },
  { name: '/wall (no native Temporal)', path: '/wall/alpha', live: '[data-booth-id]', as: 'wall', viewport: { width: 1920, height: 1080 }, noTemporal: true },
] as const satisfies ReadonlyArray<{ name: string; path: string; live: string; as: 'person' | 'wall'; viewport: { width: number; height: number }; noTemporal?: boolean }>;

export type PageRow = Record<string, string | number>;

export async function pageWeight(opts: { files?: boolean } = {}): Promise<PageRow[]> {
  await ensureClientBuilt();
  const srv = await startTestServer();
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', args: FLAGS });
  const rows: PageRow[] = [];
  try {
    for (const p of PAGES) {
      const row: PageRow = { page: p.name };
      const noTemporal = 'noTemporal' in p && p.noTemporal;
      // The rows without native Temporal are about bytes: one load, on the 4G profile.
      const profiles = (noTemporal ? ['4g'] : Object.keys(PROFILES)) as Array<keyof typeof PROFILES>;
      for (const profile of profiles) {
        const times: number[] = [];
        for (let load = 0; load < LOADS; load++) {
          const ctx = await browser.newContext({ viewport: p.viewport });
          if (noTemporal) await ctx.addInitScript(() => delete (globalThis as { Temporal?: unknown }).Temporal);
          const page = await ctx.newPage();
          let url = srv.baseUrl + p.path;
          if (p.as === 'person') {
            const res = await page.request.post(`${srv.baseUrl}/api/auth/login`, { data: { username: 'admin', password: ADMIN_PASSWORD } });
            if (!res.ok()) throw new Error(`sign-in failed: ${res.status()}`);
          } else {
            url += `#token=${await srv.token('display', 'display', ['alpha'])}`;
          }
          const m = await measure(page, url, p.live, PROFILES[profile]);
          times.push(m.liveMs);
          // Bytes depend neither on the throttling nor on the load: take them from the first.
          if (profile === '4g' && load === 0) {
            Object.assign(row, { js_kB: kB(m.js), js_before_live_kB: kB(m.jsBeforeLive), css_kB: kB(m.css), total_kB: kB(m.total), requests: m.requests, scripts: m.scripts.length });
            if (opts.files) {
              console.log(`\n${p.name}: scripts over the wire`);
              for (const s of m.scripts.sort((a, b) => b.bytes - a.bytes)) {
                console.log(`  ${kB(s.bytes).toFixed(1).padStart(6)} kB  ${s.url.replace(srv.baseUrl, '')}${s.askedAt > m.liveAt ? '  (asked for after live data)' : ''}`);
              }
            }
          }
          await ctx.close();
        }
        // The median load, and the slowest beside it.
        row[`live_ms_${profile}`] = Math.round(percentile(times, 50));
        row[`live_max_ms_${profile}`] = Math.round(Math.max(...times));
        row.live_ms_slow4g ??= '-';
        row.live_max_ms_slow4g ??= '-';
      }
      rows.push(row);
    }
  } finally {
    await browser.close();
    await srv.close();
  }
  return rows;
}

const kB = (bytes: number) => round(bytes / 1024, 1);

async function measure(page: Page, url: string, live: string, network: (typeof PROFILES)[keyof typeof PROFILES]) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
  await cdp.send('Network.emulateNetworkConditions', network);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: CPU_SLOWDOWN });
  // The moment live data is in the page, from the page itself: a script asked for after it (the
  // wall's Chart.js) is not something the phone waited for, even when it arrives before the test
  // runner's next look at the page, and one asked for before it is, however late it arrives.
  await page.addInitScript((selector: string) => {
    const w = window as unknown as { __roomwatchLiveAt?: number };
    const look = new MutationObserver(() => {
      if (w.__roomwatchLiveAt === undefined && document.querySelector(selector)) {
        w.__roomwatchLiveAt = Date.now();
        look.disconnect();
      }
    });
    look.observe(document, { childList: true, subtree: true });
  }, live);
  const seen = new Map<string, { type: string; url: string }>();
  const askedAt = new Map<string, number>();
  const sizes = { js: 0, css: 0, total: 0, requests: 0, scripts: [] as Array<{ url: string; bytes: number; askedAt: number }> };
  cdp.on('Network.requestWillBeSent', (e) => askedAt.set(e.requestId, e.wallTime * 1000));
  cdp.on('Network.responseReceived', (e) => seen.set(e.requestId, { type: e.type, url: e.response.url }));
  cdp.on('Network.loadingFinished', (e) => {
    const r = seen.get(e.requestId);
    sizes.total += e.encodedDataLength;
    sizes.requests++;
    if (r?.type === 'Script') {
      sizes.js += e.encodedDataLength;
      sizes.scripts.push({ url: r.url, bytes: e.encodedDataLength, askedAt: askedAt.get(e.requestId) ?? Infinity });
    }
    if (r?.type === 'Stylesheet') sizes.css += e.encodedDataLength;
  });
  const t0 = performance.now();
  await page.goto(url);
  await page.locator(live).first().waitFor({ state: 'visible', timeout: 60_000 });
  const liveMs = performance.now() - t0;
  const liveAt = await page.evaluate(() => (window as unknown as { __roomwatchLiveAt?: number }).__roomwatchLiveAt);
  if (liveAt === undefined) throw new Error(`${url}: live data showed but the page did not note when`);
  // What the page fetches on its own once live data is up (the wall's Chart.js): still bytes a
  // phone pays for in its first minute, so reported beside it (js_kB).
  await page.waitForLoadState('networkidle').catch(() => undefined);
  await cdp.detach();
  // What the page asked for before it could show live data: what a phone waits for.
  const jsBeforeLive = sizes.scripts.filter((s) => s.askedAt <= liveAt).reduce((sum, s) => sum + s.bytes, 0);
  return { ...sizes, jsBeforeLive, liveMs, liveAt };
}

export const PAGE_WEIGHT_TITLE =
  `First load, empty cache, bytes over the wire (gzip); live = navigation → live data on screen, CPU 4× slower, 4G (9 Mbit/s, 150 ms RTT) and slow 4G (1.6 Mbit/s, 150 ms RTT), the median of ${LOADS} loads (live_max: the slowest)\n` +
  'targets: JS of / ≤ 150 kB, of /wall ≤ 200 kB before live data (js_before_live_kB: scripts asked for before the live figure was in the page; js_kB adds what the page fetches after it, the wall\'s Chart.js); live data on screen within 2.5 s on 4G';

/** Writes the rows to tests/artifacts/bench-pages.json and into tests/artifacts/bench.json (kept beside the other benches' figures). */
export function savePageWeight(rows: PageRow[], machine: string): void {
  mkdirSync('tests/artifacts', { recursive: true });
  const at = new Date().toISOString();
  writeFileSync('tests/artifacts/bench-pages.json', JSON.stringify({ at, machine, pageRows: rows }, null, 2));
  const benchFile = 'tests/artifacts/bench.json';
  const bench = existsSync(benchFile) ? (JSON.parse(readFileSync(benchFile, 'utf8')) as Record<string, unknown>) : {};
  writeFileSync(benchFile, JSON.stringify({ ...bench, pageRows: rows, pageRowsAt: at }, null, 2));
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const rows = await pageWeight({ files: process.argv.includes('--files') });
  const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, Node ${process.version}, load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}`;
  console.log(`\n${PAGE_WEIGHT_TITLE}`);
  printTable(rows);
  savePageWeight(rows, machine);
  console.log('written to tests/artifacts/bench.json (pageRows) and tests/artifacts/bench-pages.json');
  process.exit(0);
}
