import { z } from 'zod';
import { SiteInfo } from './api';
import { boothIdsOf, SiteConfig } from './siteConfig';

/**
 * Body of `PUT /api/sites/:siteId/config`: a whole `SiteConfig`, with room and booth ids unique
 * within the site. The time zone, business-day start and demo flag are fixed once counting has
 * begun (they come from the sites file), so the server refuses changes to them.
 */
export const SiteConfigBody = SiteConfig.superRefine((site, ctx) => {
  const rooms = new Set<string>();
  const booths = new Set<string>();
  site.rooms.forEach((room, ri) => {
    if (rooms.has(room.id)) ctx.addIssue({ code: 'custom', path: ['rooms', ri, 'id'], message: `duplicate room id ${room.id}` });
    rooms.add(room.id);
    for (const b of boothIdsOf(room)) {
      if (booths.has(b)) ctx.addIssue({ code: 'custom', path: ['rooms', ri, 'booths'], message: `duplicate booth id ${b}` });
      booths.add(b);
    }
  });
});
export type SiteConfigBody = z.infer<typeof SiteConfigBody>;

/** Fields a manager may not change in Settings. */
export const FIXED_SITE_FIELDS = ['id', 'timeZone', 'businessDayStart', 'demo'] as const;

/** Payload of `site:configChanged`: the site's new public shape (rooms, booths, hours). */
export const SiteConfigChanged = z.object({ siteId: z.string(), site: SiteInfo, by: z.string(), at: z.string() });
export type SiteConfigChanged = z.infer<typeof SiteConfigChanged>;

const flatten = (v: unknown, path: string, out: Map<string, string>): Map<string, string> => {
  if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
    for (const [k, x] of Object.entries(v as Record<string, unknown>)) flatten(x, path ? `${path}.${k}` : k, out);
  } else if (Array.isArray(v) && v.some((x) => x !== null && typeof x === 'object')) {
    v.forEach((x, i) => flatten(x, `${path}.${i}`, out));
  } else if (v !== undefined) {
    out.set(path, JSON.stringify(v));
  }
  return out;
};

/** One changed leaf of a config: its path (`rooms.0.name`) and its values as JSON (`∅` when absent). */
export const ConfigFieldChange = z.object({ path: z.string(), before: z.string(), after: z.string() });
export type ConfigFieldChange = z.infer<typeof ConfigFieldChange>;

/** What changed between two configs, leaf by leaf, sorted by path. */
export function configChanges(before: unknown, after: unknown): ConfigFieldChange[] {
  const a = flatten(before, '', new Map());
  const b = flatten(after, '', new Map());
  const paths = [...new Set([...a.keys(), ...b.keys()])].sort();
  return paths.filter((p) => a.get(p) !== b.get(p)).map((path) => ({ path, before: a.get(path) ?? '∅', after: b.get(path) ?? '∅' }));
}

/** What changed between two configs, one `path: before → after` per changed leaf. */
export function configDiff(before: unknown, after: unknown): string[] {
  return configChanges(before, after).map((c) => `${c.path}: ${c.before} → ${c.after}`);
}

/** One saved version of a site's settings: who saved it, when, and what changed. */
export const ConfigVersionEntry = z.object({ version: z.number().int().positive(), by: z.string(), at: z.string(), changes: z.array(ConfigFieldChange) });
export type ConfigVersionEntry = z.infer<typeof ConfigVersionEntry>;

/**
 * `GET /api/sites/:siteId/config` (and the `PUT` reply): the stored config with the version it
 * is (also the `ETag`), and who saved it last. A `PUT` sends that version back (`If-Match` or
 * `version`) and gets 412 when someone saved in between.
 */
export const VersionedSiteConfig = SiteConfig.extend({
  version: z.number().int().nonnegative(),
  updatedBy: z.string().optional(),
  updatedAt: z.string().optional(),
});
export type VersionedSiteConfig = z.infer<typeof VersionedSiteConfig>;

/**
 * `details` of a 412: the config as stored now, and every version saved after the one the PUT
 * was based on (`complete` is false when older entries were no longer kept).
 */
export const ConfigConflict = z.object({ current: VersionedSiteConfig, changes: z.array(ConfigVersionEntry), complete: z.boolean() });
export type ConfigConflict = z.infer<typeof ConfigConflict>;
