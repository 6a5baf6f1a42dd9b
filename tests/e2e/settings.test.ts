import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { backfillCounters, backfillRange } from '../../server/sim/history';
import { PAGE_MS, PUSH_MS, closeBrowserTest, launchChromium, pageKit, screenshotPath } from '../support/browser';
import { openSignedIn } from '../support/browserAuth';
import { haveChromium, haveRedis } from '../support/programs';
import { startRedis, type RedisProcess } from '../support/redisServer';
import { startTestServer, type TestServer } from '../support/testServer';

/** Issue 8: a manager changes an alert threshold in a minute, with the backtest in view. */
describe.skipIf(!haveChromium() || !haveRedis())('alert thresholds in Settings, in Chromium', () => {
  let redis: RedisProcess;
  let srv: TestServer;
  let browser: Browser;
  const pages = pageKit(() => browser);
  const MANAGER = { username: 'manager-alpha', password: 'manager-password-1' };

  async function open(width: number, height: number): Promise<{ page: Page; errors: string[] }> {
    const { page, errors } = await pages.open(width, height);
    await openSignedIn(page, srv, '/settings#alerts', MANAGER.username, MANAGER.password);
    await page.locator('[data-testid="thresholds-form"]').waitFor({ timeout: PAGE_MS });
    return { page, errors };
  }
  const stored = async () => (await srv.send('GET', '/api/sites/alpha/config')).body.alerts?.rules?.queue as Record<string, unknown> | undefined;
  const field = (page: Page, id: string) => page.locator(`[data-field="${id}"]`);

  beforeAll(async () => {
    redis = await startRedis();
    srv = await startTestServer({ redisUrl: redis.url });
    // 40 business days of simulated history for alpha, so the backtest has something to replay.
    const alpha = srv.app.floor.site('alpha').config;
    await backfillCounters(srv.store.redis, alpha, backfillRange(alpha, 40, Date.now()), 8);
    const created = await srv.send('POST', '/api/users', { ...MANAGER, role: 'manager', sites: ['alpha'] });
    expect(created.status).toBe(201);
    browser = await launchChromium();
  }, 120_000);
  afterAll(() => closeBrowserTest(pages, browser, () => srv?.close(), () => redis?.destroy()));

  it('at 1440×900: lowers the queue warning threshold, sees the backtest, is stopped by a clear level that could never clear, saves', async () => {
    const { page, errors } = await open(1440, 900);
    expect(await page.locator('[data-section]').evaluateAll((els) => els.map((e) => e.getAttribute('data-section')))).toEqual(['site-config', 'alerts', 'pairing', 'tokens']);
    const warning = page.locator('#at-queue-warning');
    expect(await warning.inputValue()).toBe('5');
    expect(await page.locator('[data-testid="thresholds-save"]').isDisabled()).toBe(true);

    await warning.fill('3');
    const backtest = page.locator('[data-testid="threshold-backtest"][data-for="at-queue-warning"]');
    await expect.poll(() => backtest.textContent(), { timeout: PUSH_MS }).toMatch(/^\s*Would have fired (\d+ times|once) in the last 30 days \(\d+ hours over\)\. Now: \d+\.\s*$/);
    // The figure is the server's backtest of that very threshold.
    const direct = (await srv.send('GET', '/api/sites/alpha/alerts/backtest?rule=queue&threshold=3')).body as { episodes: number };
    expect(await backtest.textContent()).toContain(direct.episodes === 1 ? 'once' : `${direct.episodes} times`);
    await field(page, 'at-queue-warning').scrollIntoViewIfNeeded();
    await page.screenshot({ path: screenshotPath('settings-thresholds-1440x900') });

    // A clear level at the fire level could never clear: refused before sending, on its field.
    await page.locator('#at-queue-clear').fill('3');
    await page.locator('[data-testid="thresholds-save"]').click();
    await expect.poll(() => field(page, 'at-queue-clear').locator('[data-testid="field-error"]').textContent()).toContain('must be below the warning threshold (3)');
    expect(await page.locator('#at-queue-clear').getAttribute('aria-invalid')).toBe('true');
    expect(await stored()).toBeUndefined();

    await page.locator('#at-queue-clear').fill('2');
    await page.locator('[data-testid="thresholds-save"]').click();
    await page.locator('[data-testid="thresholds-saved"]').waitFor({ timeout: PUSH_MS });
    expect(await stored()).toMatchObject({ warning: 3, clear: 2, critical: 10, pendingSeconds: 180 });
    const audit = ((await srv.send('GET', '/api/audit')).body as Array<{ action: string; actor: string; detail: string }>).find((e) => e.action === 'site.config')!;
    expect(audit.actor).toBe(MANAGER.username);
    expect(audit.detail.split('; ').sort()).toEqual(['alerts.rules.queue.clear: 3 → 2', 'alerts.rules.queue.warning: 5 → 3']);
    // Saved values are the new baseline: nothing to save, no stale backtest.
    expect(await page.locator('[data-testid="thresholds-save"]').isDisabled()).toBe(true);
    expect(await backtest.count()).toBe(0);
    expect(errors).toEqual([]);
  });

  it('at 390×844: a pending period and a server 400 shown on its field, then saved', async () => {
    const { page, errors } = await open(390, 844);
    expect(await page.locator('#at-queue-warning').inputValue()).toBe('3');
    await page.locator('#at-queue-critical').fill('8');
    await page.locator('#at-queue-pendingSeconds').fill('2');
    const backtest = page.locator('[data-testid="threshold-backtest"][data-for="at-queue-critical"]');
    await expect.poll(() => backtest.textContent(), { timeout: PUSH_MS }).toMatch(/Would have fired (\d+ times|once)/);
    await field(page, 'at-queue-critical').scrollIntoViewIfNeeded();
    await page.screenshot({ path: screenshotPath('settings-thresholds-390x844') });
    // No horizontal scrolling on a phone.
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);

    // The server's own 400 details land on the field they name.
    await page.route('**/api/sites/alpha/config', (route) =>
      route.request().method() === 'PUT'
        ? route.fulfill({ status: 400, contentType: 'application/json', body: JSON.stringify({ error: { code: 'invalid_input', message: 'Invalid body', details: [{ path: 'alerts.rules.queue.critical', message: 'refused by the server' }] } }) })
        : route.continue(),
    );
    await page.locator('[data-testid="thresholds-save"]').click();
    await expect.poll(() => field(page, 'at-queue-critical').locator('[data-testid="field-error"]').textContent()).toContain('refused by the server');
    await page.unroute('**/api/sites/alpha/config');

    await page.locator('[data-testid="thresholds-save"]').click();
    await page.locator('[data-testid="thresholds-saved"]').waitFor({ timeout: PUSH_MS });
    expect(await stored()).toMatchObject({ warning: 3, clear: 2, critical: 8, pendingSeconds: 120 });
    expect((await srv.send('GET', '/api/sites/alpha/alerts/settings')).body.rules.queue).toMatchObject({ critical: 8, pendingSeconds: 120 });
    expect(errors.filter((e) => !e.includes('400'))).toEqual([]);
  });

  it('explains the responder floor: a safety rule with no switch, and a threshold below 1 is refused on its field', async () => {
    const { page, errors } = await open(1440, 900);
    const group = page.locator('fieldset[data-rule="responder-floor"]');
    await group.scrollIntoViewIfNeeded();
    expect(await group.locator('[data-testid="safety-rule-note"]').textContent()).toMatch(/safety rule.*always on.*fires at once.*1 free responder/s);
    expect(await group.locator('input[type="checkbox"]').count()).toBe(0);
    expect(await page.locator('#at-responder-floor-minFree').getAttribute('min')).toBe('1');
    const before = (await srv.send('GET', '/api/sites/alpha/config')).body;
    await page.locator('#at-responder-floor-minFree').fill('0.5');
    await page.locator('[data-testid="thresholds-save"]').click();
    await expect.poll(() => field(page, 'at-responder-floor-minFree').locator('[data-testid="field-error"]').textContent()).toContain('safety rule');
    await group.screenshot({ path: screenshotPath('settings-responder-floor-1440x900') });
    expect((await srv.send('GET', '/api/sites/alpha/config')).body).toEqual(before);
    expect(errors).toEqual([]);
  });

  it('adds a dated closure to a room (Christmas Eve), saved with the site settings', async () => {
    const { page, errors } = await open(1440, 900);
    const dated = page.locator('[data-testid="room-dated-0"]');
    await dated.scrollIntoViewIfNeeded();
    await dated.locator('[data-action="add-dated"]').click();
    const row = dated.locator('[data-dated="0"]');
    await row.locator('input[type="date"]').nth(0).fill('2026-12-24');
    await row.locator('input[type="date"]').nth(1).fill('2026-12-24');
    await row.locator('input:not([type])').fill('Juleaften');
    await dated.screenshot({ path: screenshotPath('settings-dated-hours-1440x900') });
    await page.locator('[data-testid="config-save"]').click();
    await page.locator('[data-testid="config-saved"]').waitFor({ timeout: 5_000 });
    const stored = (await srv.send('GET', '/api/sites/alpha/config')).body.rooms[0].datedHours;
    expect(stored).toEqual([{ from: '2026-12-24', to: '2026-12-24', hours: 'closed', label: 'Juleaften' }]);
    expect(errors).toEqual([]);
  });

  it('at 390×844: sets the shift changes ("7:00" accepted as 07:00), a repeated time refused on its field', async () => {
    const { page, errors } = await open(390, 844);
    const input = page.getByRole('textbox', { name: /^(Times|Tidspunkter)/ });
    await input.scrollIntoViewIfNeeded();
    expect(await input.inputValue()).toBe('');
    await input.fill('7:00, 15:00, 7:00');
    await page.locator('[data-testid="config-save"]').click();
    await expect.poll(() => page.locator('[data-testid="shift-changes-error"]').innerText(), { timeout: PUSH_MS }).toMatch(/once/);
    expect(await input.getAttribute('aria-invalid')).toBe('true');
    expect((await srv.send('GET', '/api/sites/alpha/config')).body.shiftChanges).toBeUndefined();
    await input.fill('7:00, 15:00, 23:00');
    await page.locator('[data-testid="shift-changes-fields"]').screenshot({ path: screenshotPath('settings-shift-changes-390x844') });
    await page.locator('[data-testid="config-save"]').click();
    await page.locator('[data-testid="config-saved"]').waitFor({ timeout: 5_000 });
    expect((await srv.send('GET', '/api/sites/alpha/config')).body.shiftChanges).toEqual(['07:00', '15:00', '23:00']);
    expect(await page.locator('[data-testid="shift-changes-error"]').count()).toBe(0);
    // The registry the handover engine reads has the new times at once, no restart.
    expect(srv.app.floor.site('alpha').config.shiftChanges).toEqual(['07:00', '15:00', '23:00']);
    await page.reload();
    await input.waitFor({ timeout: PAGE_MS });
    expect(await input.inputValue()).toBe('07:00, 15:00, 23:00');
    await page.setViewportSize({ width: 1440, height: 900 });
    await input.scrollIntoViewIfNeeded();
    await page.screenshot({ path: screenshotPath('settings-shift-changes-1440x900') });
    expect(errors).toEqual([]);
  });

  it('at 390×844: opts the site in to the public page /open with its checkbox, and it is listed there', async () => {
    const { page, errors } = await open(390, 844);
    const box = page.getByRole('checkbox', { name: /offentlige side|public page/ });
    await box.scrollIntoViewIfNeeded();
    expect(await box.isChecked()).toBe(false);
    await box.check();
    await page.locator('[data-testid="site-config-form"] .field').filter({ has: box }).screenshot({ path: screenshotPath('settings-public-390x844') });
    await page.locator('[data-testid="config-save"]').click();
    await page.locator('[data-testid="config-saved"]').waitFor({ timeout: 5_000 });
    expect((await srv.send('GET', '/api/sites/alpha/config')).body.public).toBe(true);
    const listed = await (await fetch(`${srv.baseUrl}/api/public/availability`)).json();
    expect(listed.sites.map((s: { id: string }) => s.id)).toEqual(['alpha']);
    expect(errors).toEqual([]);
  });
});
