import { afterAll, beforeAll } from 'vitest';
import { startRedis, type RedisProcess } from './redisServer';
import { startTestServer, type TestServer } from './testServer';

/** Forwards to a value that exists only once `beforeAll` has run (and fails loudly before). */
function late<T extends object>(get: () => T | undefined, what: string): T {
  return new Proxy({} as T, {
    get(_target, key) {
      const value = get();
      if (!value) throw new Error(`${what} used before beforeAll started it`);
      const member = Reflect.get(value, key) as unknown;
      return typeof member === 'function' ? member.bind(value) : member;
    },
  });
}

/**
 * The usual integration setup: a throwaway redis-server and a real server on port 0 for the
 * file, both stopped afterwards. Returns stand-ins usable as `srv` and `redis` in the tests.
 */
export function serverOnRedis(
  opts: Omit<Parameters<typeof startTestServer>[0] & object, 'redisUrl'> & { appendonly?: boolean } = {},
): { srv: TestServer; redis: RedisProcess } {
  let redis: RedisProcess | undefined;
  let srv: TestServer | undefined;
  beforeAll(async () => {
    const { appendonly, ...serverOpts } = opts;
    redis = await startRedis({ appendonly: appendonly ?? false });
    srv = await startTestServer({ ...serverOpts, redisUrl: redis.url });
  });
  afterAll(async () => {
    await srv?.close();
    await redis?.destroy();
  });
  return { srv: late(() => srv, 'the test server'), redis: late(() => redis, 'redis-server') };
}
