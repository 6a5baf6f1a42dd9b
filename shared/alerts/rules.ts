import type { Snapshot } from '../api';
import { ALWAYS_ON_RULES, CAPACITY_RULES, maxSeverity, UNSILENCEABLE_RULES, type RuleId, type RuleSettings, type Severity } from './settings';
import type { AlertDetail } from './schema';

/** Figures of one forecast hour, placed on the time line. */
export interface ForecastSlot {
  /** Epoch ms the hour starts. */
  start: number;
  expectedIntakes: number;
  recommendedStaff: number;
  plannedStaff: number | null;
}

/** The next payday as the payday-ahead rule needs it (the engine fills it from the forecast). */
export interface PaydayOutlook {
  date: string;
  /** Epoch ms: the day before, at the rule's hour (site zone). */
  notifyFrom: number;
  /** Epoch ms: the end of the payday's business day. */
  until: number;
  expectedTotal: number;
  /** Peak recommended staff of the day and the planned staff at that hour (null: no plan). */
  recommendedStaff: number;
  plannedStaff: number | null;
}

/** A room as the rules see it: open now or not (from its opening hours), its booths and limit. */
export interface RoomState {
  id: string;
  /** The room's name, so a welfare check names room and place ("Injektion, place 3"). */
  name?: string;
  open: boolean;
  maxSessionMinutes: number;
  boothIds: readonly string[];
}

/** Everything the rules read. Pure data: the engine gathers it, tests build it by hand. */
export interface AlertInput {
  now: number;
  snapshot: Pick<Snapshot, 'booths' | 'queue' | 'onShift' | 'occupied'>;
  rooms: readonly RoomState[];
  /** Instants (ms) of overdoses recorded recently (undone ones removed), any order. */
  overdoses: readonly number[];
  /** Instant of the newest event in the log, or null if there never was one. */
  lastEventAt: number | null;
  /** The current hour and the next hours, or null when no forecast is available. */
  forecast: readonly ForecastSlot[] | null;
  payday: PaydayOutlook | null;
  /** Wall screens that have reported, with when they were last heard from and their name. */
  displays: ReadonlyArray<{ id: string; lastSeen: number; name?: string }>;
}

/**
 * One rule's reading of one subject. `fire`: the highest severity whose fire condition holds
 * now; `hold`: the highest severity an alert already firing may keep (the clear thresholds).
 * A subject without a signal has neither.
 */
export interface Signal {
  key: string;
  rule: RuleId;
  fire: Severity | null;
  hold: Severity | null;
  value: number;
  detail: AlertDetail;
  silenceable: boolean;
}

const sig = (rule: RuleId, key: string, fire: Severity | null, hold: Severity | null, value: number, detail: AlertDetail): Signal => ({
  key,
  rule,
  fire,
  hold: maxSeverity(fire, hold),
  value,
  detail,
  silenceable: !UNSILENCEABLE_RULES.includes(rule),
});

const round2 = (x: number) => Math.round(x * 100) / 100;
const MIN = 60_000;

/** Warning/critical level rule with separate clear thresholds; `above(x, t)` is > or ≥. */
function level(
  rule: RuleId,
  value: number,
  t: { warning: number; critical?: number; clear: number; criticalClear?: number },
  above: (x: number, t: number) => boolean,
  detail: AlertDetail,
): Signal {
  const fire: Severity | null = t.critical !== undefined && above(value, t.critical) ? 'critical' : above(value, t.warning) ? 'warning' : null;
  const hold: Severity | null =
    t.critical !== undefined && t.criticalClear !== undefined && value >= t.criticalClear ? 'critical' : value >= t.clear ? 'warning' : null;
  return sig(rule, rule, fire, hold, value, detail);
}
const gt = (x: number, t: number) => x > t;
const ge = (x: number, t: number) => x >= t;

/** Booths a rule counts as available: in open rooms and not out of service. */
function openBooths(input: AlertInput): { open: number; occupied: number } {
  const openIds = new Set(input.rooms.filter((r) => r.open).flatMap((r) => r.boothIds));
  let open = 0;
  let occupied = 0;
  for (const b of input.snapshot.booths) {
    if (!openIds.has(b.id) || b.state === 'out_of_service') continue;
    open++;
    if (b.state === 'occupied') occupied++;
  }
  return { open, occupied };
}

