import { defineStore } from 'pinia';
import { computed, ref, shallowRef } from 'vue';
import type { ErrorBody, Snapshot } from '../../../shared/api';
import { businessSlot } from '../../../shared/businessTime';
import { SeqAck, SiteChanged, SiteChanges } from '../../../shared/events';
import { ensureConnected, socket, SubscribeAckSchema } from '../socket';
import { useSitesStore } from './sites';
import {
  acceptSnapshot,
  checkGap,
  elapsedMs,
  emptySequencer,
  isBehind,
  QUIET_CHECK_MS,
  receiveChange,
  receiveChanges,
  type SequencerState,
  type SequencerStep,
} from './floorSequencer';

/** live: following the site; reconnecting: lost the link, retrying; offline: no link for a while or refused. */
export type ConnectionStatus = 'connecting' | 'live' | 'reconnecting' | 'offline';

const SUBSCRIBE_TIMEOUT_MS = 5_000;
const RETRY_MS = 2_000;
/** After this long without a link the page says "offline" rather than "reconnecting". */
const OFFLINE_AFTER_MS = 30_000;
/** How often to check whether the site's business day has rolled over while nothing happens. */
const DAY_CHECK_MS = 30_000;

type Timer = ReturnType<typeof setTimeout>;

/** The live state of one site: the snapshot kept current by `site:changed`, and the link's health. */
export const useFloorStore = defineStore('floor', () => {
  const sitesStore = useSitesStore();

  const siteId = ref<string | null>(null);
  // Replaced as a whole on every change (the sequencer is immutable), so shallow reactivity suffices.
  const snapshot = shallowRef<Snapshot | null>(null);
  const seq = computed(() => snapshot.value?.seq ?? null);
  const status = ref<ConnectionStatus>('connecting');
  /** Client clock (ms) when the server last sent anything for this site (shown as "last data"). */
  const lastUpdateAt = ref<number | null>(null);
  /**
   * The same moment on the monotonic clock (`elapsedMs`), for the quiet check and the wall's
   * staleness: a device clock corrected back an hour must not make old data look fresh.
   */
  const heardAt = ref<number | null>(null);
  const heard = (): number => (heardAt.value = elapsedMs());
  /** Server clock minus client clock, so elapsed times do not depend on a tablet's wrong clock. */
  const clockOffsetMs = ref(0);
  const error = shallowRef<ErrorBody['error'] | null>(null);

  // Plain variables, not state: bookkeeping the views never read.
  let sequencer: SequencerState | null = null;
  let generation = 0;
  let latestRequest = 0;
  let subscribing = false;
  let gapTimer: Timer | undefined;
  let retryTimer: Timer | undefined;
  let offlineTimer: Timer | undefined;
  let dayTimer: ReturnType<typeof setInterval> | undefined;
  let quietTimer: ReturnType<typeof setInterval> | undefined;
  let lastDayResync: string | null = null;
  let firstSnapshot: { resolve: () => void } | null = null;
  /** A demo site on a simulated clock: its time runs `speed` times faster than ours since the anchor. */
  let simAnchor: { sim: number; real: number } | null = null;
  let simTimer: ReturnType<typeof setInterval> | undefined;

  /** Keeps the offset true for a site whose clock is simulated (it drifts `speed − 1` ms per ms). */
  function followSimulatedClock(): void {
    const speed = siteId.value ? sitesStore.site(siteId.value)?.simulatedClock?.speed : undefined;
    if (!speed || speed === 1 || !simAnchor) return;
    const now = Date.now();
    clockOffsetMs.value = simAnchor.sim + (now - simAnchor.real) * speed - now;
  }

  function settleFirst(): void {
    firstSnapshot?.resolve();
    firstSnapshot = null;
  }

  /** Carries out what the sequencer decided. */
  function run(step: SequencerStep): void {
    sequencer = step.state;
    if (step.changed) snapshot.value = step.state.snapshot;
    clearTimeout(gapTimer);
    gapTimer = undefined;
    const effect = step.effect;
    if (effect.kind === 'wait') {
      const gen = generation;
      gapTimer = setTimeout(() => {
        if (gen === generation && sequencer) run(checkGap(sequencer, elapsedMs()));
      }, Math.max(0, effect.untilMs - elapsedMs()));
    } else if (effect.kind === 'resync') {
      resync();
    }
  }

  /**
   * Subscribes (or re-subscribes) and takes the acknowledgement's snapshot. Re-subscribing is also
   * how a gap is repaired: the ack and the following changes travel on the same ordered socket.
   */
  async function subscribe(force: boolean): Promise<void> {
    const id = siteId.value;
    if (!id || !socket.connected) return;
    const gen = generation;
    const request = ++latestRequest;
    subscribing = true;
    clearTimeout(retryTimer);
    try {
      const raw = await socket.timeout(SUBSCRIBE_TIMEOUT_MS).emitWithAck('site:subscribe', { siteId: id });
      if (gen !== generation || request !== latestRequest || !sequencer) return;
      const ack = SubscribeAckSchema.parse(raw);
      if (!ack.ok) {
        error.value = ack.error;
        status.value = 'offline';
        settleFirst();
        return;
      }
      const now = Date.now();
      error.value = null;
      clockOffsetMs.value = Date.parse(ack.snapshot.at) - now;
      simAnchor = { sim: Date.parse(ack.snapshot.at), real: now };
      lastUpdateAt.value = now;
      const at = heard();
      status.value = 'live';
      run(acceptSnapshot(sequencer, ack.snapshot, at, { force }));
      settleFirst();
    } catch (e) {
      if (gen !== generation || request !== latestRequest) return;
      // A timed-out or malformed ack: ask again shortly, the link itself may be fine.
      console.warn('roomwatch: site:subscribe failed', e);
      retryTimer = setTimeout(() => void subscribe(force), RETRY_MS);
    } finally {
      if (request === latestRequest) subscribing = false;
    }
  }

  function resync(): void {
    // One request at a time; a reconnect subscribes anyway.
    if (subscribing || !socket.connected) return;
    void subscribe(false);
  }

  /** Refetches when the site's business day has turned over although no change said so yet. */
  function checkBusinessDay(): void {
    const snap = snapshot.value;
    const site = siteId.value ? sitesStore.site(siteId.value) : undefined;
    if (!snap || !site) return;
    const today = businessSlot(Date.now() + clockOffsetMs.value, site.timeZone, site.businessDayStart).date;
    if (today !== snap.businessDate && today !== lastDayResync) {
      lastDayResync = today;
      resync();
    }
  }

  /**
   * The background safety net: after a quiet spell, ask for the site's seq alone (one Redis GET on
   * the server) and resync only if a change was lost on the way.
   */
  async function checkQuiet(): Promise<void> {
    const id = siteId.value;
    if (!id || !sequencer || subscribing || !socket.connected) return;
    if (heardAt.value !== null && elapsedMs() - heardAt.value < QUIET_CHECK_MS) return;
    const gen = generation;
    try {
      const ack = SeqAck.parse(await socket.timeout(SUBSCRIBE_TIMEOUT_MS).emitWithAck('site:seq', { siteId: id }));
      if (gen === generation && sequencer && ack.ok && isBehind(sequencer, ack.seq)) resync();
    } catch {
      // No answer: the link's own health handling takes over.
    }
  }

  function clearTimers(): void {
    clearTimeout(gapTimer);
    clearTimeout(retryTimer);
    clearTimeout(offlineTimer);
    clearInterval(dayTimer);
    clearInterval(quietTimer);
    clearInterval(simTimer);
    gapTimer = retryTimer = offlineTimer = dayTimer = quietTimer = simTimer = undefined;
    simAnchor = null;
  }

  /**
   * Follows `id`: subscribes over the socket and takes the acknowledgement's snapshot. Resolves
   * once the first snapshot is in (or the server refused); calling it again for the same site is a no-op.
   */
  function hydrate(id: string): Promise<void> {
    if (siteId.value === id && sequencer) return Promise.resolve();
    leave();
    siteId.value = id;
    sequencer = emptySequencer(id);
    status.value = 'connecting';
    const done = new Promise<void>((resolve) => (firstSnapshot = { resolve }));
    dayTimer = setInterval(checkBusinessDay, DAY_CHECK_MS);
    quietTimer = setInterval(() => void checkQuiet(), QUIET_CHECK_MS / 2);
    simTimer = setInterval(followSimulatedClock, 1_000);
    ensureConnected();
    if (socket.connected) void subscribe(true);
    return done;
  }

  /** Stops following the current site (leaving its page). */
  function leave(): void {
    if (siteId.value && socket.connected) socket.emit('site:unsubscribe', { siteId: siteId.value });
    generation++;
    clearTimers();
    settleFirst();
    sequencer = null;
    subscribing = false;
    lastDayResync = null;
    siteId.value = null;
    snapshot.value = null;
    lastUpdateAt.value = null;
    heardAt.value = null;
    error.value = null;
  }

  // ---- Socket events, bound once for the app's lifetime -----------------------------------

  socket.on('connect', () => {
    clearTimeout(offlineTimer);
    // After any (re)connect the server has forgotten our room: subscribe again and start from
    // its snapshot, forced, because a restarted server may have begun its seq again.
    if (siteId.value) void subscribe(true);
  });

  socket.on('disconnect', (reason) => {
    if (!siteId.value) return;
    status.value = navigator.onLine ? 'reconnecting' : 'offline';
    clearTimeout(offlineTimer);
    offlineTimer = setTimeout(() => {
      if (!socket.connected && siteId.value) status.value = 'offline';
    }, OFFLINE_AFTER_MS);
    // A server-initiated disconnect (e.g. a restart) is not retried by socket.io itself.
    if (reason === 'io server disconnect') setTimeout(ensureConnected, RETRY_MS);
  });

  socket.on('connect_error', (err) => {
    if (!siteId.value) return;
    if (socket.active) {
      if (status.value !== 'offline') status.value = 'reconnecting';
    } else {
      // Refused by the server (authentication): socket.io will not retry on its own.
      status.value = 'offline';
      error.value = { code: 'connect_refused', message: err.message };
    }
  });

  // The store failed over or came back: take a fresh snapshot even if its seq is lower.
  socket.on('site:resync', (e) => {
    if (e.siteId === siteId.value) void subscribe(true);
  });

  socket.on('site:changed', (raw) => {
    if (!sequencer) return;
    const parsed = SiteChanged.safeParse(raw);
    if (!parsed.success) {
      // Dropping it leaves a gap in seq, which the sequencer repairs with a fresh snapshot.
      console.warn('roomwatch: malformed site:changed', parsed.error);
      return;
    }
    if (parsed.data.siteId !== siteId.value) return;
    const received = Date.now();
    lastUpdateAt.value = received;
    // A new change is stamped with the server's clock as it happened: keep the offset current, so
    // elapsed times and rooms' hours stay right on a tablet whose clock drifts (or jumps).
    if (sequencer.snapshot && parsed.data.seq > sequencer.snapshot.seq) clockOffsetMs.value = Date.parse(parsed.data.at) - received;
    run(receiveChange(sequencer, parsed.data, heard()));
  });

  // A busy site's changes, several in one frame.
  socket.on('site:changes', (raw) => {
    if (!sequencer) return;
    const parsed = SiteChanges.safeParse(raw);
    if (!parsed.success) {
      console.warn('roomwatch: malformed site:changes', parsed.error);
      return;
    }
    if (parsed.data.siteId !== siteId.value) return;
    const received = Date.now();
    lastUpdateAt.value = received;
    const last = parsed.data.changes.at(-1);
    if (last && sequencer.snapshot && last.seq > sequencer.snapshot.seq) clockOffsetMs.value = Date.parse(last.at) - received;
    run(receiveChanges(sequencer, parsed.data.changes, heard()));
  });

  // Booths may have been added or removed in Settings: start again from a fresh snapshot.
  socket.on('site:configChanged', (change) => {
    if (change.siteId === siteId.value) void subscribe(true);
  });

  window.addEventListener('offline', () => {
    if (siteId.value) status.value = 'offline';
  });
  window.addEventListener('online', () => {
    if (siteId.value) ensureConnected();
  });

  return { siteId, snapshot, seq, status, lastUpdateAt, heardAt, clockOffsetMs, error, hydrate, leave };
});
