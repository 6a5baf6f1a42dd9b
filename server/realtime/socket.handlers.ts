import { SubscribeRequest, siteRoom, type SubscribeAck } from '../../shared/events';
import type { ResolvePrincipal } from '../auth/authenticate';
import { authorize } from '../auth/policy';
import { toErrorResponse } from '../errors';
import type { FloorService } from '../floor/floor.service';
import type { Logger } from '../logger';
import type { RoomwatchIo } from './realtime';

/** Socket.IO: who is connecting, and the subscribe / unsubscribe handlers. */
export function bindSocketHandlers(io: RoomwatchIo, deps: { floor: FloorService; resolve: ResolvePrincipal; log: Logger }) {
  io.use(async (socket, next) => {
    const principal = await deps.resolve({ ...socket.handshake.headers });
    if (!principal) return next(new Error('unauthenticated'));
    socket.data.principal = principal;
    next();
  });

  io.on('connection', (socket) => {
    socket.on('site:subscribe', async (raw, ack) => {
      if (typeof ack !== 'function') return; // a subscribe without ack cannot receive its snapshot
      const reply = (res: SubscribeAck) => ack(res);
      try {
        const parsed = SubscribeRequest.safeParse(raw);
        if (!parsed.success) {
          return reply({ ok: false, error: { code: 'invalid_input', message: 'siteId is required', details: [{ path: 'siteId', message: 'required' }] } });
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
    socket.on('site:unsubscribe', (raw) => {
      const parsed = SubscribeRequest.safeParse(raw);
      if (parsed.success) void socket.leave(siteRoom(parsed.data.siteId));
    });
  });
}
