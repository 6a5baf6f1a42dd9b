import type { CheckInBody, IncidentBody } from '../../shared/api';
import { businessSlot } from '../../shared/businessTime';
import { hourPosition, RISK_POSITIONS, type PaydayPosition, type PaydayRules } from '../../shared/calendar';
import { boothsForTargetWait, staffNeeded } from '../../shared/erlang';
import { calendarDateOf, DEFAULT_HOURLY_SHARE, DEFAULT_PAYDAY_MULTIPLIER, DEFAULT_TURNAROUND_MINUTES, REFERENCE_USES_PER_PLACE_DAY, plannedStaff, roomOpenFraction } from '../../shared/forecast';
import type { IncidentOutcome } from '../../shared/incidents';
import { scheduleOpenAt } from '../../shared/openingHours';
import { DEFAULT_SESSION_MINUTES } from '../../shared/sessionModel';
import type { DatedHours, OpeningHours, StaffingPlan } from '../../shared/siteConfig';
import type { BoothState, RoomKind, Substance } from '../../shared/vocabulary';
import { SIM, usesPerFirstVisit, type Scenario } from './model';
import { Rng } from './rng';

/** What the generator needs to know about a site (from the sites file or `GET /api/sites`). */
export interface SimSite {
  id: string;
  timeZone: string;
  businessDayStart: number;
  rooms: Array<{ kind: RoomKind; boothIds: string[]; openingHours: OpeningHours; datedHours?: DatedHours[] | undefined }>;
  paydays?: PaydayRules | undefined;
  staffingPlan?: StaffingPlan | undefined;
}

/** One command the simulator sends, at simulated instant `at` (epoch ms). */
export type SimEvent =
  | { at: number; type: 'check-in'; boothId: string; body: CheckInBody }
  | { at: number; type: 'check-out' | 'cleaned'; boothId: string }
  | { at: number; type: 'queue-join' | 'queue-leave' | 'registration' }
  | { at: number; type: 'staffing'; onShift: number }
  /** `ref` numbers the run's incidents, so a later close can name the one the server recorded. */
  | { at: number; type: 'incident'; body: IncidentBody; ref?: number }
  | { at: number; type: 'incident-close'; ref: number; outcome: IncidentOutcome };

export interface SimOptions {
  site: SimSite;
  seed: number;
  scenario: Scenario;
  /** Simulated start and end (epoch ms). */
  start: number;
  until: number;
  /** Uses on an ordinary day if every place were open 24 h; default scales Skyen's 600 to the site's places. */
  usesPerPlaceDay?: number;
  /** Per cent of the day's uses per clock hour (default PRODUCT.md). */
  hourlyShare?: readonly number[];
  /** Day volume by payday position (default PRODUCT.md). */
  multipliers?: Readonly<Record<PaydayPosition, number>>;
  /** Re-dose chance of a cocaine use (default `SIM.redose.chance`); 0 keeps arrivals exactly on the profile. */
  redoseChance?: number;
  /** The floor as found: booth states and people already waiting. Default: all free, nobody waiting. */
  initial?: { booths: Record<string, BoothState>; queue: number };
  /** At `until`, end every session, clean every booth and empty the queue (history backfill). */
  drain?: boolean;
}

interface Person {
  id: number;
  kind: RoomKind;
  substance: Substance;
  waiting: boolean;
}

type Internal =
  | { kind: 'arrival'; room: RoomKind; person?: Person }
  | { kind: 'first-visit'; room: RoomKind }
  | { kind: 'session-end'; boothId: string }
  | { kind: 'cleaned'; boothId: string }
  | { kind: 'walk-away'; person: Person }
  | { kind: 'overdose'; boothId: string; closeAt: number }
  | { kind: 'incident-close'; ref: number; outcome: IncidentOutcome }
  | { kind: 'hour' }
  | { kind: 'registration' };

interface Slot {
  date: string;
  hour: number;
  position: PaydayPosition;
  /** First-visit arrivals per minute while the kind is open, by kind. */
  rate: Record<RoomKind, number>;
  /** Places open over the hour (fractional for a part hour), by kind. */
  open: Record<RoomKind, number>;
  /** Share of the hour each kind is open: arrivals come only then (a part hour's all come in its open part). */
  fraction: Record<RoomKind, number>;
  /** Epoch ms the hour starts. */
  start: number;
  overdosePerUse: number;
}

