import { SubscribeRequest } from '../../shared/events';
import { networkRoom, type NetworkAck } from '../../shared/network';
import { authorize } from '../auth/policy';
import { toErrorResponse } from '../errors';
import type { Logger } from '../logger';
import type { RoomwatchIo } from '../realtime/realtime';
import type { NetworkPush, NetworkService } from './network.service';

/**
 * `network:subscribe` / `network:unsubscribe`: a screen of a site follows the other sites of its
 * network. Only the site itself is checked (a display token of Skyen sees H17's summary through
 * Skyen's network, never H17's snapshot).
 */
export function bindNetworkSockets(io: RoomwatchIo, deps: { network: NetworkService; log: Logger }): void {
  io.on('connection', (socket) => {
    socket.on('network:subscribe', async (raw, ack) => {
      if (typeof ack !== 'function') return;
      const reply = (res: NetworkAck) => ack(res);
      try {
        const parsed = SubscribeRequest.safeParse(raw);
        if (!parsed.success) {
          return reply({ ok: false, error: { code: 'invalid_input', message: 'siteId is required', details: [{ path: 'siteId', message: 'required' }] } });
        }
        const { siteId } = parsed.data;
        authorize(socket.data.principal, 'site:read', siteId);
        // Join before reading: a push in between carries news the summary already holds.
        await socket.join(networkRoom(siteId));
        reply({ ok: true, summary: await deps.network.summary(siteId) });
      } catch (err) {
        const { status, body } = toErrorResponse(err);
        if (status >= 500) deps.log.error({ err }, 'network:subscribe failed');
        await socket.leave(networkRoom(String((raw as { siteId?: unknown } | null)?.siteId ?? '')));
        reply({ ok: false, error: body.error });
      }
    });
    socket.on('network:unsubscribe', (raw) => {
      const parsed = SubscribeRequest.safeParse(raw);
      if (parsed.success) void socket.leave(networkRoom(parsed.data.siteId));
    });
  });
}

/** Sends summaries to this instance's own followers (every instance computes its own, from Redis). */
export function localNetworkPush(io: RoomwatchIo): NetworkPush {
  return {
    followed: (siteId) => (io.of('/').adapter.rooms.get(networkRoom(siteId))?.size ?? 0) > 0,
    send: (summary) => void io.local.to(networkRoom(summary.siteId)).emit('network:changed', summary),
  };
}
