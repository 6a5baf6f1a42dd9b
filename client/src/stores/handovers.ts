import { defineStore } from 'pinia';
import { computed, ref, shallowRef } from 'vue';
import { HandoverChanged, type Handover } from '../../../shared/handovers';
import { toApiError, type ApiError } from '../api';
import { handoversApi } from '../handoversApi';
import { socket } from '../socket';

/**
 * The newest handover of the site on screen, for the console and wall banners: shown until
 * someone on the incoming shift reads it. Fetched when a page follows a site (and after every
 * reconnect), kept current by `handover:changed`.
 */
export const useHandoversStore = defineStore('handovers', () => {
  const siteId = ref<string | null>(null);
  const latest = shallowRef<Handover | null>(null);
  const error = shallowRef<ApiError | null>(null);
  const unread = computed(() => (latest.value && latest.value.readAt === null ? latest.value : null));
  let bound = false;

  function take(h: Handover): void {
    if (h.siteId !== siteId.value) return;
    const cur = latest.value;
    if (!cur || Number(h.id) >= Number(cur.id)) latest.value = h;
  }

  function bind(): void {
    if (bound) return;
    bound = true;
    socket.on('handover:changed', (raw) => {
      const parsed = HandoverChanged.safeParse(raw);
      if (parsed.success) take(parsed.data.handover);
    });
    socket.on('connect', () => void hydrate());
  }

  async function hydrate(): Promise<void> {
    const id = siteId.value;
    if (!id) return;
    try {
      const list = await handoversApi.list(id);
      if (siteId.value !== id) return;
      error.value = null;
      const newest = list.handovers[0];
      if (newest) take(newest);
    } catch (e) {
      error.value = toApiError(e);
    }
  }

  function follow(id: string): Promise<void> {
    bind();
    if (siteId.value !== id) latest.value = null;
    siteId.value = id;
    return hydrate();
  }

  async function markRead(): Promise<void> {
    const h = unread.value;
    if (!h) return;
    take(await handoversApi.markRead(h.siteId, h.id));
  }

  /** A handover this screen made (close shift): shown at once, before the push arrives. */
  function made(h: Handover): void {
    take(h);
  }

  return { siteId, latest, unread, error, follow, hydrate, markRead, made };
});
