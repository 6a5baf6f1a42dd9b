import { z } from 'zod';
import { DEFAULT_BOOTHS_PER_OBSERVER } from './erlang';

/**
 * The site's load level: one composite figure (like NEDOCS in emergency departments) that the
 * wall shows as a banner with an action card. Pure maths, no clock: the caller passes the live
 * figures in. Thresholds follow the out-of-the-box alert rules in PRODUCT.md (booths per staff,
 * occupancy, queue, responder floor, overdose cluster), so the banner and the alerts agree.
 */

export const LoadLevel = z.enum(['normal', 'busy', 'strained', 'critical']);
export type LoadLevel = z.infer<typeof LoadLevel>;
/** Levels in ascending order of severity. */
export const LOAD_LEVELS = LoadLevel.options;

/** Why the level is what it is; each factor names one rule that reached that level. */
export type LoadFactor =
  | 'occupancy'
  | 'queue'
  | 'perStaff'
  | 'noStaff'
  | 'responderFloor'
  | 'overdoseRecent'
  | 'overdoseCluster'
  | 'openIncident';

export interface LoadInput {
  /** Booths that can take someone now (not out of service). */
  openBooths: number;
  occupied: number;
  queue: number;
  onShift: number;
  /** Overdoses in the last 30 minutes (each one ties up two staff for 15–30 min). */
  overdosesLast30Min: number;
  /** Incidents still being handled; 0 until incidents carry an open/closed state. */
  openIncidents?: number;
  /** Occupied places one observer watches (PRODUCT default 5). */
  boothsPerObserver?: number;
}

export interface LoadResult {
  level: LoadLevel;
  /** The factors that set `level` (those at the highest level reached), most important first. */
  factors: LoadFactor[];
  /** Occupied ÷ open booths, 0–1 (0 when nothing is open). */
  occupancy: number;
  /** Occupied booths per staff member on shift, or null when nobody is on shift. */
  perStaff: number | null;
  /** Staff left over as free responders (may be negative). */
  freeResponders: number;
}

/** Thresholds, named after the PRODUCT.md rules they mirror. */
export const LOAD_THRESHOLDS = {
  /** busy: the occupancy alert's clear level; strained: where it fires. */
  occupancyBusy: 0.75,
  occupancyStrained: 0.9,
  /** busy: the queue alert's clear level; strained: warning; critical: critical. */
  queueBusy: 3,
  queueStrained: 5,
  queueCritical: 10,
  /** busy above the booths-per-staff clear level, strained above warning, critical above critical. */
  perStaffBusy: 3.5,
  perStaffStrained: 4,
  perStaffCritical: 6,
  /** Overdoses in 30 min: one is strained, two (a cluster) is critical. */
  overdoseStrained: 1,
  overdoseCritical: 2,
  /** The responder floor: fewer free responders than this is critical. */
  minFreeResponders: 1,
  defaultBoothsPerObserver: DEFAULT_BOOTHS_PER_OBSERVER,
} as const;

const rank = (l: LoadLevel) => LOAD_LEVELS.indexOf(l);

/** Computes the load level from the live figures. */
export function computeLoadLevel(input: LoadInput): LoadResult {
  const T = LOAD_THRESHOLDS;
  const open = Math.max(0, input.openBooths);
  const occupied = Math.max(0, input.occupied);
  const queue = Math.max(0, input.queue);
  const onShift = Math.max(0, input.onShift);
  const od = Math.max(0, input.overdosesLast30Min);
  const openIncidents = Math.max(0, input.openIncidents ?? 0);
  const perObserver = input.boothsPerObserver && input.boothsPerObserver > 0 ? input.boothsPerObserver : T.defaultBoothsPerObserver;

  const occupancy = open > 0 ? Math.min(1, occupied / open) : 0;
  const perStaff = onShift > 0 ? occupied / onShift : null;
  const freeResponders = onShift - occupied / perObserver - 2 * od;
  // Someone to look after: with an empty floor, no queue and no emergency, "no responder" is a
  // closed room, not a crisis.
  const active = occupied > 0 || queue > 0 || od > 0 || openIncidents > 0;

  const hits: Array<[LoadLevel, LoadFactor]> = [];
  if (active && onShift === 0) hits.push(['critical', 'noStaff']);
  else if (active && freeResponders < T.minFreeResponders) hits.push(['critical', 'responderFloor']);
  if (od >= T.overdoseCritical) hits.push(['critical', 'overdoseCluster']);
  else if (od >= T.overdoseStrained) hits.push(['strained', 'overdoseRecent']);
  if (perStaff !== null) {
    if (perStaff > T.perStaffCritical) hits.push(['critical', 'perStaff']);
    else if (perStaff > T.perStaffStrained) hits.push(['strained', 'perStaff']);
    else if (perStaff > T.perStaffBusy) hits.push(['busy', 'perStaff']);
  }
  if (queue >= T.queueCritical) hits.push(['critical', 'queue']);
  else if (queue >= T.queueStrained) hits.push(['strained', 'queue']);
  else if (queue >= T.queueBusy) hits.push(['busy', 'queue']);
  if (open > 0) {
    if (occupancy >= T.occupancyStrained) hits.push(['strained', 'occupancy']);
    else if (occupancy >= T.occupancyBusy) hits.push(['busy', 'occupancy']);
  }
  if (openIncidents > 0) hits.push(['strained', 'openIncident']);

  let level: LoadLevel = 'normal';
  for (const [l] of hits) if (rank(l) > rank(level)) level = l;
  const factors = hits.filter(([l]) => l === level).map(([, f]) => f);
  return { level, factors, occupancy, perStaff, freeResponders };
}

/** The short action card shown under each level, in the wall's two languages. */
export const LOAD_ACTION_CARDS: Record<LoadLevel, { da: string; en: string }> = {
  normal: {
    da: 'Normal drift. Hold øje med kø og tider.',
    en: 'Normal operation. Keep an eye on queue and timers.',
  },
  busy: {
    da: 'Travlt. Gør rengøring hurtigt, tjek vagtplanen for den næste time.',
    en: 'Busy. Turn booths round fast; check staffing for the next hour.',
  },
  strained: {
    da: 'Presset. Kald ekstra personale ind, prioritér observation.',
    en: 'Strained. Call in extra staff; observation comes first.',
  },
  critical: {
    da: 'Kritisk. Stop nye indtag indtil der er en fri responder.',
    en: 'Critical. Pause new intakes until a responder is free.',
  },
};

/**
 * Estimated wait in minutes for someone joining the queue now: people ahead beyond the free
 * booths wait for sessions to end, `open` booths ending one every `meanSessionMinutes / open`.
 * Null when nothing is open (nobody will be served).
 */
export function estimateWaitMinutes(input: { queue: number; freeBooths: number; openBooths: number; meanSessionMinutes: number }): number | null {
  const { queue, freeBooths, openBooths, meanSessionMinutes } = input;
  if (openBooths <= 0) return queue > 0 ? null : 0;
  const ahead = queue - Math.max(0, freeBooths);
  if (ahead < 0) return 0;
  // The newcomer is number `ahead + 1` waiting for a booth to turn over.
  return ((ahead + 1) * Math.max(0, meanSessionMinutes)) / openBooths;
}
