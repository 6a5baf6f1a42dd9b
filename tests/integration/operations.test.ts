import { describe, expect, it } from 'vitest';
import { haveRedis } from '../support/programs';
import { serverOnRedis } from '../support/serverFixture';
import { connectClient } from '../support/socketClient';
import { send } from '../support/testServer';

describe.skipIf(!haveRedis())('operations: metrics, request ids, readiness and liveness', () => {
  const { srv } = serverOnRedis();

  it('serves Prometheus metrics to admins only, with commands by type and outcome', async () => {
    expect((await send(srv.baseUrl, 'GET', '/metrics')).status).toBe(401);
    const staff = await srv.token('api', 'staff', '*');
    expect((await send(srv.baseUrl, 'GET', '/metrics', undefined, { authorization: `Bearer ${staff}` })).status).toBe(403);

    const client = await connectClient(srv.baseUrl, srv.adminToken);
    await client.subscribe('alpha');
    await srv.send('POST', '/api/sites/alpha/booths/inj-1/check-in', { substance: 'heroin', route: 'injection' }, { 'Idempotency-Key': 'metrics-0001' });
    await srv.send('POST', '/api/sites/alpha/booths/inj-1/check-in', { substance: 'heroin', route: 'injection' }, { 'Idempotency-Key': 'metrics-0001' });
    await srv.send('POST', '/api/sites/alpha/booths/inj-1/check-in', { substance: 'heroin', route: 'injection' });
    await client.next((c) => c.type === 'check-in'); // relayed from Redis: the frame metric is in once the screen has it
    const m = await srv.send('GET', '/metrics');
    expect(m.status).toBe(200);
    const text = String(m.body);
    expect(text).toContain('roomwatch_commands_total{type="check-in",outcome="ok"} 1');
    expect(text).toContain('roomwatch_commands_total{type="check-in",outcome="replayed"} 1');
    expect(text).toContain('roomwatch_commands_total{type="check-in",outcome="conflict"} 1');
    expect(text).toMatch(/roomwatch_connected_sockets 1/);
    expect(text).toMatch(/roomwatch_http_request_duration_seconds_count\{method="POST",route="\/api\/sites\/:siteId\/booths\/:boothId\/check-in",status="200"\} 2/);
    expect(text).toMatch(/roomwatch_push_fanout_seconds_count 1/);
    expect(text).toMatch(/roomwatch_push_frame_changes_count 1/);
    expect(text).toMatch(/roomwatch_nodejs_eventloop_lag_p99_seconds/);
    expect(text).toMatch(/roomwatch_redis_errors_total/);
    client.socket.disconnect();
  });

  it('labels a route once, whatever its status: 200, 400, 404 and 409 all read the full /api pattern', async () => {
    const path = (booth: string) => `/api/sites/alpha/booths/${booth}/check-in`;
    expect((await srv.send('POST', path('inj-3'), { substance: 'cocaine', route: 'injection' })).status).toBe(200);
    expect((await srv.send('POST', path('inj-3'), { substance: 'not-a-drug', route: 'injection' })).status).toBe(400);
    expect((await srv.send('POST', path('no-such-booth'), { substance: 'cocaine', route: 'injection' })).status).toBe(404);
    expect((await srv.send('POST', path('inj-3'), { substance: 'cocaine', route: 'injection' })).status).toBe(409);
    const text = String((await srv.send('GET', '/metrics')).body);
    const series = new Map<string, string>();
    for (const line of text.split('\n')) {
      const m = /^roomwatch_http_request_duration_seconds_count\{method="POST",route="([^"]*)",status="(\d+)"\} (\d+)$/.exec(line);
      if (m && /check-in/.test(m[1]!)) series.set(m[2]!, m[1]!);
    }
    expect([...series.keys()].sort()).toEqual(expect.arrayContaining(['200', '400', '404', '409']));
    expect(new Set(series.values())).toEqual(new Set(['/api/sites/:siteId/booths/:boothId/check-in']));
  });

  it('counts an Idempotency-Key replay under its route too', async () => {
    const body = { kind: 'display', name: 'Wall by the door', sites: ['alpha'] };
    for (let i = 0; i < 2; i++) expect((await srv.send('POST', '/api/tokens', body, { 'Idempotency-Key': 'metrics-replay-01' })).status).toBe(201);
    const text = String((await srv.send('GET', '/metrics')).body);
    expect(text).toMatch(/roomwatch_http_request_duration_seconds_count\{method="POST",route="\/api\/tokens",status="201"\} 2/);
  });

  it('gives every response a request id, keeping a sane one the caller sent', async () => {
    const own = await fetch(`${srv.baseUrl}/api/live`, { headers: { 'x-request-id': 'trace-12345678' } });
    expect(own.headers.get('x-request-id')).toBe('trace-12345678');
    const fresh = await fetch(`${srv.baseUrl}/api/live`, { headers: { 'x-request-id': 'bad id with spaces' } });
    expect(fresh.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('splits readiness (store) from liveness (process)', async () => {
    expect((await send(srv.baseUrl, 'GET', '/api/health')).body).toMatchObject({ status: 'ok', redis: 'up' });
    expect((await send(srv.baseUrl, 'GET', '/api/live')).body).toEqual({ status: 'ok' });
  });
});
