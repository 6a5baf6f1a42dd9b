import { PushKey } from '../../../../shared/alerts/schema';
import { getJson } from '../../api';
import { sendJson } from '../../apiSend';

/** Whether this browser can take Web Push at all (a secure context with a service worker). */
export const pushSupported = (): boolean => 'serviceWorker' in navigator && 'PushManager' in window && window.isSecureContext;

function keyBytes(base64url: string): Uint8Array<ArrayBuffer> {
  const b64 = (base64url + '='.repeat((4 - (base64url.length % 4)) % 4)).replace(/-/g, '+').replace(/_/g, '/');
  const raw = atob(b64);
  const out = new Uint8Array(new ArrayBuffer(raw.length));
  for (let i = 0; i < raw.length; i++) out[i] = raw.charCodeAt(i);
  return out;
}

/**
 * Asks for permission, subscribes this browser with the server's VAPID key and registers the
 * subscription for the signed-in person. Resolves false when permission is refused.
 */
export async function subscribeToPush(): Promise<boolean> {
  if (!pushSupported()) return false;
  if ((await Notification.requestPermission()) !== 'granted') return false;
  const reg = await navigator.serviceWorker.register('/sw.js');
  await navigator.serviceWorker.ready;
  const { publicKey } = await getJson('/api/push/key', PushKey);
  const sub = (await reg.pushManager.getSubscription()) ?? (await reg.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: keyBytes(publicKey) }));
  await sendJson('POST', '/api/push/subscriptions', sub.toJSON());
  return true;
}
