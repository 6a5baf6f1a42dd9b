import type { SiteInfo, Snapshot } from './api';
import { isOpenIncident, overdosesWithin } from './incidents';
import { computeLoadLevel, DEFAULT_LOAD_THRESHOLDS, estimateWaitMinutes, pausesIntakes, type LoadResult } from './loadLevel';
import { roomStatuses, type EarlyOpening, type RoomStatus } from './openingHours';

/**
 * The figures every screen derives from a snapshot: which rooms are open, the places that can
 * take someone now, the wait, recent overdoses, open incidents and the load level. One function
 * for the wall, the console, the overview and the tests' oracle, on the server's clock, so no
 * screen can count differently from another.
 */
export interface FloorFigures {
  /** Each room's status at `now`, in the site's room order. */
  rooms: RoomStatus[];
  /** Places in open rooms that are not out of service. */
  openPlaces: number;
  /** Free places in open rooms. */
  freePlaces: number;
  /** Overdoses in the responder floor's window (default 30 min). */
  overdosesRecent: number;
  openIncidents: number;
  load: LoadResult;
  /**
   * Critical for a safety reason (nobody or too few on shift, no free responder, an overdose
   * cluster; `pausesIntakes`): the card says to pause new intakes until a responder is free, so a
   * free place takes nobody now and does not shorten the wait. (A long queue alone is critical
   * too, but with staff free the places still fill.)
   */
  intakesPaused: boolean;
  /** Estimated wait for someone joining the queue now (null: nothing open). */
  waitMinutes: number | null;
}

type FloorState = Pick<Snapshot, 'booths' | 'queue' | 'onShift' | 'occupied' | 'rooms' | 'incidents'>;

/** Room statuses at `now` from the site's hours and the early openings the snapshot carries. */
export function liveRoomStatuses(snapshot: Pick<Snapshot, 'rooms'>, site: Pick<SiteInfo, 'rooms' | 'timeZone'>, now: number): RoomStatus[] {
  const early: Record<string, EarlyOpening | undefined> = {};
  for (const r of snapshot.rooms) if (r.openedEarly) early[r.id] = r.openedEarly;
  return roomStatuses(site.rooms, site.timeZone, now, early);
}

/**
 * Derives the figures. `rooms` may be passed in when already computed for this minute (they
 * change only with the clock and early openings, not with every floor change).
 */
export function floorFigures(
  snapshot: FloorState,
  site: Pick<SiteInfo, 'rooms' | 'timeZone' | 'load'> | undefined,
  now: number,
  meanSessionMinutes: number,
  rooms?: RoomStatus[],
): FloorFigures {
  const statuses = rooms ?? (site ? liveRoomStatuses(snapshot, site, now) : []);
  const roomOf = new Map<string, string>();
  for (const r of site?.rooms ?? []) for (const b of r.booths) roomOf.set(b.id, r.id);
  const openRoom = new Map(statuses.map((r) => [r.id, r.open]));
  let openPlaces = 0;
  let freePlaces = 0;
  let occupiedOpen = 0;
  for (const b of snapshot.booths) {
    const room = roomOf.get(b.id);
    // A booth the site info does not place (it is still loading) counts as open.
    if (room !== undefined && openRoom.get(room) === false) continue;
    if (b.state === 'out_of_service') continue;
    openPlaces++;
    if (b.state === 'free') freePlaces++;
    if (b.state === 'occupied') occupiedOpen++;
  }
  const thresholds = site?.load ?? DEFAULT_LOAD_THRESHOLDS;
  const overdosesRecent = overdosesWithin(snapshot.incidents, now, thresholds.overdoseMinutes);
  const openIncidents = snapshot.incidents.filter(isOpenIncident).length;
  const load = computeLoadLevel(
    { openBooths: openPlaces, occupied: snapshot.occupied, occupiedOpen, queue: snapshot.queue, onShift: snapshot.onShift, overdosesLast30Min: overdosesRecent, openIncidents },
    thresholds,
  );
  // While intakes are paused the newcomer waits as if every place were taken ("no wait" beside
  // "pause new intakes" on a wall at 3 a.m. would send people into a room nobody can watch).
  const intakesPaused = pausesIntakes(load);
  const waitMinutes = estimateWaitMinutes({ queue: snapshot.queue, freeBooths: intakesPaused ? 0 : freePlaces, openBooths: openPlaces, meanSessionMinutes });
  return { rooms: statuses, openPlaces, freePlaces, overdosesRecent, openIncidents, load, intakesPaused, waitMinutes };
}
