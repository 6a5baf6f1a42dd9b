import type { Locator, Page } from 'playwright-core';
import type { Substance } from '../../../shared/vocabulary';
import { openSignedIn } from '../../support/browserAuth';
import type { TestServer } from '../../support/testServer';
import { PAGE_MS, PUSH_MS } from '../../support/browser';

/** Page object of the staff console (`/console/:siteId`). */
export class ConsolePage {
  constructor(readonly page: Page) {}

  async open(srv: TestServer, siteId: string) {
    await openSignedIn(this.page, srv, `/console/${siteId}`);
    await this.waitLoaded();
  }

  /** Waits for the grid and the live link (after open or reload). */
  async waitLoaded(live = true) {
    await this.page.locator('[data-booth-id]').first().waitFor({ timeout: PAGE_MS });
    if (live) await this.page.locator('[data-testid="live-indicator"][data-status="live"]').waitFor({ timeout: PAGE_MS });
  }

  booth(id: string): Locator {
    return this.page.locator(`[data-booth-id="${id}"]`);
  }

  async boothState(id: string): Promise<string | null> {
    return this.booth(id).getAttribute('data-state');
  }

  async waitForBoothState(id: string, state: string, timeout = PUSH_MS) {
    await this.page.locator(`[data-booth-id="${id}"][data-state="${state}"]`).waitFor({ timeout });
  }

  sheet(): Locator {
    return this.page.locator('[data-testid="booth-sheet"]');
  }

  substance(s: Substance): Locator {
    return this.sheet().locator(`[data-substance="${s}"]`);
  }

  /** The substances offered, in the order shown. */
  async substanceOrder(): Promise<string[]> {
    return this.sheet().locator('[data-substance]').evaluateAll((els) => els.map((e) => e.getAttribute('data-substance') ?? ''));
  }

  action(name: string): Locator {
    return this.page.locator(`[data-action="${name}"]`);
  }

  /** Tap 1: the booth; tap 2: the substance. */
  async checkIn(boothId: string, substance: Substance) {
    await this.booth(boothId).click();
    await this.substance(substance).click();
  }

  /** Tap the booth, then one action in its sheet. */
  async boothAction(boothId: string, action: string) {
    await this.booth(boothId).click();
    await this.sheet().locator(`[data-action="${action}"]`).click();
  }

  figure(testId: string): Locator {
    return this.page.locator(`[data-testid="${testId}"]`);
  }

  async waitingCount(): Promise<number> {
    return Number(await this.figure('outbox-count').getAttribute('data-count'));
  }

  undoButton(): Locator {
    return this.figure('undo-button');
  }

  conflictNotice(): Locator {
    return this.figure('conflict-notice');
  }
}
