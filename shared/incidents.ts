import { z } from 'zod';
import { IncidentKind } from './vocabulary';

/**
 * Incidents as server state: an overdose or medical emergency is open from the moment it is
 * recorded until a member of staff closes it with its outcome; an `other` incident is recorded
 * closed. Nothing about the person: kind, place, flags, times and the outcome only.
 */

/** How an incident ended. */
export const IncidentOutcome = z.enum(['recovered', 'ambulance', 'left', 'other']);
export type IncidentOutcome = z.infer<typeof IncidentOutcome>;
export const INCIDENT_OUTCOMES = IncidentOutcome.options;

/** Kinds that stay open until someone closes them (they tie up staff meanwhile). */
export const OPEN_INCIDENT_KINDS: readonly IncidentKind[] = ['overdose', 'medical'];

/** The snapshot lists open incidents and those opened within this many minutes. */
export const RECENT_INCIDENT_MINUTES = 30;

export const Incident = z.object({
  /** The seq of the event that recorded it (unique per site). */
  id: z.string(),
  kind: IncidentKind,
  boothId: z.string().optional(),
  naloxone: z.boolean(),
  ambulance: z.boolean(),
  openedAt: z.string(),
  closedAt: z.string().optional(),
  outcome: IncidentOutcome.optional(),
});
export type Incident = z.infer<typeof Incident>;

/**
 * Body of `POST /api/sites/:siteId/incidents/:incidentId/close`: the outcome, and naloxone or
 * an ambulance if that happened after the incident was recorded (flags are only ever added).
 */
export const IncidentCloseBody = z.strictObject({
  outcome: IncidentOutcome,
  naloxone: z.boolean().default(false),
  ambulance: z.boolean().default(false),
});
export type IncidentCloseBody = z.infer<typeof IncidentCloseBody>;

/** Path parameters of an incident route: its id is the seq that recorded it. */
export const IncidentParams = z.strictObject({ incidentId: z.string().regex(/^[1-9]\d{0,15}$/, 'an incident id (a positive whole number)') });

/** Query of `GET /api/sites/:siteId/incidents`: open and recent ones, or those opened in a period. */
export const IncidentsQuery = z
  .strictObject({ from: z.iso.datetime({ offset: true }).optional(), to: z.iso.datetime({ offset: true }).optional() })
  .superRefine((q, ctx) => {
    if ((q.from === undefined) !== (q.to === undefined)) ctx.addIssue({ code: 'custom', path: [q.from === undefined ? 'from' : 'to'], message: 'give both from and to, or neither' });
    if (q.from && q.to) {
      const span = Date.parse(q.to) - Date.parse(q.from);
      if (span < 0) ctx.addIssue({ code: 'custom', path: ['to'], message: 'must not be before from' });
      else if (span > 92 * 86_400_000) ctx.addIssue({ code: 'custom', path: ['to'], message: 'at most 92 days after from' });
    }
  });
export type IncidentsQuery = z.infer<typeof IncidentsQuery>;

export const IncidentList = z.object({ siteId: z.string(), incidents: z.array(Incident) });
export type IncidentList = z.infer<typeof IncidentList>;

export const isOpenIncident = (i: Pick<Incident, 'closedAt'>): boolean => i.closedAt === undefined;

/** Overdoses recorded in the `minutes` before `now` (open or closed): the responder floor's figure. */
export function overdosesWithin(incidents: readonly Incident[], now: number, minutes: number): number {
  return incidents.filter((i) => {
    if (i.kind !== 'overdose') return false;
    const at = Date.parse(i.openedAt);
    return at <= now && now - at < minutes * 60_000;
  }).length;
}

/** Incidents to show: open ones and those opened in the last 30 minutes, oldest first. */
export function currentIncidents(incidents: readonly Incident[], now: number): Incident[] {
  return incidents
    .filter((i) => isOpenIncident(i) || now - Date.parse(i.openedAt) < RECENT_INCIDENT_MINUTES * 60_000)
    .sort((a, b) => a.openedAt.localeCompare(b.openedAt) || Number(a.id) - Number(b.id));
}
