import { mkdirSync } from 'node:fs';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { inject } from 'vitest';
import { CHROMIUM } from './programs';

export const ARTIFACTS = new URL('../artifacts/', import.meta.url).pathname;

/** Debian's Chromium, headless, with the flags that keep it off the (closed) network. */
export async function launchChromium(): Promise<Browser> {
  requireClientBuild(inject);
  mkdirSync(ARTIFACTS, { recursive: true });
  return chromium.launch({
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
 * Pages at a given viewport that collect their console errors and uncaught exceptions; `close()`
 * ends them all (call it before closing the browser).
 */
export function pageKit(browser: () => Browser): { open(width: number, height: number): Promise<{ page: Page; errors: string[] }>; close(): Promise<void> } {
  const contexts: BrowserContext[] = [];
  return {
    async open(width, height) {
      const ctx = await browser().newContext({ viewport: { width, height } });
      contexts.push(ctx);
      const page = await ctx.newPage();
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      page.on('console', (m) => {
        if (m.type() === 'error') errors.push(m.text());
      });
      return { page, errors };
    },
    async close() {
      for (const c of contexts.splice(0)) await c.close().catch(() => undefined);
    },
  };
}
