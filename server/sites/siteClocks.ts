import type { SimulatedClock } from '../../shared/api';

/**
 * What time it is at each site. Every site follows the server's clock, except a demo site whose
 * traffic runs on a simulated clock (`npm start -- --demo`): its commands, counters, alerts and
 * forecast all live in simulated time, so a demo never piles a day's traffic into the real hour.
 */
export interface SiteClocks {
  now(siteId: string): number;
  /** Puts a site on its own clock (demo sites only; the caller checks). */
  simulate(siteId: string, clock: { now: () => number; info: SimulatedClock }): void;
  /** How a site's clock is simulated, or undefined when it runs on real time. */
  simulated(siteId: string): SimulatedClock | undefined;
}

export function createSiteClocks(base: () => number): SiteClocks {
  const own = new Map<string, { now: () => number; info: SimulatedClock }>();
  return {
    now: (siteId) => own.get(siteId)?.now() ?? base(),
    simulate: (siteId, clock) => void own.set(siteId, clock),
    simulated: (siteId) => own.get(siteId)?.info,
  };
}
