import { z } from 'zod';
import { RoomKind } from './vocabulary';
import { CalendarDate, PaydayRules } from './calendar';
import { AlertSettings } from './alerts/settings';

const Id = z.string().regex(/^[a-z0-9][a-z0-9-]{0,39}$/, 'lower-case letters, digits and dashes, at most 40');
const HourMinute = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$|^24:00$/, 'HH:MM');
export const Weekday = z.enum(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun']);
export type Weekday = z.infer<typeof Weekday>;
export const WEEKDAYS = Weekday.options;

/** One opening window on the listed weekdays; `close` before `open` runs past midnight. */
export const OpeningWindow = z.object({
  days: z.array(Weekday).min(1).default([...WEEKDAYS]),
  open: HourMinute,
  close: HourMinute,
});
export type OpeningWindow = z.infer<typeof OpeningWindow>;

/** `"24h"` or a list of windows. Hours may change (rebuilds), so they live per room. */
export const OpeningHours = z.union([z.literal('24h'), z.array(OpeningWindow).min(1)]);
export type OpeningHours = z.infer<typeof OpeningHours>;

/** One opening window of a dated day (no weekdays: it applies to every date of its period). */
export const DatedWindow = z.strictObject({ open: HourMinute, close: HourMinute });
export type DatedWindow = z.infer<typeof DatedWindow>;

/**
 * Hours that replace the weekly pattern on the calendar dates `from`–`to` (inclusive, local):
 * a dated closure (`"closed"`: Christmas Eve, a rebuild), temporary hours (a list of windows)
 * or round the clock (`"24h"`). A window whose `close` is not after `open` runs past midnight,
 * as in the weekly pattern. `label` names the reason for staff ("Ombygning"), never a person.
 */
export const DatedHours = z
  .strictObject({
    from: CalendarDate,
    to: CalendarDate,
    hours: z.union([z.literal('closed'), z.literal('24h'), z.array(DatedWindow).min(1).max(4)]),
    label: z.string().trim().min(1).max(60).optional(),
  })
  .refine((d) => d.to >= d.from, { path: ['to'], message: 'must not be before from' });
export type DatedHours = z.infer<typeof DatedHours>;

const SessionMinutes = z.number().int().min(1).max(240);
export const MaxSessionMinutes = z.object({
  injection: SessionMinutes.default(30),
  inhalation: SessionMinutes.default(20),
});

export const RoomConfig = z.object({
  id: Id,
  name: z.string().min(1).max(60),
  kind: RoomKind,
  /** A count (ids `<room>-1` …) or explicit booth ids. */
  booths: z.union([z.number().int().min(1).max(60), z.array(Id).min(1).max(60)]),
  openingHours: OpeningHours.default('24h'),
  /** Dated closures and temporary hours on top of the weekly pattern (see `shared/openingHours.ts`). */
  datedHours: z
    .array(DatedHours)
    .max(60)
    .superRefine((list, ctx) => {
      // Two entries for one date would make the day's hours depend on their order: refuse.
      list.forEach((a, i) => {
        const clash = list.findIndex((b, j) => j < i && a.from <= b.to && b.from <= a.to);
        if (clash >= 0) ctx.addIssue({ code: 'custom', path: [i, 'from'], message: `overlaps entry ${clash + 1} (${list[clash]!.from} – ${list[clash]!.to})` });
      });
    })
    .optional(),
  maxSessionMinutes: SessionMinutes.optional(),
});
export type RoomConfig = z.infer<typeof RoomConfig>;

const Staff = z.number().int().min(0).max(200);

/** A dated change to the plan: `staff` on the floor for clock hours [fromHour, toHour) of one calendar date. */
export const StaffingChange = z
  .strictObject({
    date: CalendarDate,
    fromHour: z.number().int().min(0).max(23).default(0),
    toHour: z.number().int().min(1).max(24).default(24),
    staff: Staff,
  })
  .refine((c) => c.fromHour < c.toHour, { path: ['toHour'], message: 'must be after fromHour' });
export type StaffingChange = z.infer<typeof StaffingChange>;

/**
 * Planned staff on the floor per hour of the week: a default, optionally 24 numbers per weekday
 * (clock hours 0–23), and dated changes (a payday evening, Christmas) that win over both.
 */
export const StaffingPlan = z.strictObject({
  default: Staff,
  byWeekday: z.partialRecord(Weekday, z.array(Staff).length(24)).default({}),
  changes: z.array(StaffingChange).max(400).default([]),
});
export type StaffingPlan = z.infer<typeof StaffingPlan>;

/** A network's name: sites with the same name form one network. */
export const NetworkName = z.string().trim().min(1).max(60);
/** Minutes walking to other sites of the network, by site id (whole minutes, 1–240). */
export const WalkMinutes = z.record(Id, z.number().int().min(1).max(240));

/**
 * The network rules, checked where the whole sites file is known (start-up and a settings save):
 * walking minutes need a network name, never name the site itself, and name only sites that
 * exist in the same network. Each issue names the site and the field's path within it.
 */
export function networkIssues(sites: ReadonlyArray<Pick<SiteConfig, 'id' | 'network' | 'walkMinutes'>>): Array<{ siteId: string; path: Array<string | number>; message: string }> {
  const networkOf = new Map(sites.map((s) => [s.id, s.network]));
  const out: Array<{ siteId: string; path: Array<string | number>; message: string }> = [];
  for (const site of sites) {
    const walks = Object.keys(site.walkMinutes ?? {});
    if (walks.length > 0 && !site.network) out.push({ siteId: site.id, path: ['network'], message: 'name the network the walking minutes belong to' });
    for (const other of walks) {
      if (other === site.id) out.push({ siteId: site.id, path: ['walkMinutes', other], message: 'a site does not walk to itself' });
      else if (!networkOf.has(other)) out.push({ siteId: site.id, path: ['walkMinutes', other], message: `no site ${other}` });
      else if (networkOf.get(other) !== site.network) out.push({ siteId: site.id, path: ['walkMinutes', other], message: `${other} is not in network ${site.network ?? '(none)'}` });
    }
  }
  return out;
}

export const SiteConfig = z.object({
  id: Id,
  name: z.string().min(1).max(80),
  timeZone: z
    .string()
    .default('Europe/Copenhagen')
    .refine((tz) => {
      try {
        new Intl.DateTimeFormat('en', { timeZone: tz });
        return true;
      } catch {
        return false;
      }
    }, 'unknown IANA time zone'),
  businessDayStart: z.number().int().min(0).max(23).default(6),
  /** Simulated data may only ever be written into demo sites. */
  demo: z.boolean().default(false),
  maxSessionMinutes: MaxSessionMinutes.default({ injection: 30, inhalation: 20 }),
  rooms: z.array(RoomConfig).min(1).max(20),
  /** Extra or replacement paydays on top of the default Danish calendar. */
  paydays: PaydayRules.optional(),
  /** Planned staff per hour of the week; compared with the forecast's recommendation. */
  staffingPlan: StaffingPlan.optional(),
  /** Alert thresholds, reminders, escalation and notification channels (defaults: PRODUCT.md). */
  alerts: AlertSettings.optional(),
  /** Local times (`HH:MM`) when shifts change: a handover summary is made at each (issue 19). */
  shiftChanges: z
    .array(HourMinute)
    .max(8)
    .refine((times) => new Set(times.map((x) => (x === '24:00' ? '00:00' : x))).size === times.length, 'each time only once')
    .optional(),
  /** The network of sites this one belongs to (sites a few minutes' walk apart, e.g. a city; issue 18). */
  network: NetworkName.optional(),
  /** Minutes walking from this site to each other site of its network, by site id. */
  walkMinutes: WalkMinutes.optional(),
  /** Estimated wait (minutes) above which the wall and console suggest another site of the network (default 20). */
  redirectWaitMinutes: z.number().int().min(1).max(240).optional(),
  /** Opt in to the public page `/open` and `GET /api/public/availability` (bands and hours, never people). */
  public: z.boolean().default(false),
});
export type SiteConfig = z.infer<typeof SiteConfig>;

export const SitesFile = z
  .object({ sites: z.array(SiteConfig).min(1).max(500) })
  .superRefine((file, ctx) => {
    const siteIds = new Set<string>();
    file.sites.forEach((site, si) => {
      if (siteIds.has(site.id)) ctx.addIssue({ code: 'custom', path: ['sites', si, 'id'], message: `duplicate site id ${site.id}` });
      siteIds.add(site.id);
      const boothIds = new Set<string>();
      site.rooms.forEach((room, ri) => {
        for (const b of boothIdsOf(room)) {
          if (boothIds.has(b)) ctx.addIssue({ code: 'custom', path: ['sites', si, 'rooms', ri, 'booths'], message: `duplicate booth id ${b}` });
          boothIds.add(b);
        }
      });
    });
    for (const issue of networkIssues(file.sites)) {
      ctx.addIssue({ code: 'custom', path: ['sites', file.sites.findIndex((s) => s.id === issue.siteId), ...issue.path], message: issue.message });
    }
  });
export type SitesFile = z.infer<typeof SitesFile>;

/** The booth ids of a room, in display order. */
export function boothIdsOf(room: RoomConfig): string[] {
  return typeof room.booths === 'number'
    ? Array.from({ length: room.booths }, (_, i) => `${room.id}-${i + 1}`)
    : [...room.booths];
}
