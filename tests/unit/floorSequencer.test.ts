import { describe, expect, it } from 'vitest';
import { acceptSnapshot, checkGap, emptySequencer, GAP_WAIT_MS, isBehind, receiveChange, receiveChanges } from '../../client/src/stores/floorSequencer';
import { DEFAULT_FRAME_TIMING, frameWindowMs } from '../../server/realtime/frames';
import type { Snapshot } from '../../shared/api';
import { emptyCounters } from '../../shared/counters';
import type { SiteChanged } from '../../shared/events';

const snapshot = (seq: number, businessDate = '2026-03-10'): Snapshot => ({
  siteId: 's',
  seq,
  at: '2026-03-10T12:00:00Z',
  businessDate,
  booths: [],
  queue: 0,
  onShift: 0,
  occupied: 0,
  counters: emptyCounters(),
  hourlyIntakes: Array(24).fill(0),
  rooms: [],
  incidents: [],
});
const change = (seq: number, extra: Partial<SiteChanged> = {}): SiteChanged => ({
  siteId: 's',
  seq,
  at: '2026-03-10T12:00:00Z',
  type: 'queue-join',
  businessDate: '2026-03-10',
  queue: seq,
  onShift: 0,
  occupied: 0,
  counters: { ...emptyCounters(), queueJoins: seq },
  hour: 13,
  hourIntakes: 0,
  ...extra,
});

describe('floor sequencer (client)', () => {
  const start = () => acceptSnapshot(emptySequencer('s'), snapshot(5), 0).state;

  it('applies the next seq by replacing state, and ignores what it already has', () => {
    let s = receiveChange(start(), change(6), 0).state;
    expect(s.snapshot).toMatchObject({ seq: 6, queue: 6 });
    const dup = receiveChange(s, change(6, { queue: 99 }), 0);
    expect(dup.changed).toBe(false);
    s = receiveChange(s, change(4), 0).state;
    expect(s.snapshot?.queue).toBe(6);
  });

  it('holds an out-of-order change, fills the gap when the missing one arrives', () => {
    const held = receiveChange(start(), change(7), 1000);
    expect(held.effect).toEqual({ kind: 'wait', untilMs: 1000 + GAP_WAIT_MS });
    expect(held.state.snapshot?.seq).toBe(5);
    const filled = receiveChange(held.state, change(6), 1100);
    expect(filled.effect).toEqual({ kind: 'none' });
    expect(filled.state.snapshot?.seq).toBe(7);
  });

  it('asks for a fresh snapshot when the gap stays open', () => {
    const held = receiveChange(start(), change(8), 1000);
    expect(checkGap(held.state, 1000 + GAP_WAIT_MS).effect).toEqual({ kind: 'resync', reason: 'gap' });
    const resynced = acceptSnapshot(held.state, snapshot(7), 1400, { force: true });
    expect(resynced.state.snapshot?.seq).toBe(8); // the held change follows the new snapshot
  });

  it('resyncs when the business day rolls over, and ignores other sites', () => {
    expect(receiveChange(start(), change(6, { businessDate: '2026-03-11' }), 0).effect).toEqual({ kind: 'resync', reason: 'business-date' });
    expect(receiveChange(start(), change(6, { siteId: 'other' }), 0).changed).toBe(false);
  });

  it('updates the booth and the hour it carries', () => {
    const base = acceptSnapshot(emptySequencer('s'), { ...snapshot(1), booths: [{ id: 'b1', roomId: 'r', label: '1', kind: 'injection', state: 'free', since: null, substance: null, route: null, assisted: false, reason: null }] }, 0).state;
    const next = receiveChange(base, change(2, { type: 'check-in', booth: { id: 'b1', roomId: 'r', label: '1', kind: 'injection', state: 'occupied', since: '2026-03-10T12:00:00Z', substance: 'heroin', route: 'injection', assisted: false, reason: null }, hour: 13, hourIntakes: 4 }), 0).state;
    expect(next.snapshot?.booths[0]?.state).toBe('occupied');
    expect(next.snapshot?.hourlyIntakes[13]).toBe(4);
  });

  it('replaces an incident by id, removes an undone one, and takes a room\'s early opening', () => {
    const base = acceptSnapshot(emptySequencer('s'), { ...snapshot(1), rooms: [{ id: 'smk', open: false, opensAt: '2026-03-11T06:00:00.000Z' }] }, 0).state;
    const od = { id: '2', kind: 'overdose' as const, boothId: 'b1', naloxone: true, ambulance: false, openedAt: '2026-03-10T12:00:00Z' };
    let s = receiveChange(base, change(2, { type: 'incident', incident: od }), 0).state;
    expect(s.snapshot?.incidents).toEqual([od]);
    s = receiveChange(s, change(3, { type: 'incident-close', incident: { ...od, closedAt: '2026-03-10T12:20:00Z', outcome: 'recovered' } }), 0).state;
    expect(s.snapshot?.incidents).toEqual([{ ...od, closedAt: '2026-03-10T12:20:00Z', outcome: 'recovered' }]);
    s = receiveChange(s, change(4, { type: 'undo', removedIncident: '2' }), 0).state;
    expect(s.snapshot?.incidents).toEqual([]);
    const early = { until: '2026-03-10T14:00:00.000Z', by: 'lead' };
    s = receiveChange(s, change(5, { type: 'room-open', room: { id: 'smk', openedEarly: early } }), 0).state;
    expect(s.snapshot?.rooms[0]?.openedEarly).toEqual(early);
    s = receiveChange(s, change(6, { type: 'room-close', room: { id: 'smk', openedEarly: null } }), 0).state;
    expect(s.snapshot?.rooms[0]).toEqual({ id: 'smk', open: false, opensAt: '2026-03-11T06:00:00.000Z' });
  });
});

