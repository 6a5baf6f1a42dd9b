import { io, type Socket } from 'socket.io-client';
import type { ClientToServerEvents, ServerToClientEvents, SiteChanged, SubscribeAck } from '../../shared/events';

export type TestSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/** A typed Socket.IO client over WebSocket that records every change (`site:changed`, or each of a `site:changes` frame) in arrival order. */
export async function connectClient(baseUrl: string, token?: string, extraHeaders?: Record<string, string>): Promise<{ socket: TestSocket; changes: SiteChanged[]; subscribe: (siteId: string) => Promise<SubscribeAck>; next: (pred?: (c: SiteChanged) => boolean, timeoutMs?: number) => Promise<SiteChanged> }> {
  const socket: TestSocket = io(baseUrl, { transports: ['websocket'], forceNew: true, reconnection: true, reconnectionDelay: 100, ...(token ? { auth: { token } } : {}), ...(extraHeaders ? { extraHeaders } : {}) });
  const changes: SiteChanged[] = [];
  const waiters: Array<{ pred: (c: SiteChanged) => boolean; resolve: (c: SiteChanged) => void }> = [];
  const receive = (c: SiteChanged) => {
    changes.push(c);
    for (const w of [...waiters]) {
      if (w.pred(c)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(c);
      }
    }
  };
  socket.on('site:changed', receive);
  // A busy site's frame: its changes in the order they came, as if each had come alone.
  socket.on('site:changes', (frame) => frame.changes.forEach(receive));
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', reject);
  });
  return {
    socket,
    changes,
    subscribe: (siteId) => socket.timeout(5_000).emitWithAck('site:subscribe', { siteId }),
    next: (pred = () => true, timeoutMs = 5_000) =>
      new Promise<SiteChanged>((resolve, reject) => {
        const seen = changes.find(pred);
        if (seen) return resolve(seen);
        const t = setTimeout(() => reject(new Error('no matching site:changed in time')), timeoutMs);
        waiters.push({ pred, resolve: (c) => (clearTimeout(t), resolve(c)) });
      }),
  };
}
