import { businessDayStart } from '../../shared/businessTime';
import { addDays } from '../../shared/calendar';
import { toCsv } from '../../shared/history';
import { historyRow, historyTotals, matchesHistoryFilter, type AlertHistory, type AlertHistoryQuery } from '../../shared/alerts/history';
import type { HandoverSummary } from '../../shared/handovers';
import { alertTitle } from '../../shared/alerts/text';
import { errors } from '../errors';
import type { SiteRegistry } from '../sites/sites.registry';
import type { AlertRepository } from './alert.repository';
import { toView } from './alert.service';

/** How far back an alert may have opened and still be open in a handover's span. */
const LONGEST_ALERT_MS = 7 * 86_400_000;

/** The alert history (page, CSV) and the alerts of a handover's span, read from the stored alerts and their timelines. */
export class AlertHistoryService {
  constructor(private readonly d: { repo: AlertRepository; sites: SiteRegistry; clock: (siteId: string) => number }) {}

  /** Alerts that fired and opened within the query's business dates, newest first, filtered. */
  async history(siteId: string, q: AlertHistoryQuery): Promise<AlertHistory> {
    const site = this.d.sites.get(siteId);
    if (!site) throw errors.notFound('Site');
    const { timeZone, businessDayStart: h } = site.config;
    const fromMs = businessDayStart(q.from, timeZone, h);
    const toMs = businessDayStart(addDays(q.to, 1), timeZone, h) - 1;
    const stored = (await this.d.repo.openedBetween(siteId, fromMs, toMs)).filter((a) => a.firedAt !== null);
    const timelines = await this.d.repo.timelines(siteId, stored.map((a) => a.id));
    const now = this.d.clock(siteId);
    const rows = stored
      .map((a) => historyRow(toView(siteId, a, timelines.get(a.id) ?? []), now))
      .filter((r) => matchesHistoryFilter(r, q))
      .sort((a, b) => Date.parse(b.openedAt) - Date.parse(a.openedAt) || Number(b.id) - Number(a.id));
    return { siteId, from: q.from, to: q.to, rows, totals: historyTotals(rows) };
  }

  /** The same rows as CSV: rule, severity, opened, fired, acknowledged (by, comment), resolved, durations. */
  async csv(siteId: string, q: AlertHistoryQuery): Promise<string> {
    const h = await this.history(siteId, q);
    const head = ['id', 'rule', 'severity', 'title', 'opened', 'fired', 'acknowledged', 'acknowledged_by', 'comment', 'resolved', 'firing_minutes', 'minutes_to_acknowledge'];
    const n = (v: number | null) => (v === null ? '' : String(v));
    return toCsv([
      head,
      ...h.rows.map((r) => [r.id, r.rule, r.severity, alertTitle(r.rule, r.detail), r.openedAt, r.firedAt ?? '', r.acknowledgedAt ?? '', r.acknowledgedBy ?? '', r.comment ?? '', r.resolvedAt ?? '', n(r.firingMinutes), n(r.ackMinutes)]),
    ]);
  }

  /** Alerts that were firing at some moment of [fromMs, toMs], with every acknowledgement (for a handover). */
  async firingBetween(siteId: string, fromMs: number, toMs: number): Promise<HandoverSummary['alerts']> {
    const stored = (await this.d.repo.openedBetween(siteId, fromMs - LONGEST_ALERT_MS, toMs)).filter(
      (a) => a.firedAt !== null && a.firedAt <= toMs && (a.resolvedAt === null || a.resolvedAt > fromMs),
    );
    const timelines = await this.d.repo.timelines(siteId, stored.map((a) => a.id));
    return stored.map((a) => {
      const row = historyRow(toView(siteId, a, timelines.get(a.id) ?? []), toMs);
      return { id: a.id, rule: a.rule, severity: a.severity, detail: a.detail, firedAt: row.firedAt, resolvedAt: row.resolvedAt, acks: row.acks };
    });
  }
}
