import { mkdirSync } from 'node:fs';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { inject } from 'vitest';
import { CHROMIUM } from './programs';

export const ARTIFACTS = new URL('../artifacts/', import.meta.url).pathname;

/**
 * Debian's Chromium, headless, with the flags that keep it off the (closed) network, plus any
 * `extraArgs` (e.g. trusting a test certificate authority's keys).
 */
export async function launchChromium(extraArgs: string[] = []): Promise<Browser> {
  requireClientBuild(inject);
  mkdirSync(ARTIFACTS, { recursive: true });
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      ...extraArgs,
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

/** Where a test's screenshot goes (tests/artifacts, ignored by git). */
export const screenshotPath = (name: string) => `${ARTIFACTS}${name}.png`;

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
  opts: { width: number; height: number; ignore?: RegExp; grant?: { origin: string; permissions: string[] } },
): Promise<{ ctx: BrowserContext; page: Page; errors: string[] }> {
  const ctx = await browser.newContext({ viewport: { width: opts.width, height: opts.height } });
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

/** Closes what a browser test opened: its contexts and the browser, then `others` in order (proxy, server, Redis). */
export async function closeBrowserTest(contexts: BrowserContext[], browser: Browser | undefined, ...others: Array<(() => Promise<void>) | undefined>): Promise<void> {
  for (const c of contexts) await c.close().catch(() => undefined);
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
