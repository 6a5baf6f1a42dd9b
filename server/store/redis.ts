import { Redis, type RedisOptions } from 'ioredis';
import RedisMock from 'ioredis-mock';
import type { RedisTarget } from '../config';
import type { Logger } from '../logger';
import { ReplicaAcks } from './replicas';

export type StoreKind = 'redis' | 'embedded';

export interface Store {
  kind: StoreKind;
  /** The command connection (ioredis or the embedded engine with the same API). */
  redis: Redis;
  /** A factory for extra connections (pub/sub for the Socket.IO adapter); null when embedded. */
  duplicate: (() => Redis) | null;
  /** A connection for subscribing (the live relay); on the embedded engine too, where pub/sub stays in process. */
  subscriber: () => Redis;
  isUp: () => boolean;
  /** Registers a listener for connection errors (metrics). */
  onError: (fn: (err: Error) => void) => void;
  /** Registers a listener for the connection coming back after it was lost (or moved to a new primary). */
  onRecovered: (fn: () => void) => void;
  /** With `ROOMWATCH_REDIS_WAIT_REPLICAS`: confirms that replicas have every write so far; else null. */
  replicas: ReplicaAcks | null;
  /** How the store is reached, for logs: `embedded`, `redis://host:port` or `sentinel <master>`. */
  describe: string;
  close: () => Promise<void>;
}

const commonOptions: RedisOptions = {
  // Fail fast while Redis is down (→ 503) instead of queueing commands for minutes;
  // ioredis keeps reconnecting in the background and we recover by ourselves.
  maxRetriesPerRequest: 1,
  enableOfflineQueue: false,
  retryStrategy: (times) => Math.min(100 * times, 2_000),
  connectTimeout: 5_000,
};

/** ioredis options for one Redis (`REDIS_URL`) or a master found through Sentinel. */
function connectionOptions(t: RedisTarget): { url?: string; options: RedisOptions } {
  if (t.sentinels?.length) {
    return {
      options: {
        sentinels: t.sentinels,
        name: t.sentinelMaster!,
        ...(t.password ? { password: t.password } : {}),
        ...(t.sentinelPassword ? { sentinelPassword: t.sentinelPassword } : {}),
        // Ask the sentinels again quickly while a failover is under way. (ioredis's optional
        // failoverDetector is left off: its disconnect can race a reconnect in progress and throw
        // an unhandled "Connection is closed" that ends the process. A dead primary closes our
        // connection, and Sentinel kills the clients of a demoted one, so reconnecting finds the
        // new primary anyway.)
        sentinelRetryStrategy: (times) => Math.min(100 * times, 1_000),
      },
    };
  }
  return { url: t.url!, options: {} };
}

let embeddedStores = 0;

/**
 * `REDIS_URL` or `REDIS_SENTINELS` set → real Redis; neither → the embedded in-process engine
 * (ioredis-mock) behind the same interface, so every script and repository runs the same code on both.
 */
export async function createStore(target: string | RedisTarget | undefined, log?: Logger): Promise<Store> {
  const t: RedisTarget = typeof target === 'string' || target === undefined ? { url: target } : target;
  if (!t.url && !t.sentinels?.length) {
    // ioredis-mock shares one data set among instances with the same host and port: give each
    // store its own, so two apps in one process (tests, a restart in place) never see each other's
    // floor. `duplicate()` keeps the options, so the live relay's subscriber hears this store's publishes.
    const redis = new RedisMock({ host: `embedded-${++embeddedStores}` }) as unknown as Redis;
    const subscriber = () => (redis as unknown as { duplicate(): Redis }).duplicate();
    return { kind: 'embedded', redis, duplicate: null, subscriber, isUp: () => true, onError: () => undefined, onRecovered: () => undefined, replicas: null, describe: 'embedded', close: async () => void redis.disconnect() };
  }
  const { url, options } = connectionOptions(t);
  const make = (extra: RedisOptions) => (url ? new Redis(url, { ...commonOptions, ...options, ...extra }) : new Redis({ ...commonOptions, ...options, ...extra }));
  // Auto-pipelining: commands issued while the event loop works through one batch of requests
  // (under load, many floor commands) go to Redis in one write on the next turn, not one write
  // each. On this kind of machine a socket write costs tens of microseconds, so a busy instance
  // takes about 7 % more commands a second (README, Benchmarks); each script still runs alone and
  // in order, and an EVALSHA Redis no longer knows is sent again as EVAL (ioredis does that).
  const redis = make({ lazyConnect: true, enableAutoPipelining: true });
  // ioredis reports every failed reconnect; log the transitions, not each retry.
  let wasUp = false;
  let connectedBefore = false;
  const recovered: Array<() => void> = [];
  redis.on('ready', () => {
    wasUp = true;
    log?.info('redis connected');
    // Every ready after the first is a reconnect: after a restart or a failover.
    if (connectedBefore) for (const fn of recovered) fn();
    connectedBefore = true;
  });
  redis.on('error', (err) => {
    if (wasUp) log?.error({ err: err.message }, 'redis connection lost; answering 503 until it returns');
    wasUp = false;
  });
  await redis.connect().catch(() => {
    // Start anyway: health says "down", commands get 503, and ioredis keeps retrying.
  });
  const waitReplicas = t.waitReplicas ?? 0;
  const duplicate = () => {
    const d = make({ maxRetriesPerRequest: null, enableOfflineQueue: true });
    // The main connection logs outages; the pub/sub connections follow it silently.
    d.on('error', () => undefined);
    return d;
  };
  return {
    kind: 'redis',
    redis,
    duplicate,
    subscriber: duplicate,
    isUp: () => redis.status === 'ready',
    onError: (fn) => void redis.on('error', fn),
    onRecovered: (fn) => void recovered.push(fn),
    replicas: waitReplicas > 0 ? new ReplicaAcks(redis, waitReplicas, t.waitTimeoutMs ?? 1_000) : null,
    describe: url ? url.replace(/\/\/[^@/]*@/, '//***@') : `sentinel ${t.sentinelMaster} via ${t.sentinels!.map((x) => `${x.host}:${x.port}`).join(',')}`,
    close: async () => {
      await redis.quit().catch(() => redis.disconnect());
    },
  };
}