const MIN = 60_000;
const HOUR = 3_600_000;

/** A binary min-heap on (time, insertion order): ties resolve the same way every run. */
class Agenda {
  private heap: Array<{ at: number; n: number; item: Internal }> = [];
  private n = 0;
  push(at: number, item: Internal) {
    const h = this.heap;
    h.push({ at, n: this.n++, item });
    for (let i = h.length - 1; i > 0; ) {
      const p = (i - 1) >> 1;
      if (this.less(h[p]!, h[i]!)) break;
      [h[p], h[i]] = [h[i]!, h[p]!];
      i = p;
    }
  }
  pop(): { at: number; item: Internal } | undefined {
    const h = this.heap;
    const top = h[0];
    const last = h.pop();
    if (!top || !last || h.length === 0) return top;
    h[0] = last;
    for (let i = 0; ; ) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < h.length && this.less(h[l]!, h[m]!)) m = l;
      if (r < h.length && this.less(h[r]!, h[m]!)) m = r;
      if (m === i) break;
      [h[m], h[i]] = [h[i]!, h[m]!];
      i = m;
    }
    return top;
  }
  peekAt(): number {
    return this.heap[0]?.at ?? Infinity;
  }
  private less(a: { at: number; n: number }, b: { at: number; n: number }) {
    return a.at < b.at || (a.at === b.at && a.n < b.n);
  }
}

/**
 * A deterministic discrete-event simulation of one site's floor. It keeps its own model of
 * booths and the queue, mirroring the server's rules (a check-in takes one person from the
 * queue whenever anyone waits), and yields the commands a staff member would enter, in time
 * order. Pure: no I/O, no clock, the seed fixes everything.
 */
export class Simulation {
  private readonly rng: Rng;
  private readonly agenda = new Agenda();
  private readonly out: SimEvent[] = [];
  private readonly booths = new Map<string, { kind: RoomKind; room: number; state: BoothState; person: Person | null; endAt: number }>();
  /** Incidents recorded and not closed yet (closed when the run drains). */
  private readonly openIncidents = new Set<number>();
  private incidents = 0;
  private readonly roomOpenCache = new Map<string, boolean>();
  private readonly queue: Person[] = [];
  private readonly slots = new Map<number, Slot>();
  private readonly share: readonly number[];
  private readonly multipliers: Readonly<Record<PaydayPosition, number>>;
  private readonly perPlace: number;
  private readonly firstVisitFactor: number;
  private readonly redose: number;
  private onShift = -1;
  private persons = 0;
  private drained = false;

  constructor(private readonly o: SimOptions) {
    this.rng = new Rng(o.seed);
    this.share = o.hourlyShare ?? DEFAULT_HOURLY_SHARE;
    this.multipliers = o.multipliers ?? DEFAULT_PAYDAY_MULTIPLIER;
    this.perPlace = o.usesPerPlaceDay ?? REFERENCE_USES_PER_PLACE_DAY;
    this.redose = o.redoseChance ?? SIM.redose.chance;
    this.firstVisitFactor = 1 / usesPerFirstVisit(this.redose);
    o.site.rooms.forEach((room, i) => {
      for (const id of room.boothIds) {
        this.booths.set(id, { kind: room.kind, room: i, state: o.initial?.booths[id] ?? 'free', person: null, endAt: 0 });
      }
    });
    const t = o.start;
    for (const [id, b] of this.booths) {
      // Sessions and cleaning found running end soon; out-of-service booths stay out.
      if (b.state === 'occupied') this.agenda.push(t + this.rng.uniform(0, 10) * MIN, { kind: 'session-end', boothId: id });
      if (b.state === 'cleaning') this.agenda.push(t + this.rng.uniform(0, 3) * MIN, { kind: 'cleaned', boothId: id });
    }
    const kinds = this.kinds();
    for (let i = 0; i < (o.initial?.queue ?? 0) && kinds.length; i++) {
      this.wait(t, this.newPerson(kinds[Math.floor(this.rng.uniform(0, kinds.length))]!), false);
    }
    this.agenda.push(t, { kind: 'hour' });
    for (const k of kinds) this.agenda.push(t, { kind: 'first-visit', room: k });
    this.agenda.push(t + this.rng.exponential(SIM.registrationsPerDay / (24 * 60)) * MIN, { kind: 'registration' });
  }

