/**
 * When each wall screen was last heard from, per site and socket. In memory for now: the
 * "wall screen offline" alert reads it; with several instances each knows its own screens
 * (a shared record in Redis comes with that alert).
 */
export interface DisplaySeen {
  siteId: string;
  socketId: string;
  /** Principal id of the screen (its display token, once tokens exist). */
  principalId: string;
  /** Server clock (ms) of the last heartbeat. */
  at: number;
}

export interface DisplayPresence {
  seen(entry: DisplaySeen): void;
  /** A socket went away; its screen stops counting as seen "now", but its last time is kept. */
  disconnected(socketId: string): void;
  /** The screens of a site, newest first. */
  list(siteId: string): DisplaySeen[];
  /** Server clock (ms) a screen of the site was last heard from, or null if never. */
  lastSeen(siteId: string): number | null;
}

/** Bound per site, so a screen reconnecting for weeks (new socket id each time) cannot grow memory. */
const MAX_PER_SITE = 50;

export function createDisplayPresence(): DisplayPresence {
  const bySite = new Map<string, Map<string, DisplaySeen>>();
  return {
    seen(entry) {
      let site = bySite.get(entry.siteId);
      if (!site) bySite.set(entry.siteId, (site = new Map()));
      site.delete(entry.socketId); // re-insert: Map order is then oldest first
      site.set(entry.socketId, entry);
      while (site.size > MAX_PER_SITE) site.delete(site.keys().next().value!);
    },
    disconnected() {
      // Kept on purpose: "last seen" must survive the socket, or a dead screen would vanish
      // instead of reading as offline. The size bound above keeps this finite.
    },
    list: (siteId) => [...(bySite.get(siteId)?.values() ?? [])].sort((a, b) => b.at - a.at),
    lastSeen(siteId) {
      let last: number | null = null;
      for (const e of bySite.get(siteId)?.values() ?? []) if (last === null || e.at > last) last = e.at;
      return last;
    },
  };
}
