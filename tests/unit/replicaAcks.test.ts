import { describe, expect, it } from 'vitest';
import type { Redis } from 'ioredis';
import { ReplicaAcks } from '../../server/store/replicas';

/** A stand-in for the one connection: records WAITs and answers them when told to. */
function fakeRedis() {
  const waits: Array<{ replicas: number; timeout: number; answer: (n: number | Error) => void }> = [];
  const redis = {
    wait: (replicas: number, timeout: number) =>
      new Promise<number>((resolve, reject) => waits.push({ replicas, timeout, answer: (n) => (n instanceof Error ? reject(n) : resolve(n)) })),
  } as unknown as Redis;
  return { redis, waits };
}

describe('ReplicaAcks: a write is acknowledged once replicas have it', () => {
  it('confirms with one WAIT, and says no when fewer replicas answered or WAIT failed', async () => {
    const { redis, waits } = fakeRedis();
    const acks = new ReplicaAcks(redis, 1, 500);
    const a = acks.confirm();
    expect(waits).toHaveLength(1);
    expect(waits[0]).toMatchObject({ replicas: 1, timeout: 500 });
    waits[0]!.answer(1);
    expect(await a).toBe(true);
    const b = acks.confirm();
    waits[1]!.answer(0);
    expect(await b).toBe(false);
    const c = acks.confirm();
    waits[2]!.answer(new Error('Connection is closed.'));
    expect(await c).toBe(false);
  });

  it('shares WAITs: requests finishing while one is in flight join the next one, never the one already sent', async () => {
    const { redis, waits } = fakeRedis();
    const acks = new ReplicaAcks(redis, 1, 500);
    const first = acks.confirm();
    const second = acks.confirm(); // its write finished after the first WAIT was sent
    const third = acks.confirm();
    expect(waits).toHaveLength(1);
    waits[0]!.answer(1);
    expect(await first).toBe(true);
    expect(waits).toHaveLength(2); // one more WAIT for both late-comers
    let settled = false;
    void second.then(() => (settled = true));
    await Promise.resolve();
    expect(settled).toBe(false);
    waits[1]!.answer(1);
    expect(await second).toBe(true);
    expect(await third).toBe(true);
  });
});