describe('frames and the quiet check (issue 16)', () => {
  const start = () => acceptSnapshot(emptySequencer('s'), snapshot(5), 0).state;

  it('applies a site:changes frame as if each change had come alone, including one it already has', () => {
    const step = receiveChanges(start(), [change(5), change(6), change(7), change(8)], 0);
    expect(step.changed).toBe(true);
    expect(step.effect.kind).toBe('none');
    expect(step.state.snapshot).toMatchObject({ seq: 8, queue: 8 });
    expect(receiveChanges(step.state, [change(7), change(8)], 0).changed).toBe(false);
  });

  it('holds a frame that leaves a gap, and waits for the missing change', () => {
    const step = receiveChanges(start(), [change(7), change(8)], 100);
    expect(step.state.snapshot?.seq).toBe(5);
    expect(step.effect).toEqual({ kind: 'wait', untilMs: 100 + GAP_WAIT_MS });
    expect(receiveChanges(step.state, [change(6)], 120).state.snapshot?.seq).toBe(8);
  });

  it('is behind only when the server holds a seq it has neither applied nor received', () => {
    const s = start();
    expect(isBehind(s, 5)).toBe(false);
    expect(isBehind(s, 6)).toBe(true);
    const held = receiveChange(s, change(7), 0).state; // 6 missing, 7 held: the gap timer handles it
    expect(isBehind(held, 7)).toBe(false);
    expect(isBehind(held, 8)).toBe(true);
    expect(isBehind(emptySequencer('s'), 3)).toBe(false); // nothing to compare before the first snapshot
  });
});

describe('frame window (server)', () => {
  it('grows with the screens on the instance, between its bounds', () => {
    const t = { ...DEFAULT_FRAME_TIMING, minWindowMs: 4, maxWindowMs: 40, msPerScreen: 0.04 };
    expect(frameWindowMs(1, t)).toBe(4);
    expect(frameWindowMs(500, t)).toBe(20);
    expect(frameWindowMs(5000, t)).toBe(40);
  });
});
