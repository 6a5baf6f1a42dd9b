import { createHash } from 'node:crypto';
import webpush from 'web-push';
import type { PushSubscriptionBody } from '../../shared/alerts/schema';
import type { SiteScope } from '../../shared/auth';
import { roleAtLeast, type Role } from '../../shared/vocabulary';
import type { Principal } from '../auth/principal';
import { errors } from '../errors';
import type { Logger } from '../logger';
import type { AlertRepository } from './alert.repository';
import { pushEndpointAllowed } from './pushServices';

/** Whose subscription it is: a signed-in person or an API token. */
export interface PushOwner {
  kind: 'user' | 'token';
  id: string;
}

/** An owner's standing now (role and sites), or null when it is disabled or gone. */
export type OwnerStanding = (owner: PushOwner) => Promise<{ role: Role; sites: SiteScope } | null>;

/** Sends one Web Push message (web-push's `sendNotification`; tests pass a recorder). */
export type PushTransport = (sub: webpush.PushSubscription, payload: string, options: webpush.RequestOptions) => Promise<{ statusCode: number }>;

interface StoredSubscription {
  sub: PushSubscriptionBody;
  owner: PushOwner;
  /** The sites the owner had when subscribing: the subscription never reaches beyond them. */
  sites: SiteScope;
  /** Before owners: the username the subscription was stored under. */
  username?: string;
}

const inScope = (site: string, scope: SiteScope) => scope === '*' || scope.includes(site);
const overlap = (a: SiteScope, b: SiteScope): SiteScope => (a === '*' ? b : b === '*' ? a : a.filter((s) => b.includes(s)));

/**
 * Web Push: the VAPID key pair (generated and stored at first use) and subscriptions. A
 * subscription belongs to a person or a token; at every send the owner's role and sites are
 * looked up again, so a disabled, deleted or demoted owner — or one that lost the site — gets
 * nothing, and subscriptions that can never be sent to again are dropped. Endpoints must be on
 * the push-service allow-list, at subscription and at send time.
 */
export class PushService {
  private keys: Promise<{ publicKey: string; privateKey: string }> | null = null;
  private readonly transport: PushTransport;

  constructor(
    private readonly d: {
      repo: AlertRepository;
      log: Logger;
      subject: string;
      services: readonly string[];
      standing: OwnerStanding;
      transport?: PushTransport;
    },
  ) {
    this.transport = d.transport ?? ((sub, payload, options) => webpush.sendNotification(sub, payload, options));
  }

  private vapid() {
    this.keys ??= this.d.repo.vapid(() => webpush.generateVAPIDKeys());
    this.keys.catch(() => (this.keys = null));
    return this.keys;
  }

  async publicKey(): Promise<string> {
    return (await this.vapid()).publicKey;
  }

  /** Stores a browser's subscription for its owner (one per endpoint); 400 for an endpoint off the allow-list. */
  async subscribe(p: Principal, sub: PushSubscriptionBody): Promise<void> {
    if (!pushEndpointAllowed(sub.endpoint, this.d.services)) {
      throw errors.invalid([{ path: 'endpoint', message: `not a known push service (allowed: ${this.d.services.join(', ')})` }], 'Invalid body: endpoint');
    }
    if (p.kind === 'anonymous') throw errors.notFound('Principal');
    const id = createHash('sha256').update(sub.endpoint).digest('base64url');
    const stored: StoredSubscription = { sub, owner: { kind: p.kind, id: p.id }, sites: p.sites };
    await this.d.repo.savePushSubscription(id, JSON.stringify(stored));
  }

  /**
   * Re-checks every subscription of `owner` now (after a disable, a delete, a change of role or
   * sites): drops the ones that can no longer receive anything.
   */
  async review(owner: PushOwner): Promise<number> {
    let dropped = 0;
    for (const { id, s } of await this.all()) {
      if (s.owner.kind !== owner.kind || s.owner.id !== owner.id) continue;
      if ((await this.scopeNow(s)) === null) {
        await this.d.repo.deletePushSubscription(id);
        dropped++;
      }
    }
    return dropped;
  }

  /** The sites a subscription may still be sent for, or null when it should be dropped. */
  private async scopeNow(s: StoredSubscription): Promise<{ role: Role; sites: SiteScope } | null> {
    if (!pushEndpointAllowed(s.sub.endpoint, this.d.services)) return null;
    const now = await this.d.standing(s.owner);
    if (!now) return null;
    const sites = overlap(now.sites, s.sites);
    if (sites !== '*' && sites.length === 0) return null;
    return { role: now.role, sites };
  }

  private async all(): Promise<Array<{ id: string; s: StoredSubscription }>> {
    const out: Array<{ id: string; s: StoredSubscription }> = [];
    for (const { id, json } of await this.d.repo.pushSubscriptions()) {
      try {
        const s = JSON.parse(json) as StoredSubscription;
        s.owner ??= { kind: 'user', id: s.username ?? '' };
        out.push({ id, s });
      } catch {
        await this.d.repo.deletePushSubscription(id);
      }
    }
    return out;
  }

  /** Sends to every subscriber of the site with at least `role` now; returns how many got it. Gone subscriptions are removed. */
  async send(siteId: string, role: Role, payload: { title: string; body: string; tag: string; url: string }): Promise<{ sent: number; failed: number }> {
    const keys = await this.vapid();
    let sent = 0;
    let failed = 0;
    for (const { id, s } of await this.all()) {
      const scope = await this.scopeNow(s);
      if (!scope) {
        await this.d.repo.deletePushSubscription(id);
        continue;
      }
      if (!roleAtLeast(scope.role, role) || !inScope(siteId, scope.sites)) continue;
      try {
        await this.transport(s.sub as webpush.PushSubscription, JSON.stringify(payload), {
          vapidDetails: { subject: this.d.subject, publicKey: keys.publicKey, privateKey: keys.privateKey },
          TTL: 3600,
          urgency: 'high',
          timeout: 10_000,
        });
        sent++;
      } catch (e) {
        failed++;
        const status = (e as { statusCode?: number }).statusCode;
        if (status === 404 || status === 410) await this.d.repo.deletePushSubscription(id);
        else this.d.log.warn({ status }, 'web push failed');
      }
    }
    return { sent, failed };
  }
}