  /** The next command, or null once the simulated time reaches `until`. */
  next(): SimEvent | null {
    while (this.out.length === 0) {
      if (this.agenda.peekAt() >= this.o.until) {
        if (this.o.drain && !this.drained) this.drain();
        this.drained = true;
        break;
      }
      const e = this.agenda.pop()!;
      this.handle(e.at, e.item);
    }
    return this.out.shift() ?? null;
  }

  /** Every command up to `until`, in order. */
  all(): SimEvent[] {
    const list: SimEvent[] = [];
    for (let e = this.next(); e; e = this.next()) list.push(e);
    return list;
  }

  /** The payday position and overdose risk the simulation uses at instant `t` (for tests and docs). */
  figuresAt(t: number): { position: PaydayPosition; overdosePerUse: number } {
    const s = this.slot(t);
    return { position: s.position, overdosePerUse: s.overdosePerUse };
  }

  private kinds(): RoomKind[] {
    return [...new Set(this.o.site.rooms.map((r) => r.kind))];
  }

  /** Rates and figures of the clock hour containing `t` (whole-hour zone offsets assumed). */
  private slot(t: number): Slot {
    const key = Math.floor(t / HOUR);
    let s = this.slots.get(key);
    if (s) return s;
    const site = this.o.site;
    const { date, hour } = businessSlot(key * HOUR, site.timeZone, site.businessDayStart);
    // The hour's own calendar date decides its payday position: payday's small hours are payday.
    const calendarPosition = hourPosition(date, hour, site.businessDayStart, site.paydays);
    const position: PaydayPosition = this.o.scenario === 'payday' ? 'payday' : calendarPosition;
    const open = { injection: 0, inhalation: 0 };
    const fraction = { injection: 0, inhalation: 0 };
    for (const room of site.rooms) {
      const f = roomOpenFraction(room, date, hour, site.businessDayStart);
      open[room.kind] += room.boothIds.length * f;
      fraction[room.kind] = Math.max(fraction[room.kind], f);
    }
    const perMinute = (this.perPlace * (this.share[hour]! / 100) * this.multipliers[position] * this.firstVisitFactor) / 60;
    const riskDay = RISK_POSITIONS.includes(position);
    const inOpenPart = (k: RoomKind) => (fraction[k] > 0 ? (perMinute * open[k]) / fraction[k] : 0);
    s = {
      date,
      hour,
      position,
      open,
      fraction,
      start: key * HOUR,
      rate: { injection: inOpenPart('injection'), inhalation: inOpenPart('inhalation') },
      overdosePerUse:
        this.o.scenario === 'fentanyl' ? SIM.overdose.fentanylPerUse : SIM.overdose.perUse * (riskDay ? SIM.overdose.paydayFactor : 1),
    };
    this.slots.set(key, s);
    return s;
  }

  private emit(e: SimEvent) {
    // Whole milliseconds: the server's clock and the script's session arithmetic are integers.
    e.at = Math.floor(e.at);
    this.out.push(e);
  }

  /** Whether room `i` is open at `t` by its hours (dated entries included), to the minute. */
  private roomOpen(i: number, t: number): boolean {
    const minute = Math.floor(t / MIN);
    const key = `${i}|${minute}`;
    let open = this.roomOpenCache.get(key);
    if (open === undefined) {
      open = scheduleOpenAt(this.o.site.rooms[i]!, this.o.site.timeZone, minute * MIN);
      if (this.roomOpenCache.size > 5_000) this.roomOpenCache.clear();
      this.roomOpenCache.set(key, open);
    }
    return open;
  }

  private kindOpen(kind: RoomKind, t: number): boolean {
    return this.o.site.rooms.some((r, i) => r.kind === kind && this.roomOpen(i, t));
  }

  private recordIncident(t: number, body: IncidentBody, closeAt: number) {
    const ref = ++this.incidents;
    this.emit({ at: t, type: 'incident', body, ref });
    this.openIncidents.add(ref);
    // Outcome from what was recorded: an ambulance called took them, otherwise they recovered here.
    this.agenda.push(Math.max(t, closeAt), { kind: 'incident-close', ref, outcome: body.ambulance ? 'ambulance' : 'recovered' });
  }

  private newPerson(kind: RoomKind, substance?: Substance): Person {
    return { id: ++this.persons, kind, substance: substance ?? this.rng.weighted(SIM.substances), waiting: false };
  }

