import { FloorRepository } from '../../server/floor/floor.repository';
import { FloorService } from '../../server/floor/floor.service';
import { SiteRegistry } from '../../server/sites/sites.registry';
import type { Store } from '../../server/store/redis';
import { testSites } from './testServer';

/**
 * Commits one registration at `siteId` the way a tool on the store would (`seed-history`): the
 * change is in Redis but nothing pushes it, so only a screen's background safety net can find it.
 */
export async function commitUnpublished(store: Store, siteId: string, clock: () => number): Promise<void> {
  const tool = new FloorService({
    repo: new FloorRepository(store.redis),
    sites: new SiteRegistry(testSites()),
    realtime: { siteChanged: () => undefined },
    clock,
    settings: { eventRetention: 100_000, idempotencyTtlMs: 60_000 },
  });
  await tool.registration({ principal: { kind: 'user', id: 'tool', role: 'admin', sites: '*' }, siteId });
}
