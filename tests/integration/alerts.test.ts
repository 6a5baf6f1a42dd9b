import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AlertList, BacktestResult, type Alert } from '../../shared/alerts/schema';
import { businessSlot } from '../../shared/businessTime';
import { addDays } from '../../shared/calendar';
import { keys } from '../../server/store/keys';
import type { AlertSettingsInput } from '../../shared/alerts/settings';
import type { SitesFile } from '../../shared/siteConfig';
import { haveRedis } from '../support/programs';
import { startRedis, type RedisProcess } from '../support/redisServer';
import { connectClient } from '../support/socketClient';
import { send, startTestServer, testSites, type TestServer } from '../support/testServer';

const SECRET = 'integration-test-secret-0123456789';

interface Post {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  json: { type: string; delivery: string; alert: { id: string; rule: string; severity: string } };
}

/** A webhook receiver on loopback that records every POST (any path) and answers 200. */
async function startReceiver(): Promise<{ url: string; posts: Post[]; server: Server }> {
  const posts: Post[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => {
      posts.push({ path: req.url ?? '', headers: req.headers, body, json: JSON.parse(body) as Post['json'] });
      res.writeHead(200).end('ok');
    });
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const addr = server.address();
  return { url: `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`, posts, server };
}

/** What a receiver does: recompute the HMAC of "<timestamp>.<body>" and compare in constant time. */
function verified(p: Post): boolean {
  const ts = String(p.headers['x-roomwatch-timestamp']);
  const got = Buffer.from(String(p.headers['x-roomwatch-signature']));
  const want = Buffer.from(`sha256=${createHmac('sha256', SECRET).update(`${ts}.${p.body}`).digest('hex')}`);
  return got.length === want.length && timingSafeEqual(got, want) && Math.abs(Date.now() / 1000 - Number(ts)) < 300;
}

