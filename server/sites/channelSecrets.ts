import type { SiteConfig } from '../../shared/siteConfig';

/**
 * Webhook signing secrets never leave the server: reads show this placeholder instead, and a
 * write that sends it back keeps the stored secret (so the settings form can save the whole
 * config without knowing it). Long enough for the schema's 16-character minimum.
 */
export const SECRET_PLACEHOLDER = '(stored secret, unchanged)';

/** The config as managers may see it: every webhook secret replaced by the placeholder. */
export function redactSecrets(config: SiteConfig): SiteConfig {
  const channels = config.alerts?.channels;
  if (!channels) return config;
  return {
    ...config,
    alerts: { ...config.alerts!, channels: channels.map((c) => (c.type === 'webhook' ? { ...c, secret: SECRET_PLACEHOLDER } : c)) },
  };
}

/** Puts the stored secrets back where a request body carries the placeholder (same channel id). */
export function restoreSecrets(body: unknown, stored: SiteConfig): unknown {
  const channels = (body as { alerts?: { channels?: unknown } } | null)?.alerts?.channels;
  if (!Array.isArray(channels)) return body;
  const storedSecret = new Map((stored.alerts?.channels ?? []).flatMap((c) => (c.type === 'webhook' ? [[c.id, c.secret] as const] : [])));
  const restored = channels.map((c: unknown) => {
    const ch = c as { id?: unknown; type?: unknown; secret?: unknown };
    if (ch?.type !== 'webhook' || ch.secret !== SECRET_PLACEHOLDER) return c;
    const secret = typeof ch.id === 'string' ? storedSecret.get(ch.id) : undefined;
    // Unknown channel: leave the placeholder, which then fails as a secret nobody chose.
    return secret ? { ...ch, secret } : { ...ch, secret: '' };
  });
  const b = body as { alerts: Record<string, unknown> };
  return { ...b, alerts: { ...b.alerts, channels: restored } };
}
