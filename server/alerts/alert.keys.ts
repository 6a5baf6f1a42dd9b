/**
 * Keys of the alert engine. A site's alert keys carry its hash tag `{siteId}` like every other
 * site key, so one transition script touches one Redis Cluster slot.
 */
export const alertKeys = {
  /** Hash: one alert's state and its version (compared by every transition). */
  alert: (site: string, id: string) => `rw:{${site}}:alert:${id}`,
  /** List of JSON timeline entries of one alert. */
  timeline: (site: string, id: string) => `rw:{${site}}:alert:${id}:timeline`,
  /** Hash: alert key (rule + subject) → id of its open (pending or firing) alert. */
  active: (site: string) => `rw:{${site}}:alerts:active`,
  /** Sorted set of alert ids by the instant they opened (the history list). */
  index: (site: string) => `rw:{${site}}:alerts:index`,
  /** Counter of alert ids. */
  seq: (site: string) => `rw:{${site}}:alerts:seq`,
  /** Stream of every transition of the site's alerts (explicit ids from `logSeq`). */
  log: (site: string) => `rw:{${site}}:alerts:log`,
  logSeq: (site: string) => `rw:{${site}}:alerts:logseq`,
  /** Hash: wall screen (principal id) → last heartbeat (ms), shared by every instance. */
  displays: (site: string) => `rw:{${site}}:displays`,
  /** Which instance runs the 15-second tick (SET NX PX). Global: the tick covers every site. */
  tickLock: () => 'rw:{alerts}:tick-lock',
  /** VAPID key pair of Web Push (generated at first start) and the push subscriptions. */
  vapid: () => 'rw:{push}:vapid',
  pushSubscriptions: () => 'rw:{push}:subscriptions',
};
