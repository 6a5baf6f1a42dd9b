import { z } from 'zod';
import { addDays, CalendarDate } from './calendar';
import { zonedEpoch, zonedParts } from './zonedTime';
import { plannedStaff } from './forecast';
import type { StaffingPlan } from './siteConfig';
import { IncidentKind, RoomKind, Substance, SUBSTANCES, type RoomKind as Kind } from './vocabulary';
import { RuleId, Severity } from './alerts/settings';
import { AlertDetail } from './alerts/schema';
import { IncidentOutcome } from './incidents';

/** Longest note an outgoing lead may leave: what happened and what is left to do, never about a person. */
export const HANDOVER_NOTE_MAX = 500;

/** Body of `POST /api/sites/:siteId/handovers` (close the shift from the console). */
export const CloseShiftBody = z.strictObject({
  note: z.string().trim().max(HANDOVER_NOTE_MAX, `at most ${HANDOVER_NOTE_MAX} characters`).optional(),
});
export type CloseShiftBody = z.infer<typeof CloseShiftBody>;

/** Query of `GET /api/sites/:siteId/handovers`: site-local calendar dates of the handovers' ends (default the last 14 days). */
export const HandoversQuery = z.strictObject({ from: CalendarDate.optional(), to: CalendarDate.optional() });
export type HandoversQuery = z.infer<typeof HandoversQuery>;

const Count = z.number().int();
const ByKind = z.record(RoomKind, Count);
const BySubstance = z.record(Substance, Count);

/** What happened in one span: every figure is a sum of the event log's entries in it (undone ones left out). */
export const HandoverSummary = z.object({
  /** Events counted (the event log's seqs `fromSeq + 1 … toSeq`, less undone ones and the undos). */
  events: Count,
  intakes: z.object({
    total: Count,
    assisted: Count,
    byKind: ByKind,
    bySubstance: BySubstance,
    byKindSubstance: z.record(RoomKind, BySubstance),
  }),
  /** Highest places in use and queue during the span (including the state it started with). */
  peaks: z.object({ occupied: Count, queue: Count }),
  queue: z.object({
    joined: Count,
    /** People who gave up waiting. */
    walkAways: Count,
    /** Walk-aways sent to another site of the network, by site id (`POST …/queue {op: "leave", sentTo}`). */
    sentTo: z.record(z.string(), Count),
  }),
  registrations: Count,
  incidents: z.array(
    z.object({
      seq: Count,
      /** When it was recorded; null for an incident recorded before the span and closed in it. */
      at: z.string().nullable(),
      kind: IncidentKind,
      boothId: z.string().nullable(),
      naloxone: z.boolean(),
      ambulance: z.boolean(),
      /** How it ended, once a staff member closed it (still open at the handover: absent). */
      outcome: IncidentOutcome.optional(),
      closedAt: z.string().optional(),
    }),
  ),
  alerts: z.array(
    z.object({
      id: z.string(),
      rule: RuleId,
      severity: Severity,
      detail: AlertDetail,
      firedAt: z.string().nullable(),
      resolvedAt: z.string().nullable(),
      acks: z.array(z.object({ at: z.string(), by: z.string(), severity: Severity.nullable(), comment: z.string().nullable() })),
    }),
  ),
  /** Places out of service during the span (or still at its end), why, and when they came back. */
  outOfService: z.array(z.object({ boothId: z.string(), reason: z.string().nullable(), since: z.string().nullable(), backAt: z.string().nullable() })),
  /** Per hour of the span: staff planned (null without a plan) against the fewest and most on shift. */
  staffing: z.array(z.object({ start: z.string(), planned: Count.nullable(), minOnShift: Count, maxOnShift: Count })),
});
export type HandoverSummary = z.infer<typeof HandoverSummary>;

export const Handover = z.object({
  id: z.string(),
  siteId: z.string(),
  /** `scheduled`: made at a configured shift-change time; `closed`: a lead closed the shift. */
  kind: z.enum(['scheduled', 'closed']),
  from: z.string(),
  to: z.string(),
  fromSeq: Count,
  toSeq: Count,
  /** The configured shift change this handover stands for (a close shortly before it takes its place). */
  shiftChange: z.string().nullable(),
  closedBy: z.string().nullable(),
  note: z.string().nullable(),
  createdAt: z.string(),
  readAt: z.string().nullable(),
  readBy: z.string().nullable(),
  summary: HandoverSummary,
});
export type Handover = z.infer<typeof Handover>;

export const HandoverList = z.object({ siteId: z.string(), handovers: z.array(Handover) });
export type HandoverList = z.infer<typeof HandoverList>;

/** Payload of `handover:changed`: a new handover for the incoming shift, or one marked read. */
export const HandoverChanged = z.object({ siteId: z.string(), kind: z.enum(['created', 'read']), handover: Handover });
export type HandoverChanged = z.infer<typeof HandoverChanged>;

