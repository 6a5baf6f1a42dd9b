import { DisplayHeartbeat, SubscribeRequest, siteRoom, type DisplayHeartbeatAck, type SubscribeAck } from '../../shared/events';
import { credentialsOf, type ResolvePrincipal } from '../auth/authenticate';
import { revocationRooms } from '../auth/principal';
import { authorize } from '../auth/policy';
import { toErrorResponse } from '../errors';
import type { FloorService } from '../floor/floor.service';
import type { Logger } from '../logger';
import type { DisplayPresence } from './displayPresence';
import type { RoomwatchIo } from './realtime';

const SITE_ID_REQUIRED = { ok: false as const, error: { code: 'invalid_input', message: 'siteId is required', details: [{ path: 'siteId', message: 'required' }] } };

/** Socket.IO: who is connecting, and the subscribe / unsubscribe handlers. */
export function bindSocketHandlers(
  io: RoomwatchIo,
  deps: { floor: FloorService; resolve: ResolvePrincipal; log: Logger; displays?: DisplayPresence; clock?: (siteId: string) => number },
) {
  const clock = deps.clock ?? Date.now;
  io.use(async (socket, next) => {
    try {
      const principal = await deps.resolve(credentialsOf(socket.handshake.headers, (socket.handshake.auth as { token?: unknown })?.token));
      if (!principal) return next(new Error('unauthenticated'));
      socket.data.principal = principal;
      // Revoking the token, ending the session or changing the user disconnects this socket.
      await socket.join(revocationRooms(principal));
      next();
    } catch (err) {
      deps.log.warn({ err }, 'socket handshake failed');
      next(new Error('unavailable'));
    }
  });

  io.on('connection', (socket) => {
    socket.on('site:subscribe', async (raw, ack) => {
      if (typeof ack !== 'function') return; // a subscribe without ack cannot receive its snapshot
      const reply = (res: SubscribeAck) => ack(res);
      try {
        const parsed = SubscribeRequest.safeParse(raw);
        if (!parsed.success) {
          return reply(SITE_ID_REQUIRED);
        }
        const { siteId } = parsed.data;
        authorize(socket.data.principal, 'site:read', siteId);
        deps.floor.site(siteId);
        // Join before reading: a change landing in between arrives with a seq the
        // snapshot already covers, and the client drops it.
        await socket.join(siteRoom(siteId));
        reply({ ok: true, snapshot: await deps.floor.snapshot(siteId) });
      } catch (err) {
        const { status, body } = toErrorResponse(err);
        if (status >= 500) deps.log.error({ err }, 'site:subscribe failed');
        reply({ ok: false, error: body.error });
      }
    });
    // Wall screens say they are alive every 30 s; the ack carries the server's clock.
    socket.on('display:heartbeat', (raw, ack) => {
      const reply = (res: DisplayHeartbeatAck) => {
        if (typeof ack === 'function') ack(res);
      };
      try {
        const parsed = DisplayHeartbeat.safeParse(raw);
        if (!parsed.success) {
          return reply(SITE_ID_REQUIRED);
        }
        const { siteId } = parsed.data;
        const principal = authorize(socket.data.principal, 'display:heartbeat', siteId);
        deps.floor.site(siteId);
        const at = clock(siteId);
        deps.displays?.seen({ siteId, socketId: socket.id, principalId: principal.id, at });
        reply({ ok: true, serverTime: new Date(at).toISOString() });
      } catch (err) {
        const { status, body } = toErrorResponse(err);
        if (status >= 500) deps.log.error({ err }, 'display:heartbeat failed');
        reply({ ok: false, error: body.error });
      }
    });
    // The background safety net: a screen that heard nothing for a while asks for the seq alone
    // and resyncs only if it is behind (a change lost on the way, however unlikely).
    socket.on('site:seq', async (raw, ack) => {
      if (typeof ack !== 'function') return;
      try {
        const parsed = SubscribeRequest.safeParse(raw);
        if (!parsed.success) {
          return ack(SITE_ID_REQUIRED);
        }
        const { siteId } = parsed.data;
        authorize(socket.data.principal, 'site:read', siteId);
        ack({ ok: true, siteId, seq: await deps.floor.seq(siteId) });
      } catch (err) {
        const { status, body } = toErrorResponse(err);
        if (status >= 500) deps.log.error({ err }, 'site:seq failed');
        ack({ ok: false, error: body.error });
      }
    });
    socket.on('disconnect', () => deps.displays?.disconnected(socket.id));
    socket.on('site:unsubscribe', (raw) => {
      const parsed = SubscribeRequest.safeParse(raw);
      if (parsed.success) void socket.leave(siteRoom(parsed.data.siteId));
    });
  });
}
