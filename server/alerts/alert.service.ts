import { randomUUID } from 'node:crypto';
import { businessSlot } from '../../shared/businessTime';
import { isPayday, nextPayday } from '../../shared/calendar';
import type { ForecastReply } from '../../shared/forecast';
import { hourStart, paydayWindow } from '../../shared/alerts/hours';
import { step, type AlertCore, type Decision, type MachineOptions } from '../../shared/alerts/machine';
import { evaluateRules, type AlertInput, type ForecastSlot, type PaydayOutlook, type Signal } from '../../shared/alerts/rules';
import type { Alert, AlertChangeKind, AlertSettingsView, ChannelTestResult, TimelineEntry } from '../../shared/alerts/schema';
import { alertSettingsOf, SEVERITY_RANK, type AlertSettings, type RuleId } from '../../shared/alerts/settings';
import { alertTitle } from '../../shared/alerts/text';
import type { Principal } from '../auth/principal';
import { createError, errors } from '../errors';
import type { FloorService } from '../floor/floor.service';
import type { Logger } from '../logger';
import type { Realtime } from '../realtime/realtime';
import type { SiteEntry, SiteRegistry } from '../sites/sites.registry';
import type { AlertFields, AlertRepository, LogEvent, StoredAlert } from './alert.repository';
import { channelsOf, type Notifier } from './notifier';
import type { Notice } from './webhook';

/** Least time between two evaluations of one site while changes keep arriving. */
const EVALUATE_GAP_MS = 200;
/** Forward pages (of 500 entries) one evaluation reads before it starts over from the newest. */
const MAX_FORWARD_PAGES = 20;

export interface AlertServiceDeps {
  repo: AlertRepository;
  sites: SiteRegistry;
  floor: FloorService;
  realtime: Pick<Realtime, 'alertChanged'>;
  notifier: Notifier;
  /** The site's clock (a demo site may run on simulated time). */
  clock: (siteId: string) => number;
  log: Logger;
  /** The forecast of a business day (absent: no-data, forecast-gap and payday-ahead stay quiet). */
  forecast?: (siteId: string, date: string) => Promise<ForecastReply>;
  /** Names of wall screens whose display tokens still exist, by token id (absent: screens keep their ids). */
  screenNames?: (ids: readonly string[]) => Promise<Map<string, string>>;
  /** The next payday's expected intakes and peak staffing (the staffing plan's figures), for payday-ahead. */
  payday?: (siteId: string) => Promise<{ date: string; expectedIntakes: number; peak: { recommendedStaff: number; plannedStaff: number | null } }>;
  /** While the no-data rule fires: the silent stretch (ms) is missing data, which the forecast must not learn from. */
  dataGap?: (siteId: string, fromMs: number, toMs: number) => Promise<void>;
  /** The tick period and how long the tick lock lives without renewal. */
  tickMs?: number;
  lockTtlMs?: number;
}

/** What an instance has read of a site's event log: up to which seq, and the overdoses in it by seq. */
interface SiteLog {
  seq: number;
  lastEventAt: number | null;
  overdoses: Map<number, number>;
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
const FORECAST_CACHE_MS = 5 * 60_000;
const NOTIFIED: ReadonlySet<Decision['kind']> = new Set(['fired', 'worsened', 'repeated', 'escalated', 'resolved']);

/**
 * The alert engine: gathers a site's inputs, runs the pure rules and state machine, applies
 * each transition with one atomic script, and — only where its own script made the change —
 * pushes it to screens and sends the notices. Evaluates on every floor change and on a tick
 * that one instance at a time runs (a lock with expiry in Redis).
 */
export class AlertService {
  readonly instanceId = randomUUID();
  private readonly running = new Map<string, Promise<void>>();
  private readonly dirty = new Set<string>();
  /** When each site's last evaluation began (performance.now()). */
  private readonly lastStarted = new Map<string, number>();
  private readonly forecasts = new Map<string, { at: number; reply: Promise<ForecastReply> }>();
  private readonly deliveries = new Set<Promise<void>>();
  private readonly logs = new Map<string, SiteLog>();
  private readonly parsed = new WeakMap<object, AlertSettings>();
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly d: AlertServiceDeps) {}

