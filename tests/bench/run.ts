// `npm run bench`: measured speed on this machine, printed as tables and written to
// tests/artifacts/bench.json. Not part of `npm test`. Needs redis-server.
// Env: BENCH_COMMANDS (sequential round trips, default 1500), BENCH_SECONDS (per load run, default 10),
// BENCH_SUSTAINED_ROUNDS (alternating sustained-rate rounds per server, default 3),
// BENCH_QUICK=1 (short runs, for checking the harness).
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { startRedis, freePort, type RedisProcess } from '../support/redisServer';
import { startServerProcess, type ServerProcess } from '../support/serverProcess';
import { measureFloorLatency } from './floorLatency';
import { PAGE_WEIGHT_TITLE, pageWeight, savePageWeight } from './pageWeight';
import { payloadPerChange } from './payload';
import { benchHistory } from './history';
import { wallSoak } from './wallSoak';
import { eventToScreen, sustained } from './loadgen';
import { openScreenProcesses } from './screenProcesses';
import { percentile, printTable, round } from './stats';

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
const RATE = 200;

interface Target {
  name: string;
  baseUrl: string;
  token?: string;
  stop(): Promise<void>;
}

async function roomwatch(redis: RedisProcess | null): Promise<Target & { proc: ServerProcess }> {
  const proc = await startServerProcess(redis ? { REDIS_URL: redis.url } : {});
  return { name: 'roomwatch', baseUrl: proc.baseUrl, token: proc.token, proc, stop: () => proc.stop() };
}

async function baseline(redis: RedisProcess): Promise<Target> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', 'tests/bench/baselineServer.ts'], { env: { ...process.env, REDIS_URL: redis.url, PORT: String(port) }, stdio: 'inherit' });
  const baseUrl = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 200; i++) {
    try {
      if ((await fetch(`${baseUrl}/api/health`)).ok) break;
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  return { name: 'baseline', baseUrl, stop: () => new Promise<void>((done) => (child.once('exit', () => done()), child.kill('SIGTERM'))) };
}

async function screensRun(targets: Target[], commandsTo: Target, screens: number) {
  const per = Math.ceil(screens / targets.length);
  const on = await openScreenProcesses(targets.map((t) => ({ baseUrl: t.baseUrl, n: per, ...(t.token ? { token: t.token } : {}), siteId: 'alpha' })));
  await new Promise((r) => setTimeout(r, 500));
  const r = await eventToScreen({ url: `${commandsTo.baseUrl}/api/sites/alpha/registrations`, ...(commandsTo.token ? { token: commandsTo.token } : {}), rate: RATE, seconds: SECONDS, screens: per * targets.length, on });
  // With two instances: how far apart the same change reached each instance's screens (the
  // second's last screen minus the first's), over the measured changes: p10 / p50 / p90 in ms.
  let apart = '-';
  if (targets.length === 2) {
    const [first, second] = await on.collectEach();
    const gaps: number[] = [];
    for (let seq = on.startSeq + 1; first!.countOf(seq) === per && second!.countOf(seq) === per; seq++) gaps.push(second!.lastAtOf(seq) - first!.lastAtOf(seq));
    apart = [10, 50, 90].map((p) => round(percentile(gaps, p))).join(' / ');
  }
  await on.close();
  await new Promise((r) => setTimeout(r, 500));
  return { ...r, instances_apart_ms: apart };
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
    loadRows.push({ server: kind, instances: 1, screens, rate_per_s: RATE, ...(await screensRun([t], t, screens)) });
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
// 4. Two instances on one Redis: commands through the first, screens on both.
{
  const redis = await startRedis();
  const a = await roomwatch(redis);
  const bProc = await startServerProcess({ REDIS_URL: redis.url }, { token: a.token! });
  const b: Target = { name: 'roomwatch-b', baseUrl: bProc.baseUrl, token: a.token!, stop: () => bProc.stop() };
  loadRows.push({ server: 'roomwatch', instances: 2, screens: 2000, rate_per_s: RATE, ...(await screensRun([a, b], a, 2000)) });
  await a.stop();
  await b.stop();
  await redis.destroy();
}

const load = (server: string, screens: number) => loadRows.find((r) => r.server === server && r.screens === screens)!;
const medianRate = (server: string) => percentile(throughputRows.filter((r) => r.server === server).map((r) => Number(r.per_second)), 50);
const p99 = (server: string, screens: number) => Number(load(server, screens).p99_ms);
// Each ratio reads "Roomwatch ÷ bare" (> 1: Roomwatch is slower / sends later), next to the target.
const ratios = [
  { measure: 'p99 event-to-screen, 100 screens', roomwatch: p99('roomwatch', 100), baseline: p99('baseline', 100), ratio: round(p99('roomwatch', 100) / p99('baseline', 100)), target: '< 50 ms and ≤ 1.5' },
  { measure: 'p99 event-to-screen, 1,000 screens', roomwatch: p99('roomwatch', 1000), baseline: p99('baseline', 1000), ratio: round(p99('roomwatch', 1000) / p99('baseline', 1000)), target: '< 250 ms and ≤ 0.1' },
  { measure: 'p99 event-to-screen, 2,000 screens on 2 instances', roomwatch: p99('roomwatch', 2000), baseline: '-', ratio: '-', target: 'no worse than 1,000 on one' },
  { measure: 'sustained commands per second (median of rounds)', roomwatch: medianRate('roomwatch'), baseline: medianRate('baseline'), ratio: round(medianRate('roomwatch') / medianRate('baseline')), target: '≥ 0.67' },
];

// A shared machine makes every figure noisy: say how busy it was, before and after.
const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}, loopback, load average ${loadAtStart} at the start and ${loadavg().map((l) => l.toFixed(2)).join(' ')} at the end`;
console.log(`\nRoomwatch benchmarks — ${machine}\n`);
console.log('Sequential commands: round trip (POST → reply) and push (POST → every client has it)');
printTable(latencyRows);
console.log(`\nEvent-to-screen at ${RATE} commands/s for ${SECONDS} s (POST sent → the last screen has the change)`);
printTable(loadRows);
console.log(`\nSustained commands per instance (closed loop, registrations, with auth; alternating rounds)`);
printTable(throughputRows);
console.log('\nRoomwatch against the bare stack, same run (ratio = Roomwatch ÷ bare)');
printTable(ratios);
mkdirSync('tests/artifacts', { recursive: true });
writeFileSync('tests/artifacts/bench.json', JSON.stringify({ at: new Date().toISOString(), machine, latencyRows, loadRows, throughputRows, ratios }, null, 2));
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
