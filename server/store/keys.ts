/**
 * Every key of a site carries the hash tag `{siteId}`, so one site's keys live in one Redis
 * Cluster slot and a Lua script may touch several of them atomically.
 */
export const keys = {
  seq: (site: string) => `rw:{${site}}:seq`,
  floor: (site: string) => `rw:{${site}}:floor`,
  booth: (site: string, booth: string) => `rw:{${site}}:booth:${booth}`,
  day: (site: string, date: string) => `rw:{${site}}:day:${date}`,
  hour: (site: string, date: string, hour: number) => `rw:{${site}}:hour:${date}:${String(hour).padStart(2, '0')}`,
  events: (site: string) => `rw:{${site}}:events`,
  idempotency: (site: string, key: string) => `rw:{${site}}:idem:${key}`,
  /** Marks an event (by seq) as undone, so it cannot be undone twice. */
  undone: (site: string, seq: number | string) => `rw:{${site}}:undone:${seq}`,
  /** Hash: room id → its early opening (`<until ms>\x1f<by>`), set by a lead's "open now until …". */
  rooms: (site: string) => `rw:{${site}}:rooms`,
  /** Hash: incident id → its record (every incident the site ever had; see `server/incidents/`). */
  incidents: (site: string) => `rw:{${site}}:incidents`,
  /** Hash: the open incidents and those of the last 30 minutes (pruned by every incident write). */
  incidentsLive: (site: string) => `rw:{${site}}:incidents:live`,
  /** Sorted set: incident id by the instant it was opened (range reads for handovers and exports). */
  incidentsByTime: (site: string) => `rw:{${site}}:incidents:time`,
  /** The site's configuration (a JSON `SiteConfig`); seeded from the sites file, edited in Settings. */
  config: (site: string) => `rw:{${site}}:config`,
  /** The config's version, who saved it and when, and the last saved changes (a hash). */
  configMeta: (site: string) => `rw:{${site}}:config:meta`,
  /** Pub/sub channel of a site's live changes, published by the floor command script itself. */
  live: (site: string) => `rw:{${site}}:live`,
  /** Business dates with missing data (the no-data alert fired): the forecast does not learn from them. */
  gaps: (site: string) => `rw:{${site}}:gaps`,
};

/** Pattern matching every site's live channel (one subscription per instance). */
export const LIVE_PATTERN = 'rw:{*}:live';

/** The hash tag a key carries, or null. */
export function hashTagOf(key: string): string | null {
  const m = /\{([^}]+)\}/.exec(key);
  return m ? (m[1] ?? null) : null;
}
