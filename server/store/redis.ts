import { Redis, type RedisOptions } from 'ioredis';
import RedisMock from 'ioredis-mock';
import type { Logger } from '../logger';

export type StoreKind = 'redis' | 'embedded';

export interface Store {
  kind: StoreKind;
  /** The command connection (ioredis or the embedded engine with the same API). */
  redis: Redis;
  /** A factory for extra connections (pub/sub for the Socket.IO adapter); null when embedded. */
  duplicate: (() => Redis) | null;
  isUp: () => boolean;
  /** Registers a listener for connection errors (metrics). */
  onError: (fn: (err: Error) => void) => void;
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

/**
 * `REDIS_URL` set → real Redis; unset → the embedded in-process engine (ioredis-mock) behind
 * the same interface, so every script and repository runs the same code on both.
 */
export async function createStore(url: string | undefined, log?: Logger): Promise<Store> {
  if (!url) {
    const redis = new RedisMock() as unknown as Redis;
    return { kind: 'embedded', redis, duplicate: null, isUp: () => true, onError: () => undefined, close: async () => void redis.disconnect() };
  }
  const redis = new Redis(url, { ...commonOptions, lazyConnect: true });
  // ioredis reports every failed reconnect; log the transitions, not each retry.
  let wasUp = false;
  redis.on('ready', () => {
    wasUp = true;
    log?.info('redis connected');
  });
  redis.on('error', (err) => {
    if (wasUp) log?.error({ err: err.message }, 'redis connection lost; answering 503 until it returns');
    wasUp = false;
  });
  await redis.connect().catch(() => {
    // Start anyway: health says "down", commands get 503, and ioredis keeps retrying.
  });
  return {
    kind: 'redis',
    redis,
    duplicate: () => {
      const d = new Redis(url, { ...commonOptions, maxRetriesPerRequest: null, enableOfflineQueue: true });
      // The main connection logs outages; the adapter's pub/sub connections follow it silently.
      d.on('error', () => undefined);
      return d;
    },
    isUp: () => redis.status === 'ready',
    onError: (fn) => void redis.on('error', fn),
    close: async () => {
      await redis.quit().catch(() => redis.disconnect());
    },
  };
}
