import { z } from 'zod';
import { ErrorBody, type SiteInfo, type Snapshot } from './api';
import { floorFigures, liveRoomStatuses } from './floorFigures';
import { LOAD_LEVELS, type LoadLevel } from './loadLevel';
import type { RoomStatus } from './openingHours';
import { siteSessionMinutes } from './sessionModel';
import { RoomKind } from './vocabulary';

/**
 * A network of sites: rooms of one city a few minutes' walk apart (PRODUCT.md, "Networks of
 * sites"). What one site is like right now, seen from outside (`siteAvailability`), and when to
 * send people from a busy site to another (`redirectSuggestion`). Pure: the server computes the
 * summaries it pushes and the wall and console decide the suggestion with the same functions.
 */

/**
 * One room kind of a site now: `open` when any room of the kind is open; `free` the free places
 * in its open rooms; `places` the places of its open rooms that are in service. `closesAt` (open:
 * the last of its open rooms to close; absent round the clock) and `opensAt` (closed: the first
 * of its rooms to open) are ISO instants.
 */
export const RoomKindAvailability = z.object({
  kind: RoomKind,
  open: z.boolean(),
  free: z.number().int().nonnegative(),
  places: z.number().int().nonnegative(),
  closesAt: z.string().optional(),
  opensAt: z.string().optional(),
});
export type RoomKindAvailability = z.infer<typeof RoomKindAvailability>;

/**
 * A site now: open when any room is open, until `closesAt` (the last open room's closing, absent
 * round the clock) or, closed, from `opensAt` (the first room's next opening); its room kinds;
 * the queue; the estimated wait in whole minutes for someone arriving now (0 when closed).
 */
export const SiteAvailability = z.object({
  id: z.string(),
  name: z.string(),
  open: z.boolean(),
  closesAt: z.string().optional(),
  opensAt: z.string().optional(),
  rooms: z.array(RoomKindAvailability),
  queue: z.number().int(),
  waitMinutes: z.number().int(),
  /** Present (true) while the site's new intakes are paused (critical for a safety reason, `pausesIntakes`). */
  intakesPaused: z.literal(true).optional(),
});
export type SiteAvailability = z.infer<typeof SiteAvailability>;

/**
 * One other site of the network as `GET /api/sites/:siteId/network` lists it, with the minutes
 * walking there (the site's own `walkMinutes`, else the other's to it; null when neither says).
 */
export const NetworkSite = SiteAvailability.extend({ walkMinutes: z.number().int().positive().nullable() });
export type NetworkSite = z.infer<typeof NetworkSite>;

/** Minutes of estimated wait above which a site suggests another (unless its settings say otherwise). */
export const DEFAULT_REDIRECT_WAIT_MINUTES = 20;
/** A site must stay open at least this long after someone walks there. */
export const REDIRECT_MARGIN_MINUTES = 30;

/**
 * Reply of `GET /api/sites/:siteId/network` and payload of `network:changed`: the other sites of
 * the site's network (empty when it has none), with the site's own network name and the wait
 * above which it suggests another site.
 */
export const NetworkSummary = z.object({
  siteId: z.string(),
  network: z.string().nullable(),
  redirectWaitMinutes: z.number().int().positive(),
  at: z.string(),
  sites: z.array(NetworkSite),
});
export type NetworkSummary = z.infer<typeof NetworkSummary>;

/** Acknowledgement of `network:subscribe`: the summary to start from, or why not. */
export const NetworkAck = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), summary: NetworkSummary }),
  z.object({ ok: z.literal(false), error: ErrorBody.shape.error }),
]);
export type NetworkAck = z.infer<typeof NetworkAck>;

/** Socket.IO room of the screens following a site's network summary. */
export const networkRoom = (siteId: string): string => `network:${siteId}`;

const earliest = (list: Array<string | undefined>): string | undefined =>
  list.filter((s): s is string => s !== undefined).sort((a, b) => Date.parse(a) - Date.parse(b))[0];
/** The latest instant, or none when any entry is none (a room open round the clock never closes). */
const latestOrNone = (list: Array<string | undefined>): string | undefined =>
  list.some((s) => s === undefined) ? undefined : list.sort((a, b) => Date.parse(b!) - Date.parse(a!))[0];

/** Open / closed, until / from when, for a set of room statuses taken together. */
function openSpan(statuses: RoomStatus[]): { open: boolean; closesAt?: string; opensAt?: string } {
  const open = statuses.filter((r) => r.open);
  if (open.length > 0) {
    const closesAt = latestOrNone(open.map((r) => r.closesAt));
    return closesAt ? { open: true, closesAt } : { open: true };
  }
  const opensAt = earliest(statuses.map((r) => r.opensAt));
  return opensAt ? { open: false, opensAt } : { open: false };
}

/**
 * A site's availability at `now`: its rooms' statuses (weekly hours, dated closures, early
 * openings) on that clock, free and in-service places per room kind, the queue and the
 * estimated wait (`shared/floorFigures.ts`, rounded up to whole minutes). `meanSessionMinutes`
 * overrides the session mean (default `siteSessionMinutes`).
 */
