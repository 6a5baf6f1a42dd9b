import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requestFingerprint } from '../../server/http/idempotency';
import type { PushTransport } from '../../server/alerts/push';
import { haveRedis } from '../support/programs';
import { startRedis, type RedisProcess } from '../support/redisServer';
import { connectClient } from '../support/socketClient';
import { send, startTestServer, type TestServer } from '../support/testServer';

/**
 * Every write route honours `Idempotency-Key`, route by route like the access matrix: the same
 * key with the same request returns the first reply and changes nothing; the same key with a
 * different request is 422. A write route without a row here (or an exemption with its reason)
 * fails the first test, so a new route cannot ship without it.
 */
interface Ctx {
  srv: TestServer;
  unique: string;
}
interface Request {
  path: string;
  body?: unknown;
}
interface Row {
  method: 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: string; // as registered
  /** The request, and a different one (other body or path) to send with the same key. */
  request: (c: Ctx) => Promise<{ first: Request; other: Request }> | { first: Request; other: Request };
  /** Something the write changes, read before and after: the repeat must leave it as the first left it. */
  effect?: (c: Ctx) => Promise<unknown>;
}

/** Writes that do not replay a stored reply, and why. */
const EXEMPT: Record<string, string> = {
  'POST /api/auth/login': 'the reply is a fresh session cookie, a secret never stored anywhere but the browser; a repeat simply signs in again',
  'POST /api/auth/logout': 'ending a session is idempotent by itself and the reply carries nothing',
};

const A = '/api/sites/alpha';
const seq = async (c: Ctx) => (await c.srv.send('GET', `${A}/snapshot`)).body.seq as number;
const audits = async (c: Ctx) => ((await c.srv.send('GET', '/api/audit?limit=1000')).body as unknown[]).length;
const tokenCount = async (c: Ctx) => ((await c.srv.send('GET', '/api/tokens')).body as unknown[]).length;

/** Puts booth `b` of alpha in `state` (through the API), so each booth command has a valid start. */
async function boothIn(c: Ctx, b: string, state: 'free' | 'occupied' | 'cleaning' | 'out_of_service'): Promise<void> {
  const cmd = (name: string, body: unknown = {}) => c.srv.send('POST', `${A}/booths/${b}/${name}`, body);
  await cmd('out-of-service', { reason: 'other' });
  await cmd('back-in-service');
  if (state === 'free') return;
  if (state === 'out_of_service') return void (await cmd('out-of-service', { reason: 'repair' }));
  await cmd('check-in', { substance: 'cocaine', route: 'injection' });
  if (state === 'cleaning') await cmd('check-out');
}

const booth = (cmd: string, from: 'free' | 'occupied' | 'cleaning' | 'out_of_service', body: unknown, otherBody: unknown): Row => ({
  method: 'POST',
  path: `/api/sites/:siteId/booths/:boothId/${cmd}`,
  request: async (c) => {
    await boothIn(c, 'inj-2', from);
    await boothIn(c, 'inj-3', from);
    return { first: { path: `${A}/booths/inj-2/${cmd}`, body }, other: { path: `${A}/booths/inj-3/${cmd}`, body: otherBody } };
  },
  effect: seq,
});

