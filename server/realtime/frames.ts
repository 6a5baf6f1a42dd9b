import { siteRoom, type SiteChanged } from '../../shared/events';
import type { RoomwatchIo } from './realtime';

/**
 * How long a busy site's changes may wait to share a frame. An idle site sends each change at
 * once; while changes come faster than one per window, they go out together as `site:changes`.
 * The window grows with the number of screens on this instance: a frame costs one write per
 * screen, so many screens make each frame dearer and a few milliseconds of wait cheaper.
 */
export interface FrameTiming {
  minWindowMs: number;
  maxWindowMs: number;
  /** Window added per screen of the site on this instance. */
  msPerScreen: number;
}

export const DEFAULT_FRAME_TIMING: FrameTiming = { minWindowMs: 4, maxWindowMs: 40, msPerScreen: 0.04 };

export const frameWindowMs = (screens: number, t: FrameTiming = DEFAULT_FRAME_TIMING): number =>
  Math.min(t.maxWindowMs, Math.max(t.minWindowMs, screens * t.msPerScreen));

interface SiteFrame {
  pending: SiteChanged[];
  timer: ReturnType<typeof setTimeout> | null;
  lastSentAt: number;
}

export interface Framer {
  /** False when no screen on this instance follows the site and nothing waits for it: skip decoding. */
  wants(siteId: string): boolean;
  /** Hands one change on to this instance's screens of its site, in the order given. */
  push(change: SiteChanged): void;
  /** Sends whatever waits and stops the timers. */
  close(): void;
}

/**
 * Sends a site's changes to the screens on this instance (`io.local`: every instance relays
 * from Redis itself). Each frame is one emit, so Socket.IO encodes it once for all receivers.
 */
export function createFramer(
  io: RoomwatchIo,
  opts: { timing?: FrameTiming; observe?: (seconds: number, changes: number) => void; now?: () => number } = {},
): Framer {
  const timing = opts.timing ?? DEFAULT_FRAME_TIMING;
  const now = opts.now ?? (() => performance.now());
  const sites = new Map<string, SiteFrame>();
  const screens = (siteId: string) => io.of('/').adapter.rooms.get(siteRoom(siteId))?.size ?? 0;

  const send = (siteId: string, f: SiteFrame, changes: SiteChanged[]) => {
    f.lastSentAt = now();
    const t0 = performance.now();
    const to = io.local.to(siteRoom(siteId));
    if (changes.length === 1) to.emit('site:changed', changes[0]!);
    else to.emit('site:changes', { siteId, changes });
    opts.observe?.((performance.now() - t0) / 1000, changes.length);
  };
  const flush = (siteId: string, f: SiteFrame) => {
    f.timer = null;
    const changes = f.pending;
    f.pending = [];
    if (changes.length > 0) send(siteId, f, changes);
  };

  return {
    wants: (siteId) => screens(siteId) > 0 || (sites.get(siteId)?.pending.length ?? 0) > 0,
    push(change) {
      const siteId = change.siteId;
      const n = screens(siteId);
      let f = sites.get(siteId);
      if (!f) sites.set(siteId, (f = { pending: [], timer: null, lastSentAt: -Infinity }));
      // Nobody here follows the site. A screen subscribing now reads its snapshot after joining
      // the room, and that snapshot already holds this committed change.
      if (n === 0 && f.pending.length === 0) return;
      const windowMs = frameWindowMs(n, timing);
      const since = now() - f.lastSentAt;
      if (!f.timer && since >= windowMs) return send(siteId, f, [change]);
      f.pending.push(change);
      if (!f.timer) {
        const site = f;
        f.timer = setTimeout(() => flush(siteId, site), Math.max(0, windowMs - since));
      }
    },
    close() {
      for (const [siteId, f] of sites) {
        if (f.timer) clearTimeout(f.timer);
        flush(siteId, f);
      }
      sites.clear();
    },
  };
}
