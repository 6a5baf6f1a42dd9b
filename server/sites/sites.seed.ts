import { withSafetyRule } from '../../shared/alerts/settings';
import { SiteConfig, type SitesFile } from '../../shared/siteConfig';
import { boothIdsOf } from '../../shared/siteConfig';
import { keys } from '../store/keys';
import type { Store } from '../store/redis';

/**
 * Seeds a fresh store from the sites file and returns the effective sites: every configured
 * booth gets a stored state the first time it is seen (HSETNX never overwrites), and each
 * site's config is written once (SET NX). Afterwards the store is the truth: a config edited in
 * Settings wins over the file; the file still decides which sites exist. A stored config that no
 * longer parses (an older schema) falls back to the file's.
 */
export async function seedSites(store: Store, file: SitesFile): Promise<SitesFile> {
  if (!store.isUp()) return file;
  const p = store.redis.pipeline();
  for (const site of file.sites) {
    for (const room of site.rooms) for (const b of boothIdsOf(room)) p.hsetnx(keys.booth(site.id, b), 'state', 'free');
    for (const f of ['queue', 'onShift', 'occupied']) p.hsetnx(keys.floor(site.id), f, '0');
    p.set(keys.config(site.id), JSON.stringify(site), 'NX');
    p.get(keys.config(site.id));
  }
  const res = (await p.exec()) ?? [];
  let i = 0;
  const sites = file.sites.map((site) => {
    i += site.rooms.reduce((n, r) => n + boothIdsOf(r).length, 0) + 3 + 1;
    const [err, raw] = res[i++] ?? [null, null];
    if (err || typeof raw !== 'string') return site;
    const parsed = parseStoredConfig(raw);
    if (!parsed || parsed.id !== site.id) return site;
    return parsed;
  });
  // Booths of a stored config may differ from the file's: give those a state too.
  const q = store.redis.pipeline();
  for (const s of sites) for (const room of s.rooms) for (const b of boothIdsOf(room)) q.hsetnx(keys.booth(s.id, b), 'state', 'free');
  await q.exec();
  return { sites };
}

/**
 * A stored config, or null when it does not parse (it is then left alone, not overwritten). A
 * config stored before the responder floor became a safety rule loads with that rule on.
 */
export function parseStoredConfig(raw: string): SiteConfig | null {
  try {
    const r = SiteConfig.safeParse(withSafetyRule(JSON.parse(raw)));
    return r.success ? r.data : null;
  } catch {
    return null;
  }
}
