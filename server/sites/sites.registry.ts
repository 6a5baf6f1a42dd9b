import type { RoomInfo, SiteInfo } from '../../shared/api';
import { boothIdsOf, type SiteConfig, type SitesFile } from '../../shared/siteConfig';
import type { RoomKind } from '../../shared/vocabulary';

export interface BoothMeta {
  id: string;
  label: string;
  roomId: string;
  kind: RoomKind;
}

export interface SiteEntry {
  config: SiteConfig;
  info: SiteInfo;
  boothIds: string[];
  booths: Map<string, BoothMeta>;
}

/** The configured sites, indexed for the hot path (booth lookups on every command). */
export class SiteRegistry {
  private readonly sites = new Map<string, SiteEntry>();

  constructor(file: SitesFile) {
    for (const site of file.sites) {
      const booths = new Map<string, BoothMeta>();
      const rooms: RoomInfo[] = site.rooms.map((room) => {
        const ids = boothIdsOf(room);
        const list = ids.map((id, i) => {
          // Auto-numbered booths show their number; named booths show their id.
          const label = typeof room.booths === 'number' ? String(i + 1) : id;
          booths.set(id, { id, label, roomId: room.id, kind: room.kind });
          return { id, label };
        });
        return {
          id: room.id,
          name: room.name,
          kind: room.kind,
          maxSessionMinutes: room.maxSessionMinutes ?? site.maxSessionMinutes[room.kind],
          openingHours: room.openingHours,
          booths: list,
        };
      });
      this.sites.set(site.id, {
        config: site,
        info: { id: site.id, name: site.name, timeZone: site.timeZone, businessDayStart: site.businessDayStart, demo: site.demo, rooms },
        boothIds: [...booths.keys()],
        booths,
      });
    }
  }

  get(siteId: string): SiteEntry | undefined {
    return this.sites.get(siteId);
  }

  all(): SiteEntry[] {
    return [...this.sites.values()];
  }
}
