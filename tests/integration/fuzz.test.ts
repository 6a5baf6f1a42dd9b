import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../../server/sim/rng';
import { haveRedis } from '../support/programs';
import { serverOnRedis } from '../support/serverFixture';
import { send } from '../support/testServer';

const deep = (n: number): unknown => (n === 0 ? 'x' : { a: deep(n - 1) });
const ATOMS: unknown[] = [null, true, false, 0, -1, 1e308, -0.5, NaN, '', ' ', 'x'.repeat(5000), '\u0000', '🙂', '<script>alert(1)</script>', "' OR 1=1 --", '../../etc/passwd', [], [1, 2], 'COCAINE', 'injection ', 'Join', 'sett', { op: 'join', extra: 1 }];
// Every body here is invalid by construction (no `{}`, no valid enum value), so any 2xx is a bug.
const KEYS = ['substance', 'route', 'assisted', 'reason', 'op', 'count', 'onShift', 'kind', 'boothId', 'naloxone', 'username', 'password', 'role', 'sites', 'name', 'code', 'siteId', 'seq', 'displayName', 'disabled', '__proto__', 'constructor', 'prototype'];

function hostileBody(rand: () => number): string {
  const pick = <T>(xs: T[]) => xs[Math.floor(rand() * xs.length)]!;
  switch (Math.floor(rand() * 8)) {
    case 0:
      return JSON.stringify(pick(ATOMS));
    case 1:
      return '{"__proto__": {"polluted": "yes"}, "constructor": {"prototype": {"polluted": "yes"}}}';
    case 2:
      return JSON.stringify(deep(200 + Math.floor(rand() * 300)));
    case 3:
      return '{"substance": "cocaine", "route": '; // truncated JSON
    case 4:
      return JSON.stringify(Array.from({ length: 1 + Math.floor(rand() * 50) }, () => pick(ATOMS)));
    default: {
      const o: Record<string, unknown> = {};
      // defineProperty: `o.__proto__ = x` would set the prototype and leave `{}`, a valid body for routes whose fields are all optional.
      for (let i = 0; i < 1 + Math.floor(rand() * 6); i++) Object.defineProperty(o, pick(KEYS), { value: pick(ATOMS), enumerable: true, configurable: true, writable: true });
      return JSON.stringify(o).replace('"prototype"', '"__proto__"');
    }
  }
}

describe.skipIf(!haveRedis())('fuzzing every write route', () => {
  const { srv } = serverOnRedis();

  const state = async () => ({
    alpha: (await srv.send('GET', '/api/sites/alpha/snapshot')).body,
    beta: (await srv.send('GET', '/api/sites/beta/snapshot')).body,
    users: (await srv.send('GET', '/api/users')).body,
    tokens: (await srv.send('GET', '/api/tokens')).body.map((t: { id: string }) => t.id),
  });

  it('answers only 4xx, changes nothing, and stays alive', async () => {
    const rand = mulberry32(20261126);
    const routes = srv.app.routes().filter((r) => r.method !== 'GET');
    const before = await state();
    const statuses = new Map<number, number>();
    let sent = 0;
    for (const route of routes) {
      for (let i = 0; i < 20; i++) {
        const path = route.path
          .replace(':siteId', i % 5 === 4 ? '..%2F..%2Fadmin' : 'alpha')
          .replace(':boothId', i % 3 === 2 ? 'inj-1%00' : 'inj-1')
          .replace(':username', 'admin')
          .replace(':id', 'zz')
          .replace(':roomId', 'inj')
          .replace(':incidentId', '1')
          .replace(':secret', 'x');
        // Routes that read no body at all (start a pairing, sign out) answer 2xx to anything.
        if (route.path === '/api/pairing' || route.path === '/api/auth/logout') continue;
        const r = await send(srv.baseUrl, route.method as 'POST', path, hostileBody(rand), { authorization: `Bearer ${srv.adminToken}` });
        statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1);
        sent++;
        expect(r.status, `${route.method} ${path}`).toBeGreaterThanOrEqual(400);
        expect(r.status, `${route.method} ${path}`).toBeLessThan(500);
        expect(JSON.stringify(r.body)).not.toMatch(/node_modules|at Object\.|stack/);
      }
    }
    expect(sent).toBeGreaterThan(250);
    const after = await state();
    expect(after.alpha.seq).toBe(before.alpha.seq);
    expect(after.alpha.counters).toEqual(before.alpha.counters);
    expect(after.beta.seq).toBe(before.beta.seq);
    expect(after.users).toEqual(before.users);
    expect(after.tokens).toEqual(before.tokens);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect((await send(srv.baseUrl, 'GET', '/api/health')).status).toBe(200);
    console.log(`fuzz: ${sent} requests, statuses ${JSON.stringify(Object.fromEntries(statuses))}`);
  });
});
