// `npm run bench`: measured speed on this machine, printed as tables and written to
// tests/artifacts/bench.json. Not part of `npm test`. Needs redis-server.
// Env: BENCH_COMMANDS (sequential round trips, default 1500), BENCH_SECONDS (per load run, default 10),
// BENCH_SUSTAINED_ROUNDS (alternating sustained-rate rounds per server, default 3),
// BENCH_SCALE_ROUNDS (alternating rounds of 1,000 screens on one instance and 2,000 on two, default 3),
// BENCH_SCALE=only (just those rounds),
// BENCH_QUICK=1 (short runs, for checking the harness).
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { startRedis } from '../support/redisServer';
import { measureFloorLatency } from './floorLatency';
import { PAGE_WEIGHT_TITLE, pageWeight, savePageWeight } from './pageWeight';
import { payloadPerChange } from './payload';
import { benchHistory } from './history';
import { wallSoak } from './wallSoak';
import { sustained } from './loadgen';
import { scaleRounds } from './scale';
import { screensRun } from './screensRun';
import { percentile, printTable, round } from './stats';
import { baseline, roomwatch } from './targets';

const QUICK = process.env.BENCH_QUICK === '1';
const loadAtStart = loadavg().map((l) => l.toFixed(2)).join(' ');
// BENCH_SOAK=1 adds the wall soak (≥ 30 min) after the rest; BENCH_SOAK=only runs just it.
const SOAK = process.env.BENCH_SOAK ?? '';
const soakOptions = {
  minutes: Number(process.env.BENCH_SOAK_MINUTES ?? 30),
  dayMinutes: Number(process.env.BENCH_SOAK_DAY_MINUTES ?? 5),
  warmupMinutes: Number(process.env.BENCH_SOAK_WARMUP_MINUTES ?? 3),
};
async function soakTable(): Promise<Array<Record<string, string | number>>> {
  const row = await wallSoak(soakOptions);
  console.log('\nWall soak: JS heap of the wall page while a 24-booth site runs whole days at high speed');
  printTable([row]);
  mkdirSync('tests/artifacts', { recursive: true });
  writeFileSync('tests/artifacts/bench-soak.json', JSON.stringify({ at: new Date().toISOString(), options: soakOptions, row }, null, 2));
  return [row];
}
if (SOAK === 'only') {
  await soakTable();
  process.exit(0);
}
const COMMANDS = Number(process.env.BENCH_COMMANDS ?? (QUICK ? 200 : 1500));
const SECONDS = Number(process.env.BENCH_SECONDS ?? (QUICK ? 3 : 10));
const SCALE_ROUNDS = Number(process.env.BENCH_SCALE_ROUNDS ?? (QUICK ? 1 : 3));
const RATE = 200;
// BENCH_SCALE=only runs just the scaling-out rounds (section 4), e.g. on machines big enough to judge them.
if (process.env.BENCH_SCALE === 'only') {
  const scale = await scaleRounds({ rounds: SCALE_ROUNDS, rate: RATE, seconds: SECONDS });
  console.log(`\nScaling out (${cpus().length} cores; CPU in % of one core): median p99 2,000 on two ${scale.twoP99} ms ÷ 1,000 on one ${scale.oneP99} ms = ${scale.ratio} (target ≤ 1)`);
  printTable(scale.rows);
  process.exit(0);
}

const latencyRows: Array<Record<string, string | number>> = [];
const loadRows: Array<Record<string, string | number>> = [];
const throughputRows: Array<Record<string, string | number>> = [];

// 1. Sequential round trips with Socket.IO clients watching, on both stores.
for (const store of ['embedded', 'redis'] as const) {
  const redis = store === 'redis' ? await startRedis() : null;
  const rw = await roomwatch(redis);
  for (const clients of [1, 50]) {
    latencyRows.push({ store, ...(await measureFloorLatency(rw.baseUrl, rw.token!, { clients, commands: COMMANDS })) });
  }
  await rw.stop();
  await redis?.destroy();
}

// 2. Event-to-screen under load, Roomwatch and the bare stack, each on a fresh Redis.
for (const kind of ['roomwatch', 'baseline'] as const) {
  for (const screens of [100, 1000]) {
    const redis = await startRedis();
    const t = kind === 'roomwatch' ? await roomwatch(redis) : await baseline(redis);
    loadRows.push({ server: kind, instances: 1, screens, rate_per_s: RATE, ...(await screensRun([t], t, { perTarget: screens, rate: RATE, seconds: SECONDS, redis })) });
    await t.stop();
    await redis.destroy();
  }
}
// 3. Sustained rate: both servers up at once, each on its own Redis, measured in alternating
// rounds (each with its own warm-up), so a busy spell of the shared machine falls on both alike.
// The verdict compares the medians. Whichever server is not being measured sits idle.
{
  const rounds = Number(process.env.BENCH_SUSTAINED_ROUNDS ?? (QUICK ? 1 : 3));
  const redises = [await startRedis(), await startRedis()];
  const targets = [await roomwatch(redises[0]!), await baseline(redises[1]!)];
  for (let round = 1; round <= rounds; round++) {
    for (const t of round % 2 ? targets : [...targets].reverse()) {
      const r = await sustained({ url: `${t.baseUrl}/api/sites/alpha/registrations`, ...(t.token ? { token: t.token } : {}), concurrency: 32, seconds: SECONDS });
      throughputRows.push({ server: t.name, round, concurrency: 32, seconds: SECONDS, ...r });
    }
  }
  for (const t of targets) await t.stop();
  for (const r of redises) await r.destroy();
}
// 4. Scaling out: 1,000 screens on one instance against 2,000 on two, in alternating rounds.
const scale = await scaleRounds({ rounds: SCALE_ROUNDS, rate: RATE, seconds: SECONDS });

