import type { Redis } from 'ioredis';
import type { Incident, IncidentOutcome } from '../../shared/incidents';
import type { IncidentKind } from '../../shared/vocabulary';
import { keys } from '../store/keys';

/*
 * Incidents are written by the floor's command script (`server/floor/command.lua`): recording
 * or closing one is a floor change with its seq, counters, event-log entry and idempotency, all
 * in one atomic script. This repository reads them.
 */

const SEP = '\x1f';

/** An incident as stored (times in epoch ms), with who opened and closed it. */
export interface StoredIncident {
  id: string;
  kind: IncidentKind;
  boothId: string | null;
  naloxone: boolean;
  ambulance: boolean;
  openedAt: number;
  closedAt: number | null;
  outcome: IncidentOutcome | null;
  openedBy: string;
  closedBy: string | null;
}

/** An incident record: `kind booth naloxone ambulance openedAt closedAt outcome openedBy closedBy`. */
export function parseIncident(id: string, fields: readonly string[]): StoredIncident | null {
  const [kind, booth, naloxone, ambulance, openedAt, closedAt, outcome, openedBy, closedBy] = fields;
  if (!kind || !openedAt) return null;
  return {
    id,
    kind: kind as IncidentKind,
    boothId: booth || null,
    naloxone: naloxone === '1',
    ambulance: ambulance === '1',
    openedAt: Number(openedAt),
    closedAt: closedAt ? Number(closedAt) : null,
    outcome: (outcome || null) as IncidentOutcome | null,
    openedBy: openedBy ?? '',
    closedBy: closedBy || null,
  };
}

/** The public shape of an incident (no account names: who handled it stays in the event log). */
export function toIncident(s: StoredIncident): Incident {
  const out: Incident = {
    id: s.id,
    kind: s.kind,
    naloxone: s.naloxone,
    ambulance: s.ambulance,
    openedAt: new Date(s.openedAt).toISOString(),
  };
  if (s.boothId) out.boothId = s.boothId;
  if (s.closedAt !== null) out.closedAt = new Date(s.closedAt).toISOString();
  if (s.outcome) out.outcome = s.outcome;
  return out;
}

/** Reads of a site's incidents. */
export class IncidentRepository {
  constructor(private readonly redis: Redis) {}

  /** One incident by id, or null. */
  async get(siteId: string, id: string): Promise<StoredIncident | null> {
    const raw = await this.redis.hget(keys.incidents(siteId), id);
    return raw ? parseIncident(id, raw.split(SEP)) : null;
  }

  /** Incidents opened between two instants (epoch ms, inclusive), oldest first. */
  async openedBetween(siteId: string, fromMs: number, toMs: number): Promise<StoredIncident[]> {
    const ids = await this.redis.zrangebyscore(keys.incidentsByTime(siteId), fromMs, toMs);
    if (ids.length === 0) return [];
    const raws = await this.redis.hmget(keys.incidents(siteId), ...ids);
    return ids.flatMap((id, i) => {
      const raw = raws[i];
      const inc = raw ? parseIncident(id, raw.split(SEP)) : null;
      return inc ? [inc] : [];
    });
  }
}
