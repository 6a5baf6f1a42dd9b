import type { PrincipalInfo } from '../../shared/events';

/** Who is calling (shared with the socket layer's `SocketData`). */
export type Principal = PrincipalInfo;

/** Socket.IO rooms a principal's sockets join, so revoking it can disconnect them at once. */
export function revocationRooms(p: Principal): string[] {
  const rooms = [`auth:${p.kind}:${p.id}`];
  if (p.sessionHash) rooms.push(`auth:session:${p.sessionHash}`);
  return rooms;
}
