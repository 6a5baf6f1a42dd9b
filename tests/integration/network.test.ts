import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NetworkSummary } from '../../shared/network';
import { haveRedis } from '../support/programs';
import { startRedis, type RedisProcess } from '../support/redisServer';
import { connectClient, type TestSocket } from '../support/socketClient';
import { waitFor } from '../support/waitFor';
import { send, startTestServer, type TestServer } from '../support/testServer';

/**
 * The network of sites (issue 18) on real Redis with two instances: alpha (Copenhagen) and beta
 * (New York) form the network "Testby" in tests/fixtures/sites.test.yaml, 6 minutes apart.
 */
describe.skipIf(!haveRedis())('network of sites', () => {
  let redis: RedisProcess;
  let one: TestServer;
  let two: TestServer;
  // A Wednesday, 12:00 in New York (beta open 07:30–23:30), 17:00 in Copenhagen; the clock runs.
  const start = performance.now();
  const clock = () => Date.parse('2026-03-11T16:00:00Z') + Math.round(performance.now() - start);

  beforeAll(async () => {
    redis = await startRedis();
    one = await startTestServer({ redisUrl: redis.url, clock });
    two = await startTestServer({ redisUrl: redis.url, clock });
  });
  afterAll(async () => {
    await one?.close();
    await two?.close();
    await redis?.destroy();
  });

  /** Follows a site's network on a socket; records every `network:changed`. */
  async function follow(srv: TestServer, token: string, siteId: string) {
    const c = await connectClient(srv.baseUrl, token);
    const pushes: NetworkSummary[] = [];
    c.socket.on('network:changed', (s) => pushes.push(NetworkSummary.parse(s)));
    const ack = await c.socket.timeout(5_000).emitWithAck('network:subscribe', { siteId });
    return { socket: c.socket as TestSocket, pushes, ack, subscribeSite: c.subscribe };
  }

  it('lists the other sites of the network with their live figures and the walk', async () => {
    await one.send('POST', '/api/sites/beta/queue', { op: 'set', count: 15 });
    await one.send('POST', '/api/sites/beta/booths/b-east/check-in', { substance: 'cocaine', route: 'injection' });
    const r = await one.send('GET', '/api/sites/alpha/network');
    expect(r.status).toBe(200);
    const summary = NetworkSummary.parse(r.body);
    expect(summary).toMatchObject({ siteId: 'alpha', network: 'Testby', redirectWaitMinutes: 20 });
    expect(summary.sites).toHaveLength(1);
    expect(summary.sites[0]).toMatchObject({
      id: 'beta',
      name: 'Beta',
      open: true,
      // 23:30 in New York on 11 March 2026 (EDT since the 8th) is 03:30Z on the 12th.
      closesAt: '2026-03-12T03:30:00.000Z',
      walkMinutes: 6,
      rooms: [{ kind: 'injection', open: true, free: 1, places: 2 }],
      queue: 14,
    });
    expect(summary.sites[0]!.waitMinutes).toBeGreaterThan(0);
    // Beta names no walk to alpha; alpha's figure counts both ways.
    const back = NetworkSummary.parse((await two.send('GET', '/api/sites/beta/network')).body);
    expect(back.sites.map((s) => [s.id, s.walkMinutes])).toEqual([['alpha', 6]]);
    expect(back.sites[0]!.rooms.map((k) => k.kind)).toEqual(['injection', 'inhalation']);
  });

  it('pushes a change on one site through instance 1 to a network follower of the other site on instance 2, coalesced', async () => {
    const display = await two.token('display', 'display', ['beta']);
    const f = await follow(two, display, 'beta');
    if (!f.ack.ok) throw new Error(f.ack.error.message);
    const queue0 = f.ack.summary.sites[0]!.queue;
    const t0 = performance.now();
    for (let i = 0; i < 12; i++) await one.send('POST', '/api/sites/alpha/queue', { op: 'join' });
    await waitFor(() => f.pushes.at(-1)?.sites[0]?.queue === queue0 + 12, 'the follower to see alpha\'s queue after 12 joins');
    const seconds = (performance.now() - t0) / 1000;
    // At most one push per network per second (plus the one in flight at each edge).
    expect(f.pushes.length).toBeLessThanOrEqual(Math.ceil(seconds) + 2);
    expect(f.pushes.every((p) => p.siteId === 'beta' && p.sites.length === 1 && p.sites[0]!.id === 'alpha')).toBe(true);
    f.socket.disconnect();
  });

  it('keeps scopes: a display token of one site sees its network summary and nothing else of the other site', async () => {
    const display = await one.token('display', 'display', ['alpha']);
    const bearer = { authorization: `Bearer ${display}` };
    expect((await send(one.baseUrl, 'GET', '/api/sites/alpha/network', undefined, bearer)).status).toBe(200);
    // Another site is not found for this token (404, so site ids cannot be probed), over HTTP and sockets.
    for (const path of ['/api/sites/beta/snapshot', '/api/sites/beta/network', '/api/sites/beta/forecast']) {
      const r = await send(one.baseUrl, 'GET', path, undefined, bearer);
      expect([403, 404], path).toContain(r.status);
    }
    const f = await follow(one, display, 'beta');
    expect(f.ack).toMatchObject({ ok: false, error: { code: 'not_found' } });
    expect(await f.subscribeSite('beta')).toMatchObject({ ok: false });
    // A change at beta now reaches no one on that socket.
    await two.send('POST', '/api/sites/beta/queue', { op: 'join' });
    await new Promise((r) => setTimeout(r, 1_500));
    expect(f.pushes).toEqual([]);
    f.socket.disconnect();
    // A staff member limited to alpha: the summary, not beta's floor.
    await one.send('POST', '/api/users', { username: 'skyen-staff', password: 'staff-password-1', role: 'staff', sites: ['alpha'] });
    const login = await fetch(`${one.baseUrl}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'skyen-staff', password: 'staff-password-1' }) });
    const cookie = /rw_session=[^;]+/.exec(login.headers.get('set-cookie') ?? '')?.[0] ?? '';
    expect((await send(one.baseUrl, 'GET', '/api/sites/alpha/network', undefined, { cookie })).status).toBe(200);
    expect([403, 404]).toContain((await send(one.baseUrl, 'POST', '/api/sites/beta/queue', { op: 'join' }, { cookie, origin: one.baseUrl })).status);
    // Anonymous: 401.
    expect((await send(one.baseUrl, 'GET', '/api/sites/alpha/network')).status).toBe(401);
  });

  it('records a walk-away sent to a network site; refuses other sentTo values with 400 naming the field', async () => {
    await one.send('POST', '/api/sites/alpha/queue', { op: 'set', count: 15 });
    const before = (await one.send('GET', '/api/sites/alpha/snapshot')).body;
    const ok = await one.send('POST', '/api/sites/alpha/queue', { op: 'leave', sentTo: 'beta' });
    expect(ok.status).toBe(200);
    expect(ok.body.queue).toBe(14);
    for (const sentTo of ['alpha', 'nowhere', 'Not An Id!', 42]) {
      const r = await one.send('POST', '/api/sites/alpha/queue', { op: 'leave', sentTo });
      expect(r.status, String(sentTo)).toBe(400);
      expect(r.body.error.details.map((d: { path: string }) => d.path)).toEqual(['sentTo']);
    }
    const after = (await one.send('GET', '/api/sites/alpha/snapshot')).body;
    expect(after.seq).toBe(before.seq + 1);
    expect(after.counters.sentTo.beta).toBe((before.counters.sentTo?.beta ?? 0) + 1);
    // Managers see it per day in history and in the report.
    const day = after.businessDate as string;
    const history = await one.send('GET', `/api/sites/alpha/history?from=${day}&to=${day}&bucket=day`);
    expect(history.body.buckets[0].counters.sentTo.beta).toBe(after.counters.sentTo.beta);
    const csv = await fetch(`${one.baseUrl}/api/sites/alpha/report.csv?from=${day}&to=${day}`, { headers: { authorization: `Bearer ${one.adminToken}` } });
    const [head, row] = (await csv.text()).split('\r\n').map((l) => l.split(','));
    const col = head!.indexOf('sent_to_beta');
    expect(col).toBe(head!.indexOf('walk_aways') + 1);
    expect(Number(row![col])).toBe(after.counters.sentTo.beta);
  });

  it('checks walking minutes in Settings against the network: 400 naming the field', async () => {
    const base = (await one.send('GET', '/api/sites/alpha/config')).body;
    const bad = await one.send('PUT', '/api/sites/alpha/config', { ...base, walkMinutes: { beta: 6, ghost: 3 } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details).toEqual([expect.objectContaining({ path: 'walkMinutes.ghost' })]);
    const self = await one.send('PUT', '/api/sites/alpha/config', { ...base, walkMinutes: { alpha: 1 } });
    expect(self.body.error.details).toEqual([expect.objectContaining({ path: 'walkMinutes.alpha' })]);
    // A good change (8 minutes, a 25-minute threshold) is read back and reaches the other instance's summary.
    const good = await one.send('PUT', '/api/sites/alpha/config', { ...base, walkMinutes: { beta: 8 }, redirectWaitMinutes: 25 });
    expect(good.status).toBe(200);
    expect(good.body).toMatchObject({ network: 'Testby', walkMinutes: { beta: 8 }, redirectWaitMinutes: 25 });
    await waitFor(async () => (await two.send('GET', '/api/sites/alpha/network')).body.sites[0]?.walkMinutes === 8, 'instance 2 to reload alpha');
    expect((await two.send('GET', '/api/sites/alpha/network')).body.redirectWaitMinutes).toBe(25);
  });
});
