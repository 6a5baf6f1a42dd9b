// History API benchmark: a year of daily buckets (`GET …/history?bucket=day`, 365 days) over
// HTTP, against a store holding a full year of realistic day counters (every field set), on the
// embedded engine and on real Redis. Target: under 200 ms. Run alone with
// `npx tsx tests/bench/history.ts`, or as part of `npm run bench`.
import { addDays } from '../../shared/calendar';
import { COUNTER_FIELD as F } from '../../shared/counters';
import { INCIDENT_KINDS, ROUTES, SUBSTANCES } from '../../shared/vocabulary';
import { keys } from '../../server/store/keys';
import { startRedis } from '../support/redisServer';
import { startTestServer } from '../support/testServer';
import { percentile, printTable, round } from './stats';

const FROM = '2025-01-01';
const DAYS = 365;

function dayFields(i: number): Record<string, string> {
  const intakes = 500 + ((i * 37) % 200);
  const f: Record<string, number> = { [F.intakes]: intakes, [F.assisted]: 12, [F.checkouts]: intakes - 2, [F.sessionMs]: intakes * 18 * 60_000 };
  SUBSTANCES.forEach((s, k) => (f[F.substance(s)] = Math.floor(intakes / (k + 2))));
  ROUTES.forEach((r, k) => (f[F.route(r)] = Math.floor(intakes / (k + 1.5))));
  INCIDENT_KINDS.forEach((k, n) => (f[F.incident(k)] = n));
  Object.assign(f, { [F.naloxone]: 1, [F.ambulance]: 1, [F.registrations]: 3, [F.queueJoins]: 90, [F.walkAways]: 11, [F.queueServed]: 79, [F.peakOccupied]: 17, [F.peakQueue]: 9 });
  return Object.fromEntries(Object.entries(f).map(([k, v]) => [k, String(v)]));
}

/** Times `runs` requests for a year of daily buckets; one row per store. */
export async function benchHistory(runs = Number(process.env.BENCH_HISTORY_RUNS ?? 100)): Promise<Array<Record<string, string | number>>> {
  const rows: Array<Record<string, string | number>> = [];
  for (const store of ['embedded', 'redis'] as const) {
    const redis = store === 'redis' ? await startRedis() : null;
    const srv = await startTestServer(redis ? { redisUrl: redis.url } : {});
    const p = srv.store.redis.pipeline();
    for (let i = 0; i < DAYS; i++) p.hset(keys.day('alpha', addDays(FROM, i)), dayFields(i));
    await p.exec();
    const url = `${srv.baseUrl}/api/sites/alpha/history?from=${FROM}&to=${addDays(FROM, DAYS - 1)}&bucket=day`;
    const headers = { authorization: `Bearer ${srv.adminToken}` };
    const times: number[] = [];
    let bytes = 0;
    for (let i = 0; i < runs + 5; i++) {
      const t0 = performance.now();
      const res = await fetch(url, { headers });
      const body = (await res.json()) as { buckets: unknown[] };
      const ms = performance.now() - t0;
      if (res.status !== 200 || body.buckets.length !== DAYS) throw new Error(`history bench: unexpected reply ${res.status}`);
      bytes = JSON.stringify(body).length;
      if (i >= 5) times.push(ms); // the first few warm up the JIT and the connection
    }
    rows.push({ store, buckets: DAYS, runs, reply_kb: round(bytes / 1024, 0), p50_ms: round(percentile(times, 50)), p95_ms: round(percentile(times, 95)), max_ms: round(Math.max(...times)), target_ms: 200 });
    await srv.close();
    await redis?.destroy();
  }
  return rows;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const rows = await benchHistory();
  console.log('History: a year of daily buckets over HTTP');
  printTable(rows);
  process.exit(0);
}