describe.skipIf(!haveRedis())('alert engine with two instances sharing one Redis', () => {
  let redis: RedisProcess;
  let a: TestServer;
  let b: TestServer;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let leadToken: string;
  let now = Date.parse('2025-03-12T12:00:00Z'); // a Wednesday, 13:00 in Copenhagen
  const clock = () => now;
  const advance = (minutes: number) => (now += minutes * 60_000);

  /** Both instances evaluate at once (as two instances reacting to the same moment would). */
  const evaluateBoth = async () => {
    await Promise.all([a.app.alerts.evaluate('alpha'), b.app.alerts.evaluate('alpha')]);
    await Promise.all([a.app.alerts.settled(), b.app.alerts.settled()]);
  };
  const postsTo = (path: string) => receiver.posts.filter((p) => p.path === `/${path}`);
  const types = (path: string) => postsTo(path).map((p) => `${p.json.type}:${p.json.alert.rule}:${p.json.alert.severity}`);
  const active = async (): Promise<Alert[]> => AlertList.parse((await a.send('GET', '/api/sites/alpha/alerts?state=active')).body).alerts;
  const set = async (srv: TestServer, body: { queue?: number; onShift?: number }) => {
    if (body.onShift !== undefined) expect((await srv.send('PUT', '/api/sites/alpha/staffing', { onShift: body.onShift })).status).toBe(200);
    if (body.queue !== undefined) expect((await srv.send('POST', '/api/sites/alpha/queue', { op: 'set', count: body.queue })).status).toBe(200);
    await evaluateBoth();
  };

  beforeAll(async () => {
    redis = await startRedis();
    receiver = await startReceiver();
    const hook = (id: string, extra: Record<string, unknown>) => ({ id, type: 'webhook' as const, url: `${receiver.url}/${id}`, secret: SECRET, retries: 2, backoffMs: 20, ...extra });
    const alerts: AlertSettingsInput = {
      // Keep the rules this test does not drive out of the counts.
      rules: { 'no-data': { enabled: false }, 'forecast-gap': { enabled: false }, overstay: { enabled: false }, 'payday-ahead': { enabled: false } },
      repeatMinutes: 10,
      escalateAfterMinutes: 10,
      channels: [
        hook('floor', { audience: 'floor' }),
        hook('managers', { audience: 'managers' }),
        hook('quiet', { audience: 'floor', quietHours: { from: '00:00', to: '23:59' } }),
      ],
    };
    const base = testSites();
    const sites: SitesFile = { sites: base.sites.map((s) => (s.id === 'alpha' ? { ...s, alerts: alerts as never } : s)) };
    a = await startTestServer({ redisUrl: redis.url, sites, clock });
    b = await startTestServer({ redisUrl: redis.url, sites, clock });
    // Ticks are driven by hand here, on the controlled clock.
    await Promise.all([a.app.alerts.stop(), b.app.alerts.stop()]);
    leadToken = await a.token('api', 'lead', ['alpha']);
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await new Promise((ok) => receiver?.server.close(ok));
    await redis?.destroy();
  });

  it('sends exactly one signed POST per transition although both instances evaluate', async () => {
    await set(a, { onShift: 10, queue: 6 });
    expect((await active()).map((x) => [x.rule, x.state])).toEqual([['queue', 'pending']]);
    advance(2);
    await evaluateBoth();
    expect(receiver.posts).toHaveLength(0); // still pending: 3 minutes for the queue rule
    advance(1);
    await evaluateBoth();
    await evaluateBoth();
    expect(types('floor')).toEqual(['alert.fired:queue:warning']);
    expect(postsTo('managers')).toHaveLength(0); // escalations only
    expect(postsTo('quiet')).toHaveLength(0); // held back: quiet hours, not a safety alert
    for (const p of receiver.posts) expect(verified(p)).toBe(true);
    expect(receiver.posts[0]!.headers['x-roomwatch-delivery']).toBe(receiver.posts[0]!.json.delivery);
    const [alert] = await active();
    expect(alert).toMatchObject({ rule: 'queue', state: 'firing', severity: 'warning', detail: { value: 6 } });
    expect(alert!.timeline.map((t) => `${t.kind}${t.channel ? `:${t.channel}` : ''}`)).toEqual(expect.arrayContaining(['pending', 'fired', 'notified:floor', 'held:quiet']));
  });

  it('reminds every 10 minutes until acknowledged; the ack stops reminders; a worse level notifies again', async () => {
    advance(10);
    await evaluateBoth();
    expect(types('floor')).toEqual(['alert.fired:queue:warning', 'alert.reminder:queue:warning']);
    const [alert] = await active();
    const ack = await send(b.baseUrl, 'POST', `/api/sites/alpha/alerts/${alert!.id}/ack`, { comment: 'Second reception desk opened' }, { authorization: `Bearer ${leadToken}` });
    expect(ack.status).toBe(200);
    expect(ack.body.acknowledged).toMatchObject({ severity: 'warning', comment: 'Second reception desk opened' });
    for (let i = 0; i < 3; i++) {
      advance(10);
      await evaluateBoth();
    }
    expect(postsTo('floor')).toHaveLength(2); // silenced
    await set(b, { queue: 11 });
    expect(types('floor').at(-1)).toBe('alert.worsened:queue:critical');
    expect(postsTo('floor')).toHaveLength(3);
    expect(receiver.posts.every(verified)).toBe(true);
  });

  it('escalates an unacknowledged critical alert to managers once, after the set time', async () => {
    advance(9);
    await evaluateBoth();
    expect(postsTo('managers')).toHaveLength(0);
    advance(1);
    await evaluateBoth();
    await evaluateBoth();
    expect(types('managers')).toEqual(['alert.escalated:queue:critical']);
    expect(types('floor').at(-1)).toBe('alert.reminder:queue:critical');
    advance(30);
    await evaluateBoth();
    expect(postsTo('managers')).toHaveLength(1);
  });

  it('resolves below the clear threshold and keeps the whole timeline in the history', async () => {
    await set(a, { queue: 2 });
    expect(types('floor').at(-1)).toBe('alert.resolved:queue:critical');
    expect(await active()).toEqual([]);
    const all = AlertList.parse((await a.send('GET', '/api/sites/alpha/alerts?state=all')).body).alerts;
    const q = all.find((x) => x.rule === 'queue')!;
    expect(q.state).toBe('resolved');
    const kinds = q.timeline.map((t) => t.kind);
    for (const k of ['pending', 'fired', 'notified', 'repeated', 'acknowledged', 'worsened', 'escalated', 'resolved'] as const) expect(kinds).toContain(k);
    expect(q.timeline.find((t) => t.kind === 'acknowledged')).toMatchObject({ comment: 'Second reception desk opened' });
    expect(q.timeline.find((t) => t.kind === 'acknowledged')!.by).toBeTruthy();
  });

  it('the responder floor ignores acknowledgements and quiet hours', async () => {
    const before = { floor: postsTo('floor').length, quiet: postsTo('quiet').length };
    await set(a, { onShift: 0, queue: 1 });
    expect(types('floor').slice(before.floor)).toEqual(['alert.fired:responder-floor:critical']);
    expect(types('quiet').slice(before.quiet)).toEqual(['alert.fired:responder-floor:critical']);
    const alert = (await active()).find((x) => x.rule === 'responder-floor')!;
    expect(alert.silenceable).toBe(false);
    const ack = await send(a.baseUrl, 'POST', `/api/sites/alpha/alerts/${alert.id}/ack`, {}, { authorization: `Bearer ${leadToken}` });
    expect(ack.status).toBe(200);
    advance(10);
    await evaluateBoth();
    await evaluateBoth();
    expect(types('floor').slice(before.floor)).toContain('alert.reminder:responder-floor:critical');
    expect(types('quiet').slice(before.quiet)).toContain('alert.reminder:responder-floor:critical');
    await set(b, { onShift: 3 });
    expect(types('floor').at(-1)).toBe('alert.resolved:responder-floor:critical');
    expect(receiver.posts.every(verified)).toBe(true);
    // Exactly one POST per delivery id: no transition was notified twice.
    const ids = receiver.posts.map((p) => `${p.path} ${p.json.delivery}`);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('an overdose cluster fires at once, and an undone overdose takes it back', async () => {
    await set(a, { onShift: 10 }); // enough responders for two overdoses
    const before = postsTo('floor').length;
    const first = await a.send('POST', '/api/sites/alpha/incidents', { kind: 'overdose', naloxone: true });
    advance(20);
    const second = await b.send('POST', '/api/sites/alpha/incidents', { kind: 'overdose' });
    expect([first.status, second.status]).toEqual([201, 201]);
    await evaluateBoth();
    expect(types('floor').slice(before)).toEqual(['alert.fired:overdose-cluster:critical']);
    expect((await b.send('POST', '/api/sites/alpha/undo', { seq: second.body.seq })).status).toBe(200);
    await evaluateBoth();
    expect(types('floor').slice(before)).toEqual(['alert.fired:overdose-cluster:critical', 'alert.resolved:overdose-cluster:critical']);
    // Two again, then the 60-minute window passes.
    await b.send('POST', '/api/sites/alpha/incidents', { kind: 'overdose' });
    await evaluateBoth();
    advance(45);
    await evaluateBoth();
    expect((await active()).some((x) => x.rule === 'overdose-cluster')).toBe(false);
    expect(types('floor').slice(before).filter((t) => t.startsWith('alert.fired'))).toHaveLength(2);
  });

  it('a paired wall that stops reporting for 2 minutes raises "wall screen offline" on any instance', async () => {
    const before = postsTo('floor').length;
    const wall = await connectClient(a.baseUrl, await a.token('display', 'display', ['alpha']));
    const beat = () => wall.socket.timeout(2_000).emitWithAck('display:heartbeat', { siteId: 'alpha' });
    expect(await beat()).toMatchObject({ ok: true });
    advance(1);
    await evaluateBoth();
    expect(postsTo('floor')).toHaveLength(before);
    advance(1);
    await evaluateBoth();
    expect(types('floor').slice(before)).toEqual(['alert.fired:wall-offline:warning']);
    expect(await beat()).toMatchObject({ ok: true });
    await evaluateBoth();
    expect(types('floor').slice(before)).toEqual(['alert.fired:wall-offline:warning', 'alert.resolved:wall-offline:warning']);
    wall.socket.disconnect();
  });

  it('backtests a threshold over the last 30 days of hourly counters', async () => {
    const today = businessSlot(now, 'Europe/Copenhagen', 6).date;
    const r = a.store.redis;
    // Peak queues: 7 at 18:00 and 19:00 three days ago (one episode), 12 at 20:00 ten days ago, 4 elsewhere.
    await r.hset(keys.hour('alpha', addDays(today, -3), 18), 'peak:queue', '7');
    await r.hset(keys.hour('alpha', addDays(today, -3), 19), 'peak:queue', '7');
    await r.hset(keys.hour('alpha', addDays(today, -10), 20), 'peak:queue', '12');
    await r.hset(keys.hour('alpha', addDays(today, -11), 20), 'peak:queue', '4');
    const at = async (threshold: number) => BacktestResult.parse((await a.send('GET', `/api/sites/alpha/alerts/backtest?rule=queue&threshold=${threshold}`)).body);
    expect(await at(5)).toMatchObject({ hoursReplayed: 720, hoursWithData: 4, hoursOver: 3, episodes: 2, from: addDays(today, -30) });
    expect(await at(10)).toMatchObject({ hoursOver: 1, episodes: 1 });
    expect((await at(5)).notes[0]).toMatch(/peak queue/);
    expect((await a.send('GET', '/api/sites/alpha/alerts/backtest?rule=overstay&threshold=5')).status).toBe(400);
  });

  it('the tick lock lets only one instance evaluate', async () => {
    const [ta, tb] = await Promise.all([a.app.alerts.tick(), b.app.alerts.tick()]);
    expect([ta, tb].filter(Boolean)).toHaveLength(1);
    const holder = ta ? a : b;
    const other = ta ? b : a;
    expect(await holder.app.alerts.tick()).toBe(true); // renews
    expect(await other.app.alerts.tick()).toBe(false);
    await holder.app.alerts.stop(); // releases
    expect(await other.app.alerts.tick()).toBe(true);
  });

  it('acks need a lead, refuse long comments and closed alerts, and the channel test signs its POST', async () => {
    const all = AlertList.parse((await a.send('GET', '/api/sites/alpha/alerts?state=all')).body).alerts;
    const closed = all.find((x) => x.state === 'resolved')!;
    const staff = await a.token('api', 'staff', ['alpha']);
    expect((await send(a.baseUrl, 'POST', `/api/sites/alpha/alerts/${closed.id}/ack`, {}, { authorization: `Bearer ${staff}` })).status).toBe(403);
    expect((await send(a.baseUrl, 'POST', `/api/sites/alpha/alerts/${closed.id}/ack`, { comment: 'x'.repeat(201) }, { authorization: `Bearer ${leadToken}` })).status).toBe(400);
    expect((await send(a.baseUrl, 'POST', `/api/sites/alpha/alerts/${closed.id}/ack`, {}, { authorization: `Bearer ${leadToken}` })).status).toBe(409);
    const n = receiver.posts.length;
    const test = await a.send('POST', '/api/sites/alpha/channels/floor/test');
    expect(test).toMatchObject({ status: 200, body: { ok: true, attempts: 1, status: 200 } });
    expect(receiver.posts).toHaveLength(n + 1);
    expect(receiver.posts.at(-1)!.json.type).toBe('test');
    expect(verified(receiver.posts.at(-1)!)).toBe(true);
  });
});
