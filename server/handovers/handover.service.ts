import { businessDayStart, businessSlot } from '../../shared/businessTime';
import { alertSettingsOf } from '../../shared/alerts/settings';
import { lastShiftChange, nextShiftChange, summarise, type Handover, type HandoverSummary, type SpanEvent } from '../../shared/handovers';
import type { Principal } from '../auth/principal';
import { createError, errors } from '../errors';
import type { Logger } from '../logger';
import type { Realtime } from '../realtime/realtime';
import type { SiteEntry, SiteRegistry } from '../sites/sites.registry';
import type { Mailer } from '../alerts/notifier';
import { sendHandover } from './handover.notify';
import type { HandoverRepository } from './handover.repository';

/** A close this long before a configured shift change stands for it (no second handover at the change). */
const CLAIM_MS = 60 * 60_000;
/** A shift change missed while every instance was down is still made this long afterwards. */
const CATCH_UP_MS = 6 * 3_600_000;

export interface HandoverServiceDeps {
  repo: HandoverRepository;
  sites: SiteRegistry;
  realtime: Pick<Realtime, 'handoverChanged'>;
  clock: (siteId: string) => number;
  log: Logger;
  mailer: Mailer | null;
  /** Alerts open at some moment of [fromMs, toMs], with their acknowledgements. */
  alerts: (siteId: string, fromMs: number, toMs: number) => Promise<HandoverSummary['alerts']>;
  /** Tick period (default 15 s; 0 = no timer, tests call `tick()`). */
  tickMs?: number;
}

const iso = (ms: number) => new Date(ms).toISOString();

/**
 * Shift handovers: at each configured shift change and when a lead closes the shift, the summary
 * of the span since the previous handover is stored once (one script compares the newest
 * handover and, for a shift change, claims it), pushed to the site's screens and sent to the
 * channels that want it. Every instance ticks; the script makes sure only one of them writes.
 */
export class HandoverService {
  private timer: NodeJS.Timeout | null = null;
  private readonly deliveries = new Set<Promise<unknown>>();

  constructor(private readonly d: HandoverServiceDeps) {}

  private site(siteId: string): SiteEntry {
    const s = this.d.sites.get(siteId);
    if (!s) throw errors.notFound('Site');
    return s;
  }

  /** A lead closes the shift: the handover of everything since the previous one, with their note. */
  async close(p: Principal, siteId: string, note: string | undefined): Promise<Handover> {
    const site = this.site(siteId);
    const now = this.d.clock(siteId);
    const next = nextShiftChange(site.config.shiftChanges ?? [], site.config.timeZone, now);
    const claim = next !== null && next - now <= CLAIM_MS ? { at: next, mode: 'claim' as const } : null;
    const made = await this.make(site, now, { kind: 'closed', by: p.displayName ?? p.id, note: note || null, shiftChange: claim ? iso(claim.at) : null }, claim);
    if (made.status === 'ok') return made.handover;
    // Another lead closed the shift in the same moment: theirs stands.
    const current = made.id ? await this.d.repo.get(siteId, made.id) : null;
    throw createError('conflict', 'The shift was just closed by someone else', 409, { current });
  }

  /** Makes the handover of the site's latest configured shift change, unless it exists (any instance, any restart). */
  async ensureScheduled(siteId: string): Promise<Handover | null> {
    const site = this.site(siteId);
    const now = this.d.clock(siteId);
    const slot = lastShiftChange(site.config.shiftChanges ?? [], site.config.timeZone, now);
    if (slot === null || now - slot > CATCH_UP_MS || (await this.d.repo.slotTaken(siteId, slot))) return null;
    for (let attempt = 0; attempt < 3; attempt++) {
      const last = await this.lastHandover(siteId);
      // The shift was closed by hand shortly before this change (or the change is already summarised).
      if (last && Date.parse(last.to) >= slot - CLAIM_MS) return null;
      const made = await this.make(site, slot, { kind: 'scheduled', by: null, note: null, shiftChange: iso(slot) }, { at: slot, mode: 'check' }, last);
      if (made.status === 'ok') return made.handover;
      if (made.status === 'slot') return null;
    }
    return null;
  }

  private async lastHandover(siteId: string): Promise<Handover | null> {
    const id = await this.d.repo.lastId(siteId);
    return id ? this.d.repo.get(siteId, id) : null;
  }

