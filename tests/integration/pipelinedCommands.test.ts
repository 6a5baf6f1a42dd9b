import { describe, expect, it } from 'vitest';
import { haveRedis } from '../support/programs';
import { serverOnRedis } from '../support/serverFixture';

// The store's main connection pipelines automatically (issue 16): commands issued while the event
// loop works through one batch of requests go to Redis in one write. Each must still count once,
// in seq order, also when Redis has lost its scripts (a restart or failover mid-batch).
describe.skipIf(!haveRedis())('floor commands pipelined to Redis', () => {
  const { srv } = serverOnRedis();
  const staff = { principal: { kind: 'user' as const, id: 'tester', role: 'staff' as const, sites: '*' as const }, siteId: 'alpha' };

  it('queues commands issued together for one write, and each gets its own seq', async () => {
    const before = (await srv.send('GET', '/api/sites/alpha/snapshot')).body;
    const burst = Array.from({ length: 20 }, () => srv.app.floor.registration(staff));
    // Nothing has been written yet: the twenty wait together for the next turn of the event loop
    // (with anything a timer of the app may have queued in this turn).
    expect(srv.store.redis.autoPipelineQueueSize).toBeGreaterThanOrEqual(20);
    const seqs = (await Promise.all(burst)).map((r) => r.seq).sort((a, b) => a - b);
    expect(seqs).toEqual(Array.from({ length: 20 }, (_, i) => before.seq + 1 + i));
    const after = (await srv.send('GET', '/api/sites/alpha/snapshot')).body;
    expect(after.counters.registrations).toBe(before.counters.registrations + 20);
  });

  it('answers every command of a batch after Redis forgot its scripts (NOSCRIPT is retried)', async () => {
    const before = (await srv.send('GET', '/api/sites/alpha/snapshot')).body;
    await srv.store.redis.script('FLUSH');
    const replies = await Promise.all(Array.from({ length: 20 }, () => srv.send('POST', '/api/sites/alpha/registrations')));
    expect(replies.map((r) => r.status)).toEqual(Array(20).fill(201));
    const seqs = replies.map((r) => r.body.seq as number).sort((a, b) => a - b);
    expect(seqs).toEqual(Array.from({ length: 20 }, (_, i) => before.seq + 1 + i));
    const after = (await srv.send('GET', '/api/sites/alpha/snapshot')).body;
    expect(after.counters.registrations).toBe(before.counters.registrations + 20);
  });
});
