import type { Redis } from 'ioredis';
import { COUNTER_FIELD } from '../../shared/counters';
import { historyDates, type History } from '../../shared/forecast';
import { keys } from '../store/keys';

/** Business dates of data gaps are kept this long (the forecast reads 91 days back). */
const GAP_RETENTION = 400;

/** Reads what the forecast learns from: the counter hashes of past business days, and the data gaps. */
export class ForecastRepository {
  constructor(private readonly redis: Redis) {}

  /**
   * Daily totals and hourly intakes of the last `MULTIPLIER_DAYS` days and the days marked as
   * data gaps, in one pipelined round trip (about 2,300 small reads).
   */
  async history(siteId: string, date: string): Promise<History> {
    const days = historyDates(date);
    const p = this.redis.pipeline();
    p.zrange(keys.gaps(siteId), 0, -1);
    for (const d of days) p.hmget(keys.day(siteId, d), COUNTER_FIELD.intakes, COUNTER_FIELD.checkouts, COUNTER_FIELD.sessionMs);
    for (const d of days) for (let h = 0; h < 24; h++) p.hget(keys.hour(siteId, d, h), COUNTER_FIELD.intakes);
    const res = (await p.exec()) ?? [];
    const value = (i: number): unknown => {
      const [err, v] = res[i] ?? [null, null];
      if (err) throw err;
      return v;
    };
    const num = (v: unknown) => (Number.isFinite(Number(v)) ? Number(v) : 0);
    const gaps = new Set((value(0) as string[] | null) ?? []);
    const out: History = {};
    days.forEach((d, i) => {
      const [intakes, checkouts, sessionMs] = (value(1 + i) as Array<string | null>) ?? [];
      if (intakes == null && checkouts == null) return; // no counters that day
      out[d] = {
        intakes: num(intakes),
        checkouts: num(checkouts),
        sessionMs: num(sessionMs),
        hourly: Array.from({ length: 24 }, (_, h) => num(value(1 + days.length + i * 24 + h))),
        ...(gaps.has(d) ? { gap: true } : {}),
      };
    });
    return out;
  }

  /**
   * Marks business dates as data gaps (idempotent) and says how many were new. A sorted set
   * scored by the date's day number, so old entries can be trimmed in the same round trip.
   */
  async markGaps(siteId: string, dates: readonly string[]): Promise<number> {
    if (dates.length === 0) return 0;
    const score = (d: string) => Math.floor(Date.parse(`${d}T00:00:00Z`) / 86_400_000);
    const newest = Math.max(...dates.map(score));
    const p = this.redis.pipeline();
    for (const d of dates) p.zadd(keys.gaps(siteId), score(d), d);
    p.zremrangebyscore(keys.gaps(siteId), '-inf', newest - GAP_RETENTION);
    const res = (await p.exec()) ?? [];
    for (const [err] of res) if (err) throw err;
    // ZADD answers how many members were new: the dates not marked before.
    return res.slice(0, dates.length).reduce((n, [, v]) => n + Number(v ?? 0), 0);
  }

  /** The business dates marked as data gaps, oldest first. */
  async gaps(siteId: string): Promise<string[]> {
    return this.redis.zrange(keys.gaps(siteId), 0, -1);
  }
}