  /** The site's alert settings with defaults, parsed once per site config object. */
  settings(site: SiteEntry): AlertSettings {
    let s = this.parsed.get(site.config);
    if (!s) this.parsed.set(site.config, (s = alertSettingsOf(site.config.alerts)));
    return s;
  }

  private site(siteId: string): SiteEntry {
    const site = this.d.sites.get(siteId);
    if (!site) throw errors.notFound('Site');
    return site;
  }

  // ---- Evaluation ---------------------------------------------------------------------------

  /**
   * Evaluates a site soon: at once when its last evaluation began EVALUATE_GAP_MS ago or more,
   * else when that gap is over. Calls meanwhile coalesce into that one run, so a site evaluates
   * at most once per gap however its changes come. Resolves when the site is settled.
   */
  evaluate(siteId: string): Promise<void> {
    const current = this.running.get(siteId);
    if (current) {
      this.dirty.add(siteId);
      return current;
    }
    const run = (async () => {
      try {
        // The rules' pending periods are minutes: a change made right after an evaluation can
        // wait for the gap. (Waiting only when a change came *during* the last run let a site
        // with 200 changes a second, each 5 ms apart, evaluate after nearly every one of them.)
        const wait = EVALUATE_GAP_MS - (performance.now() - (this.lastStarted.get(siteId) ?? -Infinity));
        if (wait > 0) await new Promise((r) => setTimeout(r, wait));
        do {
          this.dirty.delete(siteId);
          const started = performance.now();
          this.lastStarted.set(siteId, started);
          await this.evaluateOnce(siteId).catch((err: unknown) => this.d.log.error({ err, siteId }, 'alert evaluation failed'));
          const rest = EVALUATE_GAP_MS - (performance.now() - started);
          if (this.dirty.has(siteId) && rest > 0) await new Promise((r) => setTimeout(r, rest));
        } while (this.dirty.has(siteId));
      } finally {
        this.running.delete(siteId);
      }
    })();
    this.running.set(siteId, run);
    return run;
  }

  /** Everything the rules read, for one site at `now`. */
  async gather(site: SiteEntry, settings: AlertSettings, now: number): Promise<AlertInput> {
    const id = site.config.id;
    const windowMinutes = Math.max(settings.rules['overdose-cluster'].windowMinutes, settings.rules['responder-floor'].overdoseMinutes);
    const [snapshot, events, displays] = await Promise.all([
      this.d.floor.snapshot(id),
      this.recentEvents(id, now - windowMinutes * 60_000),
      this.d.repo.displays(id),
    ]);
    // Open now by the snapshot: weekly hours, dated closures and temporary hours, early openings.
    const openNow = new Map(snapshot.rooms.map((r) => [r.id, r.open]));
    const rooms = site.info.rooms.map((r) => ({
      id: r.id,
      name: r.name,
      open: openNow.get(r.id) ?? true,
      maxSessionMinutes: r.maxSessionMinutes,
      boothIds: r.booths.map((b) => b.id),
    }));
    const [forecast, payday] = await Promise.all([
      this.forecastSlots(site, now, settings.rules['forecast-gap'].hoursAhead).catch((err: unknown) => {
        this.d.log.warn({ err, siteId: id }, 'alert forecast unavailable');
        return null;
      }),
      this.paydayOutlook(site, settings, now).catch(() => null),
    ]);
    return { now, snapshot, rooms, overdoses: events.overdoses, lastEventAt: events.lastEventAt, forecast, payday, displays: await this.namedScreens(id, displays, settings, now) };
  }

  /**
   * Wall screens by name. Only screens about to count as offline are looked up; a screen whose
   * display token was revoked or deleted is forgotten, so its wall-offline alert resolves.
   */
  private async namedScreens(siteId: string, displays: Array<{ id: string; lastSeen: number }>, settings: AlertSettings, now: number) {
    const silent = displays.filter((d) => now - d.lastSeen >= settings.rules['wall-offline'].minutes * 60_000);
    if (!this.d.screenNames || silent.length === 0) return displays;
    const names = await this.d.screenNames(silent.map((d) => d.id));
    const gone = silent.filter((d) => !names.has(d.id)).map((d) => d.id);
    if (gone.length) await this.d.repo.forgetDisplays(siteId, gone);
    return displays.filter((d) => !gone.includes(d.id)).map((d) => ({ ...d, name: names.get(d.id) ?? d.id }));
  }

