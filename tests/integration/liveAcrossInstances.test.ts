import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { acceptSnapshot, emptySequencer, receiveChange } from '../../client/src/stores/floorSequencer';
import { haveRedis } from '../support/programs';
import { startRedis, type RedisProcess } from '../support/redisServer';
import { startScreen } from '../support/screenClient';
import { connectClient } from '../support/socketClient';
import { waitFor } from '../support/waitFor';
import { startTestServer, type TestServer } from '../support/testServer';

describe.skipIf(!haveRedis())('live push across instances sharing one Redis', () => {
  let redis: RedisProcess;
  let a: TestServer;
  let b: TestServer;
  let c: TestServer;
  // Both instances on one clock, a Wednesday noon that keeps running: nothing here is about dates.
  const start = performance.now();
  const clock = () => Date.parse('2026-03-11T11:00:00Z') + Math.round(performance.now() - start);

  beforeAll(async () => {
    redis = await startRedis();
    // startTestServer returns once the instance's Socket.IO adapter listens on Redis.
    a = await startTestServer({ redisUrl: redis.url, clock });
    b = await startTestServer({ redisUrl: redis.url, clock });
    c = await startTestServer({ redisUrl: redis.url, clock });
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await c?.close();
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

  it('two clients get every change exactly once and in strict seq order, with no resync; other sites stay quiet', async () => {
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
    // Redis orders the changes (the command script publishes them inside its commit) and each
    // instance relays them in that order: arrival order is seq order, whichever instance made them.
    for (const [client, subscribed] of [
      [c1, s1],
      [c2, s2],
    ] as const) {
      expect(client.changes.map((c) => c.seq)).toEqual(seqs);
      let step = acceptSnapshot(emptySequencer('alpha'), subscribed.snapshot, 0);
      for (const change of client.changes) {
        step = receiveChange(step.state, change, 0);
        expect(step.effect.kind).toBe('none');
        expect(step.changed).toBe(true); // applied at once, never held back
      }
      expect(step.state.snapshot).toMatchObject({ seq: seqs[4], queue: subscribed.snapshot.queue + 5 });
    }
    expect(other.changes).toHaveLength(0);
    for (const c of [c1, c2, other]) c.socket.disconnect();
  });

  it.each([2, 3])('%i instances, commands interleaved through all of them at once: every screen sees strictly increasing seqs, none missing, no resync', async (n) => {
    const instances = [a, b, c].slice(0, n);
    const raw = await Promise.all(instances.flatMap((i) => [connectClient(i.baseUrl, i.adminToken), connectClient(i.baseUrl, i.adminToken)]));
    const acks = await Promise.all(raw.map((r) => r.subscribe('beta')));
    const screens = instances.map((i) => startScreen(i.baseUrl, i.adminToken, 'beta'));
    await waitFor(() => screens.every((s) => s.state.snapshot !== null), 'every screen to have its snapshot');
    const from = Math.max(...acks.map((x) => (x.ok ? x.snapshot.seq : Infinity)));
    expect(acks.every((x) => x.ok && x.snapshot.seq === from)).toBe(true);
    // 20 rounds; in each, every instance takes one command at the same moment.
    const rounds = 20;
    for (let r = 0; r < rounds; r++) {
      const replies = await Promise.all(instances.map((i, k) => i.send('POST', '/api/sites/beta/queue', { op: (r + k) % 3 === 2 ? 'leave' : 'join' })));
      expect(replies.map((x) => x.status).every((st) => st === 200 || st === 409)).toBe(true);
    }
    const last = (await a.send('GET', '/api/sites/beta/snapshot')).body.seq as number;
    expect(last).toBeGreaterThan(from + rounds);
    const expected = Array.from({ length: last - from }, (_, i) => from + 1 + i);
    await waitFor(() => raw.every((r) => r.changes.length >= expected.length) && screens.every((s) => s.state.snapshot?.seq === last), `every screen at seq ${last}`);
    for (const r of raw) expect(r.changes.map((x) => x.seq)).toEqual(expected);
    for (const s of screens) {
      expect(s.resyncs).toBe(0);
      expect(s.state.pending).toEqual([]);
    }
    for (const r of raw) r.socket.disconnect();
    for (const s of screens) s.close();
  });

  it('refuses to subscribe to an unknown site or with a bad payload', async () => {
    const c = await connectClient(a.baseUrl, a.adminToken);
    expect(await c.subscribe('nowhere')).toMatchObject({ ok: false, error: { code: 'not_found' } });
    const bad = await c.socket.timeout(2000).emitWithAck('site:subscribe', { siteId: 42 } as never);
    expect(bad).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    c.socket.disconnect();
  });
});
