import { describe, expect, it } from 'vitest';
import { haveRedis } from '../support/programs';
import { serverOnRedis } from '../support/serverFixture';


const CHECK_IN = { substance: 'cocaine', route: 'injection' };

describe.skipIf(!haveRedis())('floor HTTP API on real Redis', () => {
  const seq = async () => (await srv.send('GET', '/api/sites/alpha/snapshot')).body.seq as number;

  const { srv } = serverOnRedis();

  it('reports health with the store kind', async () => {
    const r = await srv.send('GET', '/api/health');
    expect(r).toEqual({ status: 200, body: { status: 'ok', store: 'redis', redis: 'up' } });
  });

  it('lists sites with rooms and booths, and serves a snapshot', async () => {
    const sites = await srv.send('GET', '/api/sites');
    expect(sites.body.map((s: { id: string }) => s.id)).toEqual(['alpha', 'beta']);
    expect(sites.body[1].rooms[0]).toMatchObject({ maxSessionMinutes: 1, booths: [{ id: 'b-east' }, { id: 'b-west' }] });
    const snap = await srv.send('GET', '/api/sites/alpha/snapshot');
    expect(snap.status).toBe(200);
    expect(snap.body.booths).toHaveLength(7);
    expect(snap.body.hourlyIntakes).toHaveLength(24);
  });

  it('answers 404 for unknown sites, booths and routes', async () => {
    expect((await srv.send('GET', '/api/sites/nowhere/snapshot')).status).toBe(404);
    expect((await srv.send('POST', '/api/sites/nowhere/queue', { op: 'join' })).status).toBe(404);
    const b = await srv.send('POST', '/api/sites/alpha/booths/inj-99/check-in', CHECK_IN);
    expect(b).toMatchObject({ status: 404, body: { error: { code: 'not_found' } } });
    expect((await srv.send('GET', '/api/nothing-here')).status).toBe(404);
  });

  it.each([
    ['/api/sites/alpha/booths/inj-1/check-in', 'POST', { substance: 'crack', route: 'injection' }, ['substance']],
    ['/api/sites/alpha/booths/inj-1/check-in', 'POST', { route: 'injection', assisted: 1 }, ['substance', 'assisted']],
    ['/api/sites/alpha/booths/inj-1/check-in', 'POST', '{"substance":', ['(body)']],
    ['/api/sites/alpha/booths/inj-1/check-in', 'POST', [1, 2], ['(body)']],
    ['/api/sites/alpha/booths/inj-1/out-of-service', 'POST', { reason: 'a name' }, ['reason']],
    ['/api/sites/alpha/booths/inj-1/check-out', 'POST', { extra: true }, ['(body)']],
    ['/api/sites/alpha/queue', 'POST', { op: 'set', count: -4 }, ['count']],
    ['/api/sites/alpha/queue', 'POST', { op: 'teleport' }, ['op']],
    ['/api/sites/alpha/staffing', 'PUT', { onShift: 'many' }, ['onShift']],
    ['/api/sites/alpha/incidents', 'POST', { kind: 'overdose', boothId: 'nope' }, ['boothId']],
    ['/api/sites/alpha/incidents', 'POST', { kind: 'fight', naloxone: 'yes' }, ['kind', 'naloxone']],
    ['/api/sites/alpha/registrations', 'POST', { name: 'Jens' }, ['(body)']],
  ] as const)('%s %s %j → 400 naming %j, seq unchanged', async (path, method, body, fields) => {
    const before = await seq();
    const r = await srv.send(method, path, body);
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe('invalid_input');
    expect(r.body.error.details.map((d: { path: string }) => d.path)).toEqual(fields);
    expect(await seq()).toBe(before);
  });

  it('refuses a bad Idempotency-Key header with 400', async () => {
    const r = await srv.send('POST', '/api/sites/alpha/registrations', {}, { 'Idempotency-Key': 'no' });
    expect(r.status).toBe(400);
    expect(r.body.error.details[0].path).toBe('Idempotency-Key');
  });

  it('50 concurrent check-ins on one booth: exactly one succeeds, 49 get 409, intakes +1', async () => {
    const before = (await srv.send('GET', '/api/sites/alpha/snapshot')).body;
    const results = await Promise.all(
      Array.from({ length: 50 }, () => srv.send('POST', '/api/sites/alpha/booths/inj-2/check-in', CHECK_IN)),
    );
    const ok = results.filter((r) => r.status === 200);
    const conflicts = results.filter((r) => r.status === 409);
    expect(ok).toHaveLength(1);
    expect(conflicts).toHaveLength(49);
    for (const c of conflicts) expect(c.body.error.details.current.booth.state).toBe('occupied');
    const after = (await srv.send('GET', '/api/sites/alpha/snapshot')).body;
    expect(after.counters.intakes).toBe(before.counters.intakes + 1);
    expect(after.seq).toBe(before.seq + 1);
  });

  it('the same Idempotency-Key 20 times at once: one effect, 20 identical replies', async () => {
    const before = (await srv.send('GET', '/api/sites/alpha/snapshot')).body;
    const headers = { 'Idempotency-Key': 'retry-4b1d6c0e-0001' };
    const results = await Promise.all(
      Array.from({ length: 20 }, () => srv.send('POST', '/api/sites/alpha/queue', { op: 'join' }, headers)),
    );
    expect(new Set(results.map((r) => JSON.stringify(r))).size).toBe(1);
    expect(results[0]!.status).toBe(200);
    const after = (await srv.send('GET', '/api/sites/alpha/snapshot')).body;
    expect(after.seq).toBe(before.seq + 1);
    expect(after.counters.queueJoins).toBe(before.counters.queueJoins + 1);
  });

  it('a reused key with another body gets 422 and changes nothing', async () => {
    const headers = { 'Idempotency-Key': 'reuse-4b1d6c0e-0002' };
    await srv.send('POST', '/api/sites/alpha/incidents', { kind: 'medical' }, headers);
    const before = await seq();
    const r = await srv.send('POST', '/api/sites/alpha/incidents', { kind: 'overdose' }, headers);
    expect(r.status).toBe(422);
    expect(await seq()).toBe(before);
  });

  it('runs a booth through a whole session over HTTP', async () => {
    const base = '/api/sites/alpha/booths/smk-1';
    expect((await srv.send('POST', `${base}/check-in`, { substance: 'heroin', route: 'inhalation', assisted: true })).body.booth.state).toBe('occupied');
    expect((await srv.send('POST', `${base}/check-out`)).body.booth.state).toBe('cleaning');
    const conflict = await srv.send('POST', `${base}/check-out`);
    expect(conflict.status).toBe(409);
    expect(conflict.body.error.details.current.booth.state).toBe('cleaning');
    expect((await srv.send('POST', `${base}/cleaned`)).body.booth.state).toBe('free');
    expect((await srv.send('POST', `${base}/out-of-service`, { reason: 'repair' })).body.booth).toMatchObject({ state: 'out_of_service', reason: 'repair' });
    expect((await srv.send('POST', `${base}/back-in-service`)).body.booth.state).toBe('free');
    expect((await srv.send('PUT', '/api/sites/alpha/staffing', { onShift: 3 })).body.onShift).toBe(3);
    expect((await srv.send('POST', '/api/sites/alpha/registrations')).status).toBe(201);
  });
});
