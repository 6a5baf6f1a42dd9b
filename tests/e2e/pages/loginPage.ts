import type { Locator, Page } from 'playwright-core';
import { PAGE_MS } from '../../support/browser';

/** Page object of the sign-in page (`/login`). */
export class LoginPage {
  constructor(readonly page: Page) {}

  /** Opens `path` (default the login page itself); signed out, the app lands on /login. */
  async open(baseUrl: string, path = '/login') {
    await this.page.goto(baseUrl + path);
    await this.form().waitFor({ timeout: PAGE_MS });
  }

  form(): Locator {
    return this.page.getByTestId('login-form');
  }

  error(): Locator {
    return this.page.getByTestId('login-error');
  }

  async fill(username: string, password: string) {
    await this.page.getByLabel(/^(Username|Brugernavn)$/).fill(username);
    await this.page.getByLabel(/^(Password|Adgangskode)$/).fill(password);
  }

  /** Fills the form and presses Enter in the password field, as people do. */
  async submit(username: string, password: string) {
    await this.fill(username, password);
    await this.page.getByLabel(/^(Password|Adgangskode)$/).press('Enter');
  }

  /** Signs in through the form and waits until the app has left /login. */
  async signIn(username: string, password: string) {
    await this.submit(username, password);
    await this.page.waitForURL((url) => url.pathname !== '/login', { timeout: PAGE_MS });
  }
}
