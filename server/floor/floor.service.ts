import { createHash } from 'node:crypto';
import type { Booth, CheckInBody, CommandResult, IncidentBody, OutOfServiceBody, QueueBody, Snapshot } from '../../shared/api';
import { BOOTH_TRANSITIONS, type BoothCommand } from '../../shared/boothMachine';
import { businessSlot } from '../../shared/businessTime';
import type { EventType, SiteChanged } from '../../shared/events';
import type { Principal } from '../auth/principal';
import { createError, errors } from '../errors';
import type { Realtime } from '../realtime/realtime';
import type { SiteEntry, SiteRegistry } from '../sites/sites.registry';
import type { CommandInput, CommandOutcome, FloorRepository, StoredBooth } from './floor.repository';

export interface FloorServiceDeps {
  repo: FloorRepository;
  sites: SiteRegistry;
  realtime: Realtime;
  clock: () => number;
  settings: { eventRetention: number; idempotencyTtlMs: number };
  /** Called after every applied command (metrics, alert evaluation later). */
  onApplied?: (type: EventType, outcome: CommandOutcome) => void;
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
  queue_empty: 'Nobody is waiting in the queue',
};

/** Domain rules of the live floor. No HTTP here; the routes parse and authorise. */
export class FloorService {
  constructor(private readonly d: FloorServiceDeps) {}

  site(siteId: string): SiteEntry {
    const site = this.d.sites.get(siteId);
    if (!site) throw errors.notFound('Site');
    return site;
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

  async snapshot(siteId: string): Promise<Snapshot> {
    const site = this.site(siteId);
    const now = this.d.clock();
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
    return this.run(req, site, command, { boothId, transition: BOOTH_TRANSITIONS[command], args }, body);
  }

  queue(req: CommandRequest, body: QueueBody) {
    const site = this.site(req.siteId);
    const type: EventType = body.op === 'join' ? 'queue-join' : body.op === 'leave' ? 'queue-leave' : 'queue-set';
    return this.run(req, site, type, { args: body.op === 'set' ? [String(body.count)] : [] }, body);
  }

  staffing(req: CommandRequest, onShift: number) {
    return this.run(req, this.site(req.siteId), 'staffing', { args: [String(onShift)] }, { onShift });
  }

  incident(req: CommandRequest, body: IncidentBody) {
    const site = this.site(req.siteId);
    if (body.boothId !== undefined && !site.booths.has(body.boothId)) {
      throw errors.invalid([{ path: 'boothId', message: 'no such booth at this site' }]);
    }
    const args: CommandInput['args'] = [body.kind, body.naloxone ? '1' : '0', body.ambulance ? '1' : '0'];
    return this.run(req, site, 'incident', { boothId: body.boothId, args }, body);
  }

  registration(req: CommandRequest) {
    return this.run(req, this.site(req.siteId), 'registration', {}, {});
  }

  private async run(
    req: CommandRequest,
    site: SiteEntry,
    type: EventType,
    part: Pick<CommandInput, 'boothId' | 'transition' | 'args'>,
    body: unknown,
  ): Promise<CommandResult> {
    const now = this.d.clock();
    const slot = businessSlot(now, site.config.timeZone, site.config.businessDayStart);
    const idempotency = req.idempotencyKey
      ? {
          key: req.idempotencyKey,
          // The same key with a different request must not return the first request's reply.
          fingerprint: createHash('sha256').update(JSON.stringify([type, part.boothId ?? '', body])).digest('base64url'),
          ttlMs: this.d.settings.idempotencyTtlMs,
        }
      : undefined;
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
    });
    if (out.status === 'mismatch') {
      throw createError('idempotency_key_reused', 'This Idempotency-Key was already used for a different request', 422);
    }
    const booth = part.transition && part.boothId ? this.boothView(site, part.boothId, out.booth) : undefined;
    const current: CommandResult = { seq: out.seq, queue: out.queue, onShift: out.onShift, occupied: out.occupied };
    if (booth) current.booth = booth;
    if (out.status === 'conflict') {
      throw createError('conflict', CONFLICT_MESSAGES[out.conflictCode] ?? 'Conflict', 409, { current });
    }
    if (!out.replayed) {
      const change: SiteChanged = {
        siteId: site.config.id,
        seq: out.seq,
        at: new Date(now).toISOString(),
        type,
        businessDate: slot.date,
        queue: out.queue,
        onShift: out.onShift,
        occupied: out.occupied,
        counters: out.counters,
        hour: slot.hour,
        hourIntakes: out.hourIntakes,
      };
      if (booth) change.booth = booth;
      this.d.realtime.siteChanged(change);
      this.d.onApplied?.(type, out);
    }
    return current;
  }
}
