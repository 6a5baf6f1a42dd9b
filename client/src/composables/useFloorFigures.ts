import { computed, shallowRef, watch, type Ref } from 'vue';
import type { SiteInfo, Snapshot } from '../../../shared/api';
import { floorFigures, liveRoomStatuses, type FloorFigures } from '../../../shared/floorFigures';
import { currentIncidents, type Incident } from '../../../shared/incidents';
import type { RoomStatus } from '../../../shared/openingHours';

/**
 * The figures a screen shows, derived from the live snapshot with the shared rules on the
 * server's clock (`serverNow`): rooms open or closed, open places, the wait, recent overdoses,
 * open incidents and the load level. Room statuses are recomputed as the clock moves but only
 * replaced when they change, so a closing room re-renders its section once, not every second.
 */
export function useFloorFigures(
  snapshot: Ref<Snapshot | null>,
  site: Ref<SiteInfo | undefined>,
  serverNow: Ref<number>,
  meanSessionMinutes: Ref<number> = computed(() => 20),
) {
  const rooms = shallowRef<RoomStatus[]>([]);
  // Rooms depend on the clock and the early openings only, not on every booth change: the
  // openings are reduced to a key first, so a busy floor does not recompute them per change.
  const early = computed(() => (snapshot.value ? JSON.stringify(snapshot.value.rooms.map((r) => [r.id, r.openedEarly ?? null])) : ''));
  watch(
    () => {
      const info = site.value;
      if (!early.value || !info) return '[]';
      const openings = (JSON.parse(early.value) as Array<[string, RoomStatus['openedEarly'] | null]>).map(([id, e]) => ({ id, open: false, ...(e ? { openedEarly: e } : {}) }));
      return JSON.stringify(liveRoomStatuses({ rooms: openings }, info, serverNow.value));
    },
    (json) => {
      rooms.value = JSON.parse(json) as RoomStatus[];
    },
    { immediate: true },
  );
  const figures = computed<FloorFigures | null>(() => {
    const s = snapshot.value;
    if (!s) return null;
    return floorFigures(s, site.value, serverNow.value, meanSessionMinutes.value, site.value ? rooms.value : undefined);
  });
  const roomOpen = (roomId: string): boolean => rooms.value.find((r) => r.id === roomId)?.open ?? true;
  const roomStatus = (roomId: string): RoomStatus | undefined => rooms.value.find((r) => r.id === roomId);
  /** Open incidents and those of the last 30 minutes, oldest first. */
  const incidents = computed<Incident[]>(() => (snapshot.value ? currentIncidents(snapshot.value.incidents, serverNow.value) : []));
  const openIncidents = computed(() => incidents.value.filter((i) => i.closedAt === undefined));
  return { rooms, figures, roomOpen, roomStatus, incidents, openIncidents };
}