  private handle(t: number, item: Internal) {
    switch (item.kind) {
      case 'first-visit': {
        // Non-homogeneous Poisson arrivals, constant within a clock hour: draw a gap at this
        // hour's rate; if it crosses the hour, restart at the boundary (memoryless).
        const rate = this.slot(t).rate[item.room];
        const hourEnd = (Math.floor(t / HOUR) + 1) * HOUR;
        const next = rate > 0 ? t + this.rng.exponential(rate) * MIN : hourEnd;
        if (next < hourEnd) {
          this.agenda.push(next, { kind: 'arrival', room: item.room });
          this.agenda.push(next, { kind: 'first-visit', room: item.room });
        } else this.agenda.push(hourEnd, { kind: 'first-visit', room: item.room });
        return;
      }
      case 'arrival':
        return this.arrive(t, item.person ?? this.newPerson(item.room));
      case 'session-end':
        return this.endSession(t, item.boothId);
      case 'cleaned': {
        const b = this.booths.get(item.boothId)!;
        if (b.state !== 'cleaning') return;
        b.state = 'free';
        this.emit({ at: t, type: 'cleaned', boothId: item.boothId });
        return this.dispatch(t, b.kind);
      }
      case 'walk-away': {
        const i = this.queue.indexOf(item.person);
        if (i < 0) return;
        this.queue.splice(i, 1);
        this.emit({ at: t, type: 'queue-leave' });
        return;
      }
      case 'overdose': {
        const b = this.booths.get(item.boothId)!;
        if (b.state !== 'occupied') return;
        const body = { kind: 'overdose' as const, boothId: item.boothId, naloxone: this.rng.chance(SIM.overdose.naloxoneShare), ambulance: this.rng.chance(SIM.overdose.ambulanceShare) };
        this.recordIncident(t, body, item.closeAt);
        return;
      }
      case 'incident-close':
        if (!this.openIncidents.delete(item.ref)) return;
        this.emit({ at: t, type: 'incident-close', ref: item.ref, outcome: item.outcome });
        return;
      case 'hour':
        return this.hourTick(t);
      case 'registration': {
        const s = this.slot(t);
        if (s.open.injection + s.open.inhalation > 0) this.emit({ at: t, type: 'registration' });
        this.agenda.push(t + this.rng.exponential(SIM.registrationsPerDay / (24 * 60)) * MIN, { kind: 'registration' });
        return;
      }
    }
  }

  private arrive(t: number, p: Person) {
    if (!this.kindOpen(p.kind, t)) return; // the room is closed: they go elsewhere
    const free = this.freeBooth(p.kind, t);
    if (free && this.queue.length === 0) return this.checkIn(t, free, p);
    // Someone waits (maybe for the other kind): join, so the server's queue count stays ours.
    this.wait(t, p, true);
    this.dispatch(t, p.kind);
  }

  private wait(t: number, p: Person, emit: boolean) {
    p.waiting = true;
    this.queue.push(p);
    if (emit) this.emit({ at: t, type: 'queue-join' });
    // The chance of having left rises linearly from 0 at 5 min to 50 % at 30 min: invert it.
    const w = SIM.walkAway;
    const u = this.rng.uniform();
    if (u < w.maxShare) this.agenda.push(t + (w.fromMinutes + ((w.toMinutes - w.fromMinutes) * u) / w.maxShare) * MIN, { kind: 'walk-away', person: p });
  }

  /** A free place of `kind` in a room open at `t` (a closed room takes nobody in). */
  private freeBooth(kind: RoomKind, t: number): string | null {
    for (const [id, b] of this.booths) if (b.kind === kind && b.state === 'free' && this.roomOpen(b.room, t)) return id;
    return null;
  }

  /** Free booths of `kind` take the longest-waiting people who want that kind. */
  private dispatch(t: number, kind: RoomKind) {
    for (let booth = this.freeBooth(kind, t); booth; booth = this.freeBooth(kind, t)) {
      const i = this.queue.findIndex((p) => p.kind === kind);
      if (i < 0) return;
      const [p] = this.queue.splice(i, 1);
      p!.waiting = false;
      this.checkIn(t, booth, p!);
    }
  }

