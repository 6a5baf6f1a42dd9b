import { defineStore } from 'pinia';
import { shallowRef, triggerRef } from 'vue';
import type { Snapshot } from '../../../shared/api';
import { AlertChanged } from '../../../shared/alerts/schema';
import { SeqAck, SiteChanged, SiteChanges } from '../../../shared/events';
import { fetchForecast, type WallForecast } from '../components/wall/forecast';
import { managerApi } from '../managerApi';
import { ensureConnected, socket, SubscribeAckSchema } from '../socket';
import { acceptSnapshot, checkGap, elapsedMs, emptySequencer, isBehind, QUIET_CHECK_MS, receiveChange, receiveChanges, type SequencerState, type SequencerStep } from './floorSequencer';
import { useSitesStore } from './sites';

/** What the overview shows of one site, kept live. */
export interface SiteLive {
  snapshot: Snapshot | null;
  /** The business day's forecast, or null when there is none (then "expected" is hidden). */
  forecast: WallForecast | null;
  /** Open alerts, or null when the alerts endpoint is not available (then the count is hidden). */
  alerts: number | null;
  /** Ids of the open alerts, kept from `alert:changed` after the first fetch. */
  alertIds: Set<string> | null;
  error: string | null;
  /** Server clock minus client clock, from the last snapshot (rooms open or not are judged on it). */
  clockOffsetMs: number;
}

/**
 * Every visible site at once, for the manager overview: one `site:subscribe` per site on the
 * shared socket, a sequencer per site (the same pure logic as the floor store), the day's
 * forecast and the open-alert count. Separate from the floor store, which follows one site.
 */
