import type { Redis } from 'ioredis';
import type { DayCounters } from '../../shared/api';
import { countersFromFields } from '../../shared/counters';
import { keys } from '../store/keys';

/**
 * Reads stored counter hashes for history and reports: one pipelined HGETALL per bucket, all
 * in one round trip. Never scans the event log.
 */
export class HistoryRepository {
  constructor(private readonly redis: Redis) {}

  private async read(keyList: string[]): Promise<DayCounters[]> {
    if (keyList.length === 0) return [];
    const p = this.redis.pipeline();
    for (const k of keyList) p.hgetall(k);
    const res = (await p.exec()) ?? [];
    return keyList.map((_, i) => {
      const [err, v] = res[i] ?? [null, null];
      if (err) throw err;
      return countersFromFields((v ?? {}) as Record<string, string>);
    });
  }

  /** Day counters of each business date. */
  days(siteId: string, dates: readonly string[]): Promise<DayCounters[]> {
    return this.read(dates.map((d) => keys.day(siteId, d)));
  }

  /** Hour counters of each (business date, clock hour). */
  hours(siteId: string, slots: readonly { date: string; hour: number }[]): Promise<DayCounters[]> {
    return this.read(slots.map((s) => keys.hour(siteId, s.date, s.hour)));
  }
}
