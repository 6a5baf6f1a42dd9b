import { createHash } from 'node:crypto';
import webpush from 'web-push';
import type { PushSubscriptionBody } from '../../shared/alerts/schema';
import { roleAtLeast, type Role } from '../../shared/vocabulary';
import type { Principal } from '../auth/principal';
import type { Logger } from '../logger';
import type { AlertRepository } from './alert.repository';

interface StoredSubscription {
  sub: PushSubscriptionBody;
  username: string;
  role: Role;
  sites: '*' | string[];
}

/** Web Push: the VAPID key pair (generated and stored at first start) and people's subscriptions. */
export class PushService {
  private keys: Promise<{ publicKey: string; privateKey: string }> | null = null;

  constructor(private readonly d: { repo: AlertRepository; log: Logger; subject?: string }) {}

  private vapid() {
    this.keys ??= this.d.repo.vapid(() => webpush.generateVAPIDKeys());
    this.keys.catch(() => (this.keys = null));
    return this.keys;
  }

  async publicKey(): Promise<string> {
    return (await this.vapid()).publicKey;
  }

  /** Stores a browser's subscription for a signed-in person (one per endpoint). */
  async subscribe(p: Principal, sub: PushSubscriptionBody): Promise<void> {
    const id = createHash('sha256').update(sub.endpoint).digest('base64url');
    const stored: StoredSubscription = { sub, username: p.id, role: p.role, sites: p.sites };
    await this.d.repo.savePushSubscription(id, JSON.stringify(stored));
  }

  /** Sends to every subscriber of the site with at least `role`; returns how many got it. Gone subscriptions are removed. */
  async send(siteId: string, role: Role, payload: { title: string; body: string; tag: string; url: string }): Promise<{ sent: number; failed: number }> {
    const keys = await this.vapid();
    let sent = 0;
    let failed = 0;
    for (const { id, json } of await this.d.repo.pushSubscriptions()) {
      let s: StoredSubscription;
      try {
        s = JSON.parse(json) as StoredSubscription;
      } catch {
        continue;
      }
      if (!roleAtLeast(s.role, role) || (s.sites !== '*' && !s.sites.includes(siteId))) continue;
      try {
        await webpush.sendNotification(s.sub as webpush.PushSubscription, JSON.stringify(payload), {
          vapidDetails: { subject: this.d.subject ?? 'mailto:roomwatch@localhost', publicKey: keys.publicKey, privateKey: keys.privateKey },
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
