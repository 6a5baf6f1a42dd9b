import { UNDO_WINDOW_MS, type Booth, type CheckInBody, type CommandResult, type IncidentBody, type OutOfServiceBody, type QueueBody, type Snapshot } from '../../shared/api';
import { BOOTH_COMMANDS, BOOTH_TRANSITIONS, type BoothCommand } from '../../shared/boothMachine';
import { businessSlot } from '../../shared/businessTime';
import type { EventType, SiteChanged } from '../../shared/events';
import { currentIncidents, OPEN_INCIDENT_KINDS } from '../../shared/incidents';
import { roomStatusAt, scheduleOpenAt, type EarlyOpening, type RoomStatus } from '../../shared/openingHours';
import { toIncident } from '../incidents/incident.repository';
import type { Principal } from '../auth/principal';
import { createError, errors } from '../errors';
import { requestFingerprint } from '../http/idempotency';
import type { Realtime } from '../realtime/realtime';
import type { SiteEntry, SiteRegistry } from '../sites/sites.registry';
import type { CommandInput, CommandOutcome, FloorRepository, LiveHeader, StoredBooth, StoredEarlyOpening } from './floor.repository';

export interface FloorServiceDeps {
  repo: FloorRepository;
  sites: SiteRegistry;
  realtime: Pick<Realtime, 'siteChanged'>;
  /** The site's clock (a demo site may run on simulated time). */
  clock: (siteId: string) => number;
  settings: { eventRetention: number; idempotencyTtlMs: number };
  /** With ROOMWATCH_REDIS_WAIT_REPLICAS: a change reaches screens only once a replica has it. */
  replicas?: { confirm(): Promise<boolean> } | null;
  /** Called after every applied command (metrics, alert evaluation later). */
  onApplied?: (type: EventType, outcome: CommandOutcome, siteId: string) => void;
  /** Called for every command that reached the store (metrics). */
  observe?: (type: EventType, outcome: 'ok' | 'replayed' | 'conflict' | 'mismatch') => void;
  /**
   * The command script publishes each change on the site's live channel, and every instance
   * relays it to its screens (server/realtime/liveRelay.ts): `realtime.siteChanged` is then not
   * called. Off with `replicas` (a change is shown only once a replica has it) and in tools.
   */
  publishLive?: boolean;
  /** Test-only fault injection: runs after a command committed, before anything else happens. */
  faults?: { afterCommit?: (siteId: string, seq: number) => Promise<void> | void };
}

/** A command as the routes hand it over: what, where, by whom, and its idempotency key. */
export interface CommandRequest {
  principal: Principal;
  siteId: string;
  idempotencyKey?: string | undefined;
}

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

const CONFLICT_MESSAGES: Record<string, string> = {
  booth_state: 'The booth is not in a state that allows this',
  incident_closed: 'The incident is already closed',
  room_open: 'The room is open by its hours already',
  room_not_opened_early: 'The room was not opened early',
  queue_empty: 'Nobody is waiting in the queue',
  undo_expired: 'Too late to undo: the action is more than 30 seconds old',
  undo_already: 'That action was already undone',
  undo_state: 'Cannot undo: the floor has changed since',
  undo_not_undoable: 'That entry cannot be undone',
};

/** Refusals that are not plain conflicts: an unknown seq or incident, someone else's action. */
const REFUSALS: Record<string, () => Error> = {
  undo_unknown: () => errors.notFound('Event'),
  undo_not_own: () => createError('forbidden', 'You can only undo your own actions', 403),
  incident_unknown: () => errors.notFound('Incident'),
};

const earlyView = (e: StoredEarlyOpening | null | undefined): EarlyOpening | null =>
  e ? { until: new Date(e.until).toISOString(), by: e.by } : null;

const isBoothCommand = (t: string): t is BoothCommand => (BOOTH_COMMANDS as readonly string[]).includes(t);

/** Domain rules of the live floor. No HTTP here; the routes parse and authorise. */
export class FloorService {
  constructor(private readonly d: FloorServiceDeps) {}

  site(siteId: string): SiteEntry {
    const site = this.d.sites.get(siteId);
    if (!site) throw errors.notFound('Site');
    return site;
  }

  /** A room of the site by id (404 when unknown). */
  room(site: SiteEntry, roomId: string) {
    const room = site.config.rooms.find((r) => r.id === roomId);
    if (!room) throw errors.notFound('Room');
    return room;
  }

  /** Whether a room's hours (weekly and dated, no early opening) have it open at `now`. */
  scheduleOpen(site: SiteEntry, roomId: string, now: number): boolean {
    return scheduleOpenAt(this.room(site, roomId), site.config.timeZone, now);
  }

  private roomStatus(site: SiteEntry, roomId: string, now: number, early: EarlyOpening | null): RoomStatus {
    return roomStatusAt(this.room(site, roomId), site.config.timeZone, now, early);
  }

