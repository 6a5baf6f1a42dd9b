import type { Booth, RoomInfo } from '../../shared/api';
import { MaxSessionMinutes } from '../../shared/siteConfig';
import type { RoomKind } from '../../shared/vocabulary';

/** One room as the live page draws it: its info and its booths' live state, in display order. */
export interface RoomView {
  id: string;
  /** Null when the site's room list did not name this room (the page then uses a fallback title). */
  name: string | null;
  kind: RoomKind;
  maxSessionMinutes: number;
  booths: Booth[];
  occupied: number;
}

// The site config's own defaults, used only if a booth's room is missing from the site info.
const DEFAULT_MAX = MaxSessionMinutes.parse({});

/**
 * Groups live booths by the site's rooms, in the configured order. Booths whose room the site
 * info does not list (or all, before it has loaded) are still shown, grouped by their roomId:
 * a booth must never silently vanish from the floor view.
 */
export function groupBoothsByRoom(booths: readonly Booth[], rooms: readonly RoomInfo[] | undefined): RoomView[] {
  const byId = new Map(booths.map((b) => [b.id, b]));
  const placed = new Set<string>();
  const views: RoomView[] = [];
  for (const room of rooms ?? []) {
    const list = room.booths.map((b) => byId.get(b.id)).filter((b): b is Booth => b !== undefined);
    list.forEach((b) => placed.add(b.id));
    views.push(view(room.id, room.name, room.kind, room.maxSessionMinutes, list));
  }
  const rest = new Map<string, Booth[]>();
  for (const b of booths) {
    if (placed.has(b.id)) continue;
    rest.set(b.roomId, [...(rest.get(b.roomId) ?? []), b]);
  }
  for (const [roomId, list] of rest) {
    const kind = list[0]!.kind;
    views.push(view(roomId, null, kind, DEFAULT_MAX[kind], list));
  }
  return views;
}

function view(id: string, name: string | null, kind: RoomKind, maxSessionMinutes: number, booths: Booth[]): RoomView {
  return { id, name, kind, maxSessionMinutes, booths, occupied: booths.filter((b) => b.state === 'occupied').length };
}

/** Milliseconds a booth has been in its current state, on the server's clock. */
export function boothElapsedMs(booth: Booth, serverNowMs: number): number | null {
  if (!booth.since) return null;
  const since = Date.parse(booth.since);
  return Number.isNaN(since) ? null : Math.max(0, serverNowMs - since);
}

/** An occupied booth past its room's maximum session time needs a welfare check. */
export function isOverstay(booth: Booth, maxSessionMinutes: number, serverNowMs: number): boolean {
  if (booth.state !== 'occupied') return false;
  const elapsed = boothElapsedMs(booth, serverNowMs);
  return elapsed !== null && elapsed > maxSessionMinutes * 60_000;
}
