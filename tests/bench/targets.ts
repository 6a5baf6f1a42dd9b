import { spawn } from 'node:child_process';
import type { RedisProcess } from '../support/redisServer';
import { freePort } from '../support/redisServer';
import { startServerProcess, waitHealthy } from '../support/serverProcess';

/** A server under load: where to reach it, its token, and its process (whose CPU time the benchmark reads). */
export interface Target {
  name: string;
  baseUrl: string;
  token?: string;
  pid: number;
  stop(): Promise<void>;
}

/**
 * A Roomwatch instance as its own process. With `redis`, on that Redis (without, the embedded
 * store); with `token`, a further instance that takes the first one's admin token (they share Redis).
 */
export async function roomwatch(redis: RedisProcess | null, token?: string): Promise<Target> {
  const proc = await startServerProcess(redis ? { REDIS_URL: redis.url } : {}, token ? { token } : {});
  return { name: 'roomwatch', baseUrl: proc.baseUrl, token: proc.token, pid: proc.child.pid!, stop: () => proc.stop() };
}

/** The bare stack (`baselineServer.ts`) on `redis`, as its own process. */
export async function baseline(redis: RedisProcess): Promise<Target> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', 'tests/bench/baselineServer.ts'], { env: { ...process.env, REDIS_URL: redis.url, PORT: String(port) }, stdio: 'inherit' });
  const baseUrl = `http://127.0.0.1:${port}`;
  await waitHealthy(baseUrl, 60_000);
  return { name: 'baseline', baseUrl, pid: child.pid!, stop: () => new Promise<void>((done) => (child.once('exit', () => done()), child.kill('SIGTERM'))) };
}
