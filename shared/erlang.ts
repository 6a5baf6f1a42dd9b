/**
 * Erlang C (M/M/N queue): booths are the servers, people arriving to use are the calls, and a
 * booth is held for the session plus its cleaning. All times in minutes.
 */

/** Erlang B blocking probability by the stable recurrence B(n) = A·B(n−1) / (n + A·B(n−1)). */
export function erlangB(servers: number, load: number): number {
  let b = 1;
  for (let n = 1; n <= servers; n++) b = (load * b) / (n + load * b);
  return b;
}

/**
 * Probability that an arrival has to wait (Erlang C) with `servers` and offered `load`
 * (Erlang = arrival rate × holding time). 1 when the queue is not stable (load ≥ servers),
 * 0 with no traffic.
 */
export function erlangC(servers: number, load: number): number {
  if (load <= 0) return 0;
  if (servers <= 0 || load >= servers) return 1;
  const b = erlangB(servers, load);
  return (servers * b) / (servers - load * (1 - b));
}

export interface QueueFigures {
  /** Offered load in Erlang. */
  load: number;
  /** Probability of waiting at all. */
  pWait: number;
  /** Mean wait over all arrivals, minutes; Infinity when not stable. */
  meanWait: number;
  stable: boolean;
}

/** Queue figures for `servers` booths, `perHour` arrivals and `holdMinutes` per use. */
export function queueFigures(servers: number, perHour: number, holdMinutes: number): QueueFigures {
  const load = (perHour * holdMinutes) / 60;
  if (load <= 0) return { load: 0, pWait: 0, meanWait: 0, stable: true };
  if (servers <= load) return { load, pWait: 1, meanWait: Infinity, stable: false };
  const pWait = erlangC(servers, load);
  return { load, pWait, meanWait: (pWait * holdMinutes) / (servers - load), stable: true };
}

/**
 * The fewest booths that keep the mean wait at or under `targetWaitMinutes` (default 5).
 * 0 with no traffic. Stops at `maxServers` (returns it) so a runaway forecast cannot loop.
 */
export function boothsForTargetWait(perHour: number, holdMinutes: number, targetWaitMinutes = 5, maxServers = 1_000): number {
  const load = (perHour * holdMinutes) / 60;
  if (load <= 0) return 0;
  for (let n = Math.max(1, Math.floor(load) + 1); n < maxServers; n++) {
    if (queueFigures(n, perHour, holdMinutes).meanWait <= targetWaitMinutes) return n;
  }
  return maxServers;
}

/** Staffing rule of PRODUCT.md: one observer per `boothsPerObserver` booths in use, plus one free responder. */
export const DEFAULT_BOOTHS_PER_OBSERVER = 5;

/** Staff needed to observe `booths` booths in use: ⌈booths ÷ ratio⌉ + 1 free responder (0 when nothing is open). */
export function staffNeeded(booths: number, boothsPerObserver = DEFAULT_BOOTHS_PER_OBSERVER): number {
  if (booths <= 0) return 0;
  return Math.ceil(booths / boothsPerObserver - 1e-9) + 1;
}
