import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createFramer, DEFAULT_FRAME_TIMING, frameWindowMs, nextBoundary, nextCongestion } from '../../server/realtime/frames';
import type { RoomwatchIo } from '../../server/realtime/realtime';
import { emptyCounters } from '../../shared/counters';
import { siteRoom, type SiteChanged } from '../../shared/events';

const change = (seq: number): SiteChanged => ({
  siteId: 'skyen',
  seq,
  at: '2026-11-27T18:00:00Z',
  type: 'registration',
  businessDate: '2026-11-27',
  queue: 15,
  onShift: 6,
  occupied: 17,
  counters: { ...emptyCounters(), intakes: 640 + seq, registrations: 380 + seq },
  hour: 18,
  hourIntakes: 71,
});

/** Just enough of Socket.IO for the framer: one site's room of screens, and what was emitted to it. */
function fakeIo(screens: number) {
  const conns = Array.from({ length: screens }, () => ({ transport: { writable: true }, writeBuffer: [] as unknown[] }));
  const sockets = new Map(conns.map((conn, i) => [`s${i}`, { conn }]));
  const frames: number[][] = [];
  /** When each frame went out (the fake clock). */
  const times: number[] = [];
  const io = {
    of: () => ({ adapter: { rooms: new Map([[siteRoom('skyen'), new Set(sockets.keys())]]) }, sockets }),
    local: {
      to: () => ({
        emit: (event: string, payload: SiteChanged | { changes: SiteChanged[] }) => {
          frames.push(event === 'site:changed' ? [(payload as SiteChanged).seq] : (payload as { changes: SiteChanged[] }).changes.map((c) => c.seq));
          times.push(Date.now());
        },
      }),
    },
  } as unknown as RoomwatchIo;
  return { io, conns, frames, times };
}

