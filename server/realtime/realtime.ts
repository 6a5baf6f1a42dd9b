import type { Server } from 'socket.io';
import {
  siteRoom,
  type AlertChanged,
  type ClientToServerEvents,
  type InterServerEvents,
  type ServerToClientEvents,
  type SiteChanged,
  type SocketData,
} from '../../shared/events';
import type { SiteConfigChanged } from '../../shared/siteSettings';
import { keys } from '../store/keys';
import type { HandoverChanged } from '../../shared/handovers';

export type RoomwatchIo = Server<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;

/** The only way services publish live updates; they never touch `io` themselves. */
export interface Realtime {
  siteChanged(change: SiteChanged): void;
  alertChanged(change: AlertChanged): void;
  /** A site's settings changed: tells its open screens, and the other instances to reload it. */
  siteConfigChanged(change: SiteConfigChanged): void;
  /** A shift handover was made or read (issue 19). */
  handoverChanged(change: HandoverChanged): void;
  /** This instance's screens of a site must take a fresh snapshot (the store failed over or came back). */
  siteResync(siteId: string): void;
}

export function createRealtime(io: RoomwatchIo, publish: (channel: string, message: string) => unknown, interServer = false): Realtime {
  return {
    // Only for changes the command script did not publish itself (ROOMWATCH_REDIS_WAIT_REPLICAS):
    // on the same live channel, so every instance's relay (liveRelay.ts) hands it to its screens.
    siteChanged: (change) => void publish(keys.live(change.siteId), JSON.stringify(change)),
    alertChanged: (change) => void io.to(siteRoom(change.siteId)).emit('alert:changed', change),
    siteConfigChanged: (change) => {
      io.to(siteRoom(change.siteId)).emit('site:configChanged', change);
      // Only an adapter that reaches other instances (Redis) supports this; alone there is nobody to tell.
      if (interServer) io.serverSideEmit('site:configChanged', change.siteId);
    },
    handoverChanged: (change) => void io.to(siteRoom(change.siteId)).emit('handover:changed', change),
    // Local only: every instance sees its own connection to the store come back.
    siteResync: (siteId) => void io.local.to(siteRoom(siteId)).emit('site:resync', { siteId }),
  };
}
