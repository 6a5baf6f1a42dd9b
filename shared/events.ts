import { z } from 'zod';
import { Booth, DayCounters, ErrorBody, Snapshot } from './api';
import { Incident } from './incidents';
import { EarlyOpening } from './openingHours';
import type { AlertChanged } from './alerts/schema';
import type { SiteConfigChanged } from './siteSettings';

export { AlertChanged } from './alerts/schema';

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
  /** An open incident closed with its outcome. */
  'incident-close',
  /** A lead opened a closed room early (until a given time), or ended that early opening. */
  'room-open',
  'room-close',
  /** A compensating command: reverses an earlier event (its seq is in the log entry's `undoes`). */
  'undo',
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
  /** An incident recorded, closed or reopened: its new state (replace by id). */
  incident: Incident.optional(),
  /** An incident whose recording was undone: remove it. */
  removedIncident: z.string().optional(),
  /** A room's early opening after the change (null: none). */
  room: z.object({ id: z.string(), openedEarly: EarlyOpening.nullable() }).optional(),
});
export type SiteChanged = z.infer<typeof SiteChanged>;

/**
 * Payload of `site:changes`: several changes of one site in one frame, ascending and gapless by
 * `seq`, sent instead of one `site:changed` each when a site changes faster than screens need.
 */
export const SiteChanges = z.object({ siteId: z.string(), changes: z.array(SiteChanged).min(1) });
export type SiteChanges = z.infer<typeof SiteChanges>;

export const SubscribeRequest = z.strictObject({ siteId: z.string().min(1).max(40) });
export type SubscribeRequest = z.infer<typeof SubscribeRequest>;

/** Acknowledgement of `site:subscribe`: the snapshot to start from, or why not. */
export const SubscribeAck = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), snapshot: Snapshot }),
  z.object({ ok: z.literal(false), error: ErrorBody.shape.error }),
]);
export type SubscribeAck = z.infer<typeof SubscribeAck>;

/** Acknowledgement of `site:seq`: the site's current `seq` (a quiet screen checks it is not behind). */
export const SeqAck = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), siteId: z.string(), seq: z.number().int() }),
  z.object({ ok: z.literal(false), error: ErrorBody.shape.error }),
]);
export type SeqAck = z.infer<typeof SeqAck>;

/** Payload of `display:heartbeat`: a wall screen showing `siteId` says it is alive. */
export const DisplayHeartbeat = z.strictObject({ siteId: z.string().min(1).max(40) });
export type DisplayHeartbeat = z.infer<typeof DisplayHeartbeat>;

/** Acknowledgement of `display:heartbeat`: the server's clock, so the screen knows the link is alive. */
export const DisplayHeartbeatAck = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), serverTime: z.string() }),
  z.object({ ok: z.literal(false), error: ErrorBody.shape.error }),
]);
export type DisplayHeartbeatAck = z.infer<typeof DisplayHeartbeatAck>;

/** Events the server emits (socket.io `ServerToClientEvents`). */
export interface ServerToClientEvents {
  'site:changed': (change: SiteChanged) => void;
  /** Several changes in one frame (ascending, gapless seqs); a client applies them as if each came alone. */
  'site:changes': (frame: SiteChanges) => void;
  /** An alert of the site changed (opened, fired, worsened, acknowledged, resolved, …); fetch `GET …/alerts?state=active` on subscribe. */
  'alert:changed': (change: AlertChanged) => void;
  /** The site's settings changed (rooms, booths, hours): replace its `SiteInfo`; a booth change also needs a fresh snapshot. */
  'site:configChanged': (change: SiteConfigChanged) => void;
  /**
   * The store came back after an outage or a failover: what a screen holds may be ahead of what
   * the store kept. Subscribe again and take the fresh snapshot even if its `seq` is lower.
   */
  'site:resync': (req: SubscribeRequest) => void;
  /** A shift handover was made (show it to the incoming shift until read) or marked read. */
  'handover:changed': (change: import('./handovers').HandoverChanged) => void;
  /** The other sites of a followed site's network changed (at most about once a second, and when hours flip): replace the summary. */
  'network:changed': (summary: import('./network').NetworkSummary) => void;
}

/** Events a client emits (socket.io `ClientToServerEvents`). */
export interface ClientToServerEvents {
  'site:subscribe': (req: SubscribeRequest, ack: (res: SubscribeAck) => void) => void;
  'site:unsubscribe': (req: SubscribeRequest) => void;
  /** The site's current `seq` only (one Redis GET): a screen that heard nothing for a while checks it is not behind. */
  'site:seq': (req: SubscribeRequest, ack: (res: SeqAck) => void) => void;
  /** Every 30 s from a wall screen; the server records when each screen was last seen. */
  'display:heartbeat': (req: DisplayHeartbeat, ack: (res: DisplayHeartbeatAck) => void) => void;
  /** Follow the other sites of `siteId`'s network; the ack carries the summary, then `network:changed` follows. */
  'network:subscribe': (req: SubscribeRequest, ack: (res: import('./network').NetworkAck) => void) => void;
  'network:unsubscribe': (req: SubscribeRequest) => void;
}

/** Events between server instances (`serverSideEmit` over the Redis adapter). */
export interface InterServerEvents {
  /** A site's config was saved on another instance: reload it from the store. */
  'site:configChanged': (siteId: string) => void;
}

/** Who is calling: a signed-in person (session cookie) or a token (API key, wall screen). */
export interface PrincipalInfo {
  kind: 'user' | 'token' | 'anonymous';
  /** Username, or token id. */
  id: string;
  role: import('./vocabulary').Role;
  /** `'*'` for every site, else the site ids this principal may see. */
  sites: '*' | string[];
  displayName?: string;
  /** Set for cookie sessions: the stored (hashed) session id. */
  sessionHash?: string;
}

/** What the server keeps on each socket after the handshake. */
export interface SocketData {
  principal: PrincipalInfo;
}

/** Socket.IO room name of a site's live updates. */
export const siteRoom = (siteId: string): string => `site:${siteId}`;
