import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Redis } from 'ioredis';
import { decodeLive } from '../../server/floor/floor.repository';
import { LIVE_PATTERN } from '../../server/store/keys';
import type { SiteChanged } from '../../shared/events';
import { storeEngines } from '../support/engines';
import { floorHarness } from '../support/floorHarness';
import { waitFor } from '../support/waitFor';

/**
 * Issue 16: the command script publishes each change inside its commit. On both engines, what an
 * instance's relay decodes from that message must be exactly what Node would have pushed itself.
 */
const engines = storeEngines();

/** Every kind of command, in an order that leaves each allowed, with an undo at the end. */
async function dayOnTheFloor(h: ReturnType<typeof floorHarness>) {
  const req = h.req();
  await h.floor.queue(req, { op: 'join' });
  await h.floor.queue(req, { op: 'join' });
  await h.floor.boothCommand(req, 'inj-1', 'check-in', { substance: 'cocaine', route: 'injection', assisted: true });
  h.clock.now += 17 * 60_000;
  await h.floor.boothCommand(req, 'inj-1', 'check-out', {});
  await h.floor.boothCommand(req, 'inj-1', 'cleaned', {});
  await h.floor.boothCommand(req, 'smk-1', 'out-of-service', { reason: 'repair' } as const);
  await h.floor.boothCommand(req, 'smk-1', 'back-in-service', {});
  await h.floor.queue(req, { op: 'leave' });
  await h.floor.queue(req, { op: 'set', count: 15 });
  await h.floor.staffing(req, 6);
  await h.floor.incident(req, { kind: 'overdose', boothId: 'inj-2', naloxone: true, ambulance: false });
  await h.floor.registration(req);
  const last = await h.floor.boothCommand(req, 'inj-3', 'check-in', { substance: 'heroin', route: 'injection', assisted: false });
  await h.floor.undo(req, last.seq);
  return last.seq + 1;
}

describe.each(engines)('live changes published by the command script on $name', ({ connect, available }) => {
  let redis: Redis;
  let sub: Redis;
  const heard: Array<{ channel: string; message: string }> = [];
  beforeAll(async () => {
    if (!available) return;
    redis = await connect();
    sub = (redis as unknown as { duplicate(): Redis }).duplicate();
    sub.on('pmessage', (_p: string, channel: string, message: string) => void heard.push({ channel, message }));
    await sub.psubscribe(LIVE_PATTERN);
  });
  afterAll(async () => {
    if (!available) return;
    sub.disconnect();
    redis.disconnect();
  });
  beforeEach(async (ctx) => {
    if (!available) return ctx.skip();
    await redis.flushall();
    heard.length = 0;
  });

  it('carries every change, in seq order, decoded to exactly what Node would push', async () => {
    // Node pushing each change itself (the path with ROOMWATCH_REDIS_WAIT_REPLICAS and tools)…
    const plain = floorHarness(redis);
    const total = await dayOnTheFloor(plain);
    expect(plain.pushed.map((c) => c.seq)).toEqual(Array.from({ length: total }, (_, i) => i + 1));
    expect(heard).toHaveLength(0);

    // …and the same day with the script publishing: nothing pushed by Node, all heard from Redis.
    await redis.flushall();
    const live = floorHarness(redis, undefined, { publishLive: true });
    await dayOnTheFloor(live);
    expect(live.pushed).toHaveLength(0);
    await waitFor(() => heard.length === total, `${total} published changes`);
    const relayed: SiteChanged[] = heard.map(({ channel, message }) => {
      expect(channel).toBe('rw:{alpha}:live');
      const decoded = decodeLive(message);
      if (!decoded) throw new Error(`not a live message: ${message}`);
      return live.floor.change('alpha', decoded.header, decoded.outcome)!;
    });
    expect(relayed).toEqual(plain.pushed);
    expect(relayed.at(-1)).toMatchObject({ type: 'undo', booth: { id: 'inj-3', state: 'free' }, queue: 15 });
  });

  it('publishes nothing for a conflict or an idempotent replay', async () => {
    const h = floorHarness(redis, undefined, { publishLive: true });
    await h.floor.registration(h.req('live-key-0001'));
    await h.floor.registration(h.req('live-key-0001'));
    await h.floor.boothCommand(h.req(), 'inj-1', 'check-out', {}).catch(() => undefined);
    await h.floor.registration(h.req());
    await waitFor(() => heard.length >= 2, 'two published changes');
    expect(heard.map((m) => decodeLive(m.message)!.outcome.seq)).toEqual([1, 2]);
  });
});
