/**
 * The push services of the major browsers: Chrome, Edge (Chromium), Opera and Samsung use Firebase
 * Cloud Messaging, Firefox Mozilla's autopush, Safari on macOS and iOS Apple's, legacy Edge WNS.
 * A subscription's endpoint must be on this list (`ROOMWATCH_PUSH_SERVICES`), so nobody can make
 * the server POST to an address of their choosing.
 */
export const DEFAULT_PUSH_SERVICES: readonly string[] = ['fcm.googleapis.com', 'updates.push.services.mozilla.com', '*.push.apple.com', '*.notify.windows.com'];

/** `host`, `*.domain` (any subdomain) or `host:port` (a port other than 443). */
export const PUSH_SERVICE_PATTERN = /^(\*\.)?[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*(:\d{1,5})?$/;

/** True when `endpoint` is an https URL on one of `services` (no credentials in it). */
export function pushEndpointAllowed(endpoint: string, services: readonly string[]): boolean {
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    return false;
  }
  if (url.protocol !== 'https:' || url.username || url.password) return false;
  const host = url.hostname.toLowerCase();
  const port = url.port || '443';
  return services.some((entry) => {
    const [pattern = '', entryPort = '443'] = entry.toLowerCase().split(':');
    if (entryPort !== port) return false;
    return pattern.startsWith('*.') ? host.endsWith(pattern.slice(1)) : host === pattern;
  });
}

/** Contacts push services refuse (Apple answers 403 BadJwtToken): localhost and loopback. */
export function isLocalContact(subject: string): boolean {
  const host = subject.startsWith('mailto:') ? subject.slice(subject.lastIndexOf('@') + 1) : (() => {
    try {
      return new URL(subject).hostname;
    } catch {
      return '';
    }
  })();
  const h = host.toLowerCase().replace(/^\[|\]$/g, '');
  return h === '' || h === 'localhost' || h.endsWith('.localhost') || h.startsWith('127.') || h === '::1' || h.endsWith('.local');
}