  /**
   * Overdoses since `sinceMs` (undone ones removed) and the newest event's instant. Each
   * instance keeps what it has read of a site's log and reads only the new entries after that,
   * so an evaluation costs one short XRANGE however busy the hour was.
   */
  private async recentEvents(siteId: string, sinceMs: number): Promise<{ overdoses: number[]; lastEventAt: number | null }> {
    let log = this.logs.get(siteId);
    let caughtUp = false;
    if (log) {
      // Read forward from where this instance left off, page by page: under a burst this costs
      // the new entries once, never a re-read of the whole window.
      for (let page = 0; page < MAX_FORWARD_PAGES && !caughtUp; page++) {
        const read = await this.d.repo.logEvents(siteId, { after: log.seq, sinceMs });
        this.absorb(log, read.events);
        caughtUp = read.complete;
      }
    }
    if (!log || !caughtUp) {
      // First read, or too far behind: start over from the newest entries backwards.
      const fresh = await this.d.repo.logEvents(siteId, { sinceMs });
      log = { seq: 0, lastEventAt: null, overdoses: new Map() };
      this.logs.set(siteId, log);
      this.absorb(log, fresh.events);
    }
    for (const [seq, at] of log.overdoses) if (at < sinceMs) log.overdoses.delete(seq);
    return { overdoses: [...log.overdoses.values()], lastEventAt: log.lastEventAt };
  }

  private absorb(log: SiteLog, events: LogEvent[]): void {
    for (const e of events) {
      if (e.type === 'incident' && e.kind === 'overdose') log.overdoses.set(e.seq, e.at);
      if (e.type === 'undo' && e.undoes !== null) log.overdoses.delete(e.undoes);
      log.seq = Math.max(log.seq, e.seq);
      // The latest instant, not the newest seq's: the two differ only if a clock went back.
      log.lastEventAt = Math.max(log.lastEventAt ?? 0, e.at);
    }
  }

  private cachedForecast(siteId: string, date: string, now: number): Promise<ForecastReply> {
    const k = `${siteId}/${date}`;
    const hit = this.forecasts.get(k);
    if (hit && now - hit.at < FORECAST_CACHE_MS && now >= hit.at) return hit.reply;
    const reply = this.d.forecast!(siteId, date);
    reply.catch(() => this.forecasts.delete(k));
    this.forecasts.set(k, { at: now, reply });
    if (this.forecasts.size > 200) this.forecasts.delete(this.forecasts.keys().next().value!);
    return reply;
  }

  /** The current clock hour and the next `ahead` hours, each from its business day's forecast. */
  private async forecastSlots(site: SiteEntry, now: number, ahead: number): Promise<ForecastSlot[] | null> {
    if (!this.d.forecast) return null;
    const { timeZone, businessDayStart } = site.config;
    const slots: ForecastSlot[] = [];
    for (let k = 0; k <= ahead; k++) {
      const start = hourStart(now + k * 3_600_000, timeZone);
      const slot = businessSlot(start, timeZone, businessDayStart);
      const f = await this.cachedForecast(site.config.id, slot.date, now);
      const h = f.hours.find((x) => x.hour === slot.hour);
      if (!h) continue;
      const share = h.occurrences > 1 ? 1 / h.occurrences : 1;
      slots.push({ start, expectedIntakes: h.expectedIntakes * share, recommendedStaff: h.recommendedStaff, plannedStaff: h.plannedStaff });
    }
    return slots;
  }

  private async paydayOutlook(site: SiteEntry, settings: AlertSettings, now: number): Promise<PaydayOutlook | null> {
    if (!this.d.forecast || !settings.rules['payday-ahead'].enabled) return null;
    const { timeZone, businessDayStart, paydays } = site.config;
    const today = businessSlot(now, timeZone, businessDayStart).date;
    const date = isPayday(today, paydays) ? today : nextPayday(today, paydays);
    const w = paydayWindow(date, timeZone, businessDayStart, settings.rules['payday-ahead'].hour);
    if (now < w.notifyFrom || now >= w.until) return null;
    // The staffing plan's figures when there is one, so the wall's warning and plan say the same.
    const p = this.d.payday ? await this.d.payday(site.config.id) : null;
    if (p && p.date === date) return { date, ...w, expectedTotal: p.expectedIntakes, recommendedStaff: p.peak.recommendedStaff, plannedStaff: p.peak.plannedStaff };
    const f = await this.cachedForecast(site.config.id, date, now);
    const peak = f.hours.reduce((a, b) => (b.recommendedStaff > a.recommendedStaff ? b : a), f.hours[0]!);
    return { date, ...w, expectedTotal: f.expectedTotal, recommendedStaff: peak.recommendedStaff, plannedStaff: peak.plannedStaff };
  }

