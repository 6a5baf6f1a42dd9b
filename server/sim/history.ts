import type { Redis } from 'ioredis';
import { businessDayStart, businessSlot } from '../../shared/businessTime';
import { addDays } from '../../shared/calendar';
import { boothIdsOf, type SiteConfig } from '../../shared/siteConfig';
import type { FloorService, CommandRequest } from '../floor/floor.service';
import type { FloorRepository } from '../floor/floor.repository';
import { incidentCloseCommand } from '../incidents/incident.service';
import { keys } from '../store/keys';
import { tallyCounters } from './counters';
import { Simulation, type SimEvent, type SimSite } from './generator';

/** A sites-file entry as the generator sees it. */
export const simSiteOf = (site: SiteConfig): SimSite => ({
  id: site.id,
  timeZone: site.timeZone,
  businessDayStart: site.businessDayStart,
  rooms: site.rooms.map((r) => ({ kind: r.kind, boothIds: boothIdsOf(r), openingHours: r.openingHours, datedHours: r.datedHours })),
  paydays: site.paydays,
  staffingPlan: site.staffingPlan,
});

export interface BackfillRange {
  /** First business date written. */
  from: string;
  /** Business date after the last one written (normally today: history stops where today starts). */
  to: string;
  start: number;
  until: number;
}

/** The `days` business days before the one running at `now`. */
export function backfillRange(site: SiteConfig, days: number, now: number): BackfillRange {
  const today = businessSlot(now, site.timeZone, site.businessDayStart).date;
  const from = addDays(today, -days);
  return {
    from,
    to: today,
    start: businessDayStart(from, site.timeZone, site.businessDayStart),
    until: businessDayStart(today, site.timeZone, site.businessDayStart),
  };
}

/** Business dates in the range that already hold counters (backfill refuses to mix with them). */
export async function datesWithCounters(redis: Redis, siteId: string, range: BackfillRange): Promise<string[]> {
  const dates: string[] = [];
  for (let d = range.from; d < range.to; d = addDays(d, 1)) dates.push(d);
  const p = redis.pipeline();
  for (const d of dates) p.exists(keys.day(siteId, d));
  const res = (await p.exec()) ?? [];
  return dates.filter((_, i) => Number(res[i]?.[1] ?? 0) > 0);
}

const simulation = (site: SiteConfig, range: BackfillRange, seed: number) =>
  new Simulation({ site: simSiteOf(site), seed, scenario: 'normal', start: range.start, until: range.until, drain: true });

function* stream(sim: Simulation): Generator<SimEvent> {
  for (let e = sim.next(); e; e = sim.next()) yield e;
}

const SEED_PRINCIPAL: CommandRequest['principal'] = { kind: 'token', id: 'seed-history', role: 'admin', sites: '*' };

/**
 * Applies one simulated command through the floor service (same script, counters and log as
 * live). `incidentIds` maps the run's incident references to the ids the server gave them.
 */
export async function applyThroughFloor(floor: FloorService, siteId: string, e: SimEvent, idempotencyKey?: string, incidentIds = new Map<number, string>()): Promise<unknown> {
  const req: CommandRequest = { principal: SEED_PRINCIPAL, siteId, idempotencyKey };
  switch (e.type) {
    case 'check-in':
      return floor.boothCommand(req, e.boothId, 'check-in', e.body);
    case 'check-out':
    case 'cleaned':
      return floor.boothCommand(req, e.boothId, e.type, {});
    case 'queue-join':
      return floor.queue(req, { op: 'join' });
    case 'queue-leave':
      return floor.queue(req, { op: 'leave' });
    case 'staffing':
      return floor.staffing(req, e.onShift);
    case 'incident': {
      const r = await floor.incident(req, e.body);
      if (e.ref !== undefined && r.incident) incidentIds.set(e.ref, r.incident.id);
      return r;
    }
    case 'incident-close': {
      const id = incidentIds.get(e.ref);
      if (!id) return null;
      const c = incidentCloseCommand(id, { outcome: e.outcome, naloxone: false, ambulance: false });
      return floor.command(req, floor.site(siteId), 'incident-close', c.part, c.body);
    }
    case 'registration':
      return floor.registration(req);
  }
}

/**
 * Backfills history by replaying simulated days through the FloorService with a simulated
 * clock: counters and event log exactly as live traffic writes them. One script call per
 * command, so about 2,500 calls per day — quick on Redis, slow on the embedded engine.
 * The floor ends empty (the run is drained) with the staffing it had before.
 */
export async function backfillThroughFloor(o: {
  floor: FloorService;
  repo: FloorRepository;
  clock: { now: number };
  site: SiteConfig;
  range: BackfillRange;
  seed: number;
  onProgress?: (date: string, commands: number) => void;
}): Promise<{ commands: number; conflicts: number }> {
  const siteId = o.site.id;
  const before = await o.repo.read(siteId, [], o.range.to);
  let commands = 0;
  let conflicts = 0;
  let day = '';
  const incidentIds = new Map<number, string>();
  for (const e of stream(simulation(o.site, o.range, o.seed))) {
    o.clock.now = e.at;
    const date = businessSlot(e.at, o.site.timeZone, o.site.businessDayStart).date;
    if (date !== day) {
      if (day) o.onProgress?.(day, commands);
      day = date;
    }
    try {
      await applyThroughFloor(o.floor, siteId, e, undefined, incidentIds);
      commands++;
    } catch (err) {
      if ((err as { status?: number }).status !== 409) throw err;
      conflicts++; // the live floor was not empty when the backfill started
    }
  }
  if (day) o.onProgress?.(day, commands);
  o.clock.now = Date.now();
  await applyThroughFloor(o.floor, siteId, { at: o.clock.now, type: 'staffing', onShift: before.onShift });
  return { commands, conflicts };
}

/**
 * Backfills only the day and hour counters (no event log, live floor untouched), written in
 * one pipeline. For the embedded store at `npm start -- --demo`, where replaying ~140,000
 * commands through the script would take minutes.
 */
export async function backfillCounters(redis: Redis, site: SiteConfig, range: BackfillRange, seed: number): Promise<{ days: number; intakes: number }> {
  const tally = tallyCounters(stream(simulation(site, range, seed)), site);
  const p = redis.pipeline();
  let intakes = 0;
  for (const [date, fields] of tally.days) {
    if (date < range.from || date >= range.to) continue; // the drain's last millisecond stays in range
    intakes += fields.intakes ?? 0;
    p.hset(keys.day(site.id, date), Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, String(v)])));
  }
  for (const [key, fields] of tally.hours) {
    const [date, hh] = [key.slice(0, 10), Number(key.slice(11))];
    if (date < range.from || date >= range.to) continue;
    p.hset(keys.hour(site.id, date, hh), Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, String(v)])));
  }
  await p.exec();
  return { days: tally.days.size, intakes };
}
