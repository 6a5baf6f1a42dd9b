import type { Redis } from 'ioredis';
import { COUNTER_FIELD } from '../../shared/counters';
import { historyDates, type History } from '../../shared/forecast';
import { keys } from '../store/keys';

/** Reads what the forecast learns from: the counter hashes of past business days. */
export class ForecastRepository {
  constructor(private readonly redis: Redis) {}

  /**
   * Daily totals of the last `MULTIPLIER_DAYS` days and the hourly intakes of the same weekday
   * in the last `PROFILE_WEEKS` weeks, in one pipelined round trip (about 280 reads).
   */
  async history(siteId: string, date: string): Promise<History> {
    const { days, hourly } = historyDates(date);
    const p = this.redis.pipeline();
    for (const d of days) p.hmget(keys.day(siteId, d), COUNTER_FIELD.intakes, COUNTER_FIELD.checkouts, COUNTER_FIELD.sessionMs);
    for (const d of hourly) for (let h = 0; h < 24; h++) p.hget(keys.hour(siteId, d, h), COUNTER_FIELD.intakes);
    const res = (await p.exec()) ?? [];
    const value = (i: number): unknown => {
      const [err, v] = res[i] ?? [null, null];
      if (err) throw err;
      return v;
    };
    const num = (v: unknown) => (Number.isFinite(Number(v)) ? Number(v) : 0);
    const out: History = {};
    days.forEach((d, i) => {
      const [intakes, checkouts, sessionMs] = (value(i) as Array<string | null>) ?? [];
      if (intakes == null && checkouts == null) return; // no counters that day
      out[d] = { intakes: num(intakes), checkouts: num(checkouts), sessionMs: num(sessionMs) };
    });
    hourly.forEach((d, k) => {
      const day = out[d];
      if (!day) return;
      day.hourly = Array.from({ length: 24 }, (_, h) => num(value(days.length + k * 24 + h)));
    });
    return out;
  }
}