  private machineOptions(settings: AlertSettings, rule: RuleId): MachineOptions {
    return {
      pendingMs: settings.rules[rule].pendingSeconds * 1000,
      repeatMs: settings.repeatMinutes * 60_000,
      escalateMs: settings.escalateAfterMinutes * 60_000,
    };
  }

  private async evaluateOnce(siteId: string): Promise<void> {
    const site = this.site(siteId);
    const settings = this.settings(site);
    const now = this.d.clock(siteId);
    const [input, active] = await Promise.all([this.gather(site, settings, now), this.d.repo.active(siteId)]);
    const signals = new Map<string, Signal>(evaluateRules(input, settings.rules).map((s) => [s.key, s]));
    if (signals.get('no-data')?.fire && input.lastEventAt !== null && this.d.dataGap) {
      await this.d.dataGap(siteId, input.lastEventAt, now).catch((err: unknown) => this.d.log.warn({ err, siteId }, 'data gap not recorded'));
    }
    const open = new Map(active.map((a) => [a.key, a]));
    for (const key of new Set([...signals.keys(), ...open.keys()])) {
      const alert = open.get(key) ?? null;
      const signal = signals.get(key);
      const rule = (alert?.rule ?? signal?.rule)!;
      const decision = step(alert, signal, now, this.machineOptions(settings, rule));
      if (decision) await this.apply(site, settings, alert, signal, decision, now);
      else if (alert && signal && JSON.stringify(alert.detail) !== JSON.stringify(signal.detail)) await this.refresh(siteId, alert, signal);
    }
  }

  /**
   * An open alert whose figures moved without a transition ("1 more staff needed (1 on shift)"
   * while a member of staff just left): store the current figures and tell the screens, so what
   * they show is the present. Nothing is notified and the timeline is unchanged.
   */
  private async refresh(siteId: string, alert: StoredAlert, signal: Signal): Promise<void> {
    const fields: AlertFields = { ...alert, detail: signal.detail, value: signal.value, title: alertTitle(alert.rule, signal.detail, 'en', alert.severity) };
    const ver = await this.d.repo.transition(siteId, fields, alert.ver, 'keep', this.d.clock(siteId), null);
    if (ver === null) return; // changed meanwhile: the next evaluation sees the new state
    this.d.realtime.alertChanged({ siteId, kind: 'updated', alert: await this.view(siteId, { ...fields, ver }) });
  }

  private async apply(site: SiteEntry, settings: AlertSettings, alert: StoredAlert | null, signal: Signal | undefined, d: Decision, now: number): Promise<void> {
    const siteId = site.config.id;
    const id = alert?.id ?? (await this.d.repo.newId(siteId));
    const core: AlertCore = d.next ?? alert!;
    const rule = (signal?.rule ?? alert?.rule)!;
    // Closing keeps the figures it had; otherwise the alert carries the newest reading.
    const detail = d.next && signal ? signal.detail : (alert?.detail ?? {});
    const fields: AlertFields = {
      id,
      key: (signal?.key ?? alert?.key)!,
      rule,
      ...core,
      ackBy: alert?.ackBy ?? null,
      ackAt: alert?.ackAt ?? null,
      ackComment: alert?.ackComment ?? null,
      closed: d.next ? null : 'resolved',
      resolvedAt: d.next ? null : now,
      title: alertTitle(rule, detail, 'en', core.severity),
      value: d.next && signal ? signal.value : (alert?.value ?? 0),
      detail,
    };
    const entry: TimelineEntry = { at: new Date(now).toISOString(), kind: d.kind, severity: core.severity };
    const op = d.kind === 'cancelled' ? 'drop' : d.next === null ? 'del' : alert ? 'keep' : 'set';
    const ver = await this.d.repo.transition(siteId, fields, alert?.ver ?? '', op, now, entry);
    if (ver === null) return; // another instance made this transition (and notifies it)
    const view = await this.view(siteId, { ...fields, ver }, d.kind === 'cancelled' ? [entry] : undefined);
    this.d.realtime.alertChanged({ siteId, kind: d.kind, alert: view });
    if (NOTIFIED.has(d.kind)) {
      this.track(
        this.d.notifier
          .dispatch(settings, site.config.timeZone, { kind: d.kind as Notice['kind'], site: { id: siteId, name: site.config.name }, alert: view, deliveryId: `${siteId}.${id}.${ver}`, at: now })
          .then(async () => this.d.realtime.alertChanged({ siteId, kind: 'notified', alert: await this.view(siteId, { ...fields, ver }) })),
      );
    }
  }

