import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays } from '../../shared/calendar';
import { localDateOf } from '../../shared/openingHours';
import { roleAtLeast, type Role } from '../../shared/vocabulary';
import { haveRedis } from '../support/programs';
import { startRedis, type RedisProcess } from '../support/redisServer';
import { connectClient } from '../support/socketClient';
import { send, startTestServer, type TestServer } from '../support/testServer';

/**
 * Route × role × site-scope: every API route, every kind of caller, the exact status. A route
 * the app serves without a row here fails the first test, so nothing ships unprotected by accident.
 */
interface Caller {
  name: string;
  role: Role | null; // null: anonymous
  sites: '*' | string[];
  kind?: 'api' | 'display';
}
const CALLERS: Caller[] = [
  { name: 'anonymous', role: null, sites: [] },
  { name: 'display@alpha', role: 'display', sites: ['alpha'], kind: 'display' },
  { name: 'staff@alpha', role: 'staff', sites: ['alpha'] },
  { name: 'staff@beta', role: 'staff', sites: ['beta'] },
  { name: 'lead@alpha', role: 'lead', sites: ['alpha'] },
  { name: 'lead@beta', role: 'lead', sites: ['beta'] },
  { name: 'manager@alpha', role: 'manager', sites: ['alpha'] },
  { name: 'admin@*', role: 'admin', sites: '*' },
];

interface Ctx {
  srv: TestServer;
  caller: Caller;
  token: string | undefined;
  booth: string; // a booth of alpha owned by this caller, so booth commands are valid in order
  unique: string;
}
interface Row {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: string; // as registered
  /** Least role; 'public' routes answer everyone the same. */
  min: Role | 'public';
  /** Site-scoped routes answer 404 to callers outside the site. */
  site?: boolean;
  ok: number;
  /** Where the site comes in the body, not the path: the exact answers for callers it decides. */
  special?: Partial<Record<string, number>>;
  request: (c: Ctx) => Promise<{ path: string; body?: unknown }> | { path: string; body?: unknown };
}

const A = '/api/sites/alpha';
const booth = (cmd: string, body?: unknown): Row => ({
  method: 'POST',
  path: `/api/sites/:siteId/booths/:boothId/${cmd}`,
  min: 'staff',
  site: true,
  ok: 200,
  request: (c) => ({ path: `${A}/booths/${c.booth}/${cmd}`, body }),
});