const load = (server: string, screens: number) => loadRows.find((r) => r.server === server && r.screens === screens)!;
const medianRate = (server: string) => percentile(throughputRows.filter((r) => r.server === server).map((r) => Number(r.per_second)), 50);
const p99 = (server: string, screens: number) => Number(load(server, screens).p99_ms);
// Each ratio reads "Roomwatch ÷ bare" (> 1: Roomwatch is slower / sends later), next to the target.
const ratios = [
  { measure: 'p99 event-to-screen, 100 screens', roomwatch: p99('roomwatch', 100), baseline: p99('baseline', 100), ratio: round(p99('roomwatch', 100) / p99('baseline', 100)), target: '< 50 ms and ≤ 1.5' },
  { measure: 'p99 event-to-screen, 1,000 screens', roomwatch: p99('roomwatch', 1000), baseline: p99('baseline', 1000), ratio: round(p99('roomwatch', 1000) / p99('baseline', 1000)), target: '< 250 ms and ≤ 0.1' },
  // Not against the bare stack: the median p99 of 2,000 screens on two instances ÷ that of 1,000 on one, same rounds.
  { measure: `p99 event-to-screen, 2,000 screens on 2 instances ÷ 1,000 on 1 (medians of ${SCALE_ROUNDS} rounds)`, roomwatch: `${scale.twoP99} / ${scale.oneP99}`, baseline: '-', ratio: scale.ratio, target: '≤ 1 (no worse)' },
  { measure: 'sustained commands per second (median of rounds)', roomwatch: medianRate('roomwatch'), baseline: medianRate('baseline'), ratio: round(medianRate('roomwatch') / medianRate('baseline')), target: '≥ 0.67' },
];

// A shared machine makes every figure noisy: say how busy it was, before and after.
const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}, loopback, load average ${loadAtStart} at the start and ${loadavg().map((l) => l.toFixed(2)).join(' ')} at the end`;
console.log(`\nRoomwatch benchmarks — ${machine}\n`);
console.log('Sequential commands: round trip (POST → reply) and push (POST → every client has it)');
printTable(latencyRows);
console.log(`\nEvent-to-screen at ${RATE} commands/s for ${SECONDS} s (POST sent → the last screen has the change)`);
printTable(loadRows);
console.log(`\nScaling out: ${RATE} commands/s for ${SECONDS} s through the first instance, 1,000 screens per instance, alternating rounds; CPU in % of one core (${cpus().length} cores in all)`);
printTable(scale.rows);
console.log(`\nSustained commands per instance (closed loop, registrations, with auth; alternating rounds)`);
printTable(throughputRows);
console.log('\nRoomwatch against the bare stack, same run (ratio = Roomwatch ÷ bare)');
printTable(ratios);
mkdirSync('tests/artifacts', { recursive: true });
writeFileSync('tests/artifacts/bench.json', JSON.stringify({ at: new Date().toISOString(), machine, latencyRows, loadRows, scaleRows: scale.rows, throughputRows, ratios }, null, 2));
console.log('\nwritten to tests/artifacts/bench.json');

// Page weight for phones (issue 16): first loads in Chromium, throttled to a mid-range phone on 4G.
const pageRows = await pageWeight();
console.log(`\n${PAGE_WEIGHT_TITLE}`);
printTable(pageRows);
savePageWeight(pageRows, machine);

// Payload per change (issue 16): one site:changed frame on a real day, and the counters' share of it.
const payloadRows = await payloadPerChange();
console.log('\nPayload of one site:changed frame on a real day (bytes over the WebSocket)');
printTable(payloadRows);
writeFileSync('tests/artifacts/bench-payload.json', JSON.stringify({ at: new Date().toISOString(), machine, payloadRows }, null, 2));

// History API (issue 8): a year of daily buckets, target < 200 ms. Its own table and file.
const historyRows = await benchHistory(QUICK ? 20 : 100);
console.log('\nHistory API: a year of daily buckets over HTTP (target < 200 ms)');
printTable(historyRows);
writeFileSync('tests/artifacts/bench-history.json', JSON.stringify({ at: new Date().toISOString(), machine, historyRows }, null, 2));
if (SOAK === '1') await soakTable();
process.exit(0);
