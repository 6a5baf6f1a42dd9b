import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { haveRedis } from '../support/programs';
import { startRedis, type RedisProcess } from '../support/redisServer';
import { startScreen } from '../support/screenClient';
import { startServerProcess, type ServerProcess } from '../support/serverProcess';
import { startBalancer } from '../support/tcpBalancer';
import { waitFor } from '../support/waitFor';

/** Sends one command until it gets a non-5xx answer, always with the same Idempotency-Key. */
async function sendUntilAnswered(url: string, token: string, path: string, body: unknown, key: string) {
  for (let attempt = 0; attempt < 100; attempt++) {
    try {
      const res = await fetch(url + path, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'Idempotency-Key': key },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(2_000),
      });
      if (res.status < 500) return { status: res.status, body: await res.json() };
    } catch {
      // connection reset while the instance died: retry, same key
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('command never answered');
}

describe.skipIf(!haveRedis())('fault: one of two app instances is killed', () => {
  let redis: RedisProcess;
  let a: ServerProcess;
  let b: ServerProcess;
  let lb: Awaited<ReturnType<typeof startBalancer>>;

  beforeAll(async () => {
    redis = await startRedis({ appendonly: true });
    a = await startServerProcess({ REDIS_URL: redis.url });
    b = await startServerProcess({ REDIS_URL: redis.url }, { token: a.token }); // tokens live in Redis: shared
    lb = await startBalancer([a.port, b.port]);
  });
  afterAll(async () => {
    await lb?.close();
    await a?.stop('SIGKILL');
    await b?.stop();
    await redis?.destroy();
  });

  it('screens on the dead instance reconnect to the other within 5 s with the right state; nothing counted twice', async () => {
    const screens = Array.from({ length: 8 }, () => startScreen(lb.url, a.token, 'alpha'));
    await waitFor(() => screens.every((s) => s.state.snapshot !== null), 'every screen to have its snapshot');

    // A writer keeps registering through the balancer while instance A dies.
    let accepted = 0;
    let stop = false;
    const writer = (async () => {
      while (!stop) {
        const r = await sendUntilAnswered(lb.url, a.token, '/api/sites/alpha/registrations', {}, `fo-${randomUUID()}`);
        if (r.status === 201) accepted++;
      }
    })();
    await waitFor(() => accepted >= 10, 'writes through the balancer before the kill');

    const killedAt = Date.now();
    const connectsBefore = screens.map((s) => s.lastConnectAt);
    await a.stop('SIGKILL');
    const acceptedAtKill = accepted;
    await waitFor(() => accepted >= acceptedAtKill + 10, 'writes accepted through the other instance after the kill');
    stop = true;
    await writer;

    // every screen that was on A has reconnected (to B) within 5 s of the kill
    await waitFor(() => screens.every((s, i) => s.socket.connected && (s.lastConnectAt === connectsBefore[i] || s.lastConnectAt > killedAt)), 'the screens to reconnect', 5_000);
    const reconnected = screens.filter((s, i) => s.lastConnectAt !== connectsBefore[i]);
    expect(reconnected.length).toBeGreaterThan(0);
    for (const s of reconnected) expect(s.lastConnectAt - killedAt).toBeLessThan(5_000);

    const truth = await (await fetch(`${b.baseUrl}/api/sites/alpha/snapshot`, { headers: { authorization: `Bearer ${a.token}` } })).json();
    await waitFor(() => screens.every((s) => s.state.snapshot?.seq === truth.seq), `every screen at seq ${truth.seq}`, 5_000);
    for (const s of screens) expect(s.state.snapshot?.counters.registrations).toBe(truth.counters.registrations);
    expect(truth.counters.registrations).toBe(accepted); // retried commands landed exactly once
    expect(truth.seq).toBe(accepted);
    for (const s of screens) s.close();
  });
});
