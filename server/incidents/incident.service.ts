import type { CommandResult } from '../../shared/api';
import { currentIncidents, type Incident, type IncidentCloseBody, type IncidentsQuery } from '../../shared/incidents';
import type { CommandInput } from '../floor/floor.repository';
import type { CommandRequest, FloorService } from '../floor/floor.service';
import { toIncident, type IncidentRepository } from './incident.repository';

/** The floor command that closes an incident (the HTTP route and the history backfill both send it). */
export function incidentCloseCommand(incidentId: string, body: IncidentCloseBody): { part: Pick<CommandInput, 'args'>; body: unknown } {
  // An ambulance outcome means one was called, whether or not that was recorded before.
  const ambulance = body.ambulance || body.outcome === 'ambulance';
  return { part: { args: [incidentId, body.outcome, body.naloxone ? '1' : '0', ambulance ? '1' : '0'] }, body: { incidentId, ...body } };
}

/**
 * Open incidents as server state: an overdose or medical incident (recorded with
 * `POST …/incidents`, a floor command) stays open — on the wall and the console with its elapsed
 * time, in every snapshot, counted by the load level — until a member of staff closes it with
 * its outcome. Closing is a floor change too: one atomic script with its seq and event-log entry.
 */
export class IncidentService {
  constructor(
    private readonly d: {
      floor: FloorService;
      repo: IncidentRepository;
      /** The site's clock (a demo site may run on simulated time). */
      clock: (siteId: string) => number;
    },
  ) {}

  /** The site (404 when unknown). */
  site(siteId: string): void {
    this.d.floor.site(siteId);
  }

  /** Closes an open incident with its outcome (404 unknown, 409 already closed). */
  close(req: CommandRequest, incidentId: string, body: IncidentCloseBody): Promise<CommandResult> {
    const c = incidentCloseCommand(incidentId, body);
    return this.d.floor.command(req, this.d.floor.site(req.siteId), 'incident-close', c.part, c.body);
  }

  /** Open incidents and those of the last 30 minutes, or every incident opened in `from`–`to`. */
  async list(siteId: string, q: IncidentsQuery): Promise<Incident[]> {
    this.d.floor.site(siteId);
    if (q.from && q.to) return (await this.d.repo.openedBetween(siteId, Date.parse(q.from), Date.parse(q.to))).map(toIncident);
    return currentIncidents((await this.d.floor.snapshot(siteId)).incidents, this.d.clock(siteId));
  }
}