const ROWS: Row[] = [
  booth('check-in', 'free', { substance: 'heroin', route: 'injection' }, { substance: 'cocaine', route: 'injection' }),
  booth('check-out', 'occupied', {}, {}),
  booth('cleaned', 'cleaning', {}, {}),
  booth('out-of-service', 'free', { reason: 'repair' }, { reason: 'biohazard' }),
  booth('back-in-service', 'out_of_service', {}, {}),
  { method: 'POST', path: '/api/sites/:siteId/queue', request: () => ({ first: { path: `${A}/queue`, body: { op: 'join' } }, other: { path: `${A}/queue`, body: { op: 'set', count: 15 } } }), effect: seq },
  // A walk-away sent to another site of the network (issue 18): counted once per key.
  {
    method: 'POST',
    path: '/api/sites/:siteId/queue',
    request: async (c) => {
      await c.srv.send('POST', `${A}/queue`, { op: 'set', count: 15 });
      return { first: { path: `${A}/queue`, body: { op: 'leave', sentTo: 'beta' } }, other: { path: `${A}/queue`, body: { op: 'leave' } } };
    },
    effect: async (c) => (await c.srv.send('GET', `${A}/snapshot`)).body.counters.sentTo?.beta ?? 0,
  },
  { method: 'PUT', path: '/api/sites/:siteId/staffing', request: (c) => ({ first: { path: `${A}/staffing`, body: { onShift: 4 + (Number(c.unique) % 5) } }, other: { path: `${A}/staffing`, body: { onShift: 2 } } }), effect: seq },
  { method: 'POST', path: '/api/sites/:siteId/incidents', request: () => ({ first: { path: `${A}/incidents`, body: { kind: 'medical' } }, other: { path: `${A}/incidents`, body: { kind: 'other' } } }), effect: seq },
  // (a floor command's key belongs to its site: the other request is another command at alpha)
  { method: 'POST', path: '/api/sites/:siteId/registrations', request: () => ({ first: { path: `${A}/registrations`, body: {} }, other: { path: `${A}/incidents`, body: { kind: 'other' } } }), effect: seq },
  {
    method: 'POST',
    path: '/api/sites/:siteId/undo',
    request: async (c) => {
      const a = (await c.srv.send('POST', `${A}/registrations`, {})).body.seq as number;
      const b = (await c.srv.send('POST', `${A}/registrations`, {})).body.seq as number;
      return { first: { path: `${A}/undo`, body: { seq: a } }, other: { path: `${A}/undo`, body: { seq: b } } };
    },
    effect: seq,
  },
  {
    method: 'POST',
    path: '/api/sites/:siteId/alerts/:alertId/ack',
    request: async (c) => {
      for (let i = 0; i < 2; i++) await c.srv.send('POST', `${A}/incidents`, { kind: 'overdose' });
      await c.srv.app.alerts.evaluate('alpha');
      const list = await c.srv.send('GET', `${A}/alerts?state=active`);
      const alert = (list.body.alerts as Array<{ id: string; rule: string }>).find((x) => x.rule === 'overdose-cluster');
      return { first: { path: `${A}/alerts/${alert?.id}/ack`, body: { comment: 'two staff with him' } }, other: { path: `${A}/alerts/${alert?.id}/ack`, body: { comment: 'different' } } };
    },
  },
  {
    method: 'POST',
    path: '/api/sites/:siteId/handovers',
    request: () => ({ first: { path: `${A}/handovers`, body: { note: 'sink in room 2 leaks' } }, other: { path: `${A}/handovers`, body: { note: 'another note' } } }),
    effect: async (c) => (await c.srv.send('GET', `${A}/handovers`)).body.handovers.length,
  },
  {
    method: 'POST',
    path: '/api/sites/:siteId/handovers/:id/read',
    request: async (c) => {
      const a = (await c.srv.send('POST', `${A}/handovers`, {})).body.id as string;
      const b = (await c.srv.send('POST', `${A}/handovers`, {})).body.id as string;
      return { first: { path: `${A}/handovers/${a}/read` }, other: { path: `${A}/handovers/${b}/read` } };
    },
  },
  {
    method: 'POST',
    path: '/api/sites/:siteId/channels/:channelId/test',
    request: () => ({ first: { path: `${A}/channels/push/test` }, other: { path: `${A}/channels/in-app/test` } }),
    effect: async () => testPushes().length,
  },
  {
    method: 'POST',
    path: '/api/push/subscriptions',
    request: (c) => {
      const sub = (n: string) => ({ endpoint: `https://fcm.googleapis.com/fcm/send/idem-${c.unique}-${n}`, keys: { p256dh: 'k', auth: 'a' } });
      return { first: { path: '/api/push/subscriptions', body: sub('a') }, other: { path: '/api/push/subscriptions', body: sub('b') } };
    },
    effect: async (c) => c.srv.store.redis.hlen('rw:{push}:subscriptions'),
  },
  {
    method: 'POST',
    path: '/api/pairing',
    request: () => ({ first: { path: '/api/pairing', body: {} }, other: { path: '/api/pairing', body: { extra: 1 } } }),
  },
  {
    method: 'POST',
    path: '/api/pairing/claim',
    request: async (c) => {
      const code = (await send(c.srv.baseUrl, 'POST', '/api/pairing', {})).body.code as string;
      return { first: { path: '/api/pairing/claim', body: { code, siteId: 'alpha' } }, other: { path: '/api/pairing/claim', body: { code, siteId: 'beta' } } };
    },
    effect: tokenCount,
  },
  {
    method: 'POST',
    path: '/api/tokens',
    request: () => ({ first: { path: '/api/tokens', body: { kind: 'display', name: 'Wall by the door', sites: ['alpha'] } }, other: { path: '/api/tokens', body: { kind: 'display', name: 'Another wall', sites: ['alpha'] } } }),
    effect: tokenCount,
  },
  {
    method: 'DELETE',
    path: '/api/tokens/:id',
    request: async (c) => {
      const a = (await c.srv.send('POST', '/api/tokens', { kind: 'display', name: 'to revoke', sites: ['alpha'] })).body.id as string;
      const b = (await c.srv.send('POST', '/api/tokens', { kind: 'display', name: 'to keep', sites: ['alpha'] })).body.id as string;
      return { first: { path: `/api/tokens/${a}` }, other: { path: `/api/tokens/${b}` } };
    },
    effect: tokenCount,
  },
  {
    method: 'POST',
    path: '/api/users',
    request: (c) => {
      const user = (n: string) => ({ username: `idem-${c.unique}-${n}`, displayName: 'Søren Kierkegaard-Østergaard', password: 'long-enough-pw', role: 'staff', sites: ['alpha'] });
      return { first: { path: '/api/users', body: user('a') }, other: { path: '/api/users', body: user('b') } };
    },
    effect: audits,
  },
  {
    method: 'PATCH',
    path: '/api/users/:username',
    request: async (c) => {
      await c.srv.send('POST', '/api/users', { username: `patch-${c.unique}`, password: 'long-enough-pw', role: 'staff', sites: ['alpha'] });
      return { first: { path: `/api/users/patch-${c.unique}`, body: { password: 'a-new-password-1' } }, other: { path: `/api/users/patch-${c.unique}`, body: { password: 'another-password-2' } } };
    },
    effect: audits,
  },
  {
    method: 'PUT',
    path: '/api/sites/:siteId/config',
    request: async (c) => {
      const base = (await c.srv.send('GET', `${A}/config`)).body as { name: string };
      return { first: { path: `${A}/config`, body: { ...base, name: 'Alpha Vesterbro' } }, other: { path: `${A}/config`, body: { ...base, name: 'Alpha Nørrebro' } } };
    },
    effect: audits,
  },
  {
    method: 'POST',
    path: '/api/sites/:siteId/incidents/:incidentId/close',
    request: async (c) => {
      const open = async () => (await c.srv.send('POST', `${A}/incidents`, { kind: 'overdose' })).body.incident.id as string;
      const [a, b] = [await open(), await open()];
      return { first: { path: `${A}/incidents/${a}/close`, body: { outcome: 'recovered' } }, other: { path: `${A}/incidents/${b}/close`, body: { outcome: 'ambulance' } } };
    },
    effect: seq,
  },
  {
    method: 'POST',
    path: '/api/sites/:siteId/rooms/:roomId/open',
    request: async (c) => {
      // A dated closure around today (any date the suite runs at) has the smoking room closed.
      const base = (await c.srv.send('GET', `${A}/config`)).body as { rooms: Array<{ id: string }> };
      const at = (await c.srv.send('GET', `${A}/snapshot`)).body.at as string;
      const day = (d: number) => new Date(Date.parse(at) + d * 86_400_000).toISOString().slice(0, 10);
      const closed = { from: day(-1), to: day(1), hours: 'closed', label: 'Ombygning' };
      const put = await c.srv.send('PUT', `${A}/config`, { ...base, rooms: base.rooms.map((r) => (r.id === 'smk' ? { ...r, datedHours: [closed] } : r)) });
      if (put.status !== 200) throw new Error(`could not close smk: ${JSON.stringify(put.body)}`);
      const until = (h: number) => new Date(Date.parse(at) + h * 3_600_000).toISOString();
      return { first: { path: `${A}/rooms/smk/open`, body: { until: until(1) } }, other: { path: `${A}/rooms/smk/open`, body: { until: until(2) } } };
    },
    effect: seq,
  },
  {
    method: 'POST',
    path: '/api/sites/:siteId/rooms/:roomId/close',
    // (the row above left smk opened early)
    request: () => ({ first: { path: `${A}/rooms/smk/close`, body: {} }, other: { path: `${A}/rooms/inj/close`, body: {} } }),
    effect: seq,
  },
];

