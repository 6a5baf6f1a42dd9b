import type { Snapshot } from '../../../shared/api';
import type { SiteChanged } from '../../../shared/events';

/*
 * Pure ordering logic of the live floor: which `site:changed` messages to apply, which to hold
 * back and when the client must fetch a fresh snapshot. No Vue, no DOM, no timers: the caller
 * passes the clock in and acts on the returned effect, so every case is unit-testable.
 */

/** How long an out-of-order change waits for the missing ones before a resync. */
export const GAP_WAIT_MS = 300;

/** Bound on held-back changes, so a long stall cannot grow memory without limit. */
export const MAX_PENDING = 500;

export interface SequencerState {
  /** The site this sequencer follows; changes of other sites are ignored. */
  readonly siteId: string;
  /** The applied state, or null until the first snapshot arrives. */
  readonly snapshot: Snapshot | null;
  /** Changes newer than `snapshot.seq + 1` (or all, before a snapshot), ascending by seq, unique. */
  readonly pending: readonly SiteChanged[];
  /** Clock (ms) at which the current gap was first seen, or null when there is none. */
  readonly gapSinceMs: number | null;
}

export type ResyncReason = 'gap' | 'business-date' | 'overflow';

/** What the caller must do next. */
export type SequencerEffect =
  | { kind: 'none' }
  /** A gap is open: call `checkGap` again at `untilMs`. */
  | { kind: 'wait'; untilMs: number }
  /** Fetch a fresh snapshot and hand it to `acceptSnapshot`. */
  | { kind: 'resync'; reason: ResyncReason };

export interface SequencerStep {
  state: SequencerState;
  effect: SequencerEffect;
  /** True when `state.snapshot` is a new object (something was applied). */
  changed: boolean;
}

const NONE: SequencerEffect = { kind: 'none' };

/** A sequencer for `siteId` that has seen nothing yet. */
export function emptySequencer(siteId: string): SequencerState {
  return { siteId, snapshot: null, pending: [], gapSinceMs: null };
}

/**
 * Applies one change to a snapshot by replacing what it carries (booth, queue, staff,
 * occupancy, the day's counters, the hour's intakes): a change is a new state, never a delta.
 * The caller must have checked that `change.seq` follows `snapshot.seq` and the business date matches.
 */
export function applyChange(snapshot: Snapshot, change: SiteChanged): Snapshot {
  const booth = change.booth;
  const booths = booth
    ? snapshot.booths.some((b) => b.id === booth.id)
      ? snapshot.booths.map((b) => (b.id === booth.id ? booth : b))
      : [...snapshot.booths, booth]
    : snapshot.booths;
  const hourlyIntakes =
    change.hour >= 0 && change.hour < snapshot.hourlyIntakes.length
      ? snapshot.hourlyIntakes.map((n, h) => (h === change.hour ? change.hourIntakes : n))
      : snapshot.hourlyIntakes;
  // An incident recorded, closed or reopened replaces its entry; an undone recording goes.
  let incidents = snapshot.incidents;
  const incident = change.incident;
  if (incident) incidents = [...incidents.filter((i) => i.id !== incident.id), incident].sort((a, b) => Number(a.id) - Number(b.id));
  if (change.removedIncident) incidents = incidents.filter((i) => i.id !== change.removedIncident);
  const room = change.room;
  const rooms = room
    ? snapshot.rooms.map((r) => {
        if (r.id !== room.id) return r;
        const { openedEarly: _old, ...rest } = r;
        return room.openedEarly ? { ...rest, openedEarly: room.openedEarly } : rest;
      })
    : snapshot.rooms;
  return {
    ...snapshot,
    seq: change.seq,
    at: change.at,
    booths,
    queue: change.queue,
    onShift: change.onShift,
    occupied: change.occupied,
    counters: change.counters,
    hourlyIntakes,
    incidents,
    rooms,
  };
}

/** Inserts a change into an ascending, seq-unique list (a redelivered seq keeps the first copy). */
function insertPending(pending: readonly SiteChanged[], change: SiteChanged): SiteChanged[] {
  if (pending.some((c) => c.seq === change.seq)) return [...pending];
  const out = [...pending, change];
  out.sort((a, b) => a.seq - b.seq);
  return out;
}

