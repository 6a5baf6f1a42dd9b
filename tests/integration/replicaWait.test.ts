import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { haveRedis } from '../support/programs';
import { startRedis, type RedisProcess } from '../support/redisServer';
import { connectClient } from '../support/socketClient';
import { startTestServer, type TestServer } from '../support/testServer';

/**
 * ROOMWATCH_REDIS_WAIT_REPLICAS=1 with a real primary and replica: while the replica cannot
 * confirm (frozen), writes answer 503 `replicated: false` and screens are not shown the change;
 * once it is back, a retry with the same Idempotency-Key returns the stored result, and the
 * change exists exactly once.
 */
describe.skipIf(!haveRedis())('writes wait for a replica (ROOMWATCH_REDIS_WAIT_REPLICAS=1)', () => {
  let primary: RedisProcess;
  let replica: RedisProcess;
  let srv: TestServer;

  beforeAll(async () => {
    primary = await startRedis({ args: ['--repl-diskless-sync-delay', '0'] });
    replica = await startRedis({ args: ['--replicaof', '127.0.0.1', String(primary.port)] });
    const r = new Redis(replica.url);
    const deadline = Date.now() + 15_000;
    while (!(await r.info('replication')).includes('master_link_status:up')) {
      if (Date.now() > deadline) throw new Error('replica did not sync');
      await new Promise((x) => setTimeout(x, 50));
    }
    r.disconnect();
    srv = await startTestServer({ redisUrl: primary.url, waitReplicas: { replicas: 1, timeoutMs: 3_000 } });
  });
  afterAll(async () => {
    replica?.signal('SIGCONT');
    await srv?.close();
    await replica?.destroy();
    await primary?.destroy();
  });

  it('acknowledges only confirmed writes; a retry after a 503 returns the stored result, applied once', async () => {
    const screen = await connectClient(srv.baseUrl, srv.adminToken);
    expect((await screen.subscribe('alpha')).ok).toBe(true);
    const before = (await srv.send('GET', '/api/sites/alpha/snapshot')).body as { seq: number; counters: { registrations: number } };
    expect((await srv.send('POST', '/api/sites/alpha/registrations', {}, { 'Idempotency-Key': 'wait-ok-0001' })).status).toBe(201);
    await screen.next((c) => c.seq === before.seq + 1);

    replica.signal('SIGSTOP');
    const floor = await srv.send('POST', '/api/sites/alpha/registrations', {}, { 'Idempotency-Key': 'wait-reg-0001' });
    expect(floor.status).toBe(503);
    expect(floor.body.error).toMatchObject({ code: 'store_unavailable', details: { replicated: false } });
    const user = await srv.send('POST', '/api/users', { username: 'ole', displayName: 'Ole Bøgh-Jørgensen', password: 'ole-password-1', role: 'staff', sites: ['alpha'] }, { 'Idempotency-Key': 'wait-user-0001' });
    expect(user.status).toBe(503);
    expect(user.body.error.details).toEqual({ replicated: false });
    // the unconfirmed change was not shown to screens
    await new Promise((r) => setTimeout(r, 200));
    expect(screen.changes.map((c) => c.seq)).toEqual([before.seq + 1]);

    replica.signal('SIGCONT');
    const again = await srv.send('POST', '/api/sites/alpha/registrations', {}, { 'Idempotency-Key': 'wait-reg-0001' });
    expect(again.status).toBe(201);
    expect(again.body.seq).toBe(before.seq + 2); // the change made during the stall, not a new one
    const userAgain = await srv.send('POST', '/api/users', { username: 'ole', displayName: 'Ole Bøgh-Jørgensen', password: 'ole-password-1', role: 'staff', sites: ['alpha'] }, { 'Idempotency-Key': 'wait-user-0001' });
    expect(userAgain.status).toBe(201);
    expect(userAgain.body).toMatchObject({ username: 'ole', role: 'staff' });

    const after = (await srv.send('GET', '/api/sites/alpha/snapshot')).body as { seq: number; counters: { registrations: number } };
    expect(after.seq).toBe(before.seq + 2);
    expect(after.counters.registrations).toBe(before.counters.registrations + 2);
    expect(((await srv.send('GET', '/api/users')).body as Array<{ username: string }>).filter((u) => u.username === 'ole')).toHaveLength(1);
    // and the replica has all of it
    const r = new Redis(replica.url);
    expect(Number(await r.get('rw:{alpha}:seq'))).toBe(after.seq);
    r.disconnect();
    screen.socket.disconnect();
  });
});
