import { businessSlot } from '../../shared/businessTime';
import { COUNTER_FIELD as F } from '../../shared/counters';
import type { SimEvent } from './generator';

export interface CounterTally {
  /** business date → counter field → value */
  days: Map<string, Record<string, number>>;
  /** `<date>:<hh>` → counter field → value */
  hours: Map<string, Record<string, number>>;
}

/**
 * The day and hour counters that a run of accepted commands produces, field for field as
 * `server/floor/command.lua` counts them (the integration test holds the two together). Used
 * to backfill history quickly where replaying every command through the script is too slow
 * (the embedded engine), and to check a simulated day against the server's counters.
 */
export function tallyCounters(events: Iterable<SimEvent>, site: { timeZone: string; businessDayStart: number }): CounterTally {
  const days = new Map<string, Record<string, number>>();
  const hours = new Map<string, Record<string, number>>();
  const since = new Map<string, number>();
  let occupied = 0;
  let queue = 0;
  // One zone lookup per clock hour, not per event: Temporal is slow and a backfill has ~140,000.
  const slots = new Map<number, { date: string; hour: number }>();
  for (const e of events) {
    const hourStart = Math.floor(e.at / 3_600_000) * 3_600_000;
    let slot = slots.get(hourStart);
    if (!slot) slots.set(hourStart, (slot = businessSlot(hourStart, site.timeZone, site.businessDayStart)));
    const { date, hour } = slot;
    const hourKey = `${date}:${String(hour).padStart(2, '0')}`;
    const buckets = [days.get(date) ?? {}, hours.get(hourKey) ?? {}];
    days.set(date, buckets[0]!);
    hours.set(hourKey, buckets[1]!);
    const count = (field: string, by = 1) => {
      for (const b of buckets) b[field] = (b[field] ?? 0) + by;
    };
    const peak = (field: string, value: number) => {
      for (const b of buckets) if (value > (b[field] ?? 0)) b[field] = value;
    };
    switch (e.type) {
      case 'check-in':
        occupied++;
        since.set(e.boothId, e.at);
        count(F.intakes);
        count(F.substance(e.body.substance));
        count(F.route(e.body.route));
        if (e.body.assisted) count(F.assisted);
        if (queue > 0) {
          queue--;
          count(F.queueServed);
        }
        peak(F.peakOccupied, occupied);
        break;
      case 'check-out': {
        const started = since.get(e.boothId);
        count(F.checkouts);
        if (started !== undefined && e.at > started) count(F.sessionMs, e.at - started);
        occupied = Math.max(occupied - 1, 0);
        break;
      }
      case 'queue-join':
        queue++;
        count(F.queueJoins);
        peak(F.peakQueue, queue);
        break;
      case 'queue-leave':
        queue--;
        count(F.walkAways);
        break;
      case 'incident':
        count(F.incident(e.body.kind));
        if (e.body.naloxone) count(F.naloxone);
        if (e.body.ambulance) count(F.ambulance);
        break;
      case 'registration':
        count(F.registrations);
        break;
      default:
        break;
    }
  }
  return { days, hours };
}
