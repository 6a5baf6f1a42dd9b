import { onBeforeUnmount, watch, type WatchSource } from 'vue';
import { useAlertsStore } from '../stores/alerts';
import { useFloorStore } from '../stores/floor';
import { useSitesStore } from '../stores/sites';

/**
 * Follows one site live for a page (site page, console, wall): the site list, the floor
 * subscription and its alerts, re-targeted when the site changes and released on unmount.
 * Alerts are fetched again once the floor has its first snapshot, i.e. once the socket is in
 * the site's room, so no alert change falls between the fetch and the subscription.
 * `active` false (a wall still pairing) fetches and connects nothing: it would be refused.
 */
export function useLiveSite(siteId: () => string, opts: { active?: WatchSource<boolean>; refreshSites?: boolean } = {}) {
  const sites = useSitesStore();
  const floor = useFloorStore();
  const alerts = useAlertsStore();
  const active = opts.active ?? (() => true);
  watch(
    () => [siteId(), typeof active === 'function' ? active() : active.value] as const,
    ([id, on]) => {
      if (!on) return;
      void sites.hydrate(opts.refreshSites ?? false);
      void alerts.follow(id);
      void floor.hydrate(id).then(() => alerts.hydrate());
    },
    { immediate: true },
  );
  onBeforeUnmount(() => {
    floor.leave();
    alerts.leave();
  });
  return { sites, floor, alerts };
}
