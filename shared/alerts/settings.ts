import { z } from 'zod';

/** The default rules of PRODUCT.md, by id. */
export const RuleId = z.enum([
  'booths-per-staff',
  'occupancy',
  'queue',
  'overstay',
  'overdose-cluster',
  'responder-floor',
  'no-data',
  'payday-ahead',
  'forecast-gap',
  'wall-offline',
]);
export type RuleId = z.infer<typeof RuleId>;
export const RULE_IDS = RuleId.options;

export const Severity = z.enum(['info', 'warning', 'critical']);
export type Severity = z.infer<typeof Severity>;
export const SEVERITY_RANK: Record<Severity, number> = { info: 1, warning: 2, critical: 3 };
/** The higher of two severities (null counts as below `info`). */
export const maxSeverity = (a: Severity | null, b: Severity | null): Severity | null =>
  a === null ? b : b === null ? a : SEVERITY_RANK[a] >= SEVERITY_RANK[b] ? a : b;
export const severityAtLeast = (s: Severity | null, min: Severity): boolean => s !== null && SEVERITY_RANK[s] >= SEVERITY_RANK[min];

/** A pending period: at most an hour (a longer one would silence the rule in all but name). */
const Seconds = z.number().int().min(0).max(3600);
const Minutes = z.number().min(0).max(24 * 60);
const HourMinute = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'HH:MM');

/** Switch, pending period (how long the fire condition must hold) of every rule. */
const base = (pendingSeconds: number) => ({ enabled: z.boolean().default(true), pendingSeconds: Seconds.default(pendingSeconds) });

/** Why the responder floor cannot be weakened: said in the 400 and in Settings. */
export const SAFETY_RULE_MESSAGE = {
  enabled: 'the responder floor is a safety rule: it cannot be switched off',
  minFree: 'the responder floor is a safety rule: it must fire below at least 1 free responder',
  pendingSeconds: 'the responder floor is a safety rule: it fires at once (pending 0)',
} as const;

/**
 * The responder floor: a safety rule, not a setting. It is always on, fires at once, and its
 * threshold is never below 1 free responder; the figures it is computed from keep to PRODUCT.md's
 * staffing numbers (one observer per 4–6 occupied places, an overdose ties up two staff for
 * 15–30 min), so no combination of values can quietly turn it off.
 */
const ResponderFloor = z
  .object({
    enabled: z.boolean().default(true).refine((on) => on, SAFETY_RULE_MESSAGE.enabled),
    pendingSeconds: Seconds.default(0).refine((s) => s === 0, SAFETY_RULE_MESSAGE.pendingSeconds),
    boothsPerObserver: z.number().min(1).max(8).default(5),
    staffPerOverdose: z.number().min(1).max(4).default(2),
    overdoseMinutes: z.number().min(15).max(120).default(30),
    /** Fires when free responders fall below this. */
    minFree: z.number().min(1, SAFETY_RULE_MESSAGE.minFree).max(10).default(1),
  })
  .prefault({});

/**
 * Per-site thresholds of every rule, each bounded to values that still make sense on a floor.
 * Each level rule has a fire threshold per severity, a separate (lower) clear threshold, and
 * `criticalClear`: while critical, the alert stays critical until the value falls below it (so
 * noise around the critical threshold cannot flap).
 */
export const RuleSettings = z.object({
  'booths-per-staff': z
    .object({
      ...base(120),
      warning: z.number().min(0.5).max(30).default(4),
      critical: z.number().min(0.5).max(30).default(6),
      clear: z.number().min(0).max(30).default(3.5),
      criticalClear: z.number().min(0.5).max(30).default(4),
    })
    .prefault({}),
  occupancy: z.object({ ...base(300), warning: z.number().min(0.1).max(1).default(0.9), clear: z.number().min(0).max(1).default(0.75) }).prefault({}),
  queue: z
    .object({
      ...base(180),
      warning: z.number().int().min(1).max(500).default(5),
      critical: z.number().int().min(1).max(500).default(10),
      clear: z.number().int().min(0).max(500).default(3),
      criticalClear: z.number().int().min(1).max(500).default(5),
    })
    .prefault({}),
  overstay: z.object({ ...base(0), severity: Severity.default('warning') }).prefault({}),
  'overdose-cluster': z.object({ ...base(0), count: z.number().int().min(1).max(20).default(2), windowMinutes: z.number().min(5).max(24 * 60).default(60) }).prefault({}),
  'responder-floor': ResponderFloor,
  'no-data': z.object({ ...base(0), minutes: z.number().min(5).max(24 * 60).default(30), minExpectedPerHour: z.number().min(0).max(1000).default(2) }).prefault({}),
  // Warning by default: shown on the wall and pushed to leads' and managers' phones (info is neither).
  'payday-ahead': z.object({ ...base(0), hour: z.number().int().min(0).max(23).default(12), severity: Severity.default('warning') }).prefault({}),
  'forecast-gap': z.object({ ...base(0), hoursAhead: z.number().int().min(1).max(12).default(3), minShortfall: z.number().int().min(1).max(50).default(1) }).prefault({}),
  'wall-offline': z.object({ ...base(0), minutes: z.number().min(1).max(60).default(2), forgetAfterHours: z.number().min(1).max(24 * 14).default(24) }).prefault({}),
});
export type RuleSettings = z.infer<typeof RuleSettings>;