  private boothView(site: SiteEntry, boothId: string, stored: StoredBooth): Booth {
    const meta = site.booths.get(boothId)!;
    return {
      id: boothId,
      roomId: meta.roomId,
      label: meta.label,
      kind: meta.kind,
      state: stored.state,
      since: iso(stored.since),
      substance: stored.substance,
      route: stored.route,
      assisted: stored.assisted,
      reason: stored.reason,
    };
  }

  /** The `site:changed` payload of a change: the header says what and where, the outcome the new state. */
  change(siteId: string, h: LiveHeader, out: CommandOutcome): SiteChanged | null {
    const site = this.d.sites.get(siteId);
    if (!site) return null;
    const change: SiteChanged = {
      siteId,
      seq: out.seq,
      at: new Date(h.at).toISOString(),
      type: h.type,
      businessDate: h.businessDate,
      queue: out.queue,
      onShift: out.onShift,
      occupied: out.occupied,
      counters: out.counters,
      hour: h.hour,
      hourIntakes: out.hourIntakes,
    };
    if (h.boothId && site.booths.has(h.boothId)) change.booth = this.boothView(site, h.boothId, out.booth);
    if (out.incident) {
      if (out.incidentRemoved) change.removedIncident = out.incident.id;
      else change.incident = toIncident(out.incident);
    }
    if (out.room) change.room = { id: out.room.id, openedEarly: earlyView(out.room.early) };
    return change;
  }

  /** The site's current seq, without the rest of the snapshot. */
  async seq(siteId: string): Promise<number> {
    return this.d.repo.seq(this.site(siteId).config.id);
  }

  async snapshot(siteId: string): Promise<Snapshot> {
    const site = this.site(siteId);
    const now = this.d.clock(siteId);
    const { date } = businessSlot(now, site.config.timeZone, site.config.businessDayStart);
    const r = await this.d.repo.read(siteId, site.boothIds, date);
    return {
      siteId,
      seq: r.seq,
      at: new Date(now).toISOString(),
      businessDate: date,
      booths: site.boothIds.map((id) => this.boothView(site, id, r.booths.get(id)!)),
      queue: r.queue,
      onShift: r.onShift,
      occupied: r.occupied,
      counters: r.counters,
      hourlyIntakes: r.hourlyIntakes,
      rooms: site.config.rooms.map((room) => roomStatusAt(room, site.config.timeZone, now, earlyView(r.earlyOpenings.get(room.id)))),
      incidents: currentIncidents(r.incidents.map(toIncident), now),
    };
  }

  boothCommand(req: CommandRequest, boothId: string, command: BoothCommand, body: CheckInBody | OutOfServiceBody | Record<string, never>) {
    const site = this.site(req.siteId);
    if (!site.booths.has(boothId)) throw errors.notFound('Booth');
    const args: CommandInput['args'] =
      command === 'check-in'
        ? [(body as CheckInBody).substance, (body as CheckInBody).route, (body as CheckInBody).assisted ? '1' : '0']
        : command === 'out-of-service'
          ? [(body as OutOfServiceBody).reason]
          : [];
    // A check-in needs the room open: by its hours (decided here, by the shared rule) or early (in the script).
    const roomId = site.booths.get(boothId)!.roomId;
    const room = command === 'check-in' ? { id: roomId, scheduleOpen: this.scheduleOpen(site, roomId, this.d.clock(req.siteId)) } : undefined;
    return this.command(req, site, command, { boothId, transition: BOOTH_TRANSITIONS[command], args, room }, body);
  }

  queue(req: CommandRequest, body: QueueBody) {
    const site = this.site(req.siteId);
    const type: EventType = body.op === 'join' ? 'queue-join' : body.op === 'leave' ? 'queue-leave' : 'queue-set';
    if (body.op === 'leave' && body.sentTo !== undefined) {
      // Only a site of the same network: the counter names a real place people can be sent to.
      const to = this.d.sites.get(body.sentTo);
      if (!site.config.network || body.sentTo === site.config.id || !to || to.config.network !== site.config.network) {
        throw errors.invalid([{ path: 'sentTo', message: 'not another site of this site\'s network' }]);
      }
    }
    const args: CommandInput['args'] = body.op === 'set' ? [String(body.count)] : body.op === 'leave' && body.sentTo ? [body.sentTo] : [];
    return this.command(req, site, type, { args }, body);
  }

  staffing(req: CommandRequest, onShift: number) {
    return this.command(req, this.site(req.siteId), 'staffing', { args: [String(onShift)] }, { onShift });
  }

  incident(req: CommandRequest, body: IncidentBody) {
    const site = this.site(req.siteId);
    if (body.boothId !== undefined && !site.booths.has(body.boothId)) {
      throw errors.invalid([{ path: 'boothId', message: 'no such booth at this site' }]);
    }
    const stays = OPEN_INCIDENT_KINDS.includes(body.kind) ? '1' : '0';
    const args: CommandInput['args'] = [body.kind, body.naloxone ? '1' : '0', body.ambulance ? '1' : '0', stays];
    return this.command(req, site, 'incident', { boothId: body.boothId, args }, body);
  }

