import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { acceptSnapshot, emptySequencer, receiveChange } from '../../client/src/stores/floorSequencer';
import { haveRedis } from '../support/programs';
import { startRedis, type RedisProcess } from '../support/redisServer';
import { connectClient } from '../support/socketClient';
import { startTestServer, type TestServer } from '../support/testServer';

describe.skipIf(!haveRedis())('live push across two instances sharing one Redis', () => {
  let redis: RedisProcess;
  let a: TestServer;
  let b: TestServer;
  // Both instances on one clock, a Wednesday noon that keeps running: nothing here is about dates.
  const start = performance.now();
  const clock = () => Date.parse('2026-03-11T11:00:00Z') + Math.round(performance.now() - start);

  beforeAll(async () => {
    redis = await startRedis();
    // startTestServer returns once the instance's Socket.IO adapter listens on Redis.
    a = await startTestServer({ redisUrl: redis.url, clock });
    b = await startTestServer({ redisUrl: redis.url, clock });
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
    const r = await a.send('POST', '/api/sites/alpha/booths/inj-3/check-in', { substance: 'amphetamine', route: 'injection' });
    expect(r.status).toBe(200);
    const change = await client.next((c) => c.type === 'check-in');
    expect(change).toMatchObject({ siteId: 'alpha', seq: seq0 + 1, booth: { id: 'inj-3', state: 'occupied', substance: 'amphetamine' }, occupied: 1 });
    expect(change.counters.intakes).toBe(1);
    client.socket.disconnect();
  });

  it('two clients get every change exactly once, and their sequencers apply them in seq order; other sites stay quiet', async () => {
    const c1 = await connectClient(a.baseUrl, a.adminToken);
    const c2 = await connectClient(b.baseUrl, b.adminToken);
    const s1 = await c1.subscribe('alpha');
    const s2 = await c2.subscribe('alpha');
    const other = await connectClient(b.baseUrl, b.adminToken);
    await other.subscribe('beta');
    if (!s1.ok || !s2.ok) throw new Error('subscribe failed');
    expect(s2.snapshot.seq).toBe(s1.snapshot.seq);
    for (let i = 0; i < 5; i++) await (i % 2 ? a : b).send('POST', '/api/sites/alpha/queue', { op: 'join' });
    const seqs = [1, 2, 3, 4, 5].map((i) => s1.snapshot.seq + i);
    await c1.next((c) => c.seq === seqs[4]);
    await c2.next((c) => c.seq === seqs[4]);
    // Arrival order across instances is NOT guaranteed today: a change made through B can reach
    // a client on A after a later change made through A (seen: [2, 3, 5, 4, 6]); the issue "Push
    // at scale" makes it a guarantee. What is guaranteed: every change arrives, exactly once, and
    // the client's sequencer (client/src/stores/floorSequencer.ts) applies them in seq order.
    for (const [client, subscribed] of [
      [c1, s1],
      [c2, s2],
    ] as const) {
      expect([...client.changes.map((c) => c.seq)].sort((x, y) => x - y)).toEqual(seqs);
      let step = acceptSnapshot(emptySequencer('alpha'), subscribed.snapshot, 0);
      const applied: number[] = [];
      for (const change of client.changes) {
        step = receiveChange(step.state, change, 0);
        expect(step.effect.kind).not.toBe('resync');
        if (step.changed) applied.push(step.state.snapshot!.seq);
      }
      expect(step.state.snapshot).toMatchObject({ seq: seqs[4], queue: subscribed.snapshot.queue + 5 });
      expect(step.state.pending).toEqual([]);
      expect(applied).toEqual([...applied].sort((x, y) => x - y)); // never backwards
      expect(applied.at(-1)).toBe(seqs[4]);
    }
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
