import type { SitesFile } from '../../shared/siteConfig';
import { boothIdsOf } from '../../shared/siteConfig';
import { keys } from '../store/keys';
import type { Store } from '../store/redis';

/**
 * Gives every configured booth a stored state the first time it is seen (HSETNX never
 * overwrites), and the floor its counters. Existing live state always wins over the file.
 */
export async function seedSites(store: Store, file: SitesFile): Promise<void> {
  if (!store.isUp()) return;
  const p = store.redis.pipeline();
  for (const site of file.sites) {
    for (const room of site.rooms) for (const b of boothIdsOf(room)) p.hsetnx(keys.booth(site.id, b), 'state', 'free');
    for (const f of ['queue', 'onShift', 'occupied']) p.hsetnx(keys.floor(site.id), f, '0');
  }
  await p.exec();
}
