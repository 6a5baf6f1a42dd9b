import { defineStore } from 'pinia';
import { computed, ref, shallowRef } from 'vue';
import type { SiteInfo } from '../../../shared/api';
import { api, toApiError, type ApiError } from '../api';

/** The sites the signed-in caller may see, with their rooms and booths (static per session). */
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

  const byId = computed(() => new Map(sites.value.map((s) => [s.id, s])));
  const site = (siteId: string): SiteInfo | undefined => byId.value.get(siteId);

  return { sites, loaded, loading, error, hydrate, site };
});
