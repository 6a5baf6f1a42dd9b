import { z } from 'zod';
import { RoomKindAvailability, SiteAvailability } from './network';
import { RoomKind } from './vocabulary';

/*
 * What the public page `/open` and `GET /api/public/availability` may say about a site that opted
 * in (`public: true`). Everything here is coarse on purpose: the street learns whether it is worth
 * walking over, never how many people are inside, waiting, or who.
 */

/** How much room a kind of room has: plenty, a few places, none, or closed now. */
export const Band = z.enum(['free', 'few', 'full', 'closed']);
export type Band = z.infer<typeof Band>;

/** "few": at most this many free places… */
export const FEW_MAX_FREE = 2;
/** …or at most this share of the kind's open places (PRODUCT.md, "Networks of sites"). */
export const FEW_MAX_SHARE = 0.2;
/**
 * No figure below this is published when it could count people: a free count is shown only when
 * it is at least this, and only when the places in use it implies (open places − free) are none
 * or at least this many (so "8 of 9 free" never tells the street that one person is inside).
 */
export const MIN_PUBLISHED_COUNT = 3;
/** The typical wait is published in steps of this many minutes, rounded up… */
export const WAIT_STEP_MINUTES = 5;
/** …and capped here ("two hours or more"). */
export const WAIT_CAP_MINUTES = 120;

export const PublicRoom = z.object({
  kind: RoomKind,
  open: z.boolean(),
  band: Band,
  /** Free places, only when publishing the figure cannot count people (see `MIN_PUBLISHED_COUNT`). */
  free: z.number().int().nonnegative().optional(),
  /** When a closed kind opens next (an extension of the contract, for "opens at 07:30"). */
  opensAt: z.string().optional(),
});
export type PublicRoom = z.infer<typeof PublicRoom>;

/** A site in public: its name and hours as `SiteAvailability` has them, bands for rooms, no queue. */
export const PublicSite = SiteAvailability.pick({ id: true, name: true, open: true, closesAt: true, opensAt: true }).extend({
  rooms: z.array(PublicRoom),
  /** Typical wait in `WAIT_STEP_MINUTES` steps; absent while the site is closed. */
  waitMinutes: z.number().int().nonnegative().optional(),
});
export type PublicSite = z.infer<typeof PublicSite>;

/** `GET /api/public/availability`: only sites with `public: true`. */
export const PublicAvailability = z.object({ at: z.string(), sites: z.array(PublicSite) });
export type PublicAvailability = z.infer<typeof PublicAvailability>;

/** One room kind's live figures, as `siteAvailability` (shared/network.ts) gives them. */
export type KindFigures = Pick<RoomKindAvailability, 'kind' | 'open' | 'free' | 'places' | 'opensAt'>;

/** The band of a kind: closed when no room of it is open, full with no free place, few per PRODUCT.md. */
export function bandOf(k: Pick<KindFigures, 'open' | 'free' | 'places'>): Band {
  if (!k.open) return 'closed';
  if (k.free <= 0) return 'full';
  return k.free <= Math.max(FEW_MAX_FREE, FEW_MAX_SHARE * k.places) ? 'few' : 'free';
}

/** The free count the public may see, or undefined when it is small or would count people in use. */
export function publishedFree(k: Pick<KindFigures, 'open' | 'free' | 'places'>): number | undefined {
  if (bandOf(k) !== 'free' || k.free < MIN_PUBLISHED_COUNT) return undefined;
  const inUse = k.places - k.free;
  return inUse === 0 || inUse >= MIN_PUBLISHED_COUNT ? k.free : undefined;
}

/** The wait the public may see: rounded up to 5-minute steps, capped; absent when closed or unknown. */
export function publishedWait(waitMinutes: number | null | undefined, open: boolean): number | undefined {
  if (!open || waitMinutes === null || waitMinutes === undefined || !Number.isFinite(waitMinutes)) return undefined;
  if (waitMinutes <= 0) return 0;
  return Math.min(WAIT_CAP_MINUTES, Math.ceil(waitMinutes / WAIT_STEP_MINUTES) * WAIT_STEP_MINUTES);
}

/**
 * What a site's network figures become in public: bands and rounded figures, no queue, no people.
 * While the site has paused intakes (`intakesPaused`: too few staff or responders, an overdose
 * cluster) its open rooms read "full": nobody walking there would be let in now, whatever places
 * stand free, and the wait already counts them as taken.
 */
export function toPublicSite(a: {
  id: string;
  name: string;
  open: boolean;
  closesAt?: string | undefined;
  opensAt?: string | undefined;
  rooms: readonly KindFigures[];
  waitMinutes: number | null;
  intakesPaused?: true | undefined;
}): PublicSite {
  const wait = publishedWait(a.waitMinutes, a.open);
  return {
    id: a.id,
    name: a.name,
    open: a.open,
    ...(a.open && a.closesAt ? { closesAt: a.closesAt } : {}),
    ...(!a.open && a.opensAt ? { opensAt: a.opensAt } : {}),
    rooms: a.rooms.map((given) => {
      const k = a.intakesPaused ? { ...given, free: 0 } : given;
      const free = publishedFree(k);
      const opensAt = k.open ? undefined : k.opensAt;
      return { kind: k.kind, open: k.open, band: bandOf(k), ...(free !== undefined ? { free } : {}), ...(opensAt ? { opensAt } : {}) };
    }),
    ...(wait !== undefined ? { waitMinutes: wait } : {}),
  };
}
