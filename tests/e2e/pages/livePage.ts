import type { Locator, Page } from 'playwright-core';
import { PAGE_MS, PUSH_MS } from '../../support/browser';

/** Page object of the live site page (`/sites/:siteId`). */
export class LivePage {
  constructor(readonly page: Page) {}

  async open(baseUrl: string, siteId: string) {
    await this.page.goto(`${baseUrl}/sites/${siteId}`);
    await this.page.locator('[data-testid="live-indicator"][data-status="live"]').waitFor({ timeout: PAGE_MS });
  }

  booth(id: string): Locator {
    return this.page.locator(`[data-booth-id="${id}"]`);
  }

  booths(): Locator {
    return this.page.locator('[data-booth-id]');
  }

  figure(testId: string): Locator {
    return this.page.locator(`[data-testid="${testId}"]`);
  }

  /** Resolves when the booth shows `state`; returns how long that took. */
  async waitForBoothState(id: string, state: string, timeoutMs = PUSH_MS): Promise<void> {
    await this.page.locator(`[data-booth-id="${id}"][data-state="${state}"]`).waitFor({ timeout: timeoutMs });
  }
}
