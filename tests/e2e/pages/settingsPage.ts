import type { Locator, Page } from 'playwright-core';
import { PAGE_MS } from '../../support/browser';

/** The header's account menu, on every signed-in page. */
export class AppHeader {
  constructor(readonly page: Page) {}

  menuButton(): Locator {
    return this.page.getByTestId('user-menu');
  }

  async openMenu() {
    await this.menuButton().click();
    await this.page.getByTestId('user-menu-panel').waitFor();
  }

  settingsLink(): Locator {
    return this.page.getByTestId('settings-link');
  }

  async signOut() {
    await this.openMenu();
    await this.page.getByTestId('sign-out').click();
    await this.page.waitForURL((url) => url.pathname === '/login');
  }
}

export interface NewUser {
  username: string;
  displayName?: string;
  password: string;
  role: 'staff' | 'lead' | 'manager' | 'admin';
  /** Site ids, or '*' for all sites. */
  sites: '*' | string[];
}

/** Page object of `/settings`: its sections are found by `data-section`. */
export class SettingsPage {
  constructor(readonly page: Page) {}

  async open(baseUrl: string) {
    await this.page.goto(`${baseUrl}/settings`);
    await this.page.locator('.settings-page').waitFor({ timeout: PAGE_MS });
  }

  section(id: 'users' | 'tokens' | 'pairing' | 'audit'): Locator {
    return this.page.locator(`[data-section="${id}"]`);
  }

  sectionIds(): Promise<string[]> {
    return this.page.locator('[data-section]').evaluateAll((els) => els.map((e) => e.getAttribute('data-section') ?? ''));
  }

  private async chooseSites(scope: Locator, sites: '*' | string[]) {
    // Wait for the site list, then tick exactly what was asked.
    await scope.locator('[data-site-choice]:not([data-site-choice="*"])').first().waitFor();
    if (sites === '*') {
      await scope.locator('[data-site-choice="*"]').check();
      return;
    }
    for (const id of sites) await scope.locator(`[data-site-choice="${id}"]`).check();
  }

  userRow(username: string): Locator {
    return this.section('users').locator(`[data-testid="user-row"][data-username="${username}"]`);
  }

  async createUser(u: NewUser) {
    const form = this.section('users').getByTestId('user-form');
    await form.locator('#user-username').fill(u.username);
    if (u.displayName) await form.locator('#user-display-name').fill(u.displayName);
    await form.locator('#user-password').fill(u.password);
    await form.locator('#user-role').selectOption(u.role);
    await this.chooseSites(form.locator('#user-sites'), u.sites);
    await form.locator('button[type="submit"]').click();
  }

  /** Field errors shown in the new-user form, keyed by field id. */
  userFormErrors(): Locator {
    return this.section('users').getByTestId('user-form').getByTestId('field-error');
  }

  async pair(code: string, siteId: string, name?: string) {
    const form = this.section('pairing').getByTestId('pairing-form');
    await form.locator(`#pairing-site option[value="${siteId}"]`).waitFor({ state: 'attached' });
    await form.locator('#pairing-code').fill(code);
    await form.locator('#pairing-site').selectOption(siteId);
    if (name) await form.locator('#pairing-name').fill(name);
    await form.locator('button[type="submit"]').click();
  }

  pairingDone(): Locator {
    return this.section('pairing').getByTestId('pairing-done');
  }

  tokenRow(id: string): Locator {
    return this.section('tokens').locator(`[data-testid="token-row"][data-token-id="${id}"]`);
  }

  /** Asks to revoke, then confirms. */
  async revokeToken(id: string) {
    const row = this.tokenRow(id);
    await row.getByTestId('revoke').click();
    await row.getByTestId('revoke-yes').click();
  }

  async createDisplayToken(name: string, sites: string[]) {
    const form = this.section('tokens').getByTestId('token-form');
    const kind = form.locator('#token-kind');
    if (await kind.count()) await kind.selectOption('display');
    await form.locator('#token-name').fill(name);
    await this.chooseSites(form.locator('#token-sites'), sites);
    await form.locator('button[type="submit"]').click();
    await this.section('tokens').getByTestId('token-once').waitFor();
  }
}
