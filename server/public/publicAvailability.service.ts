import { createHash } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { Snapshot } from '../../shared/api';
import { siteAvailability } from '../../shared/network';
import { toPublicSite, type PublicAvailability, type PublicSite } from '../../shared/publicAvailability';
import { errors } from '../errors';
import type { Logger } from '../logger';
import type { SiteRegistry } from '../sites/sites.registry';

/** How often the figures are read from the store at most (per instance), and how long a stale copy may stand in. */
export const PUBLIC_REFRESH_MS = 2_000;
export const PUBLIC_STALE_MS = 60_000;

/** One reading of every public site, shared by everyone who asks until the next one. */
export interface PublicView {
  /** The app clock when read (ms). */
  at: number;
  sites: Array<{ site: PublicSite; timeZone: string }>;
  /** `GET /api/public/availability`'s body and its ETag. */
  json: string;
  etag: string;
  /** Rendered pages of this reading, by key (`open:da`), so a page is built once per reading. */
  rendered: Map<string, { body: string; etag: string }>;
}

export interface PublicAvailabilityDeps {
  sites: SiteRegistry;
  snapshot: (siteId: string) => Promise<Snapshot>;
  /** The app's clock (the reading's `at`) and each site's (a demo site may run on simulated time). */
  clock: () => number;
  siteClock: (siteId: string) => number;
  storeUp: () => boolean;
  log: Logger;
  refreshMs?: number;
  staleMs?: number;
}

export const etagOf = (body: string): string => `"${createHash('sha1').update(body).digest('base64url')}"`;

/**
 * The public figures, read from the store at most once per `refreshMs` whatever the request rate:
 * everyone is served the last reading from memory, and the requests that arrive while it is being
 * renewed share that one read (single flight). When the store cannot be read, the last reading
 * stands in for up to `staleMs`, then the page says it cannot tell; a failed read is not retried
 * before `refreshMs` has passed either, so an outage does not turn the street's requests into
 * a storm of reconnects.
 */
export class PublicAvailabilityService {
  private last: { view: PublicView; readAt: number } | null = null;
  private pending: Promise<PublicView> | null = null;
  private failedAt = -Infinity;
  /** Readings made (for tests and metrics). */
  reads = 0;

  constructor(private readonly d: PublicAvailabilityDeps) {}

  private get refreshMs(): number {
    return this.d.refreshMs ?? PUBLIC_REFRESH_MS;
  }

  async view(): Promise<PublicView> {
    const t = performance.now();
    if (this.last && t - this.last.readAt < this.refreshMs) return this.last.view;
    if (!this.pending && t - this.failedAt >= this.refreshMs) {
      this.pending = this.read().finally(() => {
        this.pending = null;
      });
    }
    try {
      if (!this.pending) throw errors.unavailable();
      return await this.pending;
    } catch (err) {
      if (this.last && performance.now() - this.last.readAt < (this.d.staleMs ?? PUBLIC_STALE_MS)) return this.last.view;
      throw err;
    }
  }

  private async read(): Promise<PublicView> {
    try {
      if (!this.d.storeUp()) throw errors.unavailable();
      const entries = this.d.sites.all().filter((e) => e.config.public);
      this.reads++;
      const sites = await Promise.all(
        entries.map(async (e) => {
          const snapshot = await this.d.snapshot(e.info.id);
          const site = toPublicSite(siteAvailability(e.info, snapshot, this.d.siteClock(e.info.id)));
          return { site, timeZone: e.info.timeZone };
        }),
      );
      const at = this.d.clock();
      const body: PublicAvailability = { at: new Date(at).toISOString(), sites: sites.map((s) => s.site) };
      const json = JSON.stringify(body);
      const view: PublicView = { at, sites, json, etag: etagOf(json), rendered: new Map() };
      this.last = { view, readAt: performance.now() };
      return view;
    } catch (err) {
      this.failedAt = performance.now();
      this.d.log.warn({ err }, 'could not read the public availability');
      throw err;
    }
  }

  /** A rendered form of the current reading, built once per reading. */
  rendered(view: PublicView, key: string, render: () => string): { body: string; etag: string } {
    let r = view.rendered.get(key);
    if (!r) {
      const body = render();
      view.rendered.set(key, (r = { body, etag: etagOf(body) }));
    }
    return r;
  }
}
