import type { Alert, TimelineEntry } from '../../shared/alerts/schema';
import { SAFETY_RULES, severityAtLeast, type AlertSettings, type Channel } from '../../shared/alerts/settings';
import { alertTitle } from '../../shared/alerts/text';
import { inQuietHours, localClock } from '../../shared/alerts/hours';
import type { Logger } from '../logger';
import type { PushService } from './push';
import { deliverWebhook, noticeText, type DeliveryResult, type Notice } from './webhook';

/** Sends mail over SMTP; absent unless SMTP is configured. */
export interface Mailer {
  send(to: string[], subject: string, text: string): Promise<void>;
}

/** A channel every site has without configuration: Web Push to signed-in leads and up. */
export const DEFAULT_PUSH_CHANNEL: Channel = { id: 'push', type: 'webpush', role: 'lead', minSeverity: 'warning', audience: 'all', resolved: false };

/** Safety alerts are never held back by quiet hours. */
export const isSafety = (a: Pick<Alert, 'rule' | 'severity'>): boolean => a.severity === 'critical' || SAFETY_RULES.includes(a.rule);

/** The channels of a site, with the default push channel unless one is configured. */
export function channelsOf(settings: AlertSettings): Channel[] {
  return settings.channels.some((c) => c.type === 'webpush') ? settings.channels : [...settings.channels, DEFAULT_PUSH_CHANNEL];
}

/** Whether a channel hears about this notice at all (rule, severity, audience). */
export function routes(channel: Channel, n: Pick<Notice, 'kind' | 'alert'>): boolean {
  if (n.kind === 'test') return true;
  if (channel.rules && !channel.rules.includes(n.alert.rule)) return false;
  if (!severityAtLeast(n.alert.severity, channel.minSeverity)) return false;
  if (n.kind === 'escalated') return channel.audience !== 'floor';
  if (channel.audience === 'managers') return false;
  return n.kind !== 'resolved' || channel.resolved;
}

export interface NotifierDeps {
  push: PushService | null;
  mailer: Mailer | null;
  log: Logger;
  clock: () => number;
  /** Records where a notice went on the alert's timeline. */
  note: (siteId: string, alertId: string, entry: TimelineEntry) => Promise<void>;
}

/** Sends one transition's notices to the external channels routed to it. */
export class Notifier {
  constructor(private readonly d: NotifierDeps) {}

  async deliver(channel: Channel, n: Notice, opts: { retries?: number } = {}): Promise<DeliveryResult> {
    if (channel.type === 'webhook') return deliverWebhook(channel, n, opts);
    if (channel.type === 'webpush') {
      if (!this.d.push) return { ok: false, attempts: 0, status: null, note: 'web push unavailable' };
      const role = n.kind === 'escalated' ? 'manager' : channel.role;
      const r = await this.d.push.send(n.site.id, role, {
        title: `Roomwatch ${n.site.name}`,
        body: noticeText(n),
        tag: `${n.site.id}:${n.alert.key}`,
        url: `/sites/${n.site.id}`,
      });
      return { ok: r.failed === 0, attempts: 1, status: null, note: `${r.sent} sent${r.failed ? `, ${r.failed} failed` : ''}` };
    }
    if (!this.d.mailer) return { ok: false, attempts: 0, status: null, note: 'SMTP not configured' };
    try {
      await this.d.mailer.send(channel.to, noticeText(n), `${noticeText(n)}\n\n${alertTitle(n.alert.rule, n.alert.detail, 'da')}\n`);
      return { ok: true, attempts: 1, status: null };
    } catch (e) {
      return { ok: false, attempts: 1, status: null, note: e instanceof Error ? e.name : 'smtp error' };
    }
  }

  /**
   * Sends `n` to every routed channel. Outside safety alerts, a channel in its quiet hours
   * holds the notice back (noted as `held`). Resolves when every delivery (with retries) ended.
   */
  async dispatch(settings: AlertSettings, timeZone: string, n: Notice): Promise<void> {
    const minute = localClock(n.at, timeZone).minute;
    const at = () => new Date(this.d.clock()).toISOString();
    await Promise.all(
      channelsOf(settings)
        .filter((c) => routes(c, n))
        .map(async (c) => {
          if (c.quietHours && !isSafety(n.alert) && inQuietHours(c.quietHours, minute)) {
            await this.d.note(n.site.id, n.alert.id, { at: at(), kind: 'held', channel: c.id, note: 'quiet hours' });
            return;
          }
          const r = await this.deliver(c, n).catch((e: unknown): DeliveryResult => {
            this.d.log.error({ err: e, channel: c.id }, 'alert delivery failed');
            return { ok: false, attempts: 1, status: null, note: 'error' };
          });
          // An implicit push channel with nobody subscribed leaves no trace.
          if (c === DEFAULT_PUSH_CHANNEL && r.note === '0 sent') return;
          await this.d.note(n.site.id, n.alert.id, {
            at: at(),
            kind: r.ok ? 'notified' : 'notify-failed',
            channel: c.id,
            note: [n.kind, r.status ? `HTTP ${r.status}` : '', r.attempts > 1 ? `${r.attempts} attempts` : '', r.ok ? '' : (r.note ?? '')].filter(Boolean).join(', '),
          });
        }),
    );
  }
}