describe('frames: screens that fall behind get fewer, fuller frames', () => {
  beforeEach(() => void vi.useFakeTimers({ now: 0 }));
  afterEach(() => void vi.useRealTimers());

  /** A change every 5 ms (200 a second) for `ms`, as the benchmark's busy site. */
  async function burst(framer: ReturnType<typeof createFramer>, from: number, ms: number): Promise<number> {
    let seq = from;
    for (let t = 0; t < ms; t += 5) {
      framer.push(change(seq++));
      await vi.advanceTimersByTimeAsync(5);
    }
    await vi.advanceTimersByTimeAsync(1_000);
    return seq;
  }

  it('widens the window while more than a tenth of the screens still hold the last frame, up to 200 ms, and narrows it once they keep up', async () => {
    const { io, conns, frames } = fakeIo(100);
    const framer = createFramer(io, { now: () => Date.now() });
    // Keeping up: the 4-ms window of 100 screens lets almost every change go alone.
    let seq = await burst(framer, 1, 1_000);
    const keepingUp = frames.splice(0);
    expect(keepingUp.length).toBeGreaterThan(150);

    // 30 of 100 screens have their last frame still queued (a slow link, or a screen busy drawing).
    for (const c of conns.slice(0, 30)) c.transport.writable = false;
    seq = await burst(framer, seq, 2_000);
    const behind = frames.splice(0);
    const gaps = behind.slice(1).map((f, i) => f[0]! - behind[i]!.at(-1)!);
    expect(gaps.every((g) => g === 1)).toBe(true); // still every seq, in order, none twice
    expect(behind.length).toBeLessThan(40); // 400 changes in ≤ 200-ms frames
    expect(Math.max(...behind.map((f) => f.length))).toBeLessThanOrEqual(41); // ≤ 200 ms of changes each

    // One slow screen in a hundred does not slow the others' frames.
    for (const c of conns) c.transport.writable = true;
    conns[0]!.transport.writable = false;
    await burst(framer, seq, 1_000);
    const recovered = frames.splice(0);
    expect(recovered.slice(-100).every((f) => f.length === 1)).toBe(true);
    framer.close();
  });

  it('lets a quiet site send up to three changes that come together at once; the rest wait for its next boundary and go as one frame', async () => {
    const { io, frames } = fakeIo(100); // a 4-ms window
    const framer = createFramer(io, { now: () => Date.now() });
    for (let seq = 1; seq <= 5; seq++) framer.push(change(seq));
    expect(frames).toEqual([[1], [2], [3]]);
    const boundary = nextBoundary('skyen', 4, 0);
    expect(boundary).toBeGreaterThan(0);
    expect(boundary).toBeLessThanOrEqual(4);
    await vi.advanceTimersByTimeAsync(boundary - 1);
    expect(frames).toHaveLength(3); // 4 and 5 wait for the site's boundary
    await vi.advanceTimersByTimeAsync(1);
    expect(frames).toEqual([[1], [2], [3], [4, 5]]);
    // Three windows without a change fill the bucket again.
    await vi.advanceTimersByTimeAsync(12);
    for (let seq = 6; seq <= 9; seq++) framer.push(change(seq));
    expect(frames.slice(4)).toEqual([[6], [7], [8]]);
    await vi.advanceTimersByTimeAsync(4);
    expect(frames.slice(4)).toEqual([[6], [7], [8], [9]]);
    framer.close();
  });

  it('sends a busy site one frame per window, at the same boundaries on every instance, whatever each sent before', async () => {
    // Two instances with 1,000 screens each (a 40-ms window). The second heard an earlier burst the
    // first did not (it had no screens then): their buckets differ when the busy spell starts.
    const a = fakeIo(1_000);
    const b = fakeIo(1_000);
    const framerA = createFramer(a.io, { now: () => Date.now() });
    const framerB = createFramer(b.io, { now: () => Date.now() });
    for (let seq = 1; seq <= 4; seq++) framerB.push(change(seq));
    await vi.advanceTimersByTimeAsync(17);
    // Then both hear the same change every 5 ms (200 a second) for a second.
    for (let seq = 5; seq < 205; seq++) {
      framerA.push(change(seq));
      framerB.push(change(seq));
      await vi.advanceTimersByTimeAsync(5);
    }
    await vi.advanceTimersByTimeAsync(100);
    // After the first frames, both send the same changes at the same instants, on the site's boundaries.
    const tail = (frames: number[][], times: number[]) => frames.map((f, i) => `${f.join(',')}@${times[i]}`).slice(-20);
    expect(tail(a.frames, a.times)).toEqual(tail(b.frames, b.times));
    const busy = a.times.slice(-20, -1);
    for (const t of busy) expect(nextBoundary('skyen', 40, t - 1)).toBe(t);
    expect(busy.slice(1).map((t, i) => t - busy[i]!)).toEqual(busy.slice(1).map(() => 40));
    framerA.close();
    framerB.close();
  });

  it('nests the windows (40, 20, 10, 5 ms), so instances with more or fewer screens still share boundaries', () => {
    expect([100, 130, 250, 500, 999, 1_000, 5_000].map((n) => frameWindowMs(n))).toEqual([4, 5, 10, 20, 20, 40, 40]);
    // Every boundary of a 40-ms window is a boundary of the 20-ms one, and different sites are spread over the window.
    const b40 = nextBoundary('skyen', 40, 1_000_000);
    expect(nextBoundary('skyen', 20, b40 - 1)).toBe(b40);
    expect(nextBoundary('skyen', 5, b40 - 1)).toBe(b40);
    expect(nextBoundary('skyen', 40, b40)).toBe(b40 + 40);
    const shifts = ['skyen', 'vesterbro', 'nørrebro', 'aarhus'].map((id) => nextBoundary(id, 40, 0));
    expect(new Set(shifts.map((x) => Math.floor(x))).size).toBeGreaterThan(1);
  });

  it('doubles while behind, up to the congested window, and halves back to 1', () => {
    const t = DEFAULT_FRAME_TIMING;
    let f = 1;
    for (let i = 0; i < 10; i++) f = nextCongestion(f, 0.5, 4, t);
    expect(f).toBe(50); // 4 ms × 50 = 200 ms
    expect(nextCongestion(f, 0.05, 4, t)).toBe(25);
    expect(nextCongestion(1, 0, 4, t)).toBe(1);
    expect(nextCongestion(1, 1, 40, t)).toBe(2);
    expect(nextCongestion(4, 1, 40, t)).toBe(5); // 40 ms × 5 = 200 ms
  });
});
