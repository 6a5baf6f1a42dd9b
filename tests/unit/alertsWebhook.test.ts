import { createServer, type IncomingHttpHeaders } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deliverWebhook, signature, webhookRequest, type Notice } from '../../server/alerts/webhook';
import { channelsOf, isSafety, routes } from '../../server/alerts/notifier';
import { inQuietHours, isOpenAt, paydayWindow } from '../../shared/alerts/hours';
import { alertSettingsOf, WebhookChannel } from '../../shared/alerts/settings';
import type { Alert } from '../../shared/alerts/schema';

const alert: Alert = {
  id: '7',
  siteId: 'alpha',
  key: 'queue',
  rule: 'queue',
  severity: 'critical',
  state: 'firing',
  title: 'Queue 12 waiting (limit 5)',
  detail: { value: 12, threshold: 5, critical: 10 },
  pendingAt: '2025-03-12T12:00:00.000Z',
  firedAt: '2025-03-12T12:03:00.000Z',
  severitySince: '2025-03-12T12:03:00.000Z',
  resolvedAt: null,
  acknowledged: null,
  escalatedAt: null,
  lastNotifiedAt: null,
  silenceable: true,
  timeline: [],
};
const notice = (kind: Notice['kind'] = 'fired', a: Partial<Alert> = {}): Notice => ({ kind, site: { id: 'alpha', name: 'Alpha' }, alert: { ...alert, ...a }, deliveryId: 'alpha.7.2', at: Date.parse('2025-03-12T12:03:00Z') });
const channel = (over: Record<string, unknown> = {}) => WebhookChannel.parse({ id: 'hook', type: 'webhook', url: 'http://127.0.0.1:9/x', secret: 'sixteen-chars-secret', backoffMs: 10, ...over });

describe('webhook formats and signature', () => {
  it('signs "<timestamp>.<body>" with HMAC-SHA256', () => {
    // Known value: printf '1700000000.{}' | openssl dgst -sha256 -hmac sixteen-chars-secret
    expect(signature('sixteen-chars-secret', '1700000000', '{}')).toBe('sha256=f06265aa08f4698910bcb7292bc7f2e63a3fbcf77f0cf1fad3c8012390ec7847');
    expect(signature('k'.repeat(16), '1', 'a')).not.toBe(signature('k'.repeat(16), '2', 'a'));
  });
  it('has ready formats for JSON, Slack, Teams and ntfy', () => {
    const json = JSON.parse(webhookRequest(channel(), notice()).body);
    expect(json).toMatchObject({ type: 'alert.fired', delivery: 'alpha.7.2', site: { id: 'alpha' }, alert: { id: '7', rule: 'queue', severity: 'critical', title: 'Queue 12 waiting (limit 5)' } });
    expect(JSON.parse(webhookRequest(channel({ format: 'slack' }), notice()).body)).toEqual({ text: '[Alpha] CRITICAL ALERT: Queue 12 waiting (limit 5)' });
    const teams = JSON.parse(webhookRequest(channel({ format: 'teams' }), notice('escalated')).body);
    expect(teams.attachments[0].contentType).toBe('application/vnd.microsoft.card.adaptive');
    expect(JSON.stringify(teams)).toContain('ESCALATED');
    const ntfy = webhookRequest(channel({ format: 'ntfy' }), notice());
    expect(ntfy).toMatchObject({ body: '[Alpha] CRITICAL ALERT: Queue 12 waiting (limit 5)', headers: { Priority: '5', Tags: 'rotating_light' } });
  });
});