export function boothsPerStaffRule(input: AlertInput, s: RuleSettings['booths-per-staff']): Signal[] {
  const { occupied, onShift } = input.snapshot;
  if (occupied === 0) return [];
  const ratio = onShift > 0 ? occupied / onShift : Number.POSITIVE_INFINITY;
  const shown = Number.isFinite(ratio) ? round2(ratio) : 999;
  return [level('booths-per-staff', ratio, s, gt, { value: shown, occupied, onShift, threshold: s.warning, critical: s.critical })];
}

export function occupancyRule(input: AlertInput, s: RuleSettings['occupancy']): Signal[] {
  const { open, occupied } = openBooths(input);
  if (open === 0) return [];
  const share = occupied / open;
  return [level('occupancy', share, s, ge, { value: Math.round(share * 100), occupied, open, threshold: Math.round(s.warning * 100) })];
}

export function queueRule(input: AlertInput, s: RuleSettings['queue']): Signal[] {
  const q = input.snapshot.queue;
  return [level('queue', q, s, ge, { value: q, threshold: s.warning, critical: s.critical })];
}

/** One signal per booth occupied past its room's maximum session: a welfare check. */
export function overstayRule(input: AlertInput, s: RuleSettings['overstay']): Signal[] {
  const out: Signal[] = [];
  const roomOf = new Map(input.rooms.flatMap((r) => r.boothIds.map((b) => [b, r] as const)));
  for (const b of input.snapshot.booths) {
    if (b.state !== 'occupied' || !b.since) continue;
    const room = roomOf.get(b.id);
    if (!room) continue;
    const minutes = (input.now - Date.parse(b.since)) / MIN;
    if (minutes <= room.maxSessionMinutes) continue;
    // The key names the session (its start), so the next person in that booth is a new alert.
    const detail: AlertDetail = { booth: b.label, boothId: b.id, value: Math.floor(minutes), threshold: room.maxSessionMinutes };
    if (room.name) detail.room = room.name;
    out.push(sig('overstay', `overstay:${b.id}:${Date.parse(b.since)}`, s.severity, s.severity, Math.floor(minutes), detail));
  }
  return out;
}

const overdosesWithin = (input: AlertInput, minutes: number) => input.overdoses.filter((t) => t <= input.now && input.now - t < minutes * MIN).length;

export function overdoseClusterRule(input: AlertInput, s: RuleSettings['overdose-cluster']): Signal[] {
  const n = overdosesWithin(input, s.windowMinutes);
  const fire = n >= s.count ? 'critical' : null;
  return [sig('overdose-cluster', 'overdose-cluster', fire, fire, n, { value: n, threshold: s.count, minutes: s.windowMinutes })];
}

/**
 * Free responders: staff on shift − occupied ÷ booths-per-observer − staff tied up by recent
 * overdoses. A floor not in use (nobody on shift, in a booth or waiting) is not read as unsafe.
 */
export function responderFloorRule(input: AlertInput, s: RuleSettings['responder-floor']): Signal[] {
  const { onShift, occupied, queue } = input.snapshot;
  if (onShift === 0 && occupied === 0 && queue === 0) return [];
  const recent = overdosesWithin(input, s.overdoseMinutes);
  const free = onShift - occupied / s.boothsPerObserver - s.staffPerOverdose * recent;
  // A safety rule: whatever a stored setting says, it fires below one free responder at the least.
  const minFree = Math.max(1, s.minFree);
  const fire = free < minFree ? 'critical' : null;
  return [sig('responder-floor', 'responder-floor', fire, fire, round2(free), { value: round2(free), onShift, occupied, overdoses: recent, threshold: minFree })];
}

/** The forecast slot containing `t`. */
const slotAt = (slots: readonly ForecastSlot[], t: number) => slots.find((x) => x.start <= t && t < x.start + 3_600_000);

/** No events for a while although a room is open and the forecast expects traffic: a dead tablet must not read as quiet. */
export function noDataRule(input: AlertInput, s: RuleSettings['no-data']): Signal[] {
  if (input.lastEventAt === null || !input.forecast || !input.rooms.some((r) => r.open)) return [];
  const silentMinutes = (input.now - input.lastEventAt) / MIN;
  if (silentMinutes < s.minutes) return [];
  const slot = slotAt(input.forecast, input.now);
  if (!slot || slot.expectedIntakes < s.minExpectedPerHour) return [];
  return [sig('no-data', 'no-data', 'warning', 'warning', Math.floor(silentMinutes), { value: Math.floor(silentMinutes), threshold: s.minutes, expected: Math.round(slot.expectedIntakes) })];
}

