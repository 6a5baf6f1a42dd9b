import { mkdirSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';
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