  private checkIn(t: number, boothId: string, p: Person) {
    const b = this.booths.get(boothId)!;
    const s = this.slot(t);
    const route = p.kind === 'injection' ? 'injection' : 'inhalation';
    const assisted = p.kind === 'injection' && this.rng.chance(SIM.assistedShare);
    this.emit({ at: t, type: 'check-in', boothId, body: { substance: p.substance, route, assisted } });
    const sp = SIM.session[p.kind];
    let end = t + Math.min(sp.cap, this.rng.lognormal(sp.median, sp.sigma)) * MIN;
    if (this.rng.chance(s.overdosePerUse)) {
      const at = t + this.rng.uniform(0.2, 0.8) * (end - t);
      end = Math.max(end, at + this.rng.uniform(SIM.overdoseResponseMinutes.min, SIM.overdoseResponseMinutes.max) * MIN);
      // The overdose is handled (and closed) when the person leaves the place.
      this.agenda.push(at, { kind: 'overdose', boothId, closeAt: end });
    } else if (this.rng.chance(SIM.medicalPerUse)) {
      this.recordIncident(t, { kind: 'medical', boothId, naloxone: false, ambulance: false }, end);
    }
    b.state = 'occupied';
    b.person = p;
    b.endAt = end;
    this.agenda.push(end, { kind: 'session-end', boothId });
  }

  private endSession(t: number, boothId: string) {
    const b = this.booths.get(boothId)!;
    if (b.state !== 'occupied') return;
    this.emit({ at: t, type: 'check-out', boothId });
    b.state = 'cleaning';
    const p = b.person;
    b.person = null;
    this.agenda.push(t + this.rng.uniform(SIM.cleaningMinutes.min, SIM.cleaningMinutes.max) * MIN, { kind: 'cleaned', boothId });
    if (p && p.substance === 'cocaine' && this.rng.chance(this.redose)) {
      const back = t + this.rng.uniform(SIM.redose.minMinutes, SIM.redose.maxMinutes) * MIN;
      this.agenda.push(back, { kind: 'arrival', room: p.kind, person: this.newPerson(p.kind, 'cocaine') });
    }
  }

  /** Every clock hour: the planned staff (or the recommendation) comes on; closed rooms' queues go. */
  private hourTick(t: number) {
    const s = this.slot(t);
    const site = this.o.site;
    for (const p of [...this.queue]) {
      if (s.open[p.kind] === 0) {
        this.queue.splice(this.queue.indexOf(p), 1);
        this.emit({ at: t, type: 'queue-leave' });
      }
    }
    const openBooths = s.open.injection + s.open.inhalation;
    const perHour = (s.rate.injection + s.rate.inhalation) * 60 / this.firstVisitFactor;
    const session = (s.open.injection * DEFAULT_SESSION_MINUTES.injection + s.open.inhalation * DEFAULT_SESSION_MINUTES.inhalation) / (openBooths || 1);
    const recommended = openBooths > 0 ? staffNeeded(Math.min(Math.ceil(openBooths), boothsForTargetWait(perHour, session + DEFAULT_TURNAROUND_MINUTES))) : 0;
    const planned = plannedStaff(site.staffingPlan, calendarDateOf(s.date, s.hour, site.businessDayStart), s.hour) ?? recommended;
    const onShift = Math.max(0, planned - (planned > 1 && this.rng.chance(SIM.staffShortChance) ? 1 : 0));
    if (onShift !== this.onShift) {
      this.onShift = onShift;
      this.emit({ at: t, type: 'staffing', onShift });
    }
    this.agenda.push((Math.floor(t / HOUR) + 1) * HOUR, { kind: 'hour' });
  }

  /** Ends everything in flight just before `until`, so a backfilled day leaves the floor empty. */
  private drain() {
    const t = this.o.until - 1;
    for (const ref of this.openIncidents) this.emit({ at: t, type: 'incident-close', ref, outcome: 'recovered' });
    this.openIncidents.clear();
    for (const _ of this.queue) this.emit({ at: t, type: 'queue-leave' });
    this.queue.length = 0;
    for (const [id, b] of this.booths) {
      if (b.state === 'occupied') this.emit({ at: t, type: 'check-out', boothId: id });
      if (b.state === 'occupied' || b.state === 'cleaning') this.emit({ at: t, type: 'cleaned', boothId: id });
      if (b.state !== 'out_of_service') b.state = 'free';
    }
  }
}

/** Every command of a run, for tests and backfills. */
export const generate = (o: SimOptions): SimEvent[] => new Simulation(o).all();
