import type { Locator, Page } from 'playwright-core';
import { PAGE_MS } from '../../support/browser';

/** Page object of the manager overview (`/`). */
export class OverviewPage {
  constructor(readonly page: Page) {}

  card(siteId: string): Locator {
    return this.page.locator(`[data-testid="site-card"][data-site-id="${siteId}"]`);
  }

  cards(): Locator {
    return this.page.locator('[data-testid="site-card"]');
  }

  /** Waits until every card shows its live figures. */
  async waitLive(siteIds: string[]): Promise<void> {
    for (const id of siteIds) await this.card(id).locator('[data-testid="in-use"]').waitFor({ timeout: PAGE_MS });
  }

  figure(siteId: string, testId: string): Locator {
    return this.card(siteId).locator(`[data-testid="${testId}"]`);
  }
}

/** Page object of the manager's site page (`/sites/:siteId`): live floor plus charts. */
export class ManagerSitePage {
  constructor(readonly page: Page) {}

  charts(): Locator {
    return this.page.locator('[data-testid="manager-charts"]');
  }

  perDay(): Locator {
    return this.page.locator('[data-testid="chart-per-day"]');
  }

  /** Waits until the per-day chart has loaded `days` buckets. */
  async waitForDays(days: number): Promise<void> {
    await this.page.locator(`[data-testid="chart-per-day"][data-days="${days}"]`).waitFor({ timeout: PAGE_MS });
  }

  async setRange(from: string, to: string): Promise<void> {
    await this.page.locator('[data-testid="range-from"]').fill(from);
    await this.page.locator('[data-testid="range-to"]').fill(to);
  }
}