  private track(p: Promise<void>): void {
    const t = p.catch((err: unknown) => this.d.log.error({ err }, 'alert notification failed')).finally(() => this.deliveries.delete(t));
    this.deliveries.add(t);
  }

  /** Resolves when every notification under way has been delivered or given up (tests, shutdown). */
  async settled(): Promise<void> {
    while (this.deliveries.size > 0) await Promise.all([...this.deliveries]);
  }

  // ---- Tick ---------------------------------------------------------------------------------

  /** One tick: if this instance holds (or takes) the tick lock, evaluates every site. Returns whether it ran. */
  async tick(): Promise<boolean> {
    const mine = await this.d.repo.holdTickLock(this.instanceId, this.d.lockTtlMs ?? 45_000);
    if (!mine) return false;
    for (const site of this.d.sites.all()) await this.evaluate(site.config.id);
    return true;
  }

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.tick().catch((err: unknown) => this.d.log.warn({ err }, 'alert tick failed')), this.d.tickMs ?? 15_000);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await Promise.all([...this.running.values()]);
    // Deliveries still retrying get a moment to finish; their timeline notes need the store.
    await Promise.race([this.settled(), new Promise((r) => setTimeout(r, 2_000).unref())]);
    await this.d.repo.releaseTickLock(this.instanceId).catch(() => undefined);
  }

  /** A wall screen reported: shared in Redis so every instance's "wall screen offline" rule sees it. */
  displaySeen(siteId: string, screenId: string, at: number): void {
    this.d.repo.displaySeen(siteId, screenId, at).catch((err: unknown) => this.d.log.warn({ err }, 'display heartbeat not stored'));
  }

  // ---- People -------------------------------------------------------------------------------

  private async view(siteId: string, a: StoredAlert, timeline?: TimelineEntry[]): Promise<Alert> {
    const t = timeline ?? (await this.d.repo.timelines(siteId, [a.id])).get(a.id) ?? [];
    return toView(siteId, a, t);
  }

  async list(siteId: string, state: 'active' | 'all'): Promise<Alert[]> {
    this.site(siteId);
    const list = state === 'active' ? await this.d.repo.active(siteId) : await this.d.repo.recent(siteId, 200);
    list.sort((a, b) => b.pendingAt - a.pendingAt || Number(b.id) - Number(a.id));
    const timelines = await this.d.repo.timelines(siteId, list.map((a) => a.id));
    return list.map((a) => toView(siteId, a, timelines.get(a.id) ?? []));
  }

  /**
   * Acknowledges an open alert at its current severity: reminders of that severity stop (not
   * for the responder floor), a worse level alerts again. Repeating an ack changes nothing.
   */
  async ack(p: Principal, siteId: string, alertId: string, comment: string | undefined): Promise<Alert> {
    this.site(siteId);
    for (let attempt = 0; attempt < 5; attempt++) {
      const a = await this.d.repo.get(siteId, alertId);
      if (!a) throw errors.notFound('Alert');
      if (a.closed) throw errors.conflict('The alert is already resolved', { current: await this.view(siteId, a) });
      if (a.ackSeverity && SEVERITY_RANK[a.ackSeverity] >= SEVERITY_RANK[a.severity]) return this.view(siteId, a);
      const now = this.d.clock(siteId);
      const by = p.displayName ?? p.id;
      const fields: AlertFields = { ...a, ackSeverity: a.severity, ackBy: by, ackAt: now, ackComment: comment || null };
      const entry: TimelineEntry = { at: new Date(now).toISOString(), kind: 'acknowledged', severity: a.severity, by, ...(comment ? { comment } : {}) };
      const ver = await this.d.repo.transition(siteId, fields, a.ver, 'keep', now, entry);
      if (ver === null) continue; // changed meanwhile: read again
      const view = await this.view(siteId, { ...fields, ver });
      this.d.realtime.alertChanged({ siteId, kind: 'acknowledged', alert: view });
      return view;
    }
    throw createError('conflict', 'The alert keeps changing; try again', 409);
  }

  /** The site's effective alert settings for the settings page, without secrets. */
  settingsView(siteId: string): AlertSettingsView {
    const site = this.site(siteId);
    const s = this.settings(site);
    const channels: AlertSettingsView['channels'] = [
      { id: 'in-app', type: 'in-app', target: 'wall, console, site page', minSeverity: 'info', audience: 'all', rules: null, quietHours: null },
      ...channelsOf(s).map((c) => ({
        id: c.id,
        type: c.type,
        target: c.type === 'webhook' ? `${new URL(c.url).origin} (${c.format})` : c.type === 'email' ? `${c.to.length} address${c.to.length === 1 ? '' : 'es'}` : `signed-in ${c.role}s and up`,
        minSeverity: c.minSeverity,
        audience: c.audience,
        rules: c.rules ?? null,
        quietHours: c.quietHours ?? null,
      })),
    ];
    return { siteId, repeatMinutes: s.repeatMinutes, escalateAfterMinutes: s.escalateAfterMinutes, rules: s.rules, channels };
  }

  /** Sends a test notice through one channel (`in-app` included) and says how it went. */
  async testChannel(p: Principal, siteId: string, channelId: string): Promise<ChannelTestResult> {
    const site = this.site(siteId);
    const now = this.d.clock(siteId);
    const alert: Alert = {
      id: `test-${now}`,
      siteId,
      key: 'test',
      rule: 'queue',
      severity: 'info',
      state: 'resolved',
      title: 'Test notification',
      detail: { value: 0, threshold: 0 },
      pendingAt: new Date(now).toISOString(),
      firedAt: null,
      severitySince: new Date(now).toISOString(),
      resolvedAt: new Date(now).toISOString(),
      acknowledged: null,
      escalatedAt: null,
      lastNotifiedAt: null,
      silenceable: true,
      timeline: [{ at: new Date(now).toISOString(), kind: 'notified', by: p.displayName ?? p.id, note: 'test' }],
    };
    if (channelId === 'in-app') {
      this.d.realtime.alertChanged({ siteId, kind: 'test' satisfies AlertChangeKind, alert });
      return { channel: channelId, ok: true, attempts: 1, status: null };
    }
    const channel = channelsOf(this.settings(site)).find((c) => c.id === channelId);
    if (!channel) throw errors.notFound('Channel');
    const r = await this.d.notifier.deliver(channel, { kind: 'test', site: { id: siteId, name: site.config.name }, alert, deliveryId: `${siteId}.test.${now}`, at: now }, { retries: 0 });
    return { channel: channelId, ok: r.ok, attempts: r.attempts, status: r.status, ...(r.note ? { note: r.note } : {}) };
  }
}

/** The API view of a stored alert. */
export function toView(siteId: string, a: StoredAlert, timeline: TimelineEntry[]): Alert {
  return {
    id: a.id,
    siteId,
    key: a.key,
    rule: a.rule,
    severity: a.severity,
    state: a.closed ? 'resolved' : a.state,
    title: a.title,
    detail: a.detail,
    pendingAt: iso(a.pendingAt)!,
    firedAt: iso(a.firedAt),
    severitySince: iso(a.severitySince)!,
    resolvedAt: iso(a.resolvedAt),
    acknowledged: a.ackSeverity && a.ackBy && a.ackAt ? { by: a.ackBy, at: iso(a.ackAt)!, severity: a.ackSeverity, comment: a.ackComment } : null,
    escalatedAt: iso(a.escalatedAt),
    lastNotifiedAt: iso(a.lastNotifiedAt),
    silenceable: a.silenceable,
    timeline,
  };
}