/** Applies every held change that now follows on, then decides whether a gap is still open. */
function settle(state: SequencerState, nowMs: number, waitMs: number, changedBefore: boolean): SequencerStep {
  let snapshot = state.snapshot;
  let changed = changedBefore;
  if (!snapshot) return { state, effect: NONE, changed };

  let pending = state.pending.filter((c) => c.seq > snapshot!.seq);
  while (pending.length > 0 && pending[0]!.seq === snapshot.seq + 1) {
    const next = pending[0]!;
    if (next.businessDate !== snapshot.businessDate) {
      // The day rolled over: per-day counters and hourly intakes of the new day are not ours to
      // guess, so keep the change held and ask for a whole new snapshot.
      return { state: { ...state, snapshot, pending, gapSinceMs: null }, effect: { kind: 'resync', reason: 'business-date' }, changed };
    }
    snapshot = applyChange(snapshot, next);
    pending = pending.slice(1);
    changed = true;
  }

  if (pending.length === 0) {
    return { state: { ...state, snapshot, pending, gapSinceMs: null }, effect: NONE, changed };
  }
  if (pending.length > MAX_PENDING) {
    return {
      state: { ...state, snapshot, pending: pending.slice(-MAX_PENDING), gapSinceMs: state.gapSinceMs ?? nowMs },
      effect: { kind: 'resync', reason: 'overflow' },
      changed,
    };
  }
  const gapSinceMs = state.gapSinceMs ?? nowMs;
  const next: SequencerState = { ...state, snapshot, pending, gapSinceMs };
  const untilMs = gapSinceMs + waitMs;
  return { state: next, effect: nowMs >= untilMs ? { kind: 'resync', reason: 'gap' } : { kind: 'wait', untilMs }, changed };
}

/**
 * Takes a snapshot (from the subscribe acknowledgement or a resync). Held changes it already
 * covers are dropped and the ones that follow on are applied. A snapshot older than the applied
 * state is ignored unless `force` is set: use `force` after (re)subscribing, where the server may
 * have restarted and its seq begun again.
 */
export function acceptSnapshot(
  state: SequencerState,
  snapshot: Snapshot,
  nowMs: number,
  opts: { force?: boolean; waitMs?: number } = {},
): SequencerStep {
  const waitMs = opts.waitMs ?? GAP_WAIT_MS;
  if (snapshot.siteId !== state.siteId) return { state, effect: NONE, changed: false };
  const current = state.snapshot;
  if (!opts.force && current && snapshot.seq < current.seq) {
    return settle(state, nowMs, waitMs, false);
  }
  // A gap measured against the old state starts over against the new one.
  return settle({ ...state, snapshot, gapSinceMs: null }, nowMs, waitMs, true);
}

/**
 * Handles one `site:changed`: applies it if it is the next seq, ignores it if already covered
 * (seq ≤ current), otherwise holds it and reports the gap (wait, then resync).
 * Before the first snapshot every change is held, to be sorted out when the snapshot arrives.
 */
export function receiveChange(state: SequencerState, change: SiteChanged, nowMs: number, waitMs = GAP_WAIT_MS): SequencerStep {
  if (change.siteId !== state.siteId) return { state, effect: NONE, changed: false };
  const current = state.snapshot;
  if (!current) {
    return { state: { ...state, pending: insertPending(state.pending, change).slice(-MAX_PENDING) }, effect: NONE, changed: false };
  }
  if (change.seq <= current.seq) return settle(state, nowMs, waitMs, false);
  return settle({ ...state, pending: insertPending(state.pending, change) }, nowMs, waitMs, false);
}

/** Re-checks an open gap (call when a `wait` effect's time has come). */
export function checkGap(state: SequencerState, nowMs: number, waitMs = GAP_WAIT_MS): SequencerStep {
  return settle(state, nowMs, waitMs, false);
}

/** Handles one `site:changes` frame: its changes one by one, as if each had come alone. */
export function receiveChanges(state: SequencerState, changes: readonly SiteChanged[], nowMs: number, waitMs = GAP_WAIT_MS): SequencerStep {
  let step: SequencerStep = { state, effect: NONE, changed: false };
  for (const change of changes) {
    const next = receiveChange(step.state, change, nowMs, waitMs);
    step = { ...next, changed: step.changed || next.changed };
  }
  return step;
}

/** How long a screen may hear nothing before it asks the server for the site's `seq` (`site:seq`). */
export const QUIET_CHECK_MS = 20_000;

/**
 * The clock for the sequencer's waits (a gap's grace, the quiet spell): monotonic, not Date.now.
 * A tablet's wall clock can stand still, jump back (NTP, a person setting it) or be far off; a
 * gap would then never be declared and the safety net never ask — the screen would stay behind.
 */
export const elapsedMs = (): number => performance.now();

/**
 * The background safety net: the server's `seq` is ahead of what this screen has applied or
 * holds, so a change was lost on the way and a fresh snapshot is due.
 */
export function isBehind(state: SequencerState, serverSeq: number): boolean {
  const applied = state.snapshot?.seq;
  if (applied === undefined) return false;
  const newest = state.pending.at(-1)?.seq ?? applied;
  return serverSeq > Math.max(applied, newest);
}

/** The seq of the applied state, or null before the first snapshot. */
export const currentSeq = (state: SequencerState): number | null => state.snapshot?.seq ?? null;