export const useOverviewStore = defineStore('overview', () => {
  const sitesStore = useSitesStore();
  // One map replaced in place and triggered by hand: many sites, one reactive dependency.
  const live = shallowRef(new Map<string, SiteLive>());
  const sequencers = new Map<string, SequencerState>();
  const gapTimers = new Map<string, ReturnType<typeof setTimeout>>();
  let following: string[] = [];
  let bound = false;
  /** When each site last told us anything (a change or a snapshot), for the quiet check. */
  const heardAt = new Map<string, number>();
  let quietTimer: ReturnType<typeof setInterval> | undefined;

  const entry = (id: string): SiteLive => {
    let e = live.value.get(id);
    if (!e) live.value.set(id, (e = { snapshot: null, forecast: null, alerts: null, alertIds: null, error: null, clockOffsetMs: 0 }));
    return e;
  };
  const touch = () => triggerRef(live);

  function run(id: string, step: SequencerStep): void {
    sequencers.set(id, step.state);
    heardAt.set(id, elapsedMs());
    if (step.changed) {
      const e = entry(id);
      const before = e.snapshot?.businessDate;
      e.snapshot = step.state.snapshot;
      touch();
      if (e.snapshot && e.snapshot.businessDate !== before) void loadForecast(id, e.snapshot.businessDate);
    }
    clearTimeout(gapTimers.get(id));
    const effect = step.effect;
    if (effect.kind === 'wait') {
      gapTimers.set(id, setTimeout(() => {
        const s = sequencers.get(id);
        if (s) run(id, checkGap(s, elapsedMs()));
      }, Math.max(0, effect.untilMs - elapsedMs())));
    } else if (effect.kind === 'resync') void subscribe(id, false);
  }

  async function subscribe(id: string, force: boolean): Promise<void> {
    if (!socket.connected || !following.includes(id)) return;
    try {
      const ack = SubscribeAckSchema.parse(await socket.timeout(5_000).emitWithAck('site:subscribe', { siteId: id }));
      const state = sequencers.get(id);
      if (!state) return;
      if (!ack.ok) {
        entry(id).error = ack.error.code;
        touch();
        return;
      }
      entry(id).error = null;
      entry(id).clockOffsetMs = Date.parse(ack.snapshot.at) - Date.now();
      run(id, acceptSnapshot(state, ack.snapshot, elapsedMs(), { force }));
    } catch {
      setTimeout(() => void subscribe(id, force), 2_000);
    }
  }

  async function loadForecast(id: string, date: string): Promise<void> {
    const site = sitesStore.site(id);
    if (!site) return;
    entry(id).forecast = await fetchForecast(site, date).catch(() => null);
    touch();
  }

  /**
   * Alert changes heard while a site's list is being read (alert id → still active), applied on
   * top of the list when it comes: the list may have been read before them, and must not undo them.
   */
  const alertLoads = new Map<string, Map<string, boolean>>();
  async function loadAlerts(id: string): Promise<void> {
    const heard = new Map<string, boolean>();
    alertLoads.set(id, heard);
    const list = await managerApi.activeAlerts(id).catch(() => null);
    if (alertLoads.get(id) !== heard) return; // a newer read is under way
    alertLoads.delete(id);
    const e = entry(id);
    if (list) {
      const ids = new Set(list.alerts.filter((a) => a.state !== 'resolved').map((a) => a.id));
      for (const [alertId, active] of heard) {
        if (active) ids.add(alertId);
        else ids.delete(alertId);
      }
      e.alertIds = ids;
    } else e.alertIds = null;
    e.alerts = e.alertIds?.size ?? null;
    touch();
  }

  function bind(): void {
    if (bound) return;
    bound = true;
    socket.on('connect', () => {
      for (const id of following) {
        void subscribe(id, true);
        void loadAlerts(id);
      }
    });
    socket.on('site:resync', (e) => {
      if (following.includes(e.siteId)) void subscribe(e.siteId, true);
    });
    socket.on('site:changed', (raw) => {
      const parsed = SiteChanged.safeParse(raw);
      if (!parsed.success) return;
      const state = sequencers.get(parsed.data.siteId);
      if (!state) return;
      // As on the floor store: each new change says the server's time, so the offset stays current.
      if (state.snapshot && parsed.data.seq > state.snapshot.seq) entry(parsed.data.siteId).clockOffsetMs = Date.parse(parsed.data.at) - Date.now();
      run(parsed.data.siteId, receiveChange(state, parsed.data, elapsedMs()));
    });
    socket.on('site:changes', (raw) => {
      const parsed = SiteChanges.safeParse(raw);
      if (!parsed.success) return;
      const state = sequencers.get(parsed.data.siteId);
      if (!state) return;
      const last = parsed.data.changes.at(-1);
      if (last && state.snapshot && last.seq > state.snapshot.seq) entry(parsed.data.siteId).clockOffsetMs = Date.parse(last.at) - Date.now();
      run(parsed.data.siteId, receiveChanges(state, parsed.data.changes, elapsedMs()));
    });
    // Each change carries the alert's whole state: the count follows without asking again (an
    // open alert's figures change with every floor change on a busy day).
    socket.on('alert:changed', (raw) => {
      const parsed = AlertChanged.safeParse(raw);
      if (!parsed.success || parsed.data.kind === 'test' || !following.includes(parsed.data.siteId)) return;
      const e = entry(parsed.data.siteId);
      const a = parsed.data.alert;
      const reading = alertLoads.get(parsed.data.siteId);
      reading?.set(a.id, a.state !== 'resolved');
      if (!e.alertIds) return void (reading ? undefined : loadAlerts(parsed.data.siteId));
      const had = e.alertIds.has(a.id);
      if (a.state === 'resolved') e.alertIds.delete(a.id);
      else e.alertIds.add(a.id);
      if (had === e.alertIds.has(a.id)) return;
      e.alerts = e.alertIds.size;
      touch();
    });
    socket.on('site:configChanged', (change) => {
      // New booths or rooms: start from a fresh snapshot.
      if (following.includes(change.siteId)) void subscribe(change.siteId, true);
    });
  }

  /** Follows these sites (replacing whatever was followed). */
  function follow(ids: string[]): void {
    bind();
    for (const id of following) if (!ids.includes(id)) forget(id);
    const added = ids.filter((id) => !following.includes(id));
    following = [...ids];
    ensureConnected();
    quietTimer ??= setInterval(() => void checkQuiet(), QUIET_CHECK_MS / 2);
    for (const id of added) {
      sequencers.set(id, emptySequencer(id));
      entry(id);
      void loadAlerts(id);
      if (socket.connected) void subscribe(id, true);
    }
    touch();
  }

  /** The background safety net, as on the wall and the console (stores/floor.ts): a quiet site's seq is checked, a lost change repaired. */
  async function checkQuiet(): Promise<void> {
    if (!socket.connected) return;
    for (const id of following) {
      const state = sequencers.get(id);
      if (!state?.snapshot || elapsedMs() - (heardAt.get(id) ?? 0) < QUIET_CHECK_MS) continue;
      heardAt.set(id, elapsedMs());
      const ack = await socket.timeout(5_000).emitWithAck('site:seq', { siteId: id }).then((raw) => SeqAck.parse(raw), () => null);
      const now = sequencers.get(id);
      if (ack?.ok && now && isBehind(now, ack.seq)) void subscribe(id, false);
    }
  }

  function forget(id: string): void {
    if (socket.connected) socket.emit('site:unsubscribe', { siteId: id });
    clearTimeout(gapTimers.get(id));
    sequencers.delete(id);
    heardAt.delete(id);
    live.value.delete(id);
  }

  /** Stops following every site (leaving the overview). */
  function leave(): void {
    for (const id of following) forget(id);
    following = [];
    clearInterval(quietTimer);
    quietTimer = undefined;
    touch();
  }

  return { live, follow, leave };
});