/**
 * Every push sent, with its tag. Alerts may fire and push to the lead's phone while these tests
 * run (at some "todays" a time-dependent rule fires), so the channel-test checks count only the
 * test notices (tag `<site>:test`).
 */
const pushes: Array<{ endpoint: string; tag: string }> = [];
const testPushes = () => pushes.filter((p) => p.tag.endsWith(':test')).map((p) => p.endpoint);
const transport: PushTransport = async (sub, payload) => {
  pushes.push({ endpoint: sub.endpoint, tag: (JSON.parse(payload) as { tag: string }).tag });
  return { statusCode: 201 };
};

describe.skipIf(!haveRedis())('Idempotency-Key on every write route', () => {
  let redis: RedisProcess;
  let srv: TestServer;

  beforeAll(async () => {
    redis = await startRedis();
    srv = await startTestServer({ redisUrl: redis.url, pushTransport: transport });
    // a lead with a phone, so a push channel test really sends
    await srv.send('POST', '/api/users', { username: 'lead-phone', password: 'lead-password-1', role: 'lead', sites: ['alpha'] });
    const login = await fetch(`${srv.baseUrl}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'lead-phone', password: 'lead-password-1' }) });
    const cookie = /rw_session=[^;]+/.exec(login.headers.get('set-cookie') ?? '')?.[0] ?? '';
    await send(srv.baseUrl, 'POST', '/api/push/subscriptions', { endpoint: 'https://fcm.googleapis.com/fcm/send/lead-phone', keys: { p256dh: 'k', auth: 'a' } }, { cookie });
  });
  afterAll(async () => {
    await srv?.close();
    await redis?.destroy();
  });

  it('has a row (or a stated exemption) for every write route the app serves', () => {
    const writes = srv.app
      .routes()
      .filter((r) => r.method !== 'GET')
      .map((r) => `${r.method} ${r.path}`)
      .sort();
    // (a route may have more than one row: the queue's sentTo is a second request shape)
    const covered = [...new Set([...ROWS.map((r) => `${r.method} ${r.path}`), ...Object.keys(EXEMPT)])].sort();
    expect(covered).toEqual(writes);
  });

  let n = 0;
  for (const row of ROWS) {
    it(`${row.method} ${row.path}: a repeat returns the first reply and changes nothing; another request with the key is 422`, async () => {
      const c: Ctx = { srv, unique: `${++n}` };
      const { first, other } = await row.request(c);
      const key = `idem-${n}-${row.method}-${Date.now()}`.slice(0, 100);
      const before = await row.effect?.(c);
      const r1 = await srv.send(row.method, first.path, first.body, { 'Idempotency-Key': key });
      expect(r1.status, JSON.stringify(r1.body)).toBeLessThan(300);
      const after = await row.effect?.(c);
      if (row.effect) expect(after, 'the first request changes something').not.toEqual(before);

      const r2 = await srv.send(row.method, first.path, first.body, { 'Idempotency-Key': key });
      expect(r2).toEqual(r1);
      if (row.effect) expect(await row.effect(c), 'the repeat changes nothing').toEqual(after);

      const r3 = await srv.send(row.method, other.path, other.body, { 'Idempotency-Key': key });
      expect(r3.status).toBe(422);
      expect(r3.body.error.code).toBe('idempotency_key_reused');
      if (row.effect) expect(await row.effect(c), 'a refused reuse changes nothing').toEqual(after);
    });
  }

  it('marks a replay, keeps callers apart, and tells a retry that arrives while the first is still running to wait', async () => {
    const body = { kind: 'display', name: 'Wall in the staff room', sites: ['alpha'] };
    const key = 'scope-check-0001';
    const first = await fetch(`${srv.baseUrl}/api/tokens`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${srv.adminToken}`, 'Idempotency-Key': key }, body: JSON.stringify(body) });
    expect(first.headers.get('idempotent-replayed')).toBeNull();
    const again = await fetch(`${srv.baseUrl}/api/tokens`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${srv.adminToken}`, 'Idempotency-Key': key }, body: JSON.stringify({ sites: ['alpha'], name: 'Wall in the staff room', kind: 'display' }) });
    expect(again.headers.get('idempotent-replayed')).toBe('true'); // same request, keys in another order
    expect(await again.json()).toEqual(await first.json());
    // another caller's identical key is another request
    const lead = await srv.token('api', 'lead', ['alpha']);
    const theirs = await send(srv.baseUrl, 'POST', '/api/tokens', body, { authorization: `Bearer ${lead}`, 'Idempotency-Key': key });
    expect(theirs.status).toBe(201);

    // a first request still in flight (as another instance would have marked it)
    const adminId = (await srv.send('GET', '/api/tokens')).body.find((t: { name: string }) => t.name === 'test admin').id as string;
    const pendingKey = 'in-flight-0001';
    await srv.store.redis.set(`rw:{idem}:token:${adminId}:${pendingKey}`, `pending\x1e${requestFingerprint(['POST', '/api/tokens', body])}`, 'PX', 60_000);
    const busy = await fetch(`${srv.baseUrl}/api/tokens`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${srv.adminToken}`, 'Idempotency-Key': pendingKey }, body: JSON.stringify(body) });
    expect(busy.status).toBe(409);
    expect(busy.headers.get('retry-after')).toBe('1');
    expect(((await busy.json()) as { error: { code: string } }).error.code).toBe('request_in_progress');
  });

  it('sends a channel test once, however often it is retried', async () => {
    pushes.length = 0;
    const wall = await connectClient(srv.baseUrl, srv.adminToken);
    expect((await wall.subscribe('alpha')).ok).toBe(true);
    let tests = 0;
    wall.socket.on('alert:changed', (e) => {
      if (e.kind === 'test') tests++;
    });
    for (let i = 0; i < 3; i++) expect((await srv.send('POST', `${A}/channels/in-app/test`, undefined, { 'Idempotency-Key': 'channel-test-once' })).status).toBe(200);
    for (let i = 0; i < 3; i++) expect((await srv.send('POST', `${A}/channels/push/test`, undefined, { 'Idempotency-Key': 'push-test-once' })).status).toBe(200);
    await new Promise((r) => setTimeout(r, 200));
    expect(tests).toBe(1);
    const sent = testPushes();
    expect(sent).toContain('https://fcm.googleapis.com/fcm/send/lead-phone');
    expect(new Set(sent).size, `each phone once: ${JSON.stringify(pushes)}`).toBe(sent.length);
    wall.socket.disconnect();
  });
});
