import { inQuietHours, localClock } from '../../shared/alerts/hours';
import type { AlertSettings, Channel } from '../../shared/alerts/settings';
import { handoverHeadline } from '../../shared/handovers';
import type { Handover } from '../../shared/handovers';
import type { Mailer } from '../alerts/notifier';
import { postSigned, type DeliveryResult } from '../alerts/webhook';
import type { Logger } from '../logger';

type Delivering = Extract<Channel, { type: 'webhook' | 'email' }>;

/** Whether a channel wants handover summaries: said so, or by default unless it is for managers' escalations only. */
export const wantsHandovers = (c: Channel): c is Delivering => c.type !== 'webpush' && (c.handovers ?? c.audience !== 'managers');

/** The handover in a few lines of text (e-mail body, chat message). */
export function handoverText(h: Handover, siteName: string, timeZone: string): string {
  const lines = [handoverHeadline(h, siteName, timeZone, 'en')];
  if (h.note) lines.push(`Note: ${h.note}`);
  lines.push(`Read it: /sites/${h.siteId}/handovers/${h.id}`);
  return lines.join('\n');
}

function request(c: Extract<Channel, { type: 'webhook' }>, h: Handover, siteName: string, timeZone: string): { body: string; headers: Record<string, string> } {
  const text = handoverText(h, siteName, timeZone);
  if (c.format === 'slack') return { body: JSON.stringify({ text }), headers: { 'content-type': 'application/json' } };
  if (c.format === 'ntfy') return { body: text, headers: { 'content-type': 'text/plain; charset=utf-8', Title: `Roomwatch ${siteName}: handover`, Priority: '3', Tags: 'clipboard' } };
  if (c.format === 'teams') {
    const card = {
      type: 'message',
      attachments: [
        {
          contentType: 'application/vnd.microsoft.card.adaptive',
          content: { $schema: 'http://adaptivecards.io/schemas/adaptive-card.json', type: 'AdaptiveCard', version: '1.4', body: [{ type: 'TextBlock', text, wrap: true }] },
        },
      ],
    };
    return { body: JSON.stringify(card), headers: { 'content-type': 'application/json' } };
  }
  const body = { type: 'handover.created', delivery: `${h.siteId}.handover.${h.id}`, at: h.createdAt, site: { id: h.siteId, name: siteName }, text, handover: h };
  return { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } };
}

/**
 * Sends a new handover to every webhook and e-mail channel that wants it. Quiet hours hold it
 * back (it is not urgent: it stays on the console and wall until read). Returns what happened per channel.
 */
export async function sendHandover(
  d: { mailer: Mailer | null; log: Logger },
  settings: AlertSettings,
  site: { name: string; timeZone: string },
  h: Handover,
): Promise<Array<{ channel: string; result: DeliveryResult | 'quiet' }>> {
  const minute = localClock(Date.parse(h.createdAt), site.timeZone).minute;
  return Promise.all(
    settings.channels.filter(wantsHandovers).map(async (c) => {
      if (c.quietHours && inQuietHours(c.quietHours, minute)) return { channel: c.id, result: 'quiet' as const };
      try {
        if (c.type === 'webhook') return { channel: c.id, result: await postSigned(c, request(c, h, site.name, site.timeZone), `${h.siteId}.handover.${h.id}`) };
        if (!d.mailer) return { channel: c.id, result: { ok: false, attempts: 0, status: null, note: 'SMTP not configured' } };
        const text = handoverText(h, site.name, site.timeZone);
        await d.mailer.send(c.to, text.split('\n')[0]!, `${text}\n`);
        return { channel: c.id, result: { ok: true, attempts: 1, status: null } };
      } catch (err) {
        d.log.warn({ err, channel: c.id }, 'handover delivery failed');
        return { channel: c.id, result: { ok: false, attempts: 1, status: null, note: 'error' } };
      }
    }),
  );
}
