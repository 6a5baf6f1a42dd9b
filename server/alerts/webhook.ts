import { createHmac } from 'node:crypto';
import type { Alert } from '../../shared/alerts/schema';
import type { Channel } from '../../shared/alerts/settings';
import { alertTitle } from '../../shared/alerts/text';

type WebhookChannel = Extract<Channel, { type: 'webhook' }>;

/** What a channel is told: a transition of an alert, or a test from the settings. */
export interface Notice {
  kind: 'fired' | 'worsened' | 'repeated' | 'escalated' | 'resolved' | 'test';
  site: { id: string; name: string };
  alert: Alert;
  /** Stable per transition, the same on every retry: receivers can drop duplicates by it. */
  deliveryId: string;
  at: number;
}

const EVENT: Record<Notice['kind'], string> = {
  fired: 'alert.fired',
  worsened: 'alert.worsened',
  repeated: 'alert.reminder',
  escalated: 'alert.escalated',
  resolved: 'alert.resolved',
  test: 'test',
};
const VERB: Record<Notice['kind'], string> = {
  fired: 'ALERT',
  worsened: 'WORSE',
  repeated: 'REMINDER',
  escalated: 'ESCALATED',
  resolved: 'RESOLVED',
  test: 'TEST',
};

/** One line of text: "[Skyen] CRITICAL ALERT: Queue 12 waiting (limit 5)". */
export function noticeText(n: Notice): string {
  const what = n.kind === 'test' ? 'Test notification from Roomwatch' : alertTitle(n.alert.rule, n.alert.detail);
  return `[${n.site.name}] ${n.alert.severity.toUpperCase()} ${VERB[n.kind]}: ${what}`;
}

/** The JSON body every format but `ntfy` sends, and the headers that go with it. */
export function webhookRequest(channel: WebhookChannel, n: Notice): { body: string; headers: Record<string, string> } {
  const text = noticeText(n);
  const a = n.alert;
  if (channel.format === 'slack') return { body: JSON.stringify({ text }), headers: { 'content-type': 'application/json' } };
  if (channel.format === 'teams') {
    // A Teams "Workflows" webhook takes an Adaptive Card message.
    const card = {
      type: 'message',
      attachments: [
        {
          contentType: 'application/vnd.microsoft.card.adaptive',
          content: {
            $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
            type: 'AdaptiveCard',
            version: '1.4',
            body: [
              { type: 'TextBlock', text: `${n.site.name}: ${VERB[n.kind]}`, weight: 'Bolder', size: 'Medium', color: a.severity === 'critical' ? 'Attention' : a.severity === 'warning' ? 'Warning' : 'Default' },
              { type: 'TextBlock', text, wrap: true },
            ],
          },
        },
      ],
    };
    return { body: JSON.stringify(card), headers: { 'content-type': 'application/json' } };
  }
  if (channel.format === 'ntfy') {
    // ntfy: the message is the body, the rest goes in headers (publish to the topic URL).
    const priority = n.kind === 'resolved' || n.kind === 'test' ? '3' : a.severity === 'critical' ? '5' : a.severity === 'warning' ? '4' : '3';
    return {
      body: text,
      headers: { 'content-type': 'text/plain; charset=utf-8', Title: `Roomwatch ${n.site.name}`, Priority: priority, Tags: n.kind === 'resolved' ? 'white_check_mark' : a.severity === 'critical' ? 'rotating_light' : 'warning' },
    };
  }
  const body = {
    type: EVENT[n.kind],
    delivery: n.deliveryId,
    at: new Date(n.at).toISOString(),
    site: n.site,
    text,
    alert: {
      id: a.id,
      rule: a.rule,
      key: a.key,
      severity: a.severity,
      state: a.state,
      title: alertTitle(a.rule, a.detail),
      detail: a.detail,
      firedAt: a.firedAt,
      resolvedAt: a.resolvedAt,
      acknowledged: a.acknowledged,
      escalatedAt: a.escalatedAt,
    },
  };
  return { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } };
}

/** `sha256=<hex HMAC-SHA256 of "<timestamp>.<body>">`, the value of `X-Roomwatch-Signature`. */
export function signature(secret: string, timestamp: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

export interface DeliveryResult {
  ok: boolean;
  attempts: number;
  status: number | null;
  note?: string;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * POSTs one notice, signed, retrying network errors, 429 and 5xx with exponential backoff
 * (backoff, 2×, 4×, …); other 4xx are final. Each attempt is signed afresh with its own timestamp.
 */
export async function deliverWebhook(channel: WebhookChannel, n: Notice, opts: { retries?: number; timeoutMs?: number } = {}): Promise<DeliveryResult> {
  return postSigned(channel, webhookRequest(channel, n), n.deliveryId, opts);
}

/** POSTs a prepared body to a webhook channel, signed, with its retries (alerts and handovers alike). */
export async function postSigned(
  channel: WebhookChannel,
  { body, headers }: { body: string; headers: Record<string, string> },
  deliveryId: string,
  opts: { retries?: number; timeoutMs?: number } = {},
): Promise<DeliveryResult> {
  const retries = opts.retries ?? channel.retries;
  let status: number | null = null;
  let note = '';
  for (let attempt = 1; attempt <= retries + 1; attempt++) {
    const ts = String(Math.floor(Date.now() / 1000));
    try {
      const res = await fetch(channel.url, {
        method: 'POST',
        headers: {
          ...headers,
          'user-agent': 'Roomwatch-Alerts',
          'x-roomwatch-timestamp': ts,
          'x-roomwatch-signature': signature(channel.secret, ts, body),
          'x-roomwatch-delivery': deliveryId,
        },
        body,
        signal: AbortSignal.timeout(opts.timeoutMs ?? 10_000),
        redirect: 'error',
      });
      status = res.status;
      await res.body?.cancel();
      if (res.ok) return { ok: true, attempts: attempt, status };
      note = `HTTP ${res.status}`;
      if (res.status < 500 && res.status !== 429) return { ok: false, attempts: attempt, status, note };
    } catch (e) {
      note = e instanceof Error ? e.name : 'network error';
    }
    if (attempt <= retries) await sleep(channel.backoffMs * 2 ** (attempt - 1));
  }
  return { ok: false, attempts: retries + 1, status, note };
}
