import { EARLY_OPENING_MAX_HOURS, type CommandResult } from '../../shared/api';
import type { AuditRepository } from '../audit/audit.repository';
import { errors } from '../errors';
import type { CommandRequest, FloorService } from '../floor/floor.service';

/**
 * Rooms open and close by their hours (the weekly pattern and dated entries, `shared/openingHours.ts`);
 * a lead may open a closed room early — "open now until …" — and end that again. Both are floor
 * changes (one atomic script with its seq, so every screen shows the room open at once) and go
 * to the audit log.
 */
export class RoomService {
  constructor(
    private readonly d: {
      floor: FloorService;
      audit: Pick<AuditRepository, 'append'>;
      /** The site's clock (a demo site may run on simulated time). */
      clock: (siteId: string) => number;
    },
  ) {}

  /** The room (404 for an unknown site or room). */
  room(siteId: string, roomId: string) {
    return this.d.floor.room(this.d.floor.site(siteId), roomId);
  }

  /** Opens a closed room now until `until` (after now, at most EARLY_OPENING_MAX_HOURS ahead). */
  async openEarly(req: CommandRequest, from: string, roomId: string, until: string): Promise<CommandResult> {
    const site = this.d.floor.site(req.siteId);
    const room = this.d.floor.room(site, roomId);
    const now = this.d.clock(req.siteId);
    const untilMs = Date.parse(until);
    if (!(untilMs > now)) throw errors.invalid([{ path: 'until', message: 'must be in the future' }], 'Invalid body: until');
    if (untilMs - now > EARLY_OPENING_MAX_HOURS * 3_600_000) {
      throw errors.invalid([{ path: 'until', message: `at most ${EARLY_OPENING_MAX_HOURS} hours from now` }], 'Invalid body: until');
    }
    const scheduleOpen = this.d.floor.scheduleOpen(site, room.id, now);
    const result = await this.d.floor.command(req, site, 'room-open', { args: [String(untilMs)], room: { id: room.id, scheduleOpen } }, { roomId, until: untilMs });
    await this.audit(req, from, 'room.open-early', `${site.config.id}/${room.id}`, `"${room.name}" opened until ${new Date(untilMs).toISOString()}`);
    return result;
  }

  /** Ends a room's early opening: from now its hours decide again (people inside finish as usual). */
  async endEarly(req: CommandRequest, from: string, roomId: string): Promise<CommandResult> {
    const site = this.d.floor.site(req.siteId);
    const room = this.d.floor.room(site, roomId);
    const result = await this.d.floor.command(req, site, 'room-close', { room: { id: room.id, scheduleOpen: this.d.floor.scheduleOpen(site, room.id, this.d.clock(req.siteId)) } }, { roomId });
    await this.audit(req, from, 'room.end-early', `${site.config.id}/${room.id}`, `"${room.name}" early opening ended`);
    return result;
  }

  private audit(req: CommandRequest, from: string, action: string, target: string, detail: string): Promise<void> {
    return this.d.audit.append({ at: new Date(this.d.clock(req.siteId)).toISOString(), actor: req.principal.id, action, target, from, detail });
  }
}
