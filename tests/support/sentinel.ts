import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { haveProgram } from './programs';
import { freePort, startRedis, type RedisProcess } from './redisServer';

export const SENTINEL_MASTER = 'roomwatch';
export const haveSentinel = () => haveProgram('redis-sentinel', 'apt-get install -y redis-sentinel');

/** The example from server/deploy, pointed at a loopback primary with short timeouts for tests. */
function sentinelConf(port: number, primaryPort: number, dir: string): string {
  const example = readFileSync(new URL('../../server/deploy/sentinel.conf', import.meta.url), 'utf8');
  const conf = example
    .replace(/^port \d+$/m, `port ${port}`)
    .replace(/^sentinel monitor (\S+) \S+ \d+ (\d+)$/m, `sentinel monitor $1 127.0.0.1 ${primaryPort} $2`)
    .replace(/^sentinel down-after-milliseconds (\S+) \d+$/m, 'sentinel down-after-milliseconds $1 1000')
    .replace(/^sentinel failover-timeout (\S+) \d+$/m, 'sentinel failover-timeout $1 3000');
  if (!conf.includes(`port ${port}`) || !conf.includes(`127.0.0.1 ${primaryPort}`)) throw new Error('server/deploy/sentinel.conf no longer has the lines the test adapts');
  return `${conf}\nbind 127.0.0.1\ndir ${dir}\n`;
}

async function until<T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe().catch(() => undefined);
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function ask<T>(port: number, fn: (r: Redis) => Promise<T>): Promise<T> {
  const r = new Redis({ port, host: '127.0.0.1', lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  r.on('error', () => undefined);
  try {
    await r.connect();
    return await fn(r);
  } finally {
    r.disconnect();
  }
}

export interface SentinelSetup {
  primary: RedisProcess;
  replica: RedisProcess;
  sentinelPorts: number[];
  /** `REDIS_SENTINELS` for the app. */
  sentinelsEnv: string;
  /** The port of the primary the sentinels announce now. */
  primaryPort(): Promise<number>;
  /** Waits until the sentinels announce a primary other than `port`. */
  failedOverFrom(port: number, timeoutMs?: number): Promise<number>;
  destroy(): Promise<void>;
}

/**
 * A primary, a replica and three sentinels (quorum 2), all real processes on loopback ports,
 * each with its own data dir; ready once the replica is in sync and the sentinels know each other.
 */
export async function startSentinelSetup(): Promise<SentinelSetup> {
  // No 5 s wait before a full sync (the default gathers replicas first): a rejoining node syncs at once.
  const quick = ['--repl-diskless-sync-delay', '0'];
  const primary = await startRedis({ appendonly: true, args: quick });
  const replica = await startRedis({ appendonly: true, args: [...quick, '--replicaof', '127.0.0.1', String(primary.port)] });
  await until('the replica to sync', 15_000, async () => ((await ask(replica.port, (r) => r.info('replication'))).includes('master_link_status:up') ? true : undefined));
  const dir = mkdtempSync(join(tmpdir(), 'rw-sentinel-'));
  const sentinelPorts: number[] = [];
  const children: ChildProcess[] = [];
  for (let i = 0; i < 3; i++) {
    const port = await freePort();
    const conf = join(dir, `sentinel-${i}.conf`);
    writeFileSync(conf, sentinelConf(port, primary.port, dir));
    children.push(spawn('redis-sentinel', [conf], { stdio: 'ignore' }));
    sentinelPorts.push(port);
  }
  // Every sentinel sees the replica and the two others (hello messages, every 2 s): a failover can be authorised.
  for (const port of sentinelPorts) {
    await until(`sentinel ${port} to know the topology`, 20_000, async () => {
      const ok = await ask(port, async (r) => {
        const quorum = String(await r.call('SENTINEL', 'CKQUORUM', SENTINEL_MASTER));
        const replicas = (await r.call('SENTINEL', 'REPLICAS', SENTINEL_MASTER)) as unknown[];
        return quorum.includes('3 usable Sentinels') && replicas.length === 1;
      });
      return ok ? true : undefined;
    });
  }
  const primaryPort = () => ask(sentinelPorts[0]!, async (r) => Number(((await r.call('SENTINEL', 'GET-MASTER-ADDR-BY-NAME', SENTINEL_MASTER)) as string[])[1]));
  return {
    primary,
    replica,
    sentinelPorts,
    sentinelsEnv: sentinelPorts.map((p) => `127.0.0.1:${p}`).join(','),
    primaryPort,
    failedOverFrom: (port, timeoutMs = 20_000) => until('the sentinels to fail over', timeoutMs, async () => {
      const now = await primaryPort();
      return now !== port ? now : undefined;
    }),
    destroy: async () => {
      await Promise.all(
        children.map(
          (c) =>
            new Promise<void>((done) => {
              if (c.exitCode !== null || c.signalCode !== null) return done();
              c.once('exit', () => done());
              c.kill('SIGTERM');
            }),
        ),
      );
      await replica.destroy();
      await primary.destroy();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
