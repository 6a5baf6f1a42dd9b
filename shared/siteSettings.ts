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

/** What changed between two configs, one `path: before → after` per changed leaf. */
export function configDiff(before: unknown, after: unknown): string[] {
  const a = flatten(before, '', new Map());
  const b = flatten(after, '', new Map());
  const paths = [...new Set([...a.keys(), ...b.keys()])].sort();
  return paths.filter((p) => a.get(p) !== b.get(p)).map((p) => `${p}: ${a.get(p) ?? '∅'} → ${b.get(p) ?? '∅'}`);
}
