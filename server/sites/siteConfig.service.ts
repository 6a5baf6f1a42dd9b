import { alertSettingsOf } from '../../shared/alerts/settings';
import { boothIdsOf, type SiteConfig } from '../../shared/siteConfig';
import { configDiff, FIXED_SITE_FIELDS, SiteConfigBody } from '../../shared/siteSettings';
import type { AuditRepository } from '../audit/audit.repository';
import type { Principal } from '../auth/principal';
import { errors } from '../errors';
import { parseOr400 } from '../http/validate';
import type { Logger } from '../logger';
import type { Realtime } from '../realtime/realtime';
import type { SiteRegistry } from './sites.registry';
import type { SiteConfigRepository } from './siteConfig.repository';
import { redactSecrets, restoreSecrets } from './channelSecrets';

/** Site settings: validated, stored (the store is the truth), audited, pushed live, reloaded everywhere. */
export class SiteConfigService {
  constructor(
    private readonly d: {
      repo: SiteConfigRepository;
      sites: SiteRegistry;
      realtime: Pick<Realtime, 'siteConfigChanged'>;
      audit: Pick<AuditRepository, 'append'>;
      clock: () => number;
      log: Logger;
    },
  ) {}

  get(siteId: string): SiteConfig {
    const site = this.d.sites.get(siteId);
    if (!site) throw errors.notFound('Site');
    return site.config;
  }

  /** The config as shown to managers: webhook secrets hidden. */
  view(siteId: string): SiteConfig {
    return redactSecrets(this.get(siteId));
  }

  /** Validates and stores a whole new config; 400 naming the fields, 409 when an occupied booth would go. */
  async update(p: Principal, from: string, siteId: string, body: unknown): Promise<SiteConfig> {
    const current = this.get(siteId);
    const next = parseOr400(SiteConfigBody, restoreSecrets(body, current));
    const fixed = FIXED_SITE_FIELDS.filter((f) => JSON.stringify(next[f]) !== JSON.stringify(current[f]));
    if (fixed.length > 0) throw errors.invalid(fixed.map((f) => ({ path: f, message: 'cannot be changed in Settings' })), `Invalid body: ${fixed.join(', ')}`);
    const oldBooths = new Set(current.rooms.flatMap(boothIdsOf));
    const newBooths = new Set(next.rooms.flatMap(boothIdsOf));
    const removed = [...oldBooths].filter((b) => !newBooths.has(b));
    const added = [...newBooths].filter((b) => !oldBooths.has(b));
    const out = await this.d.repo.put(next, removed, added);
    if ('occupied' in out) {
      throw errors.conflict('A booth being removed is occupied; check it out first', { current: { occupied: out.occupied, config: current } });
    }
    const before = out.before ?? current;
    const entry = this.d.sites.replace(next)!;
    const at = new Date(this.d.clock()).toISOString();
    // Alert settings are compared with their defaults filled in, so the first threshold change
    // of a site reads `alerts.rules.queue.warning: 5 → 4`, not every default appearing from nothing.
    const withDefaults = (c: SiteConfig) => (before.alerts || next.alerts ? { ...c, alerts: alertSettingsOf(c.alerts) } : c);
    // Compared without secrets, so the audit log never holds one.
    const diff = configDiff(withDefaults(redactSecrets(before)), withDefaults(redactSecrets(next)));
    await this.d.audit.append({ at, actor: p.id, action: 'site.config', target: siteId, from, detail: diff.length ? diff.join('; ') : 'no change' });
    this.d.realtime.siteConfigChanged({ siteId, site: entry.info, by: p.id, at });
    return redactSecrets(next);
  }

  /** Re-reads a site's config from the store (another instance changed it). */
  async reload(siteId: string): Promise<void> {
    if (!this.d.sites.get(siteId)) return;
    const stored = await this.d.repo.get(siteId);
    if (stored) this.d.sites.replace(stored);
  }

  /** Loads every site's stored config (start-up safety net for callers that built from the file). */
  async reloadAll(): Promise<void> {
    for (const s of this.d.sites.all()) {
      await this.reload(s.info.id).catch((err: unknown) => this.d.log.warn({ err, siteId: s.info.id }, 'could not load the stored site config'));
    }
  }
}
