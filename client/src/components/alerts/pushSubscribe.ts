import { PushKey } from '../../../../shared/alerts/schema';
import { getJson, toApiError } from '../../api';
import { sendJson } from '../../apiSend';

/** Whether this browser can take Web Push at all (a secure context with a service worker). */
export const pushSupported = (): boolean => 'serviceWorker' in navigator && 'PushManager' in window && window.isSecureContext;

/**
 * How asking for notifications ended. Only `denied` means the person (or the browser's settings)
 * refused; every other failure has its own reason, so nobody is told "refused" when the cause
 * was a missing home-screen install, an unreachable push service or the server.
 */
export type PushOutcome =
  | { kind: 'on' }
  | { kind: 'denied' }
  | { kind: 'dismissed' }
  | { kind: 'install' }
  | { kind: 'unsupported' }
  | { kind: 'push-service'; detail: string }
  | { kind: 'server'; detail: string }
  | { kind: 'offline' };

const isAppleMobile = () => /iPhone|iPad|iPod/.test(navigator.userAgent);

/** Registers the service worker that shows pushed alerts (secure pages only; harmless elsewhere). */
export async function registerServiceWorker(): Promise<ServiceWorkerRegistration | null> {
  if (!('serviceWorker' in navigator) || !window.isSecureContext) return null;
  try {
    return await navigator.serviceWorker.register('/sw.js');
  } catch (e) {
    console.warn('roomwatch: service worker not registered', e);
    return null;
  }
}

function keyBytes(base64url: string): Uint8Array<ArrayBuffer> {
  const b64 = (base64url + '='.repeat((4 - (base64url.length % 4)) % 4)).replace(/-/g, '+').replace(/_/g, '/');
  const raw = atob(b64);
  const out = new Uint8Array(new ArrayBuffer(raw.length));
  for (let i = 0; i < raw.length; i++) out[i] = raw.charCodeAt(i);
  return out;
}

/**
 * Asks for permission, subscribes this browser with the server's VAPID key and registers the
 * subscription for the signed-in person.
 */
export async function subscribeToPush(): Promise<PushOutcome> {
  // Safari on iPhone and iPad offers push only to a page added to the home screen.
  if (!('PushManager' in window) && isAppleMobile()) return { kind: 'install' };
  if (!pushSupported() || !('Notification' in window)) return { kind: 'unsupported' };
  const permission = await Notification.requestPermission();
  if (permission === 'denied') return { kind: 'denied' };
  if (permission !== 'granted') return { kind: 'dismissed' };
  const fromServer = (e: unknown): PushOutcome => {
    const err = toApiError(e);
    return err.status === 0 ? { kind: 'offline' } : { kind: 'server', detail: err.message };
  };
  let publicKey: string;
  try {
    publicKey = (await getJson('/api/push/key', PushKey)).publicKey;
  } catch (e) {
    return fromServer(e);
  }
  let sub: PushSubscription;
  try {
    const reg = (await registerServiceWorker()) ?? (await navigator.serviceWorker.register('/sw.js'));
    await navigator.serviceWorker.ready;
    sub = (await reg.pushManager.getSubscription()) ?? (await reg.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: keyBytes(publicKey) }));
  } catch (e) {
    // The browser could not reach its vendor's push service (offline, blocked, or none in this build).
    return { kind: 'push-service', detail: e instanceof Error ? e.message : String(e) };
  }
  try {
    await sendJson('POST', '/api/push/subscriptions', sub.toJSON());
  } catch (e) {
    return fromServer(e);
  }
  return { kind: 'on' };
}
