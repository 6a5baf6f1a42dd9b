import { z } from 'zod';
import { PaydayPosition } from './calendar';
import { StaffingFlag } from './forecast';

/** Longest look-ahead of `GET /api/sites/:siteId/staffing-plan`, in hours. */
export const STAFFING_PLAN_MAX_HOURS = 72;

/** Query of `GET /api/sites/:siteId/staffing-plan`: how many hours from now (default 12). */
export const StaffingPlanQuery = z.strictObject({
  hours: z.coerce
    .number({ message: 'a whole number of hours' })
    .int('a whole number of hours')
    .min(1, 'at least 1')
    .max(STAFFING_PLAN_MAX_HOURS, `at most ${STAFFING_PLAN_MAX_HOURS}`)
    .default(12),
});
export type StaffingPlanQuery = z.infer<typeof StaffingPlanQuery>;

/** One real hour ahead: what the forecast expects and what the plan has against it. */
export const StaffingPlanHour = z.object({
  /** ISO instant the hour starts. */
  start: z.string(),
  /** Business date and local clock hour it belongs to. */
  date: z.string(),
  hour: z.number().int().min(0).max(23),
  position: PaydayPosition,
  /** Minutes of the hour the site is open (0 = closed). */
  openMinutes: z.number(),
  expectedIntakes: z.number(),
  /** Booths that keep the mean wait under the target (Erlang C) while open. */
  boothsNeeded: z.number().int(),
  recommendedStaff: z.number().int(),
  /** From the weekly plan and its dated changes; null when the site has no plan. */
  plannedStaff: z.number().int().nullable(),
  /** Recommended − planned: above 0 the plan is short by that many; null without a plan. */
  gap: z.number().int().nullable(),
  flag: StaffingFlag,
});
export type StaffingPlanHour = z.infer<typeof StaffingPlanHour>;

/** The next payday: its day (from the money's arrival to the next), summed up and hour by hour. */
export const StaffingPlanPayday = z.object({
  date: z.string(),
  /** Whole days from the site's calendar date today (0 = today). */
  inDays: z.number().int(),
  /** ISO instants: when its money lands and when the day is over. */
  from: z.string(),
  until: z.string(),
  /** The payday-ahead warning is due (the rule is on, from 12:00 the day before until the payday's business day ends). */
  warning: z.boolean(),
  expectedIntakes: z.number(),
  /** The busiest hour: most booths needed, its staff recommendation and plan. */
  peak: StaffingPlanHour,
  /** Hours whose plan is short of the recommendation, and the largest gap. */
  shortHours: z.number().int(),
  maxGap: z.number().int().nullable(),
  hours: z.array(StaffingPlanHour),
});
export type StaffingPlanPayday = z.infer<typeof StaffingPlanPayday>;

/** Reply of `GET /api/sites/:siteId/staffing-plan`. */
export const StaffingPlanReply = z.object({
  siteId: z.string(),
  /** ISO instant the plan was made (the site's clock). */
  at: z.string(),
  targetWaitMinutes: z.number(),
  boothsPerObserver: z.number(),
  hasPlan: z.boolean(),
  hours: z.array(StaffingPlanHour),
  payday: StaffingPlanPayday,
});
export type StaffingPlanReply = z.infer<typeof StaffingPlanReply>;

/** The hours whose plan falls short of the recommendation. */
export const shortHours = (hours: readonly StaffingPlanHour[]): StaffingPlanHour[] => hours.filter((h) => h.gap !== null && h.gap > 0);