const ROWS: Row[] = [
  { method: 'GET', path: '/api/health', min: 'public', ok: 200, request: () => ({ path: '/api/health' }) },
  { method: 'GET', path: '/api/live', min: 'public', ok: 200, request: () => ({ path: '/api/live' }) },
  { method: 'POST', path: '/api/auth/logout', min: 'public', ok: 200, request: () => ({ path: '/api/auth/logout' }) },
  { method: 'POST', path: '/api/pairing', min: 'public', ok: 201, request: () => ({ path: '/api/pairing', body: {} }) },
  { method: 'GET', path: '/api/pairing/:secret', min: 'public', ok: 404, request: () => ({ path: '/api/pairing/not-a-secret' }) },
  {
    method: 'POST',
    path: '/api/auth/login',
    min: 'public',
    ok: 401,
    request: (c) => ({ path: '/api/auth/login', body: { username: `nobody-${c.unique}`, password: 'wrong-password' } }),
  },
  { method: 'GET', path: '/api/me', min: 'display', ok: 200, request: () => ({ path: '/api/me' }) },
  { method: 'GET', path: '/api/sites', min: 'display', ok: 200, request: () => ({ path: '/api/sites' }) },
  { method: 'GET', path: '/api/sites/:siteId/forecast', min: 'display', site: true, ok: 200, request: () => ({ path: `${A}/forecast?date=2026-11-27` }) },
  { method: 'GET', path: '/api/calendar/paydays', min: 'display', ok: 200, request: () => ({ path: '/api/calendar/paydays?year=2026' }) },
  { method: 'GET', path: '/api/sites/:siteId/staffing-plan', min: 'display', site: true, ok: 200, request: () => ({ path: `${A}/staffing-plan?hours=6` }) },
  { method: 'GET', path: '/api/sites/:siteId/snapshot', min: 'display', site: true, ok: 200, request: () => ({ path: `${A}/snapshot` }) },
  // The other sites of alpha's network: anyone who may see alpha (a display token of alpha too).
  { method: 'GET', path: '/api/sites/:siteId/network', min: 'display', site: true, ok: 200, request: () => ({ path: `${A}/network` }) },
  booth('check-in', { substance: 'cocaine', route: 'injection' }),
  booth('check-out'),
  booth('cleaned'),
  booth('out-of-service', { reason: 'repair' }),
  booth('back-in-service'),
  { method: 'POST', path: '/api/sites/:siteId/queue', min: 'staff', site: true, ok: 200, request: () => ({ path: `${A}/queue`, body: { op: 'join' } }) },
  { method: 'PUT', path: '/api/sites/:siteId/staffing', min: 'staff', site: true, ok: 200, request: () => ({ path: `${A}/staffing`, body: { onShift: 4 } }) },
  { method: 'POST', path: '/api/sites/:siteId/incidents', min: 'staff', site: true, ok: 201, request: () => ({ path: `${A}/incidents`, body: { kind: 'other' } }) },
  { method: 'POST', path: '/api/sites/:siteId/registrations', min: 'staff', site: true, ok: 201, request: () => ({ path: `${A}/registrations`, body: {} }) },
  {
    method: 'POST',
    path: '/api/sites/:siteId/undo',
    min: 'staff',
    site: true,
    ok: 200,
    // each caller undoes its own registration (callers that cannot register undo seq 1)
    request: async (c) => {
      const own = await send(c.srv.baseUrl, 'POST', `${A}/registrations`, {}, c.token ? { authorization: `Bearer ${c.token}` } : {});
      return { path: `${A}/undo`, body: { seq: own.status === 201 ? own.body.seq : 1 } };
    },
  },
  { method: 'GET', path: '/api/sites/:siteId/alerts', min: 'display', site: true, ok: 200, request: () => ({ path: `${A}/alerts?state=all` }) },
  {
    method: 'GET',
    path: '/api/sites/:siteId/alerts/backtest',
    min: 'manager',
    site: true,
    ok: 200,
    request: () => ({ path: `${A}/alerts/backtest?rule=queue&threshold=5` }),
  },
  {
    method: 'POST',
    path: '/api/sites/:siteId/alerts/:alertId/ack',
    min: 'lead',
    site: true,
    ok: 200,
    // two overdoses make an overdose-cluster alert fire at once (no pending period); a repeat ack is a no-op
    request: async (c) => {
      for (let i = 0; i < 2; i++) await c.srv.send('POST', `${A}/incidents`, { kind: 'overdose' });
      await c.srv.app.alerts.evaluate('alpha');
      const list = await c.srv.send('GET', `${A}/alerts?state=active`);
      const alert = (list.body.alerts as Array<{ id: string; rule: string }>).find((x) => x.rule === 'overdose-cluster');
      return { path: `${A}/alerts/${alert?.id ?? 'none'}/ack`, body: { comment: 'matrix' } };
    },
  },
  { method: 'GET', path: '/api/sites/:siteId/alerts/history', min: 'lead', site: true, ok: 200, request: () => ({ path: `${A}/alerts/history?from=2025-03-01&to=2025-03-31` }) },
  { method: 'GET', path: '/api/sites/:siteId/alerts.csv', min: 'manager', site: true, ok: 200, request: () => ({ path: `${A}/alerts.csv?from=2025-03-01&to=2025-03-31` }) },
  { method: 'POST', path: '/api/sites/:siteId/handovers', min: 'lead', site: true, ok: 201, request: () => ({ path: `${A}/handovers`, body: { note: 'matrix: room 2 sink leaks' } }) },
  { method: 'GET', path: '/api/sites/:siteId/handovers', min: 'display', site: true, ok: 200, request: () => ({ path: `${A}/handovers` }) },
  {
    method: 'GET',
    path: '/api/sites/:siteId/handovers/:id',
    min: 'display',
    site: true,
    ok: 200,
    request: async (c) => ({ path: `${A}/handovers/${(await c.srv.send('POST', `${A}/handovers`, {})).body.id as string}` }),
  },
  {
    method: 'POST',
    path: '/api/sites/:siteId/handovers/:id/read',
    min: 'staff',
    site: true,
    ok: 200,
    request: async (c) => ({ path: `${A}/handovers/${(await c.srv.send('POST', `${A}/handovers`, {})).body.id as string}/read` }),
  },
  { method: 'GET', path: '/api/sites/:siteId/alerts/settings', min: 'manager', site: true, ok: 200, request: () => ({ path: `${A}/alerts/settings` }) },
  { method: 'POST', path: '/api/sites/:siteId/channels/:channelId/test', min: 'manager', site: true, ok: 200, request: () => ({ path: `${A}/channels/in-app/test` }) },
  { method: 'GET', path: '/api/push/key', min: 'display', ok: 200, request: () => ({ path: '/api/push/key' }) },
  {
    method: 'POST',
    path: '/api/push/subscriptions',
    // people and tokens with a phone to wake; a wall screen (display) shows its alerts on screen
    min: 'staff',
    ok: 201,
    request: (c) => ({ path: '/api/push/subscriptions', body: { endpoint: `https://fcm.googleapis.com/fcm/send/matrix-${c.unique}`, keys: { p256dh: 'k', auth: 'a' } } }),
  },
  {
    method: 'POST',
    path: '/api/pairing/claim',
    min: 'lead',
    site: true,
    ok: 201,
    request: async (c) => {
      const started = await send(c.srv.baseUrl, 'POST', '/api/pairing', {});
      return { path: '/api/pairing/claim', body: { code: started.body.code, siteId: 'alpha' } };
    },
  },
  { method: 'GET', path: '/api/tokens', min: 'lead', ok: 200, request: () => ({ path: '/api/tokens' }) },
  {
    method: 'POST',
    path: '/api/tokens',
    min: 'lead',
    ok: 201,
    // a lead of another site may not issue a token for alpha: forbidden, not hidden
    special: { 'lead@beta': 403 },
    request: () => ({ path: '/api/tokens', body: { kind: 'display', name: 'Matrix wall', sites: ['alpha'] } }),
  },
  {
    method: 'DELETE',
    path: '/api/tokens/:id',
    min: 'lead',
    ok: 204,
    // alpha's tokens are invisible to a lead of beta
    special: { 'lead@beta': 404 },
    request: async (c) => {
      const made = await c.srv.send('POST', '/api/tokens', { kind: 'display', name: 'to revoke', sites: ['alpha'] });
      return { path: `/api/tokens/${made.body.id}` };
    },
  },
  { method: 'GET', path: '/api/users', min: 'admin', ok: 200, request: () => ({ path: '/api/users' }) },
  {
    method: 'POST',
    path: '/api/users',
    min: 'admin',
    ok: 201,
    request: (c) => ({ path: '/api/users', body: { username: `user-${c.unique}`, password: 'long-enough-pw', role: 'staff', sites: ['alpha'] } }),
  },
  {
    method: 'PATCH',
    path: '/api/users/:username',
    min: 'admin',
    ok: 200,
    request: async (c) => {
      await c.srv.send('POST', '/api/users', { username: `patch-${c.unique}`, password: 'long-enough-pw', role: 'staff', sites: ['alpha'] });
      return { path: `/api/users/patch-${c.unique}`, body: { displayName: 'Renamed' } };
    },
  },
  { method: 'GET', path: '/api/audit', min: 'admin', ok: 200, request: () => ({ path: '/api/audit' }) },
  // Manager view (issue 8): history, report, site settings.
  { method: 'GET', path: '/api/sites/:siteId/history', min: 'manager', site: true, ok: 200, request: () => ({ path: `${A}/history?from=2025-03-01&to=2025-03-31&bucket=day` }) },
  { method: 'GET', path: '/api/sites/:siteId/report.csv', min: 'manager', site: true, ok: 200, request: () => ({ path: `${A}/report.csv?from=2025-03-01&to=2025-03-31` }) },
  { method: 'GET', path: '/api/sites/:siteId/config', min: 'manager', site: true, ok: 200, request: () => ({ path: `${A}/config` }) },
  {
    method: 'PUT',
    path: '/api/sites/:siteId/config',
    min: 'manager',
    site: true,
    ok: 200,
    // the current config, unchanged: allowed callers store the same thing again
    request: async (c) => ({ path: `${A}/config`, body: (await c.srv.send('GET', `${A}/config`)).body }),
  },
  // Incidents and rooms (issue 13).
  { method: 'GET', path: '/api/sites/:siteId/incidents', min: 'display', site: true, ok: 200, request: () => ({ path: `${A}/incidents` }) },
  {
    method: 'POST',
    path: '/api/sites/:siteId/incidents/:incidentId/close',
    min: 'staff',
    site: true,
    ok: 200,
    // each caller closes an overdose the admin has just recorded
    request: async (c) => {
      const made = await c.srv.send('POST', `${A}/incidents`, { kind: 'medical' });
      return { path: `${A}/incidents/${made.body.incident.id}/close`, body: { outcome: 'recovered' } };
    },
  },
  {
    method: 'POST',
    path: '/api/sites/:siteId/rooms/:roomId/open',
    min: 'lead',
    site: true,
    ok: 200,
    request: async (c) => {
      await closeSmokingRoom(c.srv);
      return { path: `${A}/rooms/smk/open`, body: { until: new Date(Date.now() + 3_600_000).toISOString() } };
    },
  },
  {
    method: 'POST',
    path: '/api/sites/:siteId/rooms/:roomId/close',
    min: 'lead',
    site: true,
    ok: 200,
    // the admin opens the (closed) smoking room early; each caller tries to end that
    request: async (c) => {
      await closeSmokingRoom(c.srv);
      await c.srv.send('POST', `${A}/rooms/smk/open`, { until: new Date(Date.now() + 3_600_000).toISOString() });
      return { path: `${A}/rooms/smk/close`, body: {} };
    },
  },
];

