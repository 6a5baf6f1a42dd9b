import type { Snapshot } from '../../shared/api';

/**
 * What the network reads: the live snapshots of its sites. A network keeps no state of its own
 * in Redis; it reads each site the way its wall does (one MULTI per site, through the floor),
 * so the figures shown for another site are exactly that site's own.
 */
export class NetworkRepository {
  constructor(private readonly snapshot: (siteId: string) => Promise<Snapshot>) {}

  /** The snapshots of these sites, in their order, read concurrently. */
  snapshots(siteIds: readonly string[]): Promise<Snapshot[]> {
    return Promise.all(siteIds.map((id) => this.snapshot(id)));
  }
}
