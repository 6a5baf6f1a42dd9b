import { defineStore } from 'pinia';
import { computed, ref, shallowRef } from 'vue';
import type { SiteInfo } from '../../../shared/api';
import { SiteConfigChanged } from '../../../shared/siteSettings';
import { api, toApiError, type ApiError } from '../api';
import { socket } from '../socket';

/** The sites the signed-in caller may see, with their rooms and booths; `site:configChanged` replaces one live. */
export const useSitesStore = defineStore('sites', () => {
  const sites = shallowRef<SiteInfo[]>([]);
  const loaded = ref(false);
  const loading = ref(false);
  const error = shallowRef<ApiError | null>(null);
  let inFlight: Promise<void> | null = null;

  /** Loads the list once; later calls reuse it unless `force` is set. */
  function hydrate(force = false): Promise<void> {
    if (inFlight) return inFlight;
    if (loaded.value && !force) return Promise.resolve();
    loading.value = true;
    inFlight = api
      .sites()
      .then((list) => {
        sites.value = list;
        loaded.value = true;
        error.value = null;
      })
      .catch((e: unknown) => {
        error.value = toApiError(e);
      })
      .finally(() => {
        loading.value = false;
        inFlight = null;
      });
    return inFlight;
  }

  // Settings changed somewhere: open screens of that site take the new rooms, names and hours.
  socket.on('site:configChanged', (raw) => {
    const parsed = SiteConfigChanged.safeParse(raw);
    if (!parsed.success) return;
    const { siteId, site: info } = parsed.data;
    if (sites.value.some((s) => s.id === siteId)) sites.value = sites.value.map((s) => (s.id === siteId ? info : s));
  });

  const byId = computed(() => new Map(sites.value.map((s) => [s.id, s])));
  const site = (siteId: string): SiteInfo | undefined => byId.value.get(siteId);

  return { sites, loaded, loading, error, hydrate, site };
});
