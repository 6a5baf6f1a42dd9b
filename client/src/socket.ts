import { io, type Socket } from 'socket.io-client';
import { SubscribeAck, type ClientToServerEvents, type ServerToClientEvents } from '../../shared/events';

export type RoomwatchSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/**
 * The app's single live connection. It lives outside Pinia state because a socket is neither
 * serialisable nor meant to be reactive; stores bind its events once in their setup.
 * Websocket only: no long-polling fallback, so sticky sessions are not needed behind a balancer.
 */
export const socket: RoomwatchSocket = io({
  transports: ['websocket'],
  autoConnect: false,
  reconnection: true,
  reconnectionDelay: 1_000,
  reconnectionDelayMax: 15_000,
  randomizationFactor: 0.5,
  withCredentials: true,
});

/** Opens the connection if nothing has yet; later reconnects are socket.io's own. */
export function ensureConnected(): void {
  if (!socket.connected && !socket.active) socket.connect();
}

/** Runtime check of the `site:subscribe` acknowledgement (the shared type alone validates nothing). */
export const SubscribeAckSchema = SubscribeAck;

/**
 * After sign-in or sign-out the live connection must carry the new cookie, which is only sent
 * with a new handshake: reconnect an open (or retrying) socket, or just close it on sign-out.
 */
export function renewConnection(signedIn: boolean): void {
  const wasActive = socket.active || socket.connected;
  socket.disconnect();
  if (signedIn && wasActive) socket.connect();
}
