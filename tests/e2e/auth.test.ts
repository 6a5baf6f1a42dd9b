import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { PairingStarted, PairingStatus, TokenInfo } from '../../shared/auth';
import { PAGE_MS, PUSH_MS, launchChromium, screenshotPath } from '../support/browser';
import { haveChromium, haveRedis } from '../support/programs';
import { startRedis, type RedisProcess } from '../support/redisServer';
import { ADMIN_PASSWORD, startTestServer, type TestServer } from '../support/testServer';
import { LoginPage } from './pages/loginPage';
import { AppHeader, SettingsPage } from './pages/settingsPage';

describe.skipIf(!haveChromium() || !haveRedis())('sign-in and settings in Chromium', () => {
  let redis: RedisProcess;
  let srv: TestServer;
  let browser: Browser;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    redis = await startRedis();
    srv = await startTestServer({ redisUrl: redis.url });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await srv?.close();
    await redis?.destroy();
  });

  /** A fresh, signed-out browser in English, collecting console errors. */
  async function newPage(width = 1440, height = 900): Promise<{ page: Page; errors: string[] }> {
    const ctx = await browser.newContext({ viewport: { width, height }, locale: 'en-GB' });
    contexts.push(ctx);
    const page = await ctx.newPage();
    const errors: string[] = [];
    page.on('console', (m) => {
      // A 401 from GET /api/me is how a signed-out page learns it is signed out.
      if (m.type() === 'error' && !/status of 401/.test(m.text())) errors.push(m.text());
    });
    page.on('pageerror', (e) => errors.push(e.message));
    return { page, errors };
  }

  async function signedInAs(username: string, password: string, width?: number, height?: number) {
    const { page, errors } = await newPage(width, height);
    const login = new LoginPage(page);
    await login.open(srv.baseUrl);
    await login.signIn(username, password);
    return { page, errors };
  }

  it('sends a signed-out visitor to /login, refuses a wrong password, then lands on next', async () => {
    const { page, errors } = await newPage();
    const login = new LoginPage(page);

    await login.open(srv.baseUrl, '/');
    expect(new URL(page.url()).pathname).toBe('/login');

    await login.open(srv.baseUrl, '/sites/alpha');
    const url = new URL(page.url());
    expect(url.pathname).toBe('/login');
    expect(url.searchParams.get('next')).toBe('/sites/alpha');
    await page.screenshot({ path: screenshotPath('login-1440x900') });
    await page.setViewportSize({ width: 390, height: 844 });
    await page.screenshot({ path: screenshotPath('login-390x844') });

    await login.submit('admin', 'not-the-password');
    await expect.poll(() => login.error().textContent(), { timeout: PUSH_MS }).toContain('Wrong username or password');
    expect(new URL(page.url()).pathname).toBe('/login');
    await page.screenshot({ path: screenshotPath('login-error-390x844') });
    await page.locator('[data-locale="da"]').click();
    await page.screenshot({ path: screenshotPath('login-da-390x844') });
    await page.locator('[data-locale="en"]').click();

    await login.signIn('admin', ADMIN_PASSWORD);
    expect(new URL(page.url()).pathname).toBe('/sites/alpha');
    await page.locator('[data-booth-id]').first().waitFor({ timeout: PAGE_MS });

    // Signing out ends the session: the next protected page asks to sign in again.
    await new AppHeader(page).signOut();
    await page.goto(`${srv.baseUrl}/settings`);
    await page.waitForURL((u) => u.pathname === '/login');
    expect(new URL(page.url()).searchParams.get('next')).toBe('/settings');
    expect(errors).toEqual([]);
  });

  it('never follows an absolute next URL off the app', async () => {
    const { page } = await newPage();
    const login = new LoginPage(page);
    await login.open(srv.baseUrl, `/login?next=${encodeURIComponent('//evil.example/x')}`);
    await login.signIn('admin', ADMIN_PASSWORD);
    expect(page.url()).toBe(`${srv.baseUrl}/`);
  });

  it('lets an admin create a staff user, who can sign in and has no Settings', async () => {
    const { page, errors } = await signedInAs('admin', ADMIN_PASSWORD);
    const header = new AppHeader(page);
    await header.openMenu();
    await header.settingsLink().click();
    const settings = new SettingsPage(page);
    await page.locator('.settings-page').waitFor();
    // Every section (client/src/components/settings/sections.ts), in the page's order.
    expect(await settings.sectionIds()).toEqual(['site-config', 'alerts', 'pairing', 'tokens', 'users', 'audit']);

    // Checked before sending, with the shared schema: each bad field says what is wrong.
    await settings.createUser({ username: 'X', password: 'short', role: 'staff', sites: ['alpha'] });
    await expect.poll(() => settings.userFormErrors().count()).toBe(2);
    expect(await page.locator('#user-username').getAttribute('aria-invalid')).toBe('true');

    await page.locator('#user-username').fill('');
    await settings.createUser({ username: 'mette', displayName: 'Mette Hansen', password: 'staff-password-1', role: 'staff', sites: ['alpha'] });
    await settings.userRow('mette').waitFor({ timeout: PUSH_MS });
    expect(await settings.userRow('mette').textContent()).toContain('Mette Hansen');
    const users = await srv.send('GET', '/api/users');
    expect(users.body.find((u: { username: string }) => u.username === 'mette')).toMatchObject({ role: 'staff', sites: ['alpha'], disabled: false });

    await settings.section('audit').getByRole('button', { name: 'Refresh' }).click();
    await settings.section('audit').locator('[data-testid="audit-row"][data-action="user.create"]').first().waitFor({ timeout: PUSH_MS });

    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: screenshotPath('settings-1440x900') });
    await page.screenshot({ path: screenshotPath('settings-1440x900-full'), fullPage: true });
    await page.setViewportSize({ width: 390, height: 844 });
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: screenshotPath('settings-390x844') });
    await page.screenshot({ path: screenshotPath('settings-390x844-full'), fullPage: true });
    // The floor's language too: Danish labels must fit a phone.
    await page.locator('[data-locale="da"]').click();
    await page.screenshot({ path: screenshotPath('settings-da-390x844') });
    await page.locator('[data-locale="en"]').click();
    expect(errors).toEqual([]);

    const staff = await signedInAs('mette', 'staff-password-1', 390, 844);
    expect(new URL(staff.page.url()).pathname).toBe('/');
    const staffHeader = new AppHeader(staff.page);
    await staffHeader.openMenu();
    expect(await staff.page.getByTestId('user-display-name').textContent()).toBe('Mette Hansen');
    expect(await staff.page.getByTestId('user-role').textContent()).toBe('Staff');
    expect(await staffHeader.settingsLink().count()).toBe(0);
    await staff.page.goto(`${srv.baseUrl}/settings`);
    await staff.page.getByTestId('forbidden').waitFor();

    // Disabling the account ends the session: the open page notices and asks to sign in again.
    await staff.page.goto(`${srv.baseUrl}/sites/alpha`);
    await staff.page.locator('[data-testid="live-indicator"][data-status="live"]').waitFor({ timeout: PAGE_MS });
    expect((await srv.send('PATCH', '/api/users/mette', { disabled: true })).status).toBe(200);
    await staff.page.waitForURL((u) => u.pathname === '/login', { timeout: PAGE_MS });
    expect(new URL(staff.page.url()).searchParams.get('next')).toBe('/sites/alpha');
    expect(await staff.page.getByText('Your session has ended').count()).toBe(1);
    expect(staff.errors).toEqual([]);
  });

  it('lets a lead pair a wall screen with the code it shows', async () => {
    const created = await srv.send('POST', '/api/users', { username: 'lead-alpha', password: 'lead-password-1', role: 'lead', sites: ['alpha'] });
    expect(created.status).toBe(201);

    // The wall screen asks for a code (no sign-in) and polls with its secret.
    const started = PairingStarted.parse(await (await fetch(`${srv.baseUrl}/api/pairing`, { method: 'POST' })).json());
    const poll = async () => PairingStatus.parse(await (await fetch(`${srv.baseUrl}/api/pairing/${started.secret}`)).json());
    expect((await poll()).status).toBe('waiting');

    const { page, errors } = await signedInAs('lead-alpha', 'lead-password-1', 390, 844);
    const settings = new SettingsPage(page);
    await settings.open(srv.baseUrl);
    // A lead pairs screens and manages display tokens; site settings and alert thresholds are for managers.
    expect(await settings.sectionIds()).toEqual(['pairing', 'tokens']);

    // The code as typed on a phone: lower case, without the dash.
    await settings.pair(started.code.replace('-', '').toLowerCase(), 'alpha', 'Staff room TV');
    await expect.poll(() => settings.pairingDone().textContent(), { timeout: PUSH_MS }).toContain('Staff room TV');

    const status = await poll();
    expect(status).toMatchObject({ status: 'paired', siteId: 'alpha' });
    if (status.status !== 'paired') throw new Error('not paired');
    const me = await fetch(`${srv.baseUrl}/api/me`, { headers: { authorization: `Bearer ${status.token}` } });
    expect((await me.json()).role).toBe('display');

    // The new display token shows in the lead's token list.
    await settings.section('tokens').locator('[data-testid="token-row"]', { hasText: 'Staff room TV' }).waitFor({ timeout: PUSH_MS });
    expect(errors).toEqual([]);
  });

  it('lets an admin issue a display token once and revoke a token, which then stops working', async () => {
    const issued = await srv.send('POST', '/api/tokens', { kind: 'display', name: 'Old lobby TV', sites: ['alpha'] });
    expect(issued.status).toBe(201);
    const { id, token } = issued.body as { id: string; token: string };

    const { page, errors } = await signedInAs('admin', ADMIN_PASSWORD);
    const settings = new SettingsPage(page);
    await settings.open(srv.baseUrl);

    await settings.createDisplayToken('New lobby TV', ['beta']);
    const once = settings.section('tokens').getByTestId('token-once');
    const secret = await once.getByTestId('token-secret-value').inputValue();
    expect(secret.length).toBeGreaterThan(40);
    expect(await once.getByTestId('token-link-beta-value').inputValue()).toBe(`${srv.baseUrl}/wall/beta#token=${secret}`);
    await page.screenshot({ path: screenshotPath('settings-token-once-1440x900') });
    await once.getByTestId('token-once-done').click();
    expect(await once.count()).toBe(0);

    await settings.tokenRow(id).waitFor();
    await settings.revokeToken(id);
    await settings.tokenRow(id).waitFor({ state: 'detached', timeout: PUSH_MS });

    const list = await srv.send('GET', '/api/tokens');
    expect(TokenInfo.array().parse(list.body).map((t) => t.id)).not.toContain(id);
    const refused = await fetch(`${srv.baseUrl}/api/me`, { headers: { authorization: `Bearer ${token}` } });
    expect(refused.status).toBe(401);
    expect(errors).toEqual([]);
  });
});
