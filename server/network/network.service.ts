import type { Snapshot } from '../../shared/api';
import { DEFAULT_REDIRECT_WAIT_MINUTES, siteAvailability, type NetworkSite, type NetworkSummary, type SiteAvailability } from '../../shared/network';
import { errors } from '../errors';
import type { Logger } from '../logger';
import type { SiteEntry, SiteRegistry } from '../sites/sites.registry';
import type { NetworkRepository } from './network.repository';

/** At most one `network:changed` per network per this many ms (changes in between share it). */
export const NETWORK_PUSH_INTERVAL_MS = 1_000;

/** Where the service sends summaries: this instance's screens following a site's network. */
export interface NetworkPush {
  /** Whether any screen on this instance follows the site's network (nothing is read otherwise). */
  followed(siteId: string): boolean;
  send(summary: NetworkSummary): void;
}

interface NetworkState {
  timer: NodeJS.Timeout | null;
  flipTimer: NodeJS.Timeout | null;
  lastAt: number;
}

/**
 * The network of sites (issue 18): each site's view of the other sites of its network, read
 * from their live snapshots, and pushed live. Every instance hears every site's changes from
 * Redis (`server/realtime/liveRelay.ts`), so each instance recomputes the summaries its own
 * screens follow, coalesced to one per network per second, and again when opening hours flip.
 */
export class NetworkService {
  private readonly networks = new Map<string, NetworkState>();
  private closed = false;

  constructor(
    private readonly d: {
      repo: NetworkRepository;
      sites: SiteRegistry;
      /** The site's clock (a demo site may run on simulated time). */
      clock: (siteId: string) => number;
      push: NetworkPush;
      log: Logger;
      /** Real time, for the throttle only. */
      realNow?: () => number;
    },
  ) {}

  private site(siteId: string): SiteEntry {
    const site = this.d.sites.get(siteId);
    if (!site) throw errors.notFound('Site');
    return site;
  }

  /** The sites of a network, in the sites file's order. */
  private members(network: string): SiteEntry[] {
    return this.d.sites.all().filter((s) => s.config.network === network);
  }

  /** Minutes walking from `from` to `to`: `from`'s own figure, else `to`'s figure the other way. */
  private walk(from: SiteEntry, to: SiteEntry): number | null {
    return from.config.walkMinutes?.[to.config.id] ?? to.config.walkMinutes?.[from.config.id] ?? null;
  }

  private summaryOf(own: SiteEntry, availability: Map<string, SiteAvailability>): NetworkSummary {
    const network = own.config.network ?? null;
    const sites: NetworkSite[] = [];
    for (const other of network ? this.members(network) : []) {
      const a = availability.get(other.config.id);
      if (other.config.id === own.config.id || !a) continue;
      sites.push({ ...a, walkMinutes: this.walk(own, other) });
    }
    return {
      siteId: own.config.id,
      network,
      redirectWaitMinutes: own.config.redirectWaitMinutes ?? DEFAULT_REDIRECT_WAIT_MINUTES,
      at: new Date(this.d.clock(own.config.id)).toISOString(),
      sites,
    };
  }

  private async availabilities(list: SiteEntry[]): Promise<Map<string, SiteAvailability>> {
    const snaps: Snapshot[] = await this.d.repo.snapshots(list.map((s) => s.config.id));
    const out = new Map<string, SiteAvailability>();
    list.forEach((s, i) => out.set(s.config.id, siteAvailability(s.info, snaps[i]!, this.d.clock(s.config.id))));
    return out;
  }

  /** `GET /api/sites/:siteId/network`: the other sites of the site's network, now. */
  async summary(siteId: string): Promise<NetworkSummary> {
    const own = this.site(siteId);
    const network = own.config.network;
    const others = network ? this.members(network).filter((s) => s !== own) : [];
    return this.summaryOf(own, await this.availabilities(others));
  }

  /** A site changed (any instance made it): its network's followers get a fresh summary soon. */
  siteChanged(siteId: string): void {
    const network = this.d.sites.get(siteId)?.config.network;
    if (network) this.schedule(network);
  }

  /** Settings changed (hours, network, walking minutes): every network may look different. */
  configChanged(): void {
    for (const network of new Set(this.d.sites.all().map((s) => s.config.network))) if (network) this.schedule(network);
  }

  private state(network: string): NetworkState {
    let st = this.networks.get(network);
    if (!st) this.networks.set(network, (st = { timer: null, flipTimer: null, lastAt: 0 }));
    return st;
  }

  private schedule(network: string, delay?: number): void {
    if (this.closed) return;
    const st = this.state(network);
    // A push is planned already: it reads the state as it is then, this change included.
    if (st.timer) return;
    const now = (this.d.realNow ?? Date.now)();
    const wait = delay ?? Math.max(0, st.lastAt + NETWORK_PUSH_INTERVAL_MS - now);
    st.timer = setTimeout(() => {
      st.timer = null;
      st.lastAt = (this.d.realNow ?? Date.now)();
      this.flush(network).catch((err: unknown) => this.d.log.warn({ err, network }, 'could not push a network summary'));
    }, wait);
    st.timer.unref?.();
  }

  /** Reads the network's sites once and sends each followed site its view of the others. */
  private async flush(network: string): Promise<void> {
    const members = this.members(network);
    const followed = members.filter((s) => this.d.push.followed(s.config.id));
    if (followed.length === 0) return;
    const availability = await this.availabilities(members);
    for (const own of followed) this.d.push.send(this.summaryOf(own, availability));
    this.planFlip(network, availability);
  }

  /** Pushes again when the next room of the network opens or closes by its hours. */
  private planFlip(network: string, availability: Map<string, SiteAvailability>): void {
    const st = this.state(network);
    if (st.flipTimer) clearTimeout(st.flipTimer);
    st.flipTimer = null;
    let next = Infinity;
    let now = Infinity;
    for (const [siteId, a] of availability) {
      now = Math.min(now, this.d.clock(siteId));
      for (const r of a.rooms) for (const at of [r.closesAt, r.opensAt]) if (at) next = Math.min(next, Date.parse(at));
    }
    if (!Number.isFinite(next) || this.closed) return;
    // A timer fires at most ~24.8 days ahead; a later flip is planned again by the next push.
    const delay = Math.min(Math.max(0, next - now) + 1_000, 2 ** 31 - 1);
    st.flipTimer = setTimeout(() => {
      st.flipTimer = null;
      this.schedule(network, 0);
    }, delay);
    st.flipTimer.unref?.();
  }

  stop(): void {
    this.closed = true;
    for (const st of this.networks.values()) {
      if (st.timer) clearTimeout(st.timer);
      if (st.flipTimer) clearTimeout(st.flipTimer);
    }
    this.networks.clear();
  }
}