export function paydayAheadRule(input: AlertInput, s: RuleSettings['payday-ahead']): Signal[] {
  const p = input.payday;
  if (!p || input.now < p.notifyFrom || input.now >= p.until) return [];
  return [
    sig('payday-ahead', `payday-ahead:${p.date}`, s.severity, s.severity, Math.round(p.expectedTotal), {
      date: p.date,
      value: Math.round(p.expectedTotal),
      recommended: p.recommendedStaff,
      planned: p.plannedStaff ?? '–',
    }),
  ];
}

/** The next hours need more staff than planned or on shift (whichever is more). */
export function forecastGapRule(input: AlertInput, s: RuleSettings['forecast-gap']): Signal[] {
  if (!input.forecast) return [];
  // Without a plan the comparison is with staff on shift; a floor not in use yet says nothing.
  const { onShift, occupied, queue } = input.snapshot;
  if (input.forecast.every((x) => x.plannedStaff === null) && onShift === 0 && occupied === 0 && queue === 0) return [];
  const planned = input.forecast.some((x) => x.plannedStaff !== null);
  let worst = 0;
  let worstSlot: ForecastSlot | null = null;
  for (const slot of input.forecast) {
    if (slot.start + 3_600_000 <= input.now || slot.start >= input.now + s.hoursAhead * 3_600_000) continue;
    // The current hour counts whoever is on shift; later hours the plan (or, without one, today's staff).
    const have = slot.start <= input.now ? Math.max(slot.plannedStaff ?? 0, input.snapshot.onShift) : (slot.plannedStaff ?? input.snapshot.onShift);
    const short = slot.recommendedStaff - have;
    if (short > worst) [worst, worstSlot] = [short, slot];
  }
  const fire = worst >= s.minShortfall ? 'warning' : null;
  // Hysteresis: once firing it stays until the plan meets the need (shortfall 0).
  const hold = worst > 0 ? 'warning' : null;
  const detail: AlertDetail = { value: worst, threshold: s.minShortfall, hours: s.hoursAhead, basis: planned ? 'plan' : 'onShift' };
  if (worstSlot) Object.assign(detail, { at: new Date(worstSlot.start).toISOString(), recommended: worstSlot.recommendedStaff, planned: worstSlot.plannedStaff ?? '–' });
  return [sig('forecast-gap', 'forecast-gap', fire, hold, worst, detail)];
}

export function wallOfflineRule(input: AlertInput, s: RuleSettings['wall-offline']): Signal[] {
  const out: Signal[] = [];
  for (const d of input.displays) {
    const age = (input.now - d.lastSeen) / MIN;
    if (age < s.minutes || age > s.forgetAfterHours * 60) continue;
    out.push(sig('wall-offline', `wall-offline:${d.id}`, 'warning', 'warning', Math.floor(age), { screen: d.name ?? d.id, screenId: d.id, value: Math.floor(age), threshold: s.minutes }));
  }
  return out;
}

const RULES: { [R in RuleId]: (input: AlertInput, s: RuleSettings[R]) => Signal[] } = {
  'booths-per-staff': boothsPerStaffRule,
  occupancy: occupancyRule,
  queue: queueRule,
  overstay: overstayRule,
  'overdose-cluster': overdoseClusterRule,
  'responder-floor': responderFloorRule,
  'no-data': noDataRule,
  'payday-ahead': paydayAheadRule,
  'forecast-gap': forecastGapRule,
  'wall-offline': wallOfflineRule,
};

/**
 * Every enabled rule's signals. Capacity rules are inhibited while no room is open (they yield
 * nothing, so an alert they raised resolves); an open site is judged on its open rooms only.
 */
export function evaluateRules(input: AlertInput, settings: RuleSettings): Signal[] {
  const anyOpen = input.rooms.some((r) => r.open);
  const out: Signal[] = [];
  for (const rule of Object.keys(RULES) as RuleId[]) {
    const s = settings[rule];
    // Safety rules run whatever their switch says (the schema refuses switching them off).
    if (!s.enabled && !ALWAYS_ON_RULES.includes(rule)) continue;
    if (!anyOpen && CAPACITY_RULES.includes(rule)) continue;
    const run = RULES[rule] as (input: AlertInput, s: RuleSettings[RuleId]) => Signal[];
    out.push(...run(input, s));
  }
  return out;
}