/** Gives alpha's smoking room a dated closure around today, so it can be opened early (and ended). */
async function closeSmokingRoom(srv: TestServer): Promise<void> {
  const config = (await srv.send('GET', `${A}/config`)).body;
  const today = localDateOf(Date.now(), config.timeZone);
  const closure = [{ from: addDays(today, -1), to: addDays(today, 1), hours: 'closed' }];
  if (JSON.stringify(config.rooms[1].datedHours) === JSON.stringify(closure)) return;
  config.rooms[1].datedHours = closure;
  const r = await srv.send('PUT', `${A}/config`, config);
  if (r.status !== 200) throw new Error(`could not close the smoking room: ${JSON.stringify(r.body)}`);
}

/** Exactly what a caller gets from a row. Scope is checked before role: hidden sites are 404. */
function expected(row: Row, c: Caller): number {
  if (row.min === 'public') return row.ok;
  const special = row.special?.[c.name];
  if (special !== undefined) return special;
  if (c.role === null) return 401;
  const inScope = c.sites === '*' || c.sites.includes('alpha');
  if (row.site && !inScope) return 404;
  return roleAtLeast(c.role, row.min) ? row.ok : 403;
}

describe.skipIf(!haveRedis())('access matrix', () => {
  let redis: RedisProcess;
  let srv: TestServer;
  const tokens = new Map<string, string>();
  const booths = new Map<string, string>();

  beforeAll(async () => {
    redis = await startRedis();
    srv = await startTestServer({ redisUrl: redis.url });
    const free = ['inj-1', 'inj-2', 'inj-3', 'inj-4', 'smk-1', 'smk-2', 'smk-3'];
    for (const c of CALLERS) {
      if (c.role) tokens.set(c.name, await srv.token(c.kind ?? 'api', c.role, c.sites));
      booths.set(c.name, c.role && roleAtLeast(c.role, 'staff') && (c.sites === '*' || c.sites.includes('alpha')) ? free.shift()! : 'inj-1');
    }
  });
  afterAll(async () => {
    await srv?.close();
    await redis?.destroy();
  });

  it('has a row for every route the app serves, and no row for a route it does not', () => {
    const served = srv.app.routes().map((r) => `${r.method} ${r.path}`).sort();
    const rows = ROWS.map((r) => `${r.method} ${r.path}`).sort();
    expect(served).toEqual(rows);
  });

  let n = 0;
  for (const row of ROWS) {
    it(`${row.method} ${row.path}`, async () => {
      const got: Record<string, number> = {};
      const want: Record<string, number> = {};
      for (const caller of CALLERS) {
        const token = tokens.get(caller.name);
        const req = await row.request({ srv, caller, token, booth: booths.get(caller.name)!, unique: `${++n}` });
        const res = await send(srv.baseUrl, row.method as 'GET', req.path, req.body, token ? { authorization: `Bearer ${token}` } : {});
        got[caller.name] = res.status;
        want[caller.name] = expected(row, caller);
      }
      expect(got).toEqual(want);
    });
  }

  it('site:subscribe over Socket.IO follows the same policy', async () => {
    const anonymous = connectClient(srv.baseUrl);
    await expect(anonymous).rejects.toThrow(/unauthenticated/);
    const outcome: Record<string, string> = {};
    for (const caller of CALLERS.filter((c) => c.role)) {
      const client = await connectClient(srv.baseUrl, tokens.get(caller.name));
      const ack = await client.subscribe('alpha');
      outcome[caller.name] = ack.ok ? 'ok' : ack.error.code;
      client.socket.disconnect();
    }
    expect(outcome).toEqual({
      'display@alpha': 'ok',
      'staff@alpha': 'ok',
      'staff@beta': 'not_found',
      'lead@alpha': 'ok',
      'lead@beta': 'not_found',
      'manager@alpha': 'ok',
      'admin@*': 'ok',
    });
  });
});