  registration(req: CommandRequest) {
    return this.command(req, this.site(req.siteId), 'registration', {}, {});
  }

  /**
   * Reverses the caller's own action `seq` (within UNDO_WINDOW_MS) with a compensating
   * command; the log keeps both entries. Peak counters are not lowered.
   */
  async undo(req: CommandRequest, seq: number) {
    const site = this.site(req.siteId);
    // The event is immutable, so reading it first to name its booth/day/hour keys is safe;
    // the script re-reads it and makes every check atomically. An unknown seq still goes
    // through the script, so an Idempotency-Key replay answers as the first time did.
    const target = await this.d.repo.event(site.config.id, seq);
    const booth = target?.boothId && isBoothCommand(target.type) ? target.boothId : undefined;
    const undo: NonNullable<CommandInput['undo']> = {
      seq,
      date: target?.date || '0000-00-00',
      hour: target?.hour ?? 0,
      toState: booth && target ? BOOTH_TRANSITIONS[target.type as BoothCommand].to : '',
      windowMs: UNDO_WINDOW_MS,
      rememberMs: Math.max(this.d.settings.idempotencyTtlMs, UNDO_WINDOW_MS * 10),
    };
    return this.command(req, site, 'undo', { boothId: booth, undo }, { seq });
  }

  /**
   * Runs one floor change through the atomic command script (idempotency, seq, counters, event
   * log) and tells every screen. Other domains that change the floor (incidents, rooms) come
   * through here, so each of their writes is one script call with its seq like any other.
   */
  async command(
    req: CommandRequest,
    site: SiteEntry,
    type: EventType,
    part: Pick<CommandInput, 'boothId' | 'transition' | 'args' | 'undo' | 'room'>,
    body: unknown,
  ): Promise<CommandResult> {
    const now = this.d.clock(site.config.id);
    const slot = businessSlot(now, site.config.timeZone, site.config.businessDayStart);
    const idempotency = req.idempotencyKey
      ? {
          key: req.idempotencyKey,
          // The same key with a different request must not return the first request's reply.
          fingerprint: requestFingerprint([type, part.boothId ?? '', body]),
          ttlMs: this.d.settings.idempotencyTtlMs,
        }
      : undefined;
    const boothCarried = (part.transition || part.undo?.toState) && part.boothId ? part.boothId : '';
    // An undo's counters are those of the undone event's day and hour (usually today's).
    const header: LiveHeader = {
      type,
      boothId: boothCarried,
      businessDate: part.undo ? part.undo.date : slot.date,
      hour: part.undo ? part.undo.hour : slot.hour,
      at: now,
    };
    const publishInScript = !!this.d.publishLive && !this.d.replicas;
    const out = await this.d.repo.apply({
      siteId: site.config.id,
      type,
      now,
      businessDate: slot.date,
      hour: slot.hour,
      ...part,
      actor: req.principal.id,
      idempotency,
      eventRetention: this.d.settings.eventRetention,
      ...(publishInScript ? { live: header } : {}),
    });
    this.d.observe?.(type, out.status === 'ok' && out.replayed ? 'replayed' : out.status);
    if (out.status === 'mismatch') {
      throw errors.keyReused();
    }
    const booth = boothCarried ? this.boothView(site, boothCarried, out.booth) : undefined;
    const current: CommandResult = { seq: out.seq, queue: out.queue, onShift: out.onShift, occupied: out.occupied };
    if (booth) current.booth = booth;
    if (out.incident && !out.incidentRemoved) current.incident = toIncident(out.incident);
    const roomEarly = out.room ? earlyView(out.room.early) : null;
    if (out.room) current.room = this.roomStatus(site, out.room.id, now, roomEarly);
    if (out.status === 'conflict') {
      const refusal = REFUSALS[out.conflictCode];
      if (refusal) throw refusal();
      if (out.conflictCode === 'room_closed' && part.room) {
        const early = (await this.d.repo.earlyOpenings(site.config.id)).get(part.room.id);
        const room = this.roomStatus(site, part.room.id, now, earlyView(early));
        throw createError('room_closed', 'The room is closed; a lead can open it early from the console', 409, { current, room });
      }
      throw createError('conflict', CONFLICT_MESSAGES[out.conflictCode] ?? 'Conflict', 409, { current });
    }
    if (!out.replayed) {
      await this.d.faults?.afterCommit?.(site.config.id, out.seq);
      // Not on a replica in time: the change may vanish in a failover, so no screen is shown it
      // (503; a retry with the key replays the stored reply, and screens fill the gap by resyncing).
      if (this.d.replicas && !(await this.d.replicas.confirm())) throw errors.notReplicated();
      // Published by the script already, in order; otherwise this instance hands it on.
      if (!publishInScript) this.d.realtime.siteChanged(this.change(site.config.id, header, out)!);
      this.d.onApplied?.(type, out, site.config.id);
    }
    return current;
  }
}
