import { describe, expect, it } from 'vitest';
import { haveRedis } from '../support/programs';
import { serverOnRedis } from '../support/serverFixture';


async function until<T>(fn: () => Promise<T>, ok: (v: T) => boolean, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (ok(v)) return v;
    if (Date.now() > deadline) throw new Error(`condition not met in ${timeoutMs} ms; last: ${JSON.stringify(v)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe.skipIf(!haveRedis())('Redis outage', () => {
  const { srv, redis } = serverOnRedis({ appendonly: true });

  it('answers 503 while Redis is down, survives, and recovers by itself', async () => {
    const first = await srv.send('POST', '/api/sites/alpha/registrations');
    expect(first.status).toBe(201);
    await redis.stop('SIGTERM'); // a clean shutdown writes the append-only file

    const health = await until(() => srv.send('GET', '/api/health'), (r) => r.status === 503);
    expect(health.body).toEqual({ status: 'degraded', store: 'redis', redis: 'down' });
    const write = await srv.send('POST', '/api/sites/alpha/registrations');
    expect(write.status).toBe(503);
    expect(write.body.error.code).toBe('store_unavailable');
    expect((await srv.send('GET', '/api/sites/alpha/snapshot')).status).toBe(503);
    expect((await srv.send('GET', '/api/live')).status).toBe(200);

    await redis.start();
    await until(() => srv.send('GET', '/api/health'), (r) => r.status === 200);
    const again = await srv.send('POST', '/api/sites/alpha/registrations');
    expect(again.status).toBe(201);
    expect(again.body.seq).toBe(first.body.seq + 1); // the earlier write survived on the AOF
  });
});
