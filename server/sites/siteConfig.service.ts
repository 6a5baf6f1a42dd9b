import { alertSettingsOf } from '../../shared/alerts/settings';
import { boothIdsOf, networkIssues, type SiteConfig } from '../../shared/siteConfig';
import { configChanges, FIXED_SITE_FIELDS, SiteConfigBody, type ConfigConflict, type ConfigVersionEntry, type VersionedSiteConfig } from '../../shared/siteSettings';
import type { AuditRepository } from '../audit/audit.repository';
import type { Principal } from '../auth/principal';
import { createError, errors, type AppError } from '../errors';
import { parseOr400 } from '../http/validate';
import type { Logger } from '../logger';
import type { Realtime } from '../realtime/realtime';
import type { SiteRegistry } from './sites.registry';
import type { SiteConfigRepository, StoredVersion } from './siteConfig.repository';

/** How many saved versions a site keeps with who changed what (for the 412 answer). */
const CHANGE_LOG_LENGTH = 20;
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

  /** The config as shown to managers (webhook secrets hidden), with its version. */
  async view(siteId: string): Promise<VersionedSiteConfig> {
    this.get(siteId);
    return this.versioned(siteId, await this.d.repo.getVersioned(siteId));
  }

  private versioned(siteId: string, stored: StoredVersion): VersionedSiteConfig {
    const out: VersionedSiteConfig = { ...redactSecrets(stored.config ?? this.get(siteId)), version: stored.version };
    if (stored.updatedBy) out.updatedBy = stored.updatedBy;
    if (stored.updatedAt) out.updatedAt = stored.updatedAt;
    return out;
  }

  /** 412: someone saved after `basedOn`; the details say who changed what, and hold the config as it is now. */
  private conflict(siteId: string, stored: StoredVersion, basedOn: number): AppError {
    const changes = stored.log.filter((e) => e.version > basedOn);
    const details: ConfigConflict = {
      current: this.versioned(siteId, stored),
      changes,
      complete: changes.length === stored.version - basedOn,
    };
    const last = changes[0];
    const who = last ? ` (${last.by}, ${last.at})` : '';
    return createError('precondition_failed', `These settings were saved by someone else after you loaded them${who}; reload and make your change again`, 412, details);
  }

  /**
   * Validates and stores a whole new config; 400 naming the fields, 409 when an occupied booth
   * would go, 412 when `basedOn` (the version the caller loaded) is no longer the stored one.
   * Without `basedOn` the save applies to whatever is stored (last write wins).
   */
  async update(p: Principal, from: string, siteId: string, body: unknown, basedOn?: number): Promise<VersionedSiteConfig> {
    this.get(siteId);
    for (let attempt = 0; ; attempt++) {
      const stored = await this.d.repo.getVersioned(siteId);
      if (basedOn !== undefined && basedOn !== stored.version) throw this.conflict(siteId, stored, basedOn);
      const current = stored.config ?? this.get(siteId);
      const next = parseOr400(SiteConfigBody, restoreSecrets(body, current));
      const fixed = FIXED_SITE_FIELDS.filter((f) => JSON.stringify(next[f]) !== JSON.stringify(current[f]));
      if (fixed.length > 0) throw errors.invalid(fixed.map((f) => ({ path: f, message: 'cannot be changed in Settings' })), `Invalid body: ${fixed.join(', ')}`);
      // Walking minutes name only other sites of the same network (checked against every site).
      const network = networkIssues(this.d.sites.all().map((s) => (s.config.id === siteId ? next : s.config))).filter((i) => i.siteId === siteId);
      if (network.length > 0) throw errors.invalid(network.map((i) => ({ path: i.path.join('.'), message: i.message })), `Invalid body: ${network.map((i) => i.path.join('.')).join(', ')}`);
      const oldBooths = new Set(current.rooms.flatMap(boothIdsOf));
      const newBooths = new Set(next.rooms.flatMap(boothIdsOf));
      const removed = [...oldBooths].filter((b) => !newBooths.has(b));
      const added = [...newBooths].filter((b) => !oldBooths.has(b));
      const at = new Date(this.d.clock()).toISOString();
      // Alert settings are compared with their defaults filled in, so the first threshold change
      // of a site reads `alerts.rules.queue.warning: 5 → 4`, not every default appearing from nothing.
      const withDefaults = (c: SiteConfig) => (current.alerts || next.alerts ? { ...c, alerts: alertSettingsOf(c.alerts) } : c);
      // Compared without secrets, so neither the audit log nor the change log ever holds one.
      const changes = configChanges(withDefaults(redactSecrets(current)), withDefaults(redactSecrets(next)));
      const by = p.displayName ?? p.id;
      const entry: ConfigVersionEntry = { version: stored.version + 1, by, at, changes };
      const out = await this.d.repo.put(next, removed, added, { basedOn: stored.version, by, at, log: [entry, ...stored.log].slice(0, CHANGE_LOG_LENGTH) });
      if ('stale' in out) {
        // Someone saved between our read and our write: a versioned save is refused, an
        // unversioned one is re-applied on top of what is stored now.
        if (basedOn !== undefined) throw this.conflict(siteId, await this.d.repo.getVersioned(siteId), basedOn);
        if (attempt < 5) continue;
        throw createError('conflict', 'The settings keep changing; try again', 409);
      }
      if ('occupied' in out) {
        throw errors.conflict('A booth being removed is occupied; check it out first', { current: { occupied: out.occupied, config: redactSecrets(current) } });
      }
      const entrySite = this.d.sites.replace(next)!;
      const detail = changes.map((c) => `${c.path}: ${c.before} → ${c.after}`);
      await this.d.audit.append({ at, actor: p.id, action: 'site.config', target: siteId, from, detail: detail.length ? detail.join('; ') : 'no change' });
      this.d.realtime.siteConfigChanged({ siteId, site: entrySite.info, by: p.id, at });
      return { ...redactSecrets(next), version: entry.version, updatedBy: by, updatedAt: at };
    }
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
