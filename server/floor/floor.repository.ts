import { readFileSync } from 'node:fs';
import type { Redis } from 'ioredis';
import type { Booth, DayCounters } from '../../shared/api';
import { countersFromFields } from '../../shared/counters';
import type { EventType } from '../../shared/events';
import type { BoothState, Route, Substance } from '../../shared/vocabulary';
import { parseIncident, type StoredIncident } from '../incidents/incident.repository';
import { keys } from '../store/keys';

const COMMAND_LUA = readFileSync(new URL('./command.lua', import.meta.url), 'utf8');
const SEP = '\x1f';
const RS = '\x1e';

/** Everything the atomic script needs for one command; built by the service. */
export interface CommandInput {
  siteId: string;
  type: EventType;
  now: number;
  businessDate: string;
  hour: number;
  boothId?: string;
  /** For booth commands: states the command is allowed from, and where it leads. */
  transition?: { from: readonly BoothState[]; to: BoothState };
  args?: [string?, string?, string?, string?];
  /** The room a check-in or room command is about, and whether its hours have it open now. */
  room?: { id: string; scheduleOpen: boolean };
  actor: string;
  idempotency?: { key: string; fingerprint: string; ttlMs: number };
  eventRetention: number;
  /**
   * For `undo`: the event to reverse, where it counted (its business date and hour), where its
   * booth command led (if it was one), the window, and how long to remember the undo.
   */
  undo?: { seq: number; date: string; hour: number; toState: BoothState | ''; windowMs: number; rememberMs: number };
  /**
   * Publish the change from inside the script on the site's live channel (`keys.live`), so Redis
   * orders it and carries it to every instance even if this one dies right after the commit.
   */
  live?: LiveHeader;
}

/** What Node adds to a published change: what it was, where it counted, when. */
export interface LiveHeader {
  type: EventType;
  /** The booth whose new state the change carries, if any. */
  boothId: string;
  businessDate: string;
  hour: number;
  at: number;
}

/** A change as heard on a live channel: Node's header and the script's reply. */
export interface LiveMessage {
  header: LiveHeader;
  outcome: CommandOutcome;
}

/** The fields of one event-log entry that an undo needs to address its keys. */
export interface LoggedEvent {
  seq: number;
  type: EventType;
  boothId: string | null;
  date: string;
  hour: number;
  actor: string;
}

/** The booth as stored (without room metadata, which lives in the site registry). */
export interface StoredBooth {
  state: BoothState;
  since: number | null;
  substance: Substance | null;
  route: Route | null;
  assisted: boolean;
  reason: string | null;
}

/** A room's early opening as stored. */
export interface StoredEarlyOpening {
  until: number;
  by: string;
}

export interface CommandOutcome {
  status: 'ok' | 'conflict' | 'mismatch';
  /** True when the reply was stored by an earlier request with the same idempotency key. */
  replayed: boolean;
  seq: number;
  booth: StoredBooth;
  queue: number;
  onShift: number;
  occupied: number;
  conflictCode: string;
  counters: DayCounters;
  hourIntakes: number;
  /** The incident the command recorded, closed or reopened (or, with `incidentRemoved`, took back). */
  incident: StoredIncident | null;
  incidentRemoved: boolean;
  /** The room whose early opening the command set or ended, and that opening now (null: none). */
  room: { id: string; early: StoredEarlyOpening | null } | null;
}

export interface FloorReadout {
  seq: number;
  queue: number;
  onShift: number;
  occupied: number;
  booths: Map<string, StoredBooth>;
  counters: DayCounters;
  hourlyIntakes: number[];
  /** Early openings by room id (expired ones included: the reader compares with its clock). */
  earlyOpenings: Map<string, StoredEarlyOpening>;
  /** The open incidents and those of roughly the last 30 minutes (the reader filters by time). */
  incidents: StoredIncident[];
}

type CommandFn = (...args: (string | number)[]) => Promise<[string, string, string[], string]>;

const pairs = (flat: string[]): Record<string, string> => {
  const out: Record<string, string> = {};
  for (let i = 0; i + 1 < flat.length; i += 2) out[flat[i]!] = flat[i + 1]!;
  return out;
};

