import { z } from 'zod';
import { DayCounters } from './api';
import { addDays, daysBetween } from './calendar';
import { isIsoDate } from './zonedTime';
import { emptyCounters } from './counters';
import { cellKey, protectTable, type Suppression, type TableShape } from './disclosure';
import { INCIDENT_KINDS, ROUTES, SUBSTANCES } from './vocabulary';

/** Longest range one history request may cover, per bucket size (inclusive days). */
export const HISTORY_MAX_DAYS = { day: 400, hour: 31 } as const;

export const HistoryBucketSize = z.enum(['hour', 'day']);
export type HistoryBucketSize = z.infer<typeof HistoryBucketSize>;

const IsoDate = z.string().refine(isIsoDate, 'a calendar date YYYY-MM-DD');

/** `from ≤ to`, and the span within `HISTORY_MAX_DAYS[bucket]`; problems name `to`. */
const checkRange = (q: { from: string; to: string; bucket: HistoryBucketSize }, ctx: z.RefinementCtx) => {
  if (!isIsoDate(q.from) || !isIsoDate(q.to)) return;
  const span = daysBetween(q.from, q.to) + 1;
  if (span < 1) ctx.addIssue({ code: 'custom', path: ['to'], message: 'must not be before from' });
  else if (span > HISTORY_MAX_DAYS[q.bucket]) {
    ctx.addIssue({ code: 'custom', path: ['to'], message: `at most ${HISTORY_MAX_DAYS[q.bucket]} days with bucket=${q.bucket}` });
  }
};

/** Query of `GET /api/sites/:siteId/history`: business dates, both ends included. */
export const HistoryQuery = z
  .strictObject({ from: IsoDate, to: IsoDate, bucket: HistoryBucketSize.default('day') })
  .superRefine(checkRange);
export type HistoryQuery = z.infer<typeof HistoryQuery>;

/** One bucket: a business day, or one local clock hour of a business day. */
export const HistoryBucket = z.object({
  date: z.string(),
  /** Local clock hour 0–23 for hour buckets; null for day buckets. */
  hour: z.number().int().min(0).max(23).nullable(),
  counters: DayCounters,
});
export type HistoryBucket = z.infer<typeof HistoryBucket>;

/** Reply of `GET /api/sites/:siteId/history`: every bucket of the range, empty ones as zeros. */
export const HistoryReply = z.object({
  siteId: z.string(),
  from: z.string(),
  to: z.string(),
  bucket: HistoryBucketSize,
  timeZone: z.string(),
  businessDayStart: z.number().int(),
  buckets: z.array(HistoryBucket),
});
export type HistoryReply = z.infer<typeof HistoryReply>;

/** Query of `GET /api/sites/:siteId/report.csv`. */
export const ReportQuery = z
  .strictObject({
    from: IsoDate,
    to: IsoDate,
    /** Counts from 1 to N − 1 are shown as `<N` (Health Canada uses 10), and others as `x` where needed so none can be worked out. */
    suppressBelow: z.coerce.number().int().min(3, 'at least 3 (with 2, "<2" would mean exactly 1)').max(100).optional(),
  })
  .superRefine((q, ctx) => checkRange({ ...q, bucket: 'day' }, ctx));
export type ReportQuery = z.infer<typeof ReportQuery>;

/** Every business date from `from` to `to`, both included. */
export function datesBetween(from: string, to: string): string[] {
  const n = daysBetween(from, to);
  return Array.from({ length: Math.max(0, n + 1) }, (_, i) => addDays(from, i));
}

/** The first and last date of a month `YYYY-MM`. */
export function monthRange(month: string): { from: string; to: string } {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const last = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return { from: `${month}-01`, to: `${month}-${String(last).padStart(2, '0')}` };
}

/** Sums counters: counts add up, peaks take the largest. */
export function sumCounters(list: readonly DayCounters[]): DayCounters {
  const out = emptyCounters();
  for (const c of list) {
    out.intakes += c.intakes;
    for (const s of SUBSTANCES) out.bySubstance[s] += c.bySubstance[s];
    for (const r of ROUTES) out.byRoute[r] += c.byRoute[r];
    out.assisted += c.assisted;
    out.checkouts += c.checkouts;
    out.sessionMinutesTotal += c.sessionMinutesTotal;
    for (const k of INCIDENT_KINDS) out.incidents[k] += c.incidents[k];
    out.naloxone += c.naloxone;
    out.ambulance += c.ambulance;
    out.registrations += c.registrations;
    out.queueJoins += c.queueJoins;
    out.walkAways += c.walkAways;
    out.queueServed += c.queueServed;
    out.peakOccupied = Math.max(out.peakOccupied, c.peakOccupied);
    out.peakQueue = Math.max(out.peakQueue, c.peakQueue);
    for (const [site, n] of Object.entries(c.sentTo ?? {})) (out.sentTo ??= {})[site] = (out.sentTo?.[site] ?? 0) + n;
  }
  out.sessionMinutesTotal = Math.round(out.sessionMinutesTotal * 10) / 10;
  return out;
}

// ---- The monthly report (CSV and the printable page share these columns) -----------------

/** One report column: its CSV header and how to read it from a day's (or the total's) counters. */
export interface ReportColumn {
  key: string;
  /** A count of events or people: subject to small-number suppression. */
  count: boolean;
  /** The total row is the sum of the days (a peak's total is their largest, a mean is neither). */
  additive?: boolean;
  value: (c: DayCounters) => number | null;
}

const mean = (c: DayCounters) => (c.checkouts > 0 ? Math.round((c.sessionMinutesTotal / c.checkouts) * 10) / 10 : null);

