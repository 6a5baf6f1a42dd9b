import { z } from 'zod';
import { Booth, DayCounters, ErrorBody, Snapshot } from './api';

/** What happened, as recorded in the site's event log and pushed to screens. */
export const EventType = z.enum([
  'check-in',
  'check-out',
  'cleaned',
  'out-of-service',
  'back-in-service',
  'queue-join',
  'queue-leave',
  'queue-set',
  'staffing',
  'incident',
  'registration',
]);
export type EventType = z.infer<typeof EventType>;

/**
 * Payload of `site:changed`: the new state of everything the change touched, so a client
 * applies it by replacing, never by adding — a duplicate delivery cannot double anything.
 */
export const SiteChanged = z.object({
  siteId: z.string(),
  seq: z.number().int(),
  at: z.string(),
  type: EventType,
  businessDate: z.string(),
  booth: Booth.optional(),
  queue: z.number().int(),
  onShift: z.number().int(),
  occupied: z.number().int(),
  counters: DayCounters,
  /** The clock hour the event was counted in, and that hour's intakes after it. */
  hour: z.number().int(),
  hourIntakes: z.number(),
});
export type SiteChanged = z.infer<typeof SiteChanged>;

export const SubscribeRequest = z.strictObject({ siteId: z.string().min(1).max(40) });
export type SubscribeRequest = z.infer<typeof SubscribeRequest>;

/** Acknowledgement of `site:subscribe`: the snapshot to start from, or why not. */
export const SubscribeAck = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), snapshot: Snapshot }),
  z.object({ ok: z.literal(false), error: ErrorBody.shape.error }),
]);
export type SubscribeAck = z.infer<typeof SubscribeAck>;

/** Events the server emits (socket.io `ServerToClientEvents`). */
export interface ServerToClientEvents {
  'site:changed': (change: SiteChanged) => void;
}

/** Events a client emits (socket.io `ClientToServerEvents`). */
export interface ClientToServerEvents {
  'site:subscribe': (req: SubscribeRequest, ack: (res: SubscribeAck) => void) => void;
  'site:unsubscribe': (req: SubscribeRequest) => void;
}

/** Events between server instances (none yet; the Redis adapter carries the broadcasts). */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface InterServerEvents {}

/** What the server keeps on each socket after the handshake. */
export interface SocketData {
  principal: { kind: 'user' | 'token' | 'anonymous'; id: string; role: import('./vocabulary').Role; sites: '*' | string[] };
}

/** Socket.IO room name of a site's live updates. */
export const siteRoom = (siteId: string): string => `site:${siteId}`;
