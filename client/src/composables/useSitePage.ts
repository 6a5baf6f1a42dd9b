import { computed, watchPostEffect } from 'vue';
import { useRoute, useRouter } from 'vue-router';
import { useSitesStore } from '../stores/sites';

/**
 * What every page about one site (report, alert history, handovers) needs: the site and its time
 * zone from the sites store, the tab title "<page> · <site>", and its filters kept in the URL's
 * query, so a range or filter survives a reload and can be shared as a link.
 */
export function useSitePage(siteId: () => string, pageTitle: () => string) {
  const route = useRoute();
  const router = useRouter();
  const sites = useSitesStore();
  void sites.hydrate();
  const site = computed(() => sites.site(siteId()));
  const tz = computed(() => site.value?.timeZone);
  const siteName = computed(() => site.value?.name ?? siteId());
  // After render: the title may use the page's own computeds, declared after this call.
  watchPostEffect(() => {
    document.title = `${pageTitle()} · ${siteName.value}`;
  });
  /** A query parameter as a string ('' when absent or repeated). */
  const queryValue = (key: string): string => {
    const v = route.query[key];
    return typeof v === 'string' ? v : '';
  };
  /** Replaces one query parameter (an empty value removes it) without a new history entry. */
  const setQuery = (key: string, value: string): void => void router.replace({ query: { ...route.query, [key]: value || undefined } });
  return { site, tz, siteName, queryValue, setQuery };
}