const storedBooth = (f: Record<string, string | null | undefined>): StoredBooth => ({
  state: (f.state || 'free') as BoothState,
  since: f.since ? Number(f.since) : null,
  substance: (f.substance || null) as Substance | null,
  route: (f.route || null) as Route | null,
  assisted: f.assisted === '1',
  reason: f.reason || null,
});

const parseEarly = (raw: string | undefined): StoredEarlyOpening | null => {
  if (!raw) return null;
  const [until, by = ''] = raw.split(SEP);
  return Number(until) > 0 ? { until: Number(until), by } : null;
};

function outcomeOf(result: string, replayed: boolean, dayFlat: string[], hourIntakes: string): CommandOutcome {
  const parts = result.split(SEP);
  const [status, seq, state, since, substance, route, assisted, reason, queue, onShift, occupied, code, incidentId] = parts;
  const [removed, roomId, roomUntil, roomBy] = parts.slice(22, 26);
  // Only a live change needs the day's counters; a command's reply does not: read them on demand.
  let counters: DayCounters | undefined;
  return {
    status: status as CommandOutcome['status'],
    replayed,
    seq: Number(seq ?? 0),
    booth: storedBooth({ state, since, substance, route, assisted, reason }),
    queue: Number(queue ?? 0),
    onShift: Number(onShift ?? 0),
    occupied: Number(occupied ?? 0),
    conflictCode: code ?? '',
    get counters() {
      return (counters ??= countersFromFields(pairs(dayFlat)));
    },
    hourIntakes: Number(hourIntakes),
    incident: incidentId ? parseIncident(incidentId, parts.slice(13, 22)) : null,
    incidentRemoved: removed === '1',
    room: roomId ? { id: roomId, early: roomUntil ? { until: Number(roomUntil), by: roomBy ?? '' } : null } : null,
  };
}

const encodeLiveHeader = (h: LiveHeader): string => [h.type, h.boothId, h.businessDate, h.hour, h.at].join(SEP);

/** Reads a message the command script published (`command.lua`, end); null if it is not one. */
export function decodeLive(message: string): LiveMessage | null {
  const [head, result, hourIntakes, day] = message.split(RS);
  if (head === undefined || result === undefined || hourIntakes === undefined || day === undefined) return null;
  const [type, boothId = '', businessDate = '', hour, at] = head.split(SEP);
  const outcome = outcomeOf(result, false, day === '' ? [] : day.split(SEP), hourIntakes);
  if (outcome.status !== 'ok' || !type) return null;
  return { header: { type: type as EventType, boothId, businessDate, hour: Number(hour), at: Number(at) }, outcome };
}

/** All Redis I/O of the live floor. One command = one script call = one round trip. */
export class FloorRepository {
  private readonly command: CommandFn;

  constructor(private readonly redis: Redis) {
    if (!(redis as unknown as Record<string, unknown>).rwFloorCommand) {
      redis.defineCommand('rwFloorCommand', { numberOfKeys: 12, lua: COMMAND_LUA });
    }
    const fn = (redis as unknown as Record<string, CommandFn>).rwFloorCommand!;
    this.command = fn.bind(redis);
  }

  /** Runs one command atomically; see `command.lua`. */
  async apply(input: CommandInput): Promise<CommandOutcome> {
    const s = input.siteId;
    const idem = input.idempotency;
    const undo = input.undo;
    const [a1 = '', a2 = '', a3 = '', a4 = ''] = undo ? [String(undo.seq), String(undo.windowMs), String(undo.rememberMs)] : (input.args ?? []);
    // An undo counts back into the buckets of the event it reverses.
    const countDate = undo ? undo.date : input.businessDate;
    const countHour = undo ? undo.hour : input.hour;
    const boothKeyed = input.boothId && (input.transition || undo?.toState);
    const [result, replayed, dayFlat, hourIntakes] = await this.command(
      keys.seq(s),
      keys.floor(s),
      keys.booth(s, boothKeyed ? input.boothId! : '-'),
      keys.day(s, countDate),
      keys.hour(s, countDate, countHour),
      keys.events(s),
      keys.idempotency(s, idem ? idem.key : '-'),
      keys.undone(s, undo ? undo.seq : '-'),
      keys.rooms(s),
      keys.incidents(s),
      keys.incidentsLive(s),
      keys.incidentsByTime(s),
      input.type,
      input.now,
      idem ? '1' : '0',
      idem?.fingerprint ?? '',
      idem?.ttlMs ?? 0,
      input.eventRetention,
      input.transition ? input.transition.from.join(',') : '',
      undo ? undo.toState : (input.transition?.to ?? ''),
      a1,
      a2,
      a3,
      input.boothId ?? '',
      input.actor,
      input.businessDate,
      input.hour,
      input.room?.id ?? '',
      input.room ? (input.room.scheduleOpen ? '1' : '0') : '',
      a4,
      input.live ? keys.live(s) : '',
      input.live ? encodeLiveHeader(input.live) : '',
    );
    return outcomeOf(result, replayed === '1', dayFlat, hourIntakes);
  }