export function siteAvailability(site: SiteInfo, snapshot: Snapshot, now: number, meanSessionMinutes?: number): SiteAvailability {
  const statuses = liveRoomStatuses(snapshot, site, now);
  const figures = floorFigures(snapshot, site, now, meanSessionMinutes ?? siteSessionMinutes(site, snapshot), statuses);
  const statusOf = new Map(statuses.map((s) => [s.id, s]));
  const boothState = new Map(snapshot.booths.map((b) => [b.id, b.state]));
  const rooms: RoomKindAvailability[] = [];
  for (const kind of RoomKind.options) {
    const ofKind = site.rooms.filter((r) => r.kind === kind);
    if (ofKind.length === 0) continue;
    const kindStatuses = ofKind.map((r) => statusOf.get(r.id) ?? { id: r.id, open: false });
    let free = 0;
    let places = 0;
    for (const r of ofKind) {
      if (!statusOf.get(r.id)?.open) continue;
      for (const b of r.booths) {
        const state = boothState.get(b.id) ?? 'free';
        if (state === 'out_of_service') continue;
        places++;
        if (state === 'free') free++;
      }
    }
    rooms.push({ kind, ...openSpan(kindStatuses), free, places });
  }
  const span = openSpan(statuses);
  const wait = span.open && figures.waitMinutes !== null ? Math.ceil(figures.waitMinutes - 1e-9) : 0;
  return { id: site.id, name: site.name, ...span, rooms, queue: snapshot.queue, waitMinutes: Math.max(0, wait), ...(figures.intakesPaused ? { intakesPaused: true as const } : {}) };
}

// ---- Where to send people ------------------------------------------------------------------

/** A suggestion to send people to another site of the network. */
export const RedirectSuggestion = z.object({
  siteId: z.string(),
  name: z.string(),
  walkMinutes: z.number().int(),
  /** The needed kinds the other site has free places of, with how many. */
  rooms: z.array(z.object({ kind: RoomKind, free: z.number().int() })),
  queue: z.number().int(),
  waitMinutes: z.number().int(),
  /** When the first of those kinds closes there (absent: open round the clock). */
  closesAt: z.string().optional(),
});
export type RedirectSuggestion = z.infer<typeof RedirectSuggestion>;

const rank = (l: LoadLevel) => LOAD_LEVELS.indexOf(l);

/**
 * Whether the own site should send people elsewhere: its load level is busy or worse, or its
 * estimated wait passes `thresholdMinutes`.
 */
export const wantsRedirect = (own: SiteAvailability & { level: LoadLevel }, thresholdMinutes: number): boolean =>
  rank(own.level) >= rank('busy') || own.waitMinutes > thresholdMinutes;

/**
 * The kinds the own site is short of: a kind whose rooms are closed, or whose free places do not
 * cover the people already waiting (the next to arrive would wait).
 */
export const shortKinds = (own: SiteAvailability): RoomKind[] => own.rooms.filter((r) => !r.open || r.free <= own.queue).map((r) => r.kind);

/**
 * Where to send people now, or null. PRODUCT.md and issue 18: when the own site is busy or worse
 * (`shared/loadLevel.ts`) or its wait passes `thresholdMinutes`, suggest the network site that
 *  - has free places of a kind the own site is short of (`shortKinds`),
 *  - keeps that kind open at least the walk plus 30 minutes from `now`,
 *  - has a strictly shorter estimated wait than the own site (and a known walk), and
 *  - has not paused its intakes (critical there for a safety reason);
 * the best is the one reached soonest (walk + wait), then the most free places, then by id so
 * every screen picks the same.
 */
export function redirectSuggestion(
  own: SiteAvailability & { level: LoadLevel },
  others: ReadonlyArray<SiteAvailability & { walkMinutes: number | null }>,
  now: number,
  thresholdMinutes: number = DEFAULT_REDIRECT_WAIT_MINUTES,
): RedirectSuggestion | null {
  if (!wantsRedirect(own, thresholdMinutes)) return null;
  const needed = new Set(shortKinds(own));
  if (needed.size === 0) return null;
  const candidates: RedirectSuggestion[] = [];
  for (const other of others) {
    // A site nobody knows the walk to cannot promise to be open on arrival; one that has paused
    // its intakes (critical there for a safety reason) must not be sent more people, whatever its
    // free places.
    if (other.id === own.id || other.walkMinutes === null || !other.open || other.intakesPaused || other.waitMinutes >= own.waitMinutes) continue;
    const mustBeOpenUntil = now + (other.walkMinutes + REDIRECT_MARGIN_MINUTES) * 60_000;
    const rooms = other.rooms.filter(
      (r) => needed.has(r.kind) && r.open && r.free > 0 && (r.closesAt === undefined || Date.parse(r.closesAt) >= mustBeOpenUntil),
    );
    if (rooms.length === 0) continue;
    const closesAt = earliest(rooms.map((r) => r.closesAt));
    candidates.push({
      siteId: other.id,
      name: other.name,
      walkMinutes: other.walkMinutes,
      rooms: rooms.map((r) => ({ kind: r.kind, free: r.free })),
      queue: other.queue,
      waitMinutes: other.waitMinutes,
      ...(closesAt ? { closesAt } : {}),
    });
  }
  const free = (s: RedirectSuggestion) => s.rooms.reduce((n, r) => n + r.free, 0);
  candidates.sort((a, b) => a.walkMinutes + a.waitMinutes - (b.walkMinutes + b.waitMinutes) || free(b) - free(a) || a.siteId.localeCompare(b.siteId));
  return candidates[0] ?? null;
}