/** The indicators a site reports, in CSV order (after `date`). */
export const REPORT_COLUMNS: readonly ReportColumn[] = [
  { key: 'intakes', count: true, additive: true, value: (c) => c.intakes },
  ...SUBSTANCES.map((s): ReportColumn => ({ key: `intakes_${s}`, count: true, additive: true, value: (c) => c.bySubstance[s] })),
  ...ROUTES.map((r): ReportColumn => ({ key: `route_${r}`, count: true, additive: true, value: (c) => c.byRoute[r] })),
  { key: 'assisted', count: true, additive: true, value: (c) => c.assisted },
  { key: 'overdoses', count: true, additive: true, value: (c) => c.incidents.overdose },
  { key: 'naloxone', count: true, additive: true, value: (c) => c.naloxone },
  { key: 'ambulance_calls', count: true, additive: true, value: (c) => c.ambulance },
  { key: 'medical_incidents', count: true, additive: true, value: (c) => c.incidents.medical },
  { key: 'other_incidents', count: true, additive: true, value: (c) => c.incidents.other },
  { key: 'registrations', count: true, additive: true, value: (c) => c.registrations },
  { key: 'walk_aways', count: true, additive: true, value: (c) => c.walkAways },
  // A mean is not a count, but a mean of very few sessions says too much: suppressed with `checkouts`.
  { key: 'mean_session_minutes', count: false, value: mean },
  { key: 'peak_occupancy', count: true, value: (c) => c.peakOccupied },
  { key: 'peak_queue', count: true, value: (c) => c.peakQueue },
];

/** The column of walk-aways sent to one network site (issue 18). */
export const SENT_TO_PREFIX = 'sent_to_';

/** The sites anyone was sent to in these days, sorted: each gets a report column after `walk_aways`. */
export const sentToSitesOf = (days: readonly { counters: DayCounters }[]): string[] =>
  [...new Set(days.flatMap((d) => Object.keys(d.counters.sentTo ?? {})))].sort();

/** The report's columns: the fixed ones, with a `sent_to_<site>` count per site people were sent to. */
export function reportColumns(sentTo: readonly string[] = []): ReportColumn[] {
  const at = REPORT_COLUMNS.findIndex((c) => c.key === 'walk_aways') + 1;
  const sent = sentTo.map((site): ReportColumn => ({ key: `${SENT_TO_PREFIX}${site}`, count: true, additive: true, value: (c) => c.sentTo?.[site] ?? 0 }));
  return [...REPORT_COLUMNS.slice(0, at), ...sent, ...REPORT_COLUMNS.slice(at)];
}

/** A count as shown under primary suppression: 1 … N−1 become `<N`; zero stays 0 (it tells nothing about anyone). */
export function suppress(value: number, below: number | undefined): string {
  return below !== undefined && value > 0 && value < below ? `<${below}` : String(value);
}

/** How a cell withheld by complementary suppression reads (its value could be anything). */
export const WITHHELD = 'x';

/** The report's additive relations: each column's total is the sum of its days; intakes = Σ substances = Σ routes. */
export function reportShape(days: number, columns: readonly ReportColumn[] = REPORT_COLUMNS): TableShape {
  return {
    rows: days,
    additive: columns.filter((c) => c.count && c.additive).map((c) => c.key),
    groups: [
      { whole: 'intakes', parts: SUBSTANCES.map((s) => `intakes_${s}`) },
      { whole: 'intakes', parts: ROUTES.map((r) => `route_${r}`) },
    ],
  };
}

/**
 * Header, a row per day, and a total row (totals from the raw counts). With `suppressBelow` = N,
 * counts 1 … N − 1 read `<N` and complementary cells read `x`, chosen so that no hidden cell can
 * be worked out from the totals and the other cells (`shared/disclosure.ts`); peaks (a total is
 * the largest day, never a sum) only get the primary rule, and a mean of fewer than N sessions reads `<N`.
 */
export function reportTable(days: readonly { date: string; counters: DayCounters }[], suppressBelow?: number): string[][] {
  const rows = [...days.map((d) => ({ label: d.date, counters: d.counters })), { label: 'total', counters: sumCounters(days.map((d) => d.counters)) }];
  const columns = reportColumns(sentToSitesOf(days));
  const byKey = new Map(columns.map((c) => [c.key, c]));
  const hidden =
    suppressBelow === undefined
      ? new Map<string, Suppression>()
      : protectTable(reportShape(days.length, columns), (row, col) => byKey.get(col)!.value(rows[row]!.counters) ?? 0, suppressBelow);
  return [
    ['date', ...columns.map((c) => c.key)],
    ...rows.map(({ label, counters }, row) => [
      label,
      ...columns.map((col) => {
        const v = col.value(counters);
        if (v === null) return '';
        const h = hidden.get(cellKey(row, col.key));
        if (h === 'secondary') return WITHHELD;
        if (col.count) return suppress(v, suppressBelow);
        return suppressBelow !== undefined && counters.checkouts > 0 && counters.checkouts < suppressBelow ? `<${suppressBelow}` : String(v);
      }),
    ]),
  ];
}

/** RFC 4180 field: quoted when it holds a comma, quote, line break or edge space; formula starts defused. */
export function csvField(value: string): string {
  const v = /^[=+@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]|^\s|\s$/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

/** Rows to CSV text (CRLF line ends, as RFC 4180 and spreadsheet programs expect). */
export const toCsv = (rows: readonly (readonly string[])[]): string => rows.map((r) => r.map(csvField).join(',')).join('\r\n') + '\r\n';
