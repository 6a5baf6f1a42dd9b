import { afterAll, beforeAll, beforeEach } from 'vitest';
import { Redis } from 'ioredis';
import RedisMock from 'ioredis-mock';
import { haveRedis } from './programs';
import { startRedis, type RedisProcess } from './redisServer';
import { startTestServer, type TestServer } from './testServer';

export interface Engine {
  name: string;
  available: boolean;
  connect: () => Promise<Redis>;
}

/**
 * The two engines every store contract runs on: the embedded one `npm start` uses without
 * REDIS_URL, and a real redis-server started for the file (stopped after it).
 */
export function storeEngines(): Engine[] {
  let server: RedisProcess | undefined;
  afterAll(async () => {
    await server?.destroy();
  });
  return [
    { name: 'embedded', available: true, connect: async () => new RedisMock() as unknown as Redis },
    {
      name: 'redis-server',
      available: haveRedis(),
      connect: async () => {
        server ??= await startRedis();
        return new Redis(server.url);
      },
    },
  ];
}

/**
 * Connects to an engine for a `describe.each(storeEngines())` block: one connection for the
 * block, an empty store before every test (skipped where the engine is not installed). Returns
 * the connection's getter; `onEach` runs after the flush (build harnesses on it there).
 */
export function useStoreEngine(engine: Engine, onEach?: (redis: Redis) => void): () => Redis {
  let redis: Redis | undefined;
  beforeAll(async () => {
    if (engine.available) redis = await engine.connect();
  });
  afterAll(() => {
    redis?.disconnect();
  });
  beforeEach(async (ctx) => {
    if (!engine.available || !redis) return ctx.skip();
    await redis.flushall();
    onEach?.(redis);
  });
  return () => redis!;
}

export interface ServerEngine {
  name: string;
  available: boolean;
  /** Whether two servers started on it share one store (several instances, a restart). */
  shared: boolean;
  start: (opts?: Omit<Parameters<typeof startTestServer>[0] & object, 'redisUrl'>) => Promise<TestServer>;
}

/**
 * The two stores a real server runs on: the embedded engine (`npm start` without REDIS_URL) and
 * a throwaway redis-server for the file (stopped after it). Integration tests of anything that
 * writes through a Lua script run on both, so a script that only one engine runs cannot ship.
 */
export function serverEngines(): ServerEngine[] {
  let server: RedisProcess | undefined;
  afterAll(async () => {
    await server?.destroy();
  });
  return [
    { name: 'embedded', available: true, shared: false, start: (opts = {}) => startTestServer(opts) },
    {
      name: 'redis-server',
      available: haveRedis(),
      shared: true,
      start: async (opts = {}) => {
        server ??= await startRedis();
        return startTestServer({ ...opts, redisUrl: server.url });
      },
    },
  ];
}
