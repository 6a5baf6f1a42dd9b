import { siteRoom, type SiteChanged } from '../../shared/events';
import type { RoomwatchIo } from './realtime';

/**
 * How long a busy site's changes may wait to share a frame. An idle site sends each change at
 * once (also two or three that come together); while changes come faster than one per window,
 * they go out together as `site:changes`, one frame per window, at the site's boundaries
 * (`nextBoundary`).
 * The window grows with the number of screens on this instance: a frame costs one write per
 * screen, so many screens make each frame dearer and a few milliseconds of wait cheaper. And it
 * grows while the screens cannot keep up (`congestedWindowMs`, below).
 */
export interface FrameTiming {
  minWindowMs: number;
  maxWindowMs: number;
  /** Window added per screen of the site on this instance. */
  msPerScreen: number;
  /**
   * The longest window while the screens fall behind: when more than `congestedShare` of a site's
   * screens on this instance still have the last frame queued at a frame's sending (their
   * connection takes it slower than frames come), the window doubles at each frame up to this, and
   * halves back once they keep up. Fewer, fuller frames are what a screen that is behind can use.
   */
  congestedWindowMs: number;
  congestedShare: number;
  /**
   * How many frames a site that was quiet may send back to back before its changes wait for the
   * window (a token bucket that refills one frame per window). Changes seldom come evenly: with
   * room for one frame only, the second of two changes a millisecond apart waited out the whole
   * window even on a site far from busy.
   */
  burst: number;
}

export const DEFAULT_FRAME_TIMING: FrameTiming = { minWindowMs: 4, maxWindowMs: 40, msPerScreen: 0.04, congestedWindowMs: 200, congestedShare: 0.1, burst: 3 };

/**
 * The window of a site with `screens` screens on this instance: the longest window halved as often
 * as it takes to fit (40, 20, 10, 5 ms by default), never under the shortest. Windows that nest
 * keep two instances in step even when they hold different numbers of the site's screens: each
 * sends at the other's boundaries, or at every second or fourth of them (see `nextBoundary`).
 */
export function frameWindowMs(screens: number, t: FrameTiming = DEFAULT_FRAME_TIMING): number {
  const wanted = Math.min(t.maxWindowMs, Math.max(t.minWindowMs, screens * t.msPerScreen));
  let windowMs = t.maxWindowMs;
  while (windowMs > wanted && windowMs > t.minWindowMs) windowMs /= 2;
  return Math.max(t.minWindowMs, windowMs);
}

/**
 * Where a site's frames may fall: every `windowMs` on the epoch clock, shifted by an offset that
 * depends on the site alone (`shiftOf`). Every instance hears a change from Redis at the same
 * moment and holds it until the same boundary, so a site's screens on all instances get each frame
 * together: measured with 1,000 screens on each of two instances, windows timed from each
 * instance's own last frame put the same change on the two halves of the screens up to 24 ms
 * before and 38 ms after each other, and the last screen waited for the later one. The shift
 * spreads different sites' frames over the window, so one instance does not write every busy
 * site's frame at the same instant.
 */
export function nextBoundary(siteId: string, windowMs: number, t: number): number {
  const shift = shiftOf(siteId);
  return shift + (Math.floor((t - shift) / windowMs) + 1) * windowMs;
}

/**
 * A whole number of milliseconds under a second from the site's id (FNV-1a), the same on every
 * instance and for every window, so the boundaries of a window are also those of half of it.
 */
function shiftOf(siteId: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < siteId.length; i++) h = Math.imul(h ^ siteId.charCodeAt(i), 0x01000193);
  return (h >>> 0) % 1000;
}

/** The next congestion factor of a site's window: doubled while screens are behind, halved back when not. */
export function nextCongestion(factor: number, behindShare: number, windowMs: number, t: FrameTiming = DEFAULT_FRAME_TIMING): number {
  const most = Math.max(1, t.congestedWindowMs / windowMs);
  return behindShare > t.congestedShare ? Math.min(most, factor * 2) : Math.max(1, factor / 2);
}

interface SiteFrame {
  pending: SiteChanged[];
  timer: ReturnType<typeof setTimeout> | null;
  /** Frames the site may send now without waiting (up to `burst`), as of `refilledAt`. */
  tokens: number;
  refilledAt: number;
  /** Multiplies the window while this instance's screens of the site fall behind (1 = keeping up). */
  congestion: number;
}

/** What the framer needs to know of a screen's connection: is the last frame still queued for it? */
interface ScreenConnection {
  transport: { writable: boolean };
  writeBuffer: unknown[];
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
  // The epoch clock, not the process's own: the boundaries of `nextBoundary` are shared by all instances.
  const now = opts.now ?? (() => performance.timeOrigin + performance.now());
  const sites = new Map<string, SiteFrame>();
  const screens = (siteId: string) => io.of('/').adapter.rooms.get(siteRoom(siteId))?.size ?? 0;
  // The share of the site's screens here whose connection has not yet taken the previous frame
  // (Engine.IO holds a packet while the WebSocket's last write is still under way). One look per
  // frame at each screen: a few nanoseconds each, beside the write each of them gets anyway.
  const behindShare = (siteId: string): number => {
    const ids = io.of('/').adapter.rooms.get(siteRoom(siteId));
    if (!ids || ids.size === 0) return 0;
    let behind = 0;
    for (const id of ids) {
      const conn = io.of('/').sockets.get(id)?.conn as ScreenConnection | undefined;
      if (conn && (!conn.transport.writable || conn.writeBuffer.length > 0)) behind++;
    }
    return behind / ids.size;
  };

  const windowOf = (screensHere: number, f: SiteFrame) => frameWindowMs(screensHere, timing) * f.congestion;
  // One frame's worth of tokens per window since the last look, up to the burst.
  const refill = (f: SiteFrame, windowMs: number) => {
    const t = now();
    f.tokens = Math.min(timing.burst, f.tokens + (t - f.refilledAt) / windowMs);
    f.refilledAt = t;
  };
  const send = (siteId: string, f: SiteFrame, changes: SiteChanged[]) => {
    f.tokens = Math.max(0, f.tokens - 1);
    f.congestion = nextCongestion(f.congestion, behindShare(siteId), frameWindowMs(screens(siteId), timing), timing);
    const t0 = performance.now();
    const to = io.local.to(siteRoom(siteId));
    if (changes.length === 1) to.emit('site:changed', changes[0]!);
    else to.emit('site:changes', { siteId, changes });
    opts.observe?.((performance.now() - t0) / 1000, changes.length);
  };
  const flush = (siteId: string, f: SiteFrame) => {
    f.timer = null;
    refill(f, windowOf(screens(siteId), f));
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
      if (!f) sites.set(siteId, (f = { pending: [], timer: null, tokens: timing.burst, refilledAt: now(), congestion: 1 }));
      // Nobody here follows the site. A screen subscribing now reads its snapshot after joining
      // the room, and that snapshot already holds this committed change.
      if (n === 0 && f.pending.length === 0) return;
      const windowMs = windowOf(n, f);
      refill(f, windowMs);
      if (!f.timer && f.tokens >= 1) return send(siteId, f, [change]);
      f.pending.push(change);
      if (!f.timer) {
        const site = f;
        // Until the site's next boundary, where every instance sends it; everything held until
        // then goes out together. A site that stays busy sends one frame a window: its flush
        // spends the token the window brought, so no change in between finds one.
        const t = now();
        f.timer = setTimeout(() => flush(siteId, site), nextBoundary(siteId, windowMs, t) - t);
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
