import { INCIDENT_KINDS, ROUTES, SUBSTANCES } from './vocabulary';
import type { DayCounters } from './api';

/**
 * Field names of the per-day and per-hour counter hashes in the store. The Lua script
 * increments these and `countersFromFields` reads them back; keeping both here stops drift.
 */
export const COUNTER_FIELD = {
  intakes: 'intakes',
  substance: (s: string) => `sub:${s}`,
  route: (r: string) => `route:${r}`,
  assisted: 'assisted',
  checkouts: 'checkouts',
  sessionMs: 'sessionMs',
  incident: (k: string) => `inc:${k}`,
  naloxone: 'naloxone',
  ambulance: 'ambulance',
  registrations: 'registrations',
  queueJoins: 'q:join',
  walkAways: 'q:leave',
  queueServed: 'q:served',
  peakOccupied: 'peak:occ',
  peakQueue: 'peak:queue',
  /** Walk-aways sent to another site of the network (issue 18), one field per site id. */
  sentTo: (siteId: string) => `sent:${siteId}`,
} as const;

const num = (fields: Record<string, string>, key: string): number => {
  const v = Number(fields[key] ?? 0);
  return Number.isFinite(v) ? v : 0;
};

/** Turns a counter hash (field → decimal string) into `DayCounters`. */
export function countersFromFields(fields: Record<string, string>): DayCounters {
  const F = COUNTER_FIELD;
  return {
    intakes: num(fields, F.intakes),
    bySubstance: Object.fromEntries(SUBSTANCES.map((s) => [s, num(fields, F.substance(s))])) as DayCounters['bySubstance'],
    byRoute: Object.fromEntries(ROUTES.map((r) => [r, num(fields, F.route(r))])) as DayCounters['byRoute'],
    assisted: num(fields, F.assisted),
    checkouts: num(fields, F.checkouts),
    sessionMinutesTotal: Math.round((num(fields, F.sessionMs) / 60_000) * 10) / 10,
    incidents: Object.fromEntries(INCIDENT_KINDS.map((k) => [k, num(fields, F.incident(k))])) as DayCounters['incidents'],
    naloxone: num(fields, F.naloxone),
    ambulance: num(fields, F.ambulance),
    registrations: num(fields, F.registrations),
    queueJoins: num(fields, F.queueJoins),
    walkAways: num(fields, F.walkAways),
    queueServed: num(fields, F.queueServed),
    peakOccupied: num(fields, F.peakOccupied),
    peakQueue: num(fields, F.peakQueue),
    ...sentToOf(fields),
  };
}

/** The `sent:<site>` fields as `{sentTo: {site: n}}`, or nothing when nobody was sent anywhere (keeps each change small). */
function sentToOf(fields: Record<string, string>): Pick<DayCounters, 'sentTo'> {
  let sentTo: Record<string, number> | undefined;
  for (const [k, v] of Object.entries(fields)) {
    if (!k.startsWith('sent:')) continue;
    const n = Number(v);
    if (Number.isFinite(n) && n !== 0) (sentTo ??= {})[k.slice(5)] = n;
  }
  return sentTo ? { sentTo } : {};
}

/** An all-zero `DayCounters`. */
export const emptyCounters = (): DayCounters => countersFromFields({});
