import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { Store } from '../store/redis';
import { createError } from '../errors';

export interface LimitSettings {
  /** Failed logins allowed per username, and per address, in `windowSeconds`. */
  perUser: number;
  perAddress: number;
  windowSeconds: number;
}

/**
 * Counts failed logins per username and per address, in Redis so every instance sees the same
 * counts (in memory on the embedded store, which is one process anyway).
 */
export class LoginLimiter {
  private readonly byUser: RateLimiterAbstract;
  private readonly byAddress: RateLimiterAbstract;

  constructor(
    store: Store,
    private readonly s: LimitSettings,
  ) {
    const make = (keyPrefix: string, points: number) =>
      store.kind === 'redis'
        ? new RateLimiterRedis({ storeClient: store.redis, keyPrefix: `rw:{auth}:limit:${keyPrefix}`, points, duration: s.windowSeconds })
        : new RateLimiterMemory({ keyPrefix, points, duration: s.windowSeconds });
    this.byUser = make('user', s.perUser);
    this.byAddress = make('addr', s.perAddress);
  }

  private static tooMany(res: RateLimiterRes): never {
    const retryAfter = Math.max(1, Math.ceil(res.msBeforeNext / 1000));
    throw createError('rate_limited', 'Too many attempts; try again later', 429, { retryAfterSeconds: retryAfter });
  }

  /** Throws 429 when either budget is spent, before the password is even checked. */
  async check(username: string, address: string): Promise<void> {
    const [u, a] = await Promise.all([this.byUser.get(username.toLowerCase()), this.byAddress.get(address)]);
    if (u && u.consumedPoints >= this.s.perUser) LoginLimiter.tooMany(u);
    if (a && a.consumedPoints >= this.s.perAddress) LoginLimiter.tooMany(a);
  }

  async failed(username: string, address: string): Promise<void> {
    await Promise.all([
      this.byUser.consume(username.toLowerCase()).catch((r) => (r instanceof RateLimiterRes ? r : Promise.reject(r))),
      this.byAddress.consume(address).catch((r) => (r instanceof RateLimiterRes ? r : Promise.reject(r))),
    ]);
  }

  async succeeded(username: string): Promise<void> {
    await this.byUser.delete(username.toLowerCase());
  }

  /** A separate small budget for unauthenticated pairing-code requests per address. */
  static pairing(store: Store): RateLimiterAbstract {
    return store.kind === 'redis'
      ? new RateLimiterRedis({ storeClient: store.redis, keyPrefix: 'rw:{auth}:limit:pair', points: 30, duration: 600 })
      : new RateLimiterMemory({ keyPrefix: 'pair', points: 30, duration: 600 });
  }
}
