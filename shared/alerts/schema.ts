import { z } from 'zod';
import { RuleId, RuleSettings, Severity } from './settings';

/** Where an alert is in its life. `pending`: the condition holds but not yet for its pending period. */
export const AlertState = z.enum(['pending', 'firing', 'resolved']);
export type AlertState = z.infer<typeof AlertState>;

/** What happened to an alert, in order: its timeline. */
export const TimelineKind = z.enum([
  'pending',
  'fired',
  'worsened',
  'eased',
  'repeated',
  'escalated',
  'acknowledged',
  'resolved',
  'cancelled',
  'notified',
  'notify-failed',
  'held',
]);
export type TimelineKind = z.infer<typeof TimelineKind>;

export const TimelineEntry = z.object({
  at: z.string(),
  kind: TimelineKind,
  severity: Severity.optional(),
  /** Who acknowledged (display name), for `acknowledged`. */
  by: z.string().optional(),
  comment: z.string().optional(),
  /** Channel id, for `notified` / `notify-failed` / `held`. */
  channel: z.string().optional(),
  note: z.string().optional(),
});
export type TimelineEntry = z.infer<typeof TimelineEntry>;

/** Figures a rule reports with its alert (used to word it), e.g. `{value: 7, threshold: 5}`. */
export const AlertDetail = z.record(z.string(), z.union([z.string(), z.number()]));
export type AlertDetail = z.infer<typeof AlertDetail>;

export const Alert = z.object({
  id: z.string(),
  siteId: z.string(),
  /** The rule and its subject (`queue`, `overstay:inj-1`, `wall-offline:<screen>`): one open alert per key. */
  key: z.string(),
  rule: RuleId,
  severity: Severity,
  state: AlertState,
  /** English wording; clients word it themselves from `rule` and `detail` (`alertTitle`). */
  title: z.string(),
  detail: AlertDetail,
  pendingAt: z.string(),
  firedAt: z.string().nullable(),
  /** When it reached its current severity (the escalation clock of a critical alert). */
  severitySince: z.string(),
  resolvedAt: z.string().nullable(),
  acknowledged: z
    .object({ by: z.string(), at: z.string(), severity: Severity, comment: z.string().nullable() })
    .nullable(),
  escalatedAt: z.string().nullable(),
  lastNotifiedAt: z.string().nullable(),
  /** False for the responder floor: an acknowledgement does not stop its reminders. */
  silenceable: z.boolean(),
  timeline: z.array(TimelineEntry),
});
export type Alert = z.infer<typeof Alert>;

/** Query of `GET /api/sites/:siteId/alerts`. */
export const AlertsQuery = z.strictObject({ state: z.enum(['active', 'all']).default('active') });
export type AlertsQuery = z.infer<typeof AlertsQuery>;

/** Reply of `GET /api/sites/:siteId/alerts`: newest first. */
export const AlertList = z.object({ siteId: z.string(), alerts: z.array(Alert) });
export type AlertList = z.infer<typeof AlertList>;

/**
 * Body of `POST …/alerts/:alertId/ack`. The comment is for what staff did ("responder sent"),
 * never about a person; the UI says so.
 */
export const AckBody = z.strictObject({ comment: z.string().trim().max(200).optional() });
export type AckBody = z.infer<typeof AckBody>;

/**
 * What changed, in `alert:changed`. `test`: a channel test from the settings (not a real alert);
 * `updated`: an open alert's figures changed (its text is current; nothing is notified).
 */
export const AlertChangeKind = z.enum([...TimelineKind.options, 'test', 'updated']);
export type AlertChangeKind = z.infer<typeof AlertChangeKind>;

/** Payload of `alert:changed`: the alert's whole new state, so applying it twice is harmless. */
export const AlertChanged = z.object({ siteId: z.string(), kind: AlertChangeKind, alert: Alert });
export type AlertChanged = z.infer<typeof AlertChanged>;

/** Reply of `POST …/channels/:channelId/test`. */
export const ChannelTestResult = z.object({ channel: z.string(), ok: z.boolean(), attempts: z.number().int(), status: z.number().int().nullable(), note: z.string().optional() });
export type ChannelTestResult = z.infer<typeof ChannelTestResult>;

/** Query of `GET …/alerts/backtest`. */
export const BacktestQuery = z.strictObject({
  rule: RuleId,
  threshold: z.coerce.number().finite(),
  days: z.coerce.number().int().min(1).max(90).default(30),
});
export type BacktestQuery = z.infer<typeof BacktestQuery>;

export const BacktestResult = z.object({
  rule: RuleId,
  threshold: z.number(),
  from: z.string(),
  to: z.string(),
  hoursReplayed: z.number().int(),
  hoursWithData: z.number().int(),
  /** Hours in which the hourly figure crossed the threshold. */
  hoursOver: z.number().int(),
  /** Runs of consecutive such hours: about how many separate alerts it would have raised. */
  episodes: z.number().int(),
  /** What an hourly replay can and cannot say for this rule. */
  notes: z.array(z.string()),
});
export type BacktestResult = z.infer<typeof BacktestResult>;

/**
 * Reply of `GET …/alerts/settings` (managers): the site's effective settings with every default
 * filled in; channels show where they go (the URL's origin, or how many addresses), never secrets.
 */
export const AlertSettingsView = z.object({
  siteId: z.string(),
  repeatMinutes: z.number(),
  escalateAfterMinutes: z.number(),
  rules: RuleSettings,
  channels: z.array(
    z.object({
      id: z.string(),
      type: z.enum(['in-app', 'webhook', 'webpush', 'email']),
      target: z.string(),
      minSeverity: Severity,
      audience: z.enum(['floor', 'managers', 'all']),
      rules: z.array(RuleId).nullable(),
      quietHours: z.object({ from: z.string(), to: z.string() }).nullable(),
    }),
  ),
});
export type AlertSettingsView = z.infer<typeof AlertSettingsView>;

/** Rules the backtest can replay from hourly counters (the others need live state). */
export const BACKTEST_RULES = ['queue', 'occupancy', 'booths-per-staff', 'overdose-cluster', 'responder-floor', 'no-data'] as const satisfies readonly RuleId[];

/** Body of `POST /api/push/subscriptions` (a browser's PushSubscription JSON). */
export const PushSubscriptionBody = z.strictObject({
  endpoint: z.url({ protocol: /^https$/ }).max(1000),
  expirationTime: z.number().nullable().optional(),
  keys: z.strictObject({ p256dh: z.string().min(1).max(200), auth: z.string().min(1).max(100) }),
});
export type PushSubscriptionBody = z.infer<typeof PushSubscriptionBody>;

export const PushKey = z.object({ publicKey: z.string() });
export type PushKey = z.infer<typeof PushKey>;
