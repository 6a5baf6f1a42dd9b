import { defineStore } from 'pinia';
import { computed, ref, shallowRef } from 'vue';
import { Alert, AlertChanged, AlertList } from '../../../shared/alerts/schema';
import { getJson, toApiError, type ApiError } from '../api';
import { sendJson } from '../apiSend';
import { socket } from '../socket';


type Listener = (change: AlertChanged) => void;

const SEVERITY_ORDER = { critical: 0, warning: 1, info: 2 } as const;

/**
 * The open alerts of the site on screen. Hydrated over HTTP (`GET …/alerts?state=active`) when
 * a page follows a site and after every reconnect; kept current by `alert:changed`, which is
 * bound here once. The floor store's `site:subscribe` puts the socket in the site's room.
 */
export const useAlertsStore = defineStore('alerts', () => {
  const siteId = ref<string | null>(null);
  // Replaced as a whole on every change: shallow reactivity suffices.
  const byId = shallowRef<ReadonlyMap<string, Alert>>(new Map());
  const error = shallowRef<ApiError | null>(null);
  /** The followed site's list has been fetched at least once (the wall says so in data-alerts-loaded). */
  const loaded = ref(false);

  /** Open alerts, worst and newest first. */
  const active = computed(() =>
    [...byId.value.values()]
      .filter((a) => a.state !== 'resolved')
      .sort((a, b) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] || b.pendingAt.localeCompare(a.pendingAt)),
  );
  const firing = computed(() => active.value.filter((a) => a.state === 'firing'));

  let bound = false;
  let generation = 0;
  /** Changes that arrive while a hydration is under way, re-applied on top of its answer. */
  let buffered: AlertChanged[] | null = null;
  const listeners = new Set<Listener>();

  function put(map: Map<string, Alert>, a: Alert): void {
    const old = map.get(a.id);
    // The timeline only grows: an older copy arriving late must not undo a newer one.
    if (old && old.state === 'resolved') return;
    if (old && a.state !== 'resolved' && a.timeline.length < old.timeline.length) return;
    if (a.state === 'resolved') map.delete(a.id);
    else map.set(a.id, a);
  }

  function receive(raw: unknown): void {
    const parsed = AlertChanged.safeParse(raw);
    if (!parsed.success || parsed.data.siteId !== siteId.value) return;
    const change = parsed.data;
    if (change.kind !== 'test') {
      buffered?.push(change);
      const next = new Map(byId.value);
      put(next, change.alert);
      byId.value = next;
    }
    for (const l of listeners) l(change);
  }

  function bind(): void {
    if (bound) return;
    bound = true;
    socket.on('alert:changed', receive);
    // After a reconnect the floor store re-subscribes; whatever changed meanwhile comes with a fresh list.
    socket.on('connect', () => {
      if (siteId.value) setTimeout(() => void hydrate(), 300);
    });
    socket.on('site:resync', (e) => {
      if (e.siteId === siteId.value) void hydrate();
    });
  }

  async function hydrate(): Promise<void> {
    const id = siteId.value;
    if (!id) return;
    const gen = ++generation;
    buffered = [];
    try {
      const list = await getJson(`/api/sites/${encodeURIComponent(id)}/alerts?state=active`, AlertList);
      if (gen !== generation) return;
      const next = new Map<string, Alert>();
      for (const a of list.alerts) put(next, a);
      for (const c of buffered ?? []) put(next, c.alert);
      byId.value = next;
      error.value = null;
      loaded.value = true;
    } catch (e) {
      if (gen === generation) error.value = toApiError(e);
    } finally {
      if (gen === generation) buffered = null;
    }
  }

  /** Follows a site's alerts (a page calls this with the site it shows). */
  function follow(id: string): Promise<void> {
    bind();
    if (siteId.value !== id) {
      byId.value = new Map();
      loaded.value = false;
    }
    siteId.value = id;
    return hydrate();
  }

  function leave(): void {
    generation++;
    siteId.value = null;
    byId.value = new Map();
    loaded.value = false;
  }

  /** Acknowledges an alert (leads and up); the answer is applied at once, the broadcast follows. */
  async function ack(alertId: string, comment?: string): Promise<Alert> {
    const id = siteId.value;
    if (!id) throw new Error('no site');
    const body = comment && comment.trim() ? { comment: comment.trim() } : {};
    const alert = await sendJson('POST', `/api/sites/${encodeURIComponent(id)}/alerts/${encodeURIComponent(alertId)}/ack`, body, Alert);
    const next = new Map(byId.value);
    put(next, alert);
    byId.value = next;
    return alert;
  }

  /** Calls `listener` for every `alert:changed` of the followed site (toasts); returns an unsubscribe. */
  function onChange(listener: Listener): () => void {
    listeners.add(listener);
    return () => listeners.delete(listener);
  }

  return { siteId, active, firing, error, loaded, follow, leave, hydrate, ack, onChange };
});
