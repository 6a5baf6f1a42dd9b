import { z } from 'zod';
import { BoothState, IncidentKind, RoomKind, Route, Substance, Role } from './vocabulary';
import { DatedHours, OpeningHours } from './siteConfig';
import { Incident } from './incidents';
import { LoadThresholds } from './loadLevel';
import { RoomStatus } from './openingHours';

// ---- Command bodies (HTTP and, later, the console's outbox) -------------------------------

/** Body of `POST …/booths/:boothId/check-in`. */
export const CheckInBody = z.strictObject({
  substance: Substance,
  route: Route,
  assisted: z.boolean().default(false),
});
export type CheckInBody = z.infer<typeof CheckInBody>;

/** Why a booth is out of service: a fixed list, so no free text about people can slip in. */
export const OutOfServiceReason = z.enum(['repair', 'biohazard', 'supplies', 'other']);
export type OutOfServiceReason = z.infer<typeof OutOfServiceReason>;

export const OutOfServiceBody = z.strictObject({ reason: OutOfServiceReason.default('other') });
export type OutOfServiceBody = z.infer<typeof OutOfServiceBody>;

/** Body of the commands that carry nothing (check-out, cleaned, back-in-service, registration). */
export const EmptyBody = z.strictObject({});

export const QueueBody = z.discriminatedUnion('op', [
  z.strictObject({ op: z.literal('join') }),
  /** A walk-away; `sentTo` records that staff sent the person to another site of the network. */
  z.strictObject({ op: z.literal('leave'), sentTo: z.string().regex(/^[a-z0-9][a-z0-9-]{0,39}$/, 'a site id').optional() }),
  z.strictObject({ op: z.literal('set'), count: z.number().int().min(0).max(500) }),
]);
export type QueueBody = z.infer<typeof QueueBody>;

export const StaffingBody = z.strictObject({ onShift: z.number().int().min(0).max(200) });
export type StaffingBody = z.infer<typeof StaffingBody>;

export const IncidentBody = z.strictObject({
  kind: IncidentKind,
  boothId: z.string().min(1).max(40).optional(),
  naloxone: z.boolean().default(false),
  ambulance: z.boolean().default(false),
});
export type IncidentBody = z.infer<typeof IncidentBody>;

/** How far ahead a lead may open a closed room early ("open now until …"). */
export const EARLY_OPENING_MAX_HOURS = 12;

/** Body of `POST /api/sites/:siteId/rooms/:roomId/open`: open a closed room now, until this instant. */
export const RoomOpenBody = z.strictObject({ until: z.iso.datetime({ offset: true }) });
export type RoomOpenBody = z.infer<typeof RoomOpenBody>;

/** How long after an action its author may still undo it. */
export const UNDO_WINDOW_MS = 30_000;

/** Body of `POST /api/sites/:siteId/undo`: the seq of one's own recent action to reverse. */
export const UndoBody = z.strictObject({ seq: z.number().int().min(1) });
export type UndoBody = z.infer<typeof UndoBody>;

/** `Idempotency-Key` header: opaque, printable, bounded. */
export const IdempotencyKey = z.string().regex(/^[A-Za-z0-9._:-]{8,128}$/, '8–128 characters of A–Z a–z 0–9 . _ : -');

// ---- Live state ------------------------------------------------------------------------

export const Booth = z.object({
  id: z.string(),
  roomId: z.string(),
  label: z.string(),
  kind: RoomKind,
  state: BoothState,
  /** ISO instant the booth entered its current state (null if never changed). */
  since: z.string().nullable(),
  substance: Substance.nullable(),
  route: Route.nullable(),
  assisted: z.boolean(),
  reason: z.string().nullable(),
});
export type Booth = z.infer<typeof Booth>;

const CountMap = <K extends string>(keys: readonly K[]) =>
  z.object(Object.fromEntries(keys.map((k) => [k, z.number()])) as Record<K, z.ZodNumber>);

