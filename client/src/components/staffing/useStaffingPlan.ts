import { computed, onBeforeUnmount, onMounted, shallowRef, watch, type ComputedRef, type Ref } from 'vue';
import { getJson, isApiError } from '../../api';
import { socket } from '../../socket';
import { useFloorStore } from '../../stores/floor';
import { useSitesStore } from '../../stores/sites';
import { StaffingPlanReply } from '../../../../shared/staffingPlan';

/** How often the plan is fetched again (the forecast changes with the hour and with settings). */
const REFRESH_MS = 5 * 60_000;
/** How often the page checks whether the site's hour has turned. */
const HOUR_CHECK_MS = 15_000;

/**
 * The staffing plan of a site (`GET /api/sites/:siteId/staffing-plan`): fetched at once, again
 * when the site's hour turns (read through the floor's clock offset, so a demo site on a
 * simulated clock turns its hours at its own pace), every 5 minutes, and when the site's
 * settings change. Null while there is none (an older server, or no access): views hide then.
 */
export function useStaffingPlan(o: { siteId: () => string; hours: number; clockOffsetMs: () => number; active?: () => boolean }): { plan: Ref<StaffingPlanReply | null>; failed: Ref<boolean> } {
  const plan = shallowRef<StaffingPlanReply | null>(null);
  const failed = shallowRef(false);
  let abort: AbortController | undefined;
  let refresh: ReturnType<typeof setInterval> | undefined;
  let hourCheck: ReturnType<typeof setInterval> | undefined;
  let lastHour = -1;

  async function load(): Promise<void> {
    if (o.active && !o.active()) return;
    abort?.abort();
    const mine = (abort = new AbortController());
    try {
      const reply = await getJson(`/api/sites/${encodeURIComponent(o.siteId())}/staffing-plan?hours=${o.hours}`, StaffingPlanReply, mine.signal);
      if (mine.signal.aborted) return;
      plan.value = reply;
      failed.value = false;
    } catch (e) {
      if (mine.signal.aborted) return;
      if (isApiError(e) && (e.status === 404 || e.status === 403)) plan.value = null;
      failed.value = true;
      console.warn('roomwatch: staffing plan unavailable', e);
    }
  }

  const hourNow = () => Math.floor((Date.now() + o.clockOffsetMs()) / 3_600_000);
  const onConfig = (change: { siteId: string }) => {
    if (change.siteId === o.siteId()) void load();
  };
  onMounted(() => {
    lastHour = hourNow();
    refresh = setInterval(() => void load(), REFRESH_MS);
    hourCheck = setInterval(() => {
      const h = hourNow();
      if (h !== lastHour) {
        lastHour = h;
        void load();
      }
    }, HOUR_CHECK_MS);
    socket.on('site:configChanged', onConfig);
  });
  onBeforeUnmount(() => {
    abort?.abort();
    clearInterval(refresh);
    clearInterval(hourCheck);
    socket.off('site:configChanged', onConfig);
  });
  watch(
    () => [o.siteId(), o.active?.() ?? true] as const,
    () => {
      plan.value = null;
      void load();
    },
    { immediate: true },
  );
  return { plan, failed };
}

/**
 * The plan of the site a view shows, with what displaying it needs: the site's time zone and,
 * for a demo site on a simulated clock, its speed (said out loud, so nobody takes it for real time).
 */
export function useSiteStaffingPlan(siteId: () => string, hours: number): {
  plan: Ref<StaffingPlanReply | null>;
  timeZone: ComputedRef<string | undefined>;
  simulatedSpeed: ComputedRef<number | undefined>;
} {
  const sites = useSitesStore();
  const floor = useFloorStore();
  const site = computed(() => sites.site(siteId()));
  const { plan } = useStaffingPlan({ siteId, hours, clockOffsetMs: () => floor.clockOffsetMs });
  return { plan, timeZone: computed(() => site.value?.timeZone), simulatedSpeed: computed(() => site.value?.simulatedClock?.speed) };
}
