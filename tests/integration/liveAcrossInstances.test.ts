import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { haveRedis } from '../support/programs';
import { startRedis, type RedisProcess } from '../support/redisServer';
import { connectClient } from '../support/socketClient';
import { startTestServer, type TestServer } from '../support/testServer';

describe.skipIf(!haveRedis())('live push across two instances sharing one Redis', () => {
  let redis: RedisProcess;
  let a: TestServer;
  let b: TestServer;

  beforeAll(async () => {
    redis = await startRedis();
    a = await startTestServer({ redisUrl: redis.url });
    b = await startTestServer({ redisUrl: redis.url });
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await redis?.destroy();
  });

  it('a check-in through A reaches a client on B with the next seq', async () => {
    const client = await connectClient(b.baseUrl, b.adminToken);
    const ack = await client.subscribe('alpha');
    if (!ack.ok) throw new Error(ack.error.message);
    const seq0 = ack.snapshot.seq;
    // give the adapter's subscription a moment to be active on B
    await new Promise((r) => setTimeout(r, 100));
    const r = await a.send('POST', '/api/sites/alpha/booths/inj-3/check-in', { substance: 'amphetamine', route: 'injection' });
    expect(r.status).toBe(200);
    const change = await client.next((c) => c.type === 'check-in');
    expect(change).toMatchObject({ siteId: 'alpha', seq: seq0 + 1, booth: { id: 'inj-3', state: 'occupied', substance: 'amphetamine' }, occupied: 1 });
    expect(change.counters.intakes).toBe(1);
    client.socket.disconnect();
  });

  it('two clients see the same changes in seq order, and other sites stay quiet', async () => {
    const c1 = await connectClient(a.baseUrl, a.adminToken);
    const c2 = await connectClient(b.baseUrl, b.adminToken);
    const s1 = await c1.subscribe('alpha');
    const s2 = await c2.subscribe('alpha');
    const other = await connectClient(b.baseUrl, b.adminToken);
    await other.subscribe('beta');
    if (!s1.ok || !s2.ok) throw new Error('subscribe failed');
    await new Promise((r) => setTimeout(r, 100));
    for (let i = 0; i < 5; i++) await (i % 2 ? a : b).send('POST', '/api/sites/alpha/queue', { op: 'join' });
    const target = s1.snapshot.seq + 5;
    await c1.next((c) => c.seq === target);
    await c2.next((c) => c.seq === target);
    expect(c1.changes.map((c) => c.seq)).toEqual([1, 2, 3, 4, 5].map((i) => s1.snapshot.seq + i));
    expect(c2.changes.map((c) => c.seq)).toEqual(c1.changes.map((c) => c.seq));
    expect(c2.changes.at(-1)!.queue).toBe(5);
    expect(other.changes).toHaveLength(0);
    for (const c of [c1, c2, other]) c.socket.disconnect();
  });

  it('refuses to subscribe to an unknown site or with a bad payload', async () => {
    const c = await connectClient(a.baseUrl, a.adminToken);
    expect(await c.subscribe('nowhere')).toMatchObject({ ok: false, error: { code: 'not_found' } });
    const bad = await c.socket.timeout(2000).emitWithAck('site:subscribe', { siteId: 42 } as never);
    expect(bad).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    c.socket.disconnect();
  });
});