  /** Builds the summary up to `endMs` and stores it if nobody else made one meanwhile. */
  private async make(
    site: SiteEntry,
    endMs: number,
    what: { kind: Handover['kind']; by: string | null; note: string | null; shiftChange: string | null },
    slot: { at: number; mode: 'check' | 'claim' } | null,
    known?: Handover | null,
  ): Promise<{ status: 'ok'; handover: Handover } | { status: 'slot' | 'stale'; id: string }> {
    const siteId = site.config.id;
    const last = known === undefined ? await this.lastHandover(siteId) : known;
    const { timeZone } = site.config;
    const fromMs = last ? Date.parse(last.to) : this.firstSpanStart(site, endMs);
    const floor = await this.d.repo.floorAt(siteId, site.boothIds, last ? { seq: last.toSeq } : { sinceMs: fromMs });
    // The span is a run of seqs: the events before the end instant (seq order; an event at the
    // shift change itself belongs to the next shift), so consecutive handovers neither lose nor repeat one.
    // A close takes everything up to its own instant.
    const limit = what.kind === 'closed' ? endMs + 1 : endMs;
    const cut = floor.events.findIndex((e) => Number(e.fields.at ?? 0) >= limit);
    const span = cut < 0 ? floor.events : floor.events.slice(0, cut);
    const fromSeq = last ? last.toSeq : (floor.before?.seq ?? (span[0] ? span[0].seq - 1 : floor.seq));
    const toSeq = span.at(-1)?.seq ?? fromSeq;
    const undone = new Set(floor.events.filter((e) => e.fields.type === 'undo' && e.fields.undoes).map((e) => Number(e.fields.undoes)));
    const start = startState(floor.before, floor.onShift);
    const summary = summarise({
      events: span,
      undone,
      kindOf: (b) => site.booths.get(b)?.kind,
      start,
      outOfServiceNow: floor.booths.filter((b) => b.state === 'out_of_service'),
      fromMs,
      toMs: endMs,
      alerts: await this.d.alerts(siteId, fromMs, endMs),
      plan: site.config.staffingPlan,
      timeZone,
    });
    const now = this.d.clock(siteId);
    const handover: Handover = {
      id: await this.d.repo.newId(siteId),
      siteId,
      kind: what.kind,
      from: iso(fromMs),
      to: iso(endMs),
      fromSeq,
      toSeq,
      shiftChange: what.shiftChange,
      closedBy: what.by,
      note: what.note,
      createdAt: iso(now),
      readAt: null,
      readBy: null,
      summary,
    };
    const out = await this.d.repo.create(handover, last?.id ?? '', slot);
    if (out.status !== 'ok') return { status: out.status, id: out.id };
    this.d.realtime.handoverChanged({ siteId, kind: 'created', handover });
    this.deliver(site, handover);
    return { status: 'ok', handover };
  }

  /** Without an earlier handover: from the previous configured shift change, else the business day's start. */
  private firstSpanStart(site: SiteEntry, endMs: number): number {
    const { timeZone, businessDayStart: startHour, shiftChanges } = site.config;
    const change = lastShiftChange(shiftChanges ?? [], timeZone, endMs - 1);
    if (change !== null) return change;
    return businessDayStart(businessSlot(endMs - 1, timeZone, startHour).date, timeZone, startHour);
  }

  private deliver(site: SiteEntry, h: Handover): void {
    const p = sendHandover({ mailer: this.d.mailer, log: this.d.log }, alertSettingsOf(site.config.alerts), { name: site.config.name, timeZone: site.config.timeZone }, h)
      .then((results) => {
        for (const r of results) if (r.result !== 'quiet' && !r.result.ok) this.d.log.warn({ channel: r.channel, note: r.result.note, handover: h.id }, 'handover not delivered');
      })
      .catch((err: unknown) => this.d.log.error({ err }, 'handover delivery failed'))
      .finally(() => this.deliveries.delete(p));
    this.deliveries.add(p);
  }

  /** Resolves when every delivery under way has ended (tests, shutdown). */
  async settled(): Promise<void> {
    while (this.deliveries.size > 0) await Promise.all([...this.deliveries]);
  }

  async list(siteId: string, fromMs: number, toMs: number): Promise<Handover[]> {
    this.site(siteId);
    return this.d.repo.between(siteId, fromMs, toMs);
  }

  async get(siteId: string, id: string): Promise<Handover> {
    this.site(siteId);
    const h = /^\d{1,12}$/.test(id) ? await this.d.repo.get(siteId, id) : null;
    if (!h) throw errors.notFound('Handover');
    return h;
  }

  /** Someone on the incoming shift read it: the console and wall banners go away everywhere. */
  async markRead(p: Principal, siteId: string, id: string): Promise<Handover> {
    await this.get(siteId, id);
    const r = await this.d.repo.markRead(siteId, id, iso(this.d.clock(siteId)), p.displayName ?? p.id);
    const h = await this.get(siteId, id);
    if (r === 'ok') this.d.realtime.handoverChanged({ siteId, kind: 'read', handover: h });
    return h;
  }

  /** Every site's latest shift change, if nobody has made its handover yet. */
  async tick(): Promise<void> {
    for (const s of this.d.sites.all()) {
      if (!s.config.shiftChanges?.length) continue;
      await this.ensureScheduled(s.config.id).catch((err: unknown) => this.d.log.warn({ err, siteId: s.config.id }, 'scheduled handover failed'));
    }
  }

  start(): void {
    if (this.timer || this.d.tickMs === 0) return;
    this.timer = setInterval(() => void this.tick(), this.d.tickMs ?? 15_000);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await Promise.race([this.settled(), new Promise((r) => setTimeout(r, 2_000).unref())]);
  }
}

/** Queue, places in use and staff as the last event before the span left them (0, and staff now, when unknown). */
function startState(before: SpanEvent | null, onShiftNow: number): { queue: number; occupied: number; onShift: number } {
  const f = before?.fields ?? {};
  return { queue: Number(f.q ?? 0), occupied: Number(f.occ ?? 0), onShift: f.staff !== undefined ? Number(f.staff) : onShiftNow };
}
