import { ref, shallowRef, watch, type ShallowRef, type WatchSource } from 'vue';
import { toApiError } from '../api';

/**
 * Fetches whenever one of `sources` changes (and at once): the latest answer, its error code and whether
 * a fetch is under way. An answer to an older request that arrives late is dropped.
 */
export function useFetched<T>(sources: WatchSource<unknown>[], fetcher: () => Promise<T>): { data: ShallowRef<T | null>; error: ShallowRef<string | null>; loading: ShallowRef<boolean> } {
  const data = shallowRef<T | null>(null);
  const error = shallowRef<string | null>(null);
  const loading = ref(false);
  let generation = 0;
  watch(
    sources,
    async () => {
      const mine = ++generation;
      loading.value = true;
      error.value = null;
      try {
        const value = await fetcher();
        if (mine === generation) data.value = value;
      } catch (e) {
        if (mine === generation) error.value = toApiError(e).code;
      } finally {
        if (mine === generation) loading.value = false;
      }
    },
    { immediate: true },
  );
  return { data, error, loading };
}
