import { z } from 'zod';
import type { AlertSettings } from './alerts/settings';

/**
 * The site's load level: one composite figure (like NEDOCS in emergency departments) that the
 * wall shows as a banner with an action card. Pure maths, no clock: the caller passes the live
 * figures in. Thresholds are the site's own alert settings (booths per staff, occupancy, queue,
 * responder floor, overdose cluster; `loadThresholdsOf`), so the banner and the alerts agree.
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
  /** Booths that can take someone now (in an open room, not out of service). */
  openBooths: number;
  /** Every occupied place (people in a room that has closed still need watching). */
  occupied: number;
  /** Occupied places in open rooms, for occupancy (default: `occupied`), as the occupancy alert counts. */
  occupiedOpen?: number;
  queue: number;
  onShift: number;
  /** Overdoses in the responder floor's window (default the last 30 minutes). */
  overdosesLast30Min: number;
  /** Incidents still being handled (open until a member of staff closes them). */
  openIncidents?: number;
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

/** Thresholds of the load level, named after the PRODUCT.md rules they mirror. */
export const LoadThresholds = z.object({
  /** busy: the occupancy alert's clear level; strained: where it fires. */
  occupancyBusy: z.number(),
  occupancyStrained: z.number(),
  /** busy: the queue alert's clear level; strained: warning; critical: critical. */
  queueBusy: z.number(),
  queueStrained: z.number(),
  queueCritical: z.number(),
  /** busy above the booths-per-staff clear level, strained above warning, critical above critical. */
  perStaffBusy: z.number(),
  perStaffStrained: z.number(),
  perStaffCritical: z.number(),
  /** Overdoses in the window: one is strained, the overdose cluster's count is critical. */
  overdoseStrained: z.number(),
  overdoseCritical: z.number(),
  /** The responder floor: fewer free responders than this is critical. */
  minFreeResponders: z.number(),
  boothsPerObserver: z.number(),
  staffPerOverdose: z.number(),
  /** The window of "recent" overdoses, in minutes. */
  overdoseMinutes: z.number(),
});
export type LoadThresholds = z.infer<typeof LoadThresholds>;

/** The load level's thresholds from a site's alert settings (defaults filled in). */
export function loadThresholdsOf(s: AlertSettings): LoadThresholds {
  const r = s.rules;
  return {
    occupancyBusy: r.occupancy.clear,
    occupancyStrained: r.occupancy.warning,
    queueBusy: r.queue.clear,
    queueStrained: r.queue.warning,
    queueCritical: r.queue.critical,
    perStaffBusy: r['booths-per-staff'].clear,
    perStaffStrained: r['booths-per-staff'].warning,
    perStaffCritical: r['booths-per-staff'].critical,
    overdoseStrained: 1,
    overdoseCritical: r['overdose-cluster'].count,
    minFreeResponders: r['responder-floor'].minFree,
    boothsPerObserver: r['responder-floor'].boothsPerObserver,
    staffPerOverdose: r['responder-floor'].staffPerOverdose,
    overdoseMinutes: r['responder-floor'].overdoseMinutes,
  };
}

/** The thresholds of a site with the default alert settings (PRODUCT.md). */
export const DEFAULT_LOAD_THRESHOLDS: LoadThresholds = {
  occupancyBusy: 0.75,
  occupancyStrained: 0.9,
  queueBusy: 3,
  queueStrained: 5,
  queueCritical: 10,
  perStaffBusy: 3.5,
  perStaffStrained: 4,
  perStaffCritical: 6,
  overdoseStrained: 1,
  overdoseCritical: 2,
  minFreeResponders: 1,
  boothsPerObserver: 5,
  staffPerOverdose: 2,
  overdoseMinutes: 30,
};

const rank = (l: LoadLevel) => LOAD_LEVELS.indexOf(l);

/** Computes the load level from the live figures, with the site's thresholds (default: PRODUCT.md's). */
export function computeLoadLevel(input: LoadInput, T: LoadThresholds = DEFAULT_LOAD_THRESHOLDS): LoadResult {
  const open = Math.max(0, input.openBooths);
  const occupied = Math.max(0, input.occupied);
  const queue = Math.max(0, input.queue);
  const onShift = Math.max(0, input.onShift);
  const od = Math.max(0, input.overdosesLast30Min);
  const openIncidents = Math.max(0, input.openIncidents ?? 0);

  const occupancy = open > 0 ? Math.min(1, Math.max(0, input.occupiedOpen ?? occupied) / open) : 0;
  const perStaff = onShift > 0 ? occupied / onShift : null;
  // The responder floor's own formula (shared/alerts/rules.ts), with the same settings.
  const freeResponders = onShift - occupied / T.boothsPerObserver - T.staffPerOverdose * od;
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
 * A critical level from a long queue alone, with staff and responders to spare: the places still
 * fill, so the critical card's "pause new intakes" would make the queue longer. Its own card.
 */
export const QUEUE_CRITICAL_CARD = {
  da: 'Kritisk kø. Fyld alle ledige pladser nu, og kald ekstra personale ind.',
  en: 'Critical queue. Fill every free place now and call in extra staff.',
} as const;

/**
 * New intakes pause: the level is critical for a reason about people's safety (no one or too few
 * on shift, no free responder, an overdose cluster), not only the queue. The critical card says so,
 * and the wait does not count free places (`shared/floorFigures.ts`).
 */
export const pausesIntakes = (load: Pick<LoadResult, 'level' | 'factors'>): boolean =>
  load.level === 'critical' && load.factors.some((f) => f !== 'queue');

/** The action card the wall shows for a load result: the level's card, or the queue's own at critical. */
export function actionCardOf(load: Pick<LoadResult, 'level' | 'factors'>): { da: string; en: string } {
  return load.level === 'critical' && !pausesIntakes(load) ? QUEUE_CRITICAL_CARD : LOAD_ACTION_CARDS[load.level];
}

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