/** A business day's counters, aggregated: no person appears in them. */
export const DayCounters = z.object({
  intakes: z.number(),
  bySubstance: CountMap(Substance.options),
  byRoute: CountMap(Route.options),
  assisted: z.number(),
  checkouts: z.number(),
  sessionMinutesTotal: z.number(),
  incidents: CountMap(IncidentKind.options),
  naloxone: z.number(),
  ambulance: z.number(),
  registrations: z.number(),
  queueJoins: z.number(),
  walkAways: z.number(),
  queueServed: z.number(),
  peakOccupied: z.number(),
  peakQueue: z.number(),
  /** Walk-aways sent to another site of the network, by site id (absent when none). */
  sentTo: z.record(z.string(), z.number()).optional(),
});
export type DayCounters = z.infer<typeof DayCounters>;

export const Snapshot = z.object({
  siteId: z.string(),
  seq: z.number().int(),
  /** Server time the snapshot was read. */
  at: z.string(),
  businessDate: z.string(),
  booths: z.array(Booth),
  queue: z.number().int(),
  onShift: z.number().int(),
  occupied: z.number().int(),
  counters: DayCounters,
  /** Intakes per local clock hour (index = hour 0–23) of the business day. */
  hourlyIntakes: z.array(z.number()).length(24),
  /** Each room, open now or not, and until / from when (at `at`; screens recompute it on the same clock). */
  rooms: z.array(RoomStatus),
  /** Open incidents and those opened in the last 30 minutes, oldest first. */
  incidents: z.array(Incident),
});
export type Snapshot = z.infer<typeof Snapshot>;

export const RoomInfo = z.object({
  id: z.string(),
  name: z.string(),
  kind: RoomKind,
  maxSessionMinutes: z.number(),
  openingHours: OpeningHours,
  /** Dated closures and temporary hours on top of `openingHours`. */
  datedHours: z.array(DatedHours).optional(),
  booths: z.array(z.object({ id: z.string(), label: z.string() })),
});
export type RoomInfo = z.infer<typeof RoomInfo>;

/** A demo site running on its own simulated clock: how fast, and from which simulated instant. */
export const SimulatedClock = z.object({ speed: z.number().positive(), startedAt: z.string() });
export type SimulatedClock = z.infer<typeof SimulatedClock>;

export const SiteInfo = z.object({
  id: z.string(),
  name: z.string(),
  timeZone: z.string(),
  businessDayStart: z.number(),
  demo: z.boolean(),
  rooms: z.array(RoomInfo),
  /** The load level's thresholds, from the site's alert settings. */
  load: LoadThresholds,
  /** Present while the site's traffic runs on a simulated clock (`npm start -- --demo`). */
  simulatedClock: SimulatedClock.optional(),
  /** The network of sites it belongs to (issue 18), if any. */
  network: z.string().optional(),
});
export type SiteInfo = z.infer<typeof SiteInfo>;

export const Health = z.object({
  status: z.enum(['ok', 'degraded']),
  store: z.enum(['redis', 'embedded']),
  redis: z.enum(['up', 'down']),
  note: z.string().optional(),
});
export type Health = z.infer<typeof Health>;

export const Me = z.object({ username: z.string(), displayName: z.string(), role: Role, sites: z.union([z.literal('*'), z.array(z.string())]) });
export type Me = z.infer<typeof Me>;

/** The error body of every non-2xx response. */
export const ErrorBody = z.object({
  error: z.object({ code: z.string(), message: z.string(), details: z.unknown().optional() }),
});
export type ErrorBody = z.infer<typeof ErrorBody>;

/** Reply to every successful floor command. */
export const CommandResult = z.object({
  seq: z.number().int(),
  booth: Booth.optional(),
  queue: z.number().int(),
  onShift: z.number().int(),
  occupied: z.number().int(),
  /** The incident a command recorded or closed, as it now stands. */
  incident: Incident.optional(),
  /** The room a lead opened early (or ended that), as it now stands. */
  room: RoomStatus.optional(),
});
export type CommandResult = z.infer<typeof CommandResult>;
