// `npm run bench`: measured speed, printed as a table and written to tests/artifacts/bench.json.
// Not part of `npm test`. Needs redis-server for the Redis rows (embedded rows always run).
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { startRedis } from '../support/redisServer';
import { measureFloorLatency, startServerProcess } from './floorLatency';
import { printTable } from './stats';

const rows: Array<Record<string, string | number>> = [];
const COMMANDS = Number(process.env.BENCH_COMMANDS ?? 1500);

async function floorRows(store: 'embedded' | 'redis') {
  const redis = store === 'redis' ? await startRedis() : null;
  const srv = await startServerProcess(redis ? { REDIS_URL: redis.url } : {});
  try {
    for (const clients of [1, 50]) {
      rows.push({ bench: 'check-in round trip + push', store, ...(await measureFloorLatency(srv.baseUrl, { clients, commands: COMMANDS })) });
    }
  } finally {
    await srv.stop();
    await redis?.destroy();
  }
}

await floorRows('embedded');
await floorRows('redis');

console.log(`\nRoomwatch benchmarks — ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, Node ${process.version}, loopback\n`);
printTable(rows);
mkdirSync('tests/artifacts', { recursive: true });
writeFileSync('tests/artifacts/bench.json', JSON.stringify({ at: new Date().toISOString(), node: process.version, cpus: cpus().length, rows }, null, 2));
console.log('\nwritten to tests/artifacts/bench.json');
process.exit(0);