// ---- Shift-change times ----------------------------------------------------------------------

const atLocal = (date: string, hhmm: string, timeZone: string): number => {
  const [h, m] = hhmm.split(':').map(Number) as [number, number];
  // 'compatible': a time skipped by spring DST moves forward an hour; a repeated one takes the first.
  return zonedEpoch(date, (h % 24) * 60 + m, timeZone) + (h === 24 ? 86_400_000 : 0);
};

/** The configured shift changes (local `HH:MM`) as instants, around `nowMs` (two days back, one ahead), ascending. */
export function shiftChangeInstants(times: readonly string[], timeZone: string, nowMs: number): number[] {
  const today = zonedParts(nowMs, timeZone).date;
  const out = new Set<number>();
  for (const d of [-2, -1, 0, 1]) for (const t of times) out.add(atLocal(addDays(today, d), t, timeZone));
  return [...out].sort((a, b) => a - b);
}

/** The latest configured shift change at or before `nowMs`, or null without configured times. */
export function lastShiftChange(times: readonly string[], timeZone: string, nowMs: number): number | null {
  const past = shiftChangeInstants(times, timeZone, nowMs).filter((t) => t <= nowMs);
  return past.at(-1) ?? null;
}

/** The next configured shift change after `nowMs`, or null. */
export function nextShiftChange(times: readonly string[], timeZone: string, nowMs: number): number | null {
  return shiftChangeInstants(times, timeZone, nowMs).find((t) => t > nowMs) ?? null;
}

// ---- The summary -------------------------------------------------------------------------------

/** One event-log entry as the summary reads it: its seq and its fields. */
export interface SpanEvent {
  seq: number;
  fields: Record<string, string>;
}

export interface SummaryInput {
  /** The events with seq in (fromSeq, toSeq], oldest first. */
  events: readonly SpanEvent[];
  /** Seqs undone by any undo up to now (also after the span): left out. */
  undone: ReadonlySet<number>;
  /** The room kind of a booth. */
  kindOf: (boothId: string) => Kind | undefined;
  /** Queue, places in use and staff on shift as the span starts. */
  start: { queue: number; occupied: number; onShift: number };
  /** Booths out of service when the summary is made (state since, reason). */
  outOfServiceNow: ReadonlyArray<{ boothId: string; since: number | null; reason: string | null }>;
  fromMs: number;
  toMs: number;
  alerts: HandoverSummary['alerts'];
  plan: StaffingPlan | undefined;
  timeZone: string;
}

const zeroSubstances = (): Record<Substance, number> => Object.fromEntries(SUBSTANCES.map((s) => [s, 0])) as Record<Substance, number>;
const iso = (ms: number) => new Date(ms).toISOString();
const HOUR = 3_600_000;
/** A handover never lists more hours of staffing than this (a span after a long outage). */
const MAX_STAFFING_HOURS = 48;

/**
 * The summary of a span from its events: pure, so the server and the tests count the same way.
 * Intakes, walk-aways, registrations and incidents are sums over the events; peaks follow the
 * queue and places in use each event left (`q`, `occ`); staffing follows `staff`.
 */
