import { afterAll } from 'vitest';
import { Redis } from 'ioredis';
import RedisMock from 'ioredis-mock';
import { haveRedis } from './programs';
import { startRedis, type RedisProcess } from './redisServer';

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
