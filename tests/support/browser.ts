import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { inject } from 'vitest';
import { CHROMIUM } from './programs';
import { OFFSET_VAR } from './testNow.mjs';

export const ARTIFACTS = new URL('../artifacts/', import.meta.url).pathname;

/**
 * How long a browser test waits for something the server pushed (or a page timer made) to show.
 * Generous on purpose: a wait ends as soon as the page shows it, and on two shared cores a page
 * can stall for a second or more. How fast changes really reach a screen is measured by
 * `npm run bench` (event-to-screen latency), never asserted in a test.
 */
export const PUSH_MS = 10_000;

/** How long a browser test waits for a page to load and go live (same reasoning as PUSH_MS). */
export const PAGE_MS = 20_000;

/**
 * Debian's Chromium, headless, with the flags that keep it off the (closed) network. Every
 * context it makes (`newContext`, `newPage`) has its page clock installed at the test's "now",
 * so the pages agree with the server whatever date the run pretends it is (ROOMWATCH_TEST_NOW).
 * `extraArgs` go to Chromium too (e.g. trusting a test certificate authority's keys).
 */
export async function launchChromium(extraArgs: string[] = []): Promise<Browser> {
  requireClientBuild(inject);
  mkdirSync(ARTIFACTS, { recursive: true });
  return withTestClock(await launchBrowser({ ...LAUNCH, args: [...extraArgs, ...LAUNCH.args] }));
}

const LAUNCH = {
  executablePath: CHROMIUM,
  args: [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
  ],
};

async function launchBrowser(launch: typeof LAUNCH): Promise<Browser> {
  if (!process.env[OFFSET_VAR]) return chromium.launch(launch);
  // The date matrix moved this process's clock. Playwright's driver (in-process by default)
  // logs clock changes and computes cookie expiry with Date.now(), which must stay real: run it
  // in a process of its own, with the real clock, and connect to it.
  const env = { ...process.env };
  delete env[OFFSET_VAR];
  const server = spawn(process.execPath, [new URL('./browserServer.mjs', import.meta.url).pathname, JSON.stringify(launch)], {
    env,
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const endpoint = await new Promise<string>((resolve, reject) => {
    createInterface({ input: server.stdout }).once('line', resolve);
    server.once('exit', (code) => reject(new Error(`the browser server exited (${code}) before it listened`)));
  });
  const browser = await chromium.connect(endpoint);
  browser.on('disconnected', () => server.stdin.end());
  return browser;
}

/**
 * Makes `browser.newContext()` and `browser.newPage()` install playwright's clock at this
 * process's `Date.now()` (moved by ROOMWATCH_TEST_NOW, see testNow.mjs). Time keeps flowing in
 * the page; a test may still jump it (`ctx.clock.fastForward`) to skip a real wait.
 */
function withTestClock(browser: Browser): Browser {
  const newContext = browser.newContext.bind(browser);
  browser.newContext = async (options) => {
    const ctx = await newContext(options);
    await installClock(ctx);
    return ctx;
  };
  browser.newPage = async (options) => {
    const ctx = await browser.newContext(options);
    const page = await ctx.newPage();
    page.once('close', () => void ctx.close().catch(() => undefined));
    return page;
  };
  return browser;
}

/** The page clock of `ctx` starts at this process's "now" and runs on from there. */
export async function installClock(ctx: BrowserContext, time = Date.now()): Promise<void> {
  await ctx.clock.install({ time });
}

/** Where a test's screenshot goes (tests/artifacts, ignored by git). */
export const screenshotPath = (name: string) => `${ARTIFACTS}${name}.png`;

/**
 * Two animation frames: what ResizeObserver-driven work (a chart fits its canvas to its box a
 * frame after the box changes) needs to settle, as a viewer would see the page.
 */
export async function settleFrames(page: Page): Promise<void> {
  await page.evaluate(() => new Promise<void>((ok) => requestAnimationFrame(() => requestAnimationFrame(() => ok()))));
}

/** Fails a browser test early, with the reason, when the client build failed in global setup. */
export function requireClientBuild(inject: (key: 'clientBuildError') => string): void {
  const error = inject('clientBuildError');
  if (error) throw new Error(`the client did not build: ${error}`);
}

/**
 * A fresh context and page at `width`×`height`, recording page errors and console errors (those
 * matching `ignore` excepted) in `errors`; the context is added to `contexts` for closing.
 */
export async function newPage(
  browser: Browser,
  contexts: BrowserContext[],
  opts: { width: number; height: number; ignore?: RegExp; grant?: { origin: string; permissions: string[] }; javaScriptEnabled?: boolean; deviceScaleFactor?: number },
): Promise<{ ctx: BrowserContext; page: Page; errors: string[] }> {
  const ctx = await browser.newContext({
    viewport: { width: opts.width, height: opts.height },
    ...(opts.javaScriptEnabled === false ? { javaScriptEnabled: false } : {}),
    ...(opts.deviceScaleFactor ? { deviceScaleFactor: opts.deviceScaleFactor } : {}),
  });
  contexts.push(ctx);
  if (opts.grant) await ctx.grantPermissions(opts.grant.permissions, { origin: opts.grant.origin });
  const page = await ctx.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error' && !opts.ignore?.test(m.text())) errors.push(m.text());
  });
  return { ctx, page, errors };
}

/**
 * Closes what a browser test opened: its pages (a context list or a `pageKit`) and the browser,
 * then `others` in order (proxy, server, Redis; each may be unset when set-up failed early).
 */
export async function closeBrowserTest(
  pages: BrowserContext[] | { close(): Promise<void> },
  browser: Browser | undefined,
  ...others: Array<(() => Promise<void> | undefined) | undefined>
): Promise<void> {
  if (Array.isArray(pages)) for (const c of pages) await c.close().catch(() => undefined);
  else await pages.close();
  await browser?.close();
  for (const close of others) await close?.();
}

/**
 * Pages at a given viewport that collect their console errors and uncaught exceptions; `close()`
 * ends them all (call it before closing the browser).
 */
export function pageKit(browser: () => Browser): { open(width: number, height: number): Promise<{ page: Page; errors: string[] }>; close(): Promise<void> } {
  const contexts: BrowserContext[] = [];
  return {
    async open(width, height) {
      const { page, errors } = await newPage(browser(), contexts, { width, height });
      return { page, errors };
    },
    async close() {
      for (const c of contexts.splice(0)) await c.close().catch(() => undefined);
    },
  };
}