/** Which notifications a channel gets. */
const Routing = {
  /** Rules this channel hears about (all when absent). */
  rules: z.array(RuleId).optional(),
  minSeverity: Severity.default('warning'),
  /** `floor`: fired / worse / repeats / resolved; `managers`: escalations only; `all`: both. */
  audience: z.enum(['floor', 'managers', 'all']).default('all'),
  /** Local times (site zone) when non-safety notifications are held back on this channel. */
  quietHours: z.object({ from: HourMinute, to: HourMinute }).optional(),
  /** Also tell when an alert resolves. */
  resolved: z.boolean().default(true),
  /** Shift handover summaries (webhook and e-mail channels); default: yes unless the audience is `managers`. */
  handovers: z.boolean().optional(),
};

const ChannelId = z.string().regex(/^[a-z0-9][a-z0-9-]{0,39}$/, 'lower-case letters, digits and dashes');

export const WebhookChannel = z.object({
  id: ChannelId,
  type: z.literal('webhook'),
  url: z.url({ protocol: /^https?$/ }),
  /** HMAC-SHA256 key of `X-Roomwatch-Signature`. */
  secret: z.string().min(16),
  format: z.enum(['json', 'slack', 'teams', 'ntfy']).default('json'),
  /** Extra attempts after the first, with exponential backoff from `backoffMs`. */
  retries: z.number().int().min(0).max(8).default(4),
  backoffMs: z.number().int().min(10).max(60_000).default(1_000),
  ...Routing,
});
export const WebPushChannel = z.object({
  id: ChannelId,
  type: z.literal('webpush'),
  /** Least role of the signed-in subscribers who get floor notifications (escalations go to managers). */
  role: z.enum(['staff', 'lead', 'manager', 'admin']).default('lead'),
  ...Routing,
});
export const EmailChannel = z.object({ id: ChannelId, type: z.literal('email'), to: z.array(z.email()).min(1).max(20), ...Routing });
export const Channel = z.discriminatedUnion('type', [WebhookChannel, WebPushChannel, EmailChannel]);
export type Channel = z.infer<typeof Channel>;

/**
 * A site's alert settings (`alerts:` in the sites file, Settings → Alerts); every field has a
 * default. Level rules must clear below where they fire (else an alert could never resolve, or
 * would flap), and the critical level must not be below the warning level.
 */
export const AlertSettings = z
  .object({
    rules: RuleSettings.prefault({}),
    /** Reminder while firing and unacknowledged. 0 = never. */
    repeatMinutes: Minutes.default(10),
    /** Unacknowledged critical alerts go to managers after this. 0 = never. */
    escalateAfterMinutes: Minutes.default(10),
    channels: z.array(Channel).max(20).default([]),
  })
  .superRefine((s, ctx) => {
    const issue = (rule: RuleId, field: string, message: string) => ctx.addIssue({ code: 'custom', path: ['rules', rule, field], message });
    for (const rule of ['booths-per-staff', 'queue'] as const) {
      const r = s.rules[rule];
      if (r.clear >= r.warning) issue(rule, 'clear', `must be below the warning threshold (${r.warning})`);
      if (r.critical < r.warning) issue(rule, 'critical', `must not be below the warning threshold (${r.warning})`);
      if (r.criticalClear > r.critical) issue(rule, 'criticalClear', `must not be above the critical threshold (${r.critical})`);
    }
    const occ = s.rules.occupancy;
    if (occ.clear >= occ.warning) issue('occupancy', 'clear', `must be below the warning threshold (${occ.warning})`);
    const ids = new Set<string>();
    s.channels.forEach((c, i) => {
      if (ids.has(c.id)) ctx.addIssue({ code: 'custom', path: ['channels', i, 'id'], message: `duplicate channel id ${c.id}` });
      ids.add(c.id);
    });
  });
export type AlertSettings = z.infer<typeof AlertSettings>;
export type AlertSettingsInput = z.input<typeof AlertSettings>;

/** The settings of a site with every default filled in. */
export const alertSettingsOf = (raw: AlertSettingsInput | undefined): AlertSettings => AlertSettings.parse(raw ?? {});

/** Safety rules: never held back by quiet hours, whatever their severity. */
export const SAFETY_RULES: readonly RuleId[] = ['responder-floor', 'overdose-cluster'];
/** Rules that cannot be switched off (the schema refuses it; the engine runs them regardless). */
export const ALWAYS_ON_RULES: readonly RuleId[] = ['responder-floor'];
/** Rules an acknowledgement cannot silence (repeats continue until the condition is restored). */
export const UNSILENCEABLE_RULES: readonly RuleId[] = ['responder-floor'];
/** Capacity rules: inhibited while no room of the site is open. */
export const CAPACITY_RULES: readonly RuleId[] = ['booths-per-staff', 'occupancy', 'queue'];

/**
 * A site config as stored before the responder floor was enforced as a safety rule: its
 * responder floor put back on, firing at once and at ≥ 1 free responder (values outside the
 * bounds fall back to the defaults), so an old stored config still loads — safely — instead
 * of being dropped. Anything else is left for the schema to judge.
 */
export function withSafetyRule(raw: unknown): unknown {
  const rules = (raw as { alerts?: { rules?: Record<string, unknown> } } | null)?.alerts?.rules;
  const rf = rules?.['responder-floor'];
  if (!rules || rf === null || typeof rf !== 'object') return raw;
  const fixed: Record<string, unknown> = { ...(rf as Record<string, unknown>), enabled: true, pendingSeconds: 0 };
  const checked = RuleSettings.shape['responder-floor'].safeParse(fixed);
  if (!checked.success) {
    for (const issue of checked.error.issues) delete fixed[String(issue.path[0])];
  }
  return { ...(raw as object), alerts: { ...(raw as { alerts: object }).alerts, rules: { ...rules, 'responder-floor': fixed } } };
}
