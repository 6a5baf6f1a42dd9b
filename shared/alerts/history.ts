import { z } from 'zod';
import { CalendarDate, addDays } from '../calendar';
import type { Alert } from './schema';
import { RuleId, Severity } from './settings';

/** Longest range of the alert history in one request, in days. */
export const ALERT_HISTORY_MAX_DAYS = 92;

/**
 * Query of `GET /api/sites/:siteId/alerts/history` and `…/alerts.csv`: business dates (site
 * zone, from the business-day start), optionally one rule, one severity, acknowledged or not.
 */
export const AlertHistoryQuery = z
  .strictObject({
    from: CalendarDate,
    to: CalendarDate,
    rule: RuleId.optional(),
    severity: Severity.optional(),
    acknowledged: z.enum(['yes', 'no']).optional(),
  })
  .refine((q) => q.from <= q.to, { path: ['to'], message: 'must not be before from' })
  .refine((q) => q.to <= addDays(q.from, ALERT_HISTORY_MAX_DAYS - 1), { path: ['to'], message: `at most ${ALERT_HISTORY_MAX_DAYS} days after from` });
export type AlertHistoryQuery = z.infer<typeof AlertHistoryQuery>;

/** One alert of the history with its times and durations (minutes, one decimal). */
export const AlertHistoryRow = z.object({
  id: z.string(),
  rule: RuleId,
  severity: Severity,
  detail: z.record(z.string(), z.union([z.string(), z.number()])),
  openedAt: z.string(),
  firedAt: z.string().nullable(),
  /** The first acknowledgement (by whom, comment); `acks` has every one (a worse level needs its own). */
  acknowledgedAt: z.string().nullable(),
  acknowledgedBy: z.string().nullable(),
  comment: z.string().nullable(),
  acks: z.array(z.object({ at: z.string(), by: z.string(), severity: Severity.nullable(), comment: z.string().nullable() })),
  resolvedAt: z.string().nullable(),
  /** Fired → resolved (or → now while it is still open). */
  firingMinutes: z.number().nullable(),
  /** Fired → first acknowledgement. */
  ackMinutes: z.number().nullable(),
  open: z.boolean(),
});
export type AlertHistoryRow = z.infer<typeof AlertHistoryRow>;

export const AlertHistory = z.object({
  siteId: z.string(),
  from: z.string(),
  to: z.string(),
  rows: z.array(AlertHistoryRow),
  /** Counts of the rows shown, and the median time to acknowledge of those acknowledged. */
  totals: z.object({ alerts: z.number().int(), acknowledged: z.number().int(), open: z.number().int(), medianAckMinutes: z.number().nullable() }),
});
export type AlertHistory = z.infer<typeof AlertHistory>;

const minutes = (fromIso: string, toMs: number) => Math.round((toMs - Date.parse(fromIso)) / 6_000) / 10;

/** An alert (with its timeline) as a history row; `nowMs` ends the durations of open alerts. */
export function historyRow(a: Alert, nowMs: number): AlertHistoryRow {
  const acks = a.timeline.filter((t) => t.kind === 'acknowledged').map((t) => ({ at: t.at, by: t.by ?? '', severity: t.severity ?? null, comment: t.comment ?? null }));
  // Older alerts may lack the timeline entry; the stored acknowledgement stands in.
  if (acks.length === 0 && a.acknowledged) acks.push({ at: a.acknowledged.at, by: a.acknowledged.by, severity: a.acknowledged.severity, comment: a.acknowledged.comment });
  const first = acks[0] ?? null;
  const open = a.state !== 'resolved';
  return {
    id: a.id,
    rule: a.rule,
    severity: a.severity,
    detail: a.detail,
    openedAt: a.pendingAt,
    firedAt: a.firedAt,
    acknowledgedAt: first?.at ?? null,
    acknowledgedBy: first?.by ?? null,
    comment: first?.comment ?? null,
    acks,
    resolvedAt: a.resolvedAt,
    firingMinutes: a.firedAt ? minutes(a.firedAt, a.resolvedAt ? Date.parse(a.resolvedAt) : nowMs) : null,
    ackMinutes: a.firedAt && first ? Math.max(0, minutes(a.firedAt, Date.parse(first.at))) : null,
    open,
  };
}

/** Whether a row passes the query's filters. */
export function matchesHistoryFilter(r: AlertHistoryRow, q: Pick<AlertHistoryQuery, 'rule' | 'severity' | 'acknowledged'>): boolean {
  if (q.rule && r.rule !== q.rule) return false;
  if (q.severity && r.severity !== q.severity) return false;
  if (q.acknowledged === 'yes' && r.acknowledgedAt === null) return false;
  if (q.acknowledged === 'no' && r.acknowledgedAt !== null) return false;
  return true;
}

/** Totals of a list of rows. */
export function historyTotals(rows: readonly AlertHistoryRow[]): AlertHistory['totals'] {
  const acked = rows.flatMap((r) => (r.ackMinutes === null ? [] : [r.ackMinutes])).sort((a, b) => a - b);
  const mid = acked.length / 2;
  const median = acked.length === 0 ? null : acked.length % 2 ? acked[Math.floor(mid)]! : (acked[mid - 1]! + acked[mid]!) / 2;
  return { alerts: rows.length, acknowledged: rows.filter((r) => r.acknowledgedAt !== null).length, open: rows.filter((r) => r.open).length, medianAckMinutes: median };
}
