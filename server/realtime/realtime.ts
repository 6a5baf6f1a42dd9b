import type { Server } from 'socket.io';
import {
  siteRoom,
  type ClientToServerEvents,
  type InterServerEvents,
  type ServerToClientEvents,
  type SiteChanged,
  type SocketData,
} from '../../shared/events';

export type RoomwatchIo = Server<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;

/** The only way services publish live updates; they never touch `io` themselves. */
export interface Realtime {
  siteChanged(change: SiteChanged): void;
}

export function createRealtime(io: RoomwatchIo): Realtime {
  return {
    // One emit to the site's room: socket.io encodes the packet once for every receiver,
    // and the Redis adapter forwards it once to the other instances.
    siteChanged: (change) => void io.to(siteRoom(change.siteId)).emit('site:changed', change),
  };
}
