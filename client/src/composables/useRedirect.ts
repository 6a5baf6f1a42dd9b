import { computed, onBeforeUnmount, watch, type Ref } from 'vue';
import type { SiteInfo, Snapshot } from '../../../shared/api';
import type { LoadLevel } from '../../../shared/loadLevel';
import { redirectSuggestion, siteAvailability, type RedirectSuggestion, type SiteAvailability } from '../../../shared/network';
import { useNetworkStore } from '../stores/network';

/**
 * Where to send people from this site now, decided by the shared rule (`shared/network.ts`) on
 * the server's clock: the own site's live figures against the network summary the server
 * pushes. Recomputed as the floor, the summary or the clock change, so the card appears and goes
 * by itself. Follows the site's network while the page is open.
 */
export function useRedirect(opts: {
  siteId: () => string;
  snapshot: Ref<Snapshot | null>;
  site: Ref<SiteInfo | undefined>;
  serverNow: Ref<number>;
  level: Ref<LoadLevel | null>;
  meanSessionMinutes?: Ref<number>;
  active?: () => boolean;
}) {
  const network = useNetworkStore();
  watch(
    () => [opts.siteId(), opts.active ? opts.active() : true] as const,
    ([id, on]) => (on ? network.follow(id) : network.leave()),
    { immediate: true },
  );
  onBeforeUnmount(() => network.leave());

  // Whole minutes are enough for "open for the walk plus 30 minutes".
  const minute = computed(() => Math.floor(opts.serverNow.value / 60_000) * 60_000);
  const own = computed<SiteAvailability | null>(() => {
    const snap = opts.snapshot.value;
    const site = opts.site.value;
    return snap && site ? siteAvailability(site, snap, minute.value, opts.meanSessionMinutes?.value) : null;
  });
  const suggestion = computed<RedirectSuggestion | null>(() => {
    const summary = network.summary;
    const mine = own.value;
    const level = opts.level.value;
    if (!summary || !mine || !level || summary.sites.length === 0) return null;
    return redirectSuggestion({ ...mine, level }, summary.sites, minute.value, summary.redirectWaitMinutes);
  });
  /** The other sites of the network (for the console's "sent to" choice), the suggested one first. */
  const others = computed(() => {
    const list = network.summary?.sites ?? [];
    const first = suggestion.value?.siteId;
    return [...list].sort((a, b) => Number(b.id === first) - Number(a.id === first));
  });
  return { own, suggestion, others, summary: computed(() => network.summary) };
}
