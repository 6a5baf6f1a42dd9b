import type { RoomInfo, SiteInfo } from '../../shared/api';
import { alertSettingsOf } from '../../shared/alerts/settings';
import { loadThresholdsOf } from '../../shared/loadLevel';
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

/** A site's registry entry: its config indexed for the hot path (booth lookups on every command). */
export function siteEntry(site: SiteConfig): SiteEntry {
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
      ...(room.datedHours?.length ? { datedHours: room.datedHours } : {}),
      booths: list,
    };
  });
  return {
    config: site,
    info: {
      id: site.id,
      name: site.name,
      timeZone: site.timeZone,
      businessDayStart: site.businessDayStart,
      demo: site.demo,
      rooms,
      load: loadThresholdsOf(alertSettingsOf(site.alerts)),
      ...(site.network ? { network: site.network } : {}),
    },
    boothIds: [...booths.keys()],
    booths,
  };
}

/**
 * The configured sites. Built from the effective configs at start (the store's, seeded from
 * the sites file); `replace` swaps one site in when its settings change, so every reader
 * (floor, alerts, forecast) sees the new config on its next lookup.
 */
export class SiteRegistry {
  private readonly sites = new Map<string, SiteEntry>();

  constructor(file: SitesFile) {
    for (const site of file.sites) this.sites.set(site.id, siteEntry(site));
  }

  get(siteId: string): SiteEntry | undefined {
    return this.sites.get(siteId);
  }

  all(): SiteEntry[] {
    return [...this.sites.values()];
  }

  /** Replaces a known site's config (unknown ids are ignored: the sites file decides which sites exist). */
  replace(config: SiteConfig): SiteEntry | undefined {
    if (!this.sites.has(config.id)) return undefined;
    const entry = siteEntry(config);
    this.sites.set(config.id, entry);
    return entry;
  }
}