  /** Reads a site's whole live state in one MULTI, so the parts agree with the `seq`. */
  async read(siteId: string, boothIds: string[], businessDate: string): Promise<FloorReadout> {
    const m = this.redis.multi();
    m.get(keys.seq(siteId));
    m.hgetall(keys.floor(siteId));
    for (const b of boothIds) m.hgetall(keys.booth(siteId, b));
    m.hgetall(keys.day(siteId, businessDate));
    for (let h = 0; h < 24; h++) m.hget(keys.hour(siteId, businessDate, h), 'intakes');
    m.hgetall(keys.rooms(siteId));
    m.hgetall(keys.incidentsLive(siteId));
    const res = await m.exec();
    if (!res) throw new Error('snapshot transaction aborted');
    const values = res.map(([err, v]) => {
      if (err) throw err;
      return v;
    });
    let i = 0;
    const seq = Number(values[i++] ?? 0);
    const floor = (values[i++] ?? {}) as Record<string, string>;
    const booths = new Map<string, StoredBooth>();
    for (const b of boothIds) booths.set(b, storedBooth((values[i++] ?? {}) as Record<string, string>));
    const counters = countersFromFields((values[i++] ?? {}) as Record<string, string>);
    const hourlyIntakes = Array.from({ length: 24 }, () => Number(values[i++] ?? 0));
    const earlyOpenings = new Map<string, StoredEarlyOpening>();
    for (const [room, raw] of Object.entries((values[i++] ?? {}) as Record<string, string>)) {
      const e = parseEarly(raw);
      if (e) earlyOpenings.set(room, e);
    }
    const incidents: StoredIncident[] = [];
    for (const [id, raw] of Object.entries((values[i++] ?? {}) as Record<string, string>)) {
      const inc = parseIncident(id, raw.split(SEP));
      if (inc) incidents.push(inc);
    }
    return {
      seq,
      queue: Number(floor.queue ?? 0),
      onShift: Number(floor.onShift ?? 0),
      occupied: Number(floor.occupied ?? 0),
      booths,
      counters,
      hourlyIntakes,
      earlyOpenings,
      incidents,
    };
  }

  /** The rooms' early openings (expired ones included: the reader compares with its clock). */
  async earlyOpenings(siteId: string): Promise<Map<string, StoredEarlyOpening>> {
    const out = new Map<string, StoredEarlyOpening>();
    for (const [room, raw] of Object.entries(await this.redis.hgetall(keys.rooms(siteId)))) {
      const e = parseEarly(raw);
      if (e) out.set(room, e);
    }
    return out;
  }

  /** The site's current seq (one GET): what a quiet screen compares its own with. */
  async seq(siteId: string): Promise<number> {
    return Number((await this.redis.get(keys.seq(siteId))) ?? 0);
  }

  /** One event-log entry by its seq (stream id `<seq>-0`), or null when unknown or trimmed. */
  async event(siteId: string, seq: number): Promise<LoggedEvent | null> {
    const rows = await this.redis.xrange(keys.events(siteId), String(seq), String(seq));
    const row = rows[0];
    if (!row) return null;
    const f = pairs(row[1]);
    return {
      seq,
      type: f.type as EventType,
      boothId: f.booth || null,
      date: f.date ?? '',
      hour: Number(f.hour ?? 0),
      actor: f.actor ?? '',
    };
  }

  /** Reads raw event-log entries (oldest first), for tests and exports. */
  async events(siteId: string, count = 1000): Promise<Array<{ id: string; fields: Record<string, string> }>> {
    const rows = await this.redis.xrange(keys.events(siteId), '-', '+', 'COUNT', count);
    return rows.map(([id, flat]) => ({ id, fields: pairs(flat) }));
  }
}

export type { Booth };
