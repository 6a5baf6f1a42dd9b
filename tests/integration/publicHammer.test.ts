import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PUBLIC_REFRESH_MS } from '../../server/public/publicAvailability.service';
import { PublicAvailability } from '../../shared/publicAvailability';
import { haveRedis } from '../support/programs';
import { startRedis, type RedisProcess } from '../support/redisServer';
import { startTestServer, type TestServer } from '../support/testServer';
import { waitFor } from '../support/waitFor';
import { fillSkyen, PUBLIC_NOW, PUBLIC_SITES } from '../support/publicSites';

/**
 * "It must stand up to the internet" (issue 18): thousands of requests to the public page and API
 * cost Redis a bounded number of readings — one per refresh period per instance — not one per
 * request. Counted by redis-server itself (INFO stats / commandstats), not by the app. No timing
 * assertion: the bound grows with however long the loaded machine took.
 */
const REQUESTS = 3_000;
const CONCURRENCY = 50;
/** Requests start no faster than this (3,000 over about 3 s), so the run spans several refresh periods. */
const PER_MS = 1;

describe.skipIf(!haveRedis())('the public page and API under a hammer', () => {
  let redis: RedisProcess;
  let srv: TestServer;
  let probe: Redis;

  beforeAll(async () => {
    redis = await startRedis();
    srv = await startTestServer({ redisUrl: redis.url, sites: PUBLIC_SITES, clock: () => PUBLIC_NOW, handoverTickMs: 0, publicPage: { perMinute: 1_000_000 } });
    // Nothing else may talk to Redis while it is counted: no alert ticks, no handover ticks.
    await srv.app.alerts.stop();
    await fillSkyen(srv);
    probe = new Redis(redis.url);
  });
  afterAll(async () => {
    probe?.disconnect();
    await srv?.close();
    await redis?.destroy();
  });

  const info = async (section: 'stats' | 'commandstats') => probe.info(section);
  const processed = async () => Number(/total_commands_processed:(\d+)/.exec(await info('stats'))![1]);
  const calls = async (command: string) => Number(new RegExp(`cmdstat_${command}:calls=(\\d+)`).exec(await info('commandstats'))?.[1] ?? 0);

  it('reads Redis a bounded number of times per refresh period, whatever the request count', async () => {
    // What the counting itself costs (each INFO is a command), and what one reading costs.
    const i0 = await processed();
    const infoCost = (await processed()) - i0;
    const before1 = await processed();
    const first = await fetch(`${srv.baseUrl}/api/public/availability`);
    expect(first.status).toBe(200);
    await first.arrayBuffer();
    const perReading = (await processed()) - before1 - infoCost;
    expect(perReading).toBeGreaterThan(0);

    const execBefore = await calls('exec');
    const before = await processed();
    const paths = ['/api/public/availability', '/open', '/open?lang=en', '/api/public/availability'];
    const statuses = new Map<number, number>();
    const t0 = performance.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        for (let i = next++; i < REQUESTS; i = next++) {
          const due = t0 + i / PER_MS;
          const wait = due - performance.now();
          if (wait > 0) await new Promise((r) => setTimeout(r, wait));
          const res = await fetch(srv.baseUrl + paths[i % paths.length]!);
          await res.arrayBuffer();
          statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
        }
      }),
    );
    const elapsed = performance.now() - t0;
    const commands = (await processed()) - before - infoCost;
    const readings = (await calls('exec')) - execBefore;

    // One reading per refresh period at most, plus one at each edge of the run.
    const allowedReadings = Math.ceil(elapsed / PUBLIC_REFRESH_MS) + 2;
    const publicSites = 2;
    console.log(
      `[public hammer] ${REQUESTS} requests in ${Math.round(elapsed)} ms → ${commands} Redis commands ` +
        `(${perReading} per reading; ${readings / publicSites} readings, at most ${allowedReadings} allowed)`,
    );
    expect(Object.fromEntries(statuses)).toEqual({ 200: REQUESTS });
    // Each reading is one MULTI/EXEC per public site.
    expect(readings).toBeLessThanOrEqual(allowedReadings * publicSites);
    expect(commands).toBeLessThanOrEqual(allowedReadings * perReading);
    // Flat, not proportional: a read per request would have cost REQUESTS × perReading.
    expect(commands * 50).toBeLessThan(REQUESTS * perReading);
  });

  it('still shows a change within a refresh period or two', async () => {
    expect((await srv.send('POST', '/api/sites/skyen/queue', { op: 'set', count: 0 })).status).toBe(200);
    await waitFor(async () => {
      const body = PublicAvailability.parse(await (await fetch(`${srv.baseUrl}/api/public/availability`)).json());
      return body.sites.find((s) => s.id === 'skyen')?.waitMinutes === 0;
    }, 'the public figures to show the emptied queue');
  });
});