describe('webhook delivery', () => {
  const got: Array<{ headers: IncomingHttpHeaders; body: string }> = [];
  const plan: number[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c));
    req.on('end', () => {
      got.push({ headers: req.headers, body });
      res.writeHead(plan.shift() ?? 200).end();
    });
  });
  let url = '';
  beforeAll(async () => {
    await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
    const a = server.address();
    url = `http://127.0.0.1:${typeof a === 'object' && a ? a.port : 0}/hook`;
  });
  afterAll(() => new Promise<void>((ok) => server.close(() => ok())));

  it('retries 5xx with exponential backoff, each attempt signed, the same delivery id', async () => {
    got.length = 0;
    plan.push(503, 500);
    const t0 = Date.now();
    const r = await deliverWebhook(channel({ url, retries: 3, backoffMs: 50 }), notice());
    expect(r).toEqual({ ok: true, attempts: 3, status: 200 });
    expect(Date.now() - t0).toBeGreaterThanOrEqual(150 - 5); // 50 + 100 ms
    for (const g of got) {
      expect(g.headers['x-roomwatch-delivery']).toBe('alpha.7.2');
      expect(g.headers['x-roomwatch-signature']).toBe(signature('sixteen-chars-secret', String(g.headers['x-roomwatch-timestamp']), g.body));
    }
  });
  it('gives up after the retries, and does not retry a 4xx', async () => {
    got.length = 0;
    plan.push(500, 500, 500);
    expect(await deliverWebhook(channel({ url, retries: 2 }), notice())).toMatchObject({ ok: false, attempts: 3, status: 500 });
    got.length = 0;
    plan.push(404);
    expect(await deliverWebhook(channel({ url, retries: 4 }), notice())).toMatchObject({ ok: false, attempts: 1, status: 404 });
    expect(got).toHaveLength(1);
    expect(await deliverWebhook(channel({ url: 'http://127.0.0.1:9/closed', retries: 1 }), notice())).toMatchObject({ ok: false, attempts: 2, status: null });
  });
});

describe('routing, quiet hours and opening hours', () => {
  it('routes by rule, severity and audience; safety is critical or a safety rule', () => {
    const c = channel({ minSeverity: 'critical', rules: ['queue'], audience: 'floor' });
    expect(routes(c, notice('fired'))).toBe(true);
    expect(routes(c, notice('fired', { severity: 'warning' }))).toBe(false);
    expect(routes(c, notice('fired', { rule: 'occupancy' }))).toBe(false);
    expect(routes(c, notice('escalated'))).toBe(false);
    expect(routes(channel({ audience: 'managers' }), notice('escalated'))).toBe(true);
    expect(routes(channel({ audience: 'managers' }), notice('fired'))).toBe(false);
    expect(routes(channel({ resolved: false }), notice('resolved'))).toBe(false);
    expect(isSafety({ rule: 'overdose-cluster', severity: 'warning' })).toBe(true);
    expect(isSafety({ rule: 'queue', severity: 'warning' })).toBe(false);
    expect(channelsOf(alertSettingsOf(undefined)).map((x) => x.id)).toEqual(['push']);
  });
  it('quiet hours may run past midnight', () => {
    const q = { from: '22:00', to: '07:00' };
    expect([21 * 60 + 59, 22 * 60, 3 * 60, 7 * 60].map((m) => inQuietHours(q, m))).toEqual([false, true, true, false]);
    expect(inQuietHours({ from: '09:00', to: '17:00' }, 12 * 60)).toBe(true);
  });
  it('knows when a room is open, windows past midnight included', () => {
    const h17 = [{ days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const, open: '07:30', close: '23:30' }].map((w) => ({ ...w, days: [...w.days] }));
    expect(isOpenAt(h17, 'wed', 7 * 60 + 29)).toBe(false);
    expect(isOpenAt(h17, 'wed', 7 * 60 + 30)).toBe(true);
    expect(isOpenAt(h17, 'wed', 23 * 60 + 30)).toBe(false);
    const night = [{ days: ['fri' as const], open: '22:00', close: '04:00' }];
    expect(isOpenAt(night, 'fri', 23 * 60)).toBe(true);
    expect(isOpenAt(night, 'sat', 3 * 60)).toBe(true);
    expect(isOpenAt(night, 'sat', 23 * 60)).toBe(false);
    expect(isOpenAt('24h', 'sun', 0)).toBe(true);
  });
  it('puts the payday-ahead window from 12:00 the day before to the end of the payday', () => {
    const w = paydayWindow('2025-03-31', 'Europe/Copenhagen', 6, 12);
    expect(new Date(w.notifyFrom).toISOString()).toBe('2025-03-30T10:00:00.000Z'); // 12:00 CEST (DST began that night)
    expect(new Date(w.until).toISOString()).toBe('2025-04-01T04:00:00.000Z'); // 06:00 CEST the day after
  });
});
