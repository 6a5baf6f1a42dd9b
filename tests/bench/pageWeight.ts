import { chromium, type Page } from 'playwright-core';
import { ADMIN_PASSWORD, startTestServer } from '../support/testServer';
import { round } from './stats';

/**
 * Page weight for phones (issue 16): the first load of `/`, `/wall/:siteId` and `/console/:siteId`
 * in Chromium through the DevTools protocol, cache empty, network and CPU throttled like a
 * mid-range phone on 4G (Lighthouse's mobile profile: 150 ms RTT, 1.6 Mbit/s down, 750 kbit/s up,
 * CPU 4× slower). Bytes are what went over the wire (compressed); "live" is the time until the
 * page shows a figure from its live snapshot.
 */
const PHONE_4G = { offline: false, latency: 150, downloadThroughput: (1.6 * 1024 * 1024) / 8, uploadThroughput: (750 * 1024) / 8 };
const CPU_SLOWDOWN = 4;
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

const PAGES = [
  { name: '/', path: '/', live: '[data-testid="in-use"]', as: 'person' },
  { name: '/wall/:siteId', path: '/wall/alpha', live: '[data-booth-id]', as: 'wall' },
  { name: '/console/:siteId', path: '/console/alpha', live: '[data-booth-id]', as: 'person' },
] as const;

export async function pageWeight(): Promise<Array<Record<string, string | number>>> {
  const srv = await startTestServer();
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', args: FLAGS });
  const rows: Array<Record<string, string | number>> = [];
  try {
    for (const p of PAGES) {
      const ctx = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true });
      const page = await ctx.newPage();
      let url = srv.baseUrl + p.path;
      if (p.as === 'person') {
        const res = await page.request.post(`${srv.baseUrl}/api/auth/login`, { data: { username: 'admin', password: ADMIN_PASSWORD } });
        if (!res.ok()) throw new Error(`sign-in failed: ${res.status()}`);
      } else {
        url += `#token=${await srv.token('display', 'display', ['alpha'])}`;
      }
      const m = await measure(page, url, p.live);
      rows.push({ page: p.name, js_kB: round(m.js / 1024, 1), css_kB: round(m.css / 1024, 1), total_kB: round(m.total / 1024, 1), requests: m.requests, live_ms: Math.round(m.liveMs) });
      await ctx.close();
    }
  } finally {
    await browser.close();
    await srv.close();
  }
  return rows;
}

async function measure(page: Page, url: string, live: string) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
  await cdp.send('Network.emulateNetworkConditions', PHONE_4G);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: CPU_SLOWDOWN });
  const types = new Map<string, string>();
  const sizes = { js: 0, css: 0, total: 0, requests: 0 };
  cdp.on('Network.responseReceived', (e) => types.set(e.requestId, e.type));
  cdp.on('Network.loadingFinished', (e) => {
    const type = types.get(e.requestId);
    sizes.total += e.encodedDataLength;
    sizes.requests++;
    if (type === 'Script') sizes.js += e.encodedDataLength;
    if (type === 'Stylesheet') sizes.css += e.encodedDataLength;
  });
  const t0 = performance.now();
  await page.goto(url);
  await page.locator(live).first().waitFor({ state: 'visible', timeout: 60_000 });
  const liveMs = performance.now() - t0;
  // Whatever the page still loads on its own after showing live data counts as first-load weight too.
  await page.waitForLoadState('networkidle').catch(() => undefined);
  await cdp.detach();
  return { ...sizes, liveMs };
}