export function summarise(input: SummaryInput): HandoverSummary {
  const s: HandoverSummary = {
    events: 0,
    intakes: { total: 0, assisted: 0, byKind: { injection: 0, inhalation: 0 }, bySubstance: zeroSubstances(), byKindSubstance: { injection: zeroSubstances(), inhalation: zeroSubstances() } },
    peaks: { occupied: input.start.occupied, queue: input.start.queue },
    queue: { joined: 0, walkAways: 0, sentTo: {} },
    registrations: 0,
    incidents: [],
    alerts: input.alerts,
    outOfService: [],
    staffing: [],
  };
  const oos = new Map<string, HandoverSummary['outOfService'][number]>();
  const staffChanges: Array<{ at: number; onShift: number }> = [];
  for (const { seq, fields: f } of input.events) {
    const at = Number(f.at ?? 0);
    if (f.q !== undefined) s.peaks.queue = Math.max(s.peaks.queue, Number(f.q));
    if (f.occ !== undefined) s.peaks.occupied = Math.max(s.peaks.occupied, Number(f.occ));
    if (f.staff !== undefined) staffChanges.push({ at, onShift: Number(f.staff) });
    if (f.type === 'undo' || input.undone.has(seq)) continue;
    s.events++;
    switch (f.type) {
      case 'check-in': {
        const sub = (Substance.safeParse(f.substance).data ?? 'unknown') as Substance;
        const kind = f.booth ? input.kindOf(f.booth) : undefined;
        s.intakes.total++;
        s.intakes.bySubstance[sub]++;
        if (f.assisted === '1') s.intakes.assisted++;
        if (kind) {
          s.intakes.byKind[kind]++;
          s.intakes.byKindSubstance[kind][sub]++;
        }
        break;
      }
      case 'queue-join':
        s.queue.joined++;
        break;
      case 'queue-leave':
        s.queue.walkAways++;
        if (f.sentTo) s.queue.sentTo[f.sentTo] = (s.queue.sentTo[f.sentTo] ?? 0) + 1;
        break;
      case 'registration':
        s.registrations++;
        break;
      case 'incident': {
        const kind = IncidentKind.safeParse(f.kind).data ?? 'other';
        s.incidents.push({ seq, at: iso(at), kind, boothId: f.booth || null, naloxone: f.naloxone === '1', ambulance: f.ambulance === '1' });
        break;
      }
      case 'incident-close': {
        // The incident's id is the seq that recorded it; one recorded before the span is listed too.
        const id = Number(f.incident);
        let inc = s.incidents.find((i) => i.seq === id);
        if (!inc) {
          inc = { seq: id, at: null, kind: IncidentKind.safeParse(f.kind).data ?? 'other', boothId: null, naloxone: false, ambulance: false };
          s.incidents.push(inc);
        }
        const outcome = IncidentOutcome.safeParse(f.outcome).data;
        if (outcome) inc.outcome = outcome;
        inc.closedAt = iso(at);
        if (f.addNaloxone === '1') inc.naloxone = true;
        if (f.addAmbulance === '1') inc.ambulance = true;
        break;
      }
      case 'out-of-service':
        if (f.booth) oos.set(f.booth, { boothId: f.booth, reason: f.reason || null, since: iso(at), backAt: null });
        break;
      case 'back-in-service':
        if (f.booth) {
          const o = oos.get(f.booth) ?? { boothId: f.booth, reason: f.prevReason || null, since: f.prevSince ? iso(Number(f.prevSince)) : null, backAt: null };
          oos.set(f.booth, { ...o, backAt: iso(at) });
        }
        break;
    }
  }
  // Still out of service when the span ended, taken out before it began.
  for (const b of input.outOfServiceNow) {
    if (oos.has(b.boothId) || (b.since !== null && b.since > input.toMs)) continue;
    oos.set(b.boothId, { boothId: b.boothId, reason: b.reason, since: b.since === null ? null : iso(b.since), backAt: null });
  }
  s.outOfService = [...oos.values()].sort((a, b) => a.boothId.localeCompare(b.boothId));
  s.staffing = staffingByHour(input, staffChanges);
  return s;
}

/** Each hour of the span (on the hour, in real time, so DST days get 23 or 25 rows): plan against the fewest and most on shift. */
function staffingByHour(input: SummaryInput, changes: ReadonlyArray<{ at: number; onShift: number }>): HandoverSummary['staffing'] {
  const rows: HandoverSummary['staffing'] = [];
  let onShift = input.start.onShift;
  let i = 0;
  const first = Math.floor(input.fromMs / HOUR) * HOUR;
  for (let t = first; t < input.toMs && rows.length < MAX_STAFFING_HOURS; t += HOUR) {
    const end = Math.min(t + HOUR, input.toMs);
    let min = onShift;
    let max = onShift;
    while (i < changes.length && changes[i]!.at < end) {
      onShift = changes[i]!.onShift;
      min = Math.min(min, onShift);
      max = Math.max(max, onShift);
      i++;
    }
    const local = zonedParts(Math.max(t, input.fromMs), input.timeZone);
    rows.push({ start: iso(Math.max(t, input.fromMs)), planned: plannedStaff(input.plan, local.date, local.hour), minOnShift: min, maxOnShift: max });
  }
  return rows;
}

/** Local `HH:MM` of an ISO instant in a zone. */
export function localHourMinute(isoInstant: string, timeZone: string): string {
  const at = Date.parse(isoInstant);
  if (!Number.isFinite(at)) throw new RangeError(`not an instant: ${isoInstant}`);
  const z = zonedParts(at, timeZone);
  return `${String(z.hour).padStart(2, '0')}:${String(z.minute).padStart(2, '0')}`;
}

/** One line about a handover, Danish or English: "[Skyen] Shift handover 15:00–23:00: 312 intakes, …". */
export function handoverHeadline(h: Pick<Handover, 'from' | 'to' | 'summary'>, siteName: string, timeZone: string, locale: string): string {
  const s = h.summary;
  const naloxone = s.incidents.filter((i) => i.naloxone).length;
  const span = `${localHourMinute(h.from, timeZone)}–${localHourMinute(h.to, timeZone)}`;
  return locale.startsWith('da')
    ? `[${siteName}] Vagtoverlevering ${span}: ${s.intakes.total} indtag, ${s.queue.walkAways} gik fra køen, ${s.incidents.length} hændelser (${naloxone} med naloxon), ${s.alerts.length} alarmer`
    : `[${siteName}] Shift handover ${span}: ${s.intakes.total} intakes, ${s.queue.walkAways} walk-aways, ${s.incidents.length} incidents (${naloxone} with naloxone), ${s.alerts.length} alerts`;
}
