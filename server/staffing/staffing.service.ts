import { hourStart, localClock, paydayWindow } from '../../shared/alerts/hours';
import { alertSettingsOf } from '../../shared/alerts/settings';
import { businessDayStart, businessSlot } from '../../shared/businessTime';
import { addDays, daysBetween, daysFromPayday, nextPayday, positionDateOf } from '../../shared/calendar';
import type { ForecastHour, ForecastReply } from '../../shared/forecast';
import type { SiteConfig } from '../../shared/siteConfig';
import type { StaffingPlanHour, StaffingPlanPayday, StaffingPlanReply } from '../../shared/staffingPlan';
import { errors } from '../errors';
import type { ForecastService } from '../forecast/forecast.service';
import type { SiteRegistry } from '../sites/sites.registry';

const HOUR = 3_600_000;

/** One real hour of the plan from its clock hour's forecast. */
function planHour(start: number, slot: { date: string; hour: number }, h: ForecastHour): StaffingPlanHour {
  // A repeated DST hour is one clock-hour bucket for two real hours: each gets half.
  const share = h.occurrences > 1 ? 1 / h.occurrences : 1;
  return {
    start: new Date(start).toISOString(),
    date: slot.date,
    hour: slot.hour,
    position: h.position,
    openMinutes: h.openMinutes,
    expectedIntakes: Math.round(h.expectedIntakes * share * 10) / 10,
    boothsNeeded: h.boothsNeeded,
    recommendedStaff: h.recommendedStaff,
    plannedStaff: h.plannedStaff,
    gap: h.plannedStaff === null ? null : h.recommendedStaff - h.plannedStaff,
    flag: h.flag,
  };
}

/**
 * The staffing plan view: the forecast's recommendation against the planned staff, for the next
 * hours and for the next payday. Reads business days' forecasts (each hour from its own day's).
 */
export class StaffingService {
  constructor(private readonly d: { forecast: ForecastService; sites: SiteRegistry; clock: (siteId: string) => number }) {}

  async plan(siteId: string, hours: number): Promise<StaffingPlanReply> {
    const site = this.d.sites.get(siteId)?.config;
    if (!site) throw errors.notFound('Site');
    const now = this.d.clock(siteId);
    const { timeZone, businessDayStart: startHour } = site;
    const forecasts = new Map<string, Promise<ForecastReply>>();
    const forecastOf = (date: string) => {
      let f = forecasts.get(date);
      if (!f) forecasts.set(date, (f = this.d.forecast.forecast(siteId, date)));
      return f;
    };
    /** The real hour starting at `start`, from its business day's forecast. */
    const hourAt = async (start: number): Promise<StaffingPlanHour> => {
      const slot = businessSlot(start, timeZone, startHour);
      return planHour(start, slot, (await forecastOf(slot.date)).hours.find((x) => x.hour === slot.hour)!);
    };
    const first = hourStart(now, timeZone);
    const next = await Promise.all(Array.from({ length: hours }, (_, k) => hourAt(first + k * HOUR)));

    const sample = await forecastOf(next[0]!.date);
    return {
      siteId,
      at: new Date(now).toISOString(),
      targetWaitMinutes: sample.targetWaitMinutes,
      boothsPerObserver: sample.boothsPerObserver,
      hasPlan: site.staffingPlan !== undefined,
      hours: next,
      payday: await this.paydayOf(site, now, hourAt),
    };
  }

  /** The next payday's figures (the payday-ahead alert says the same numbers as the plan view). */
  async payday(siteId: string): Promise<StaffingPlanPayday> {
    const site = this.d.sites.get(siteId)?.config;
    if (!site) throw errors.notFound('Site');
    const forecastOf = (date: string) => this.d.forecast.forecast(siteId, date);
    return this.paydayOf(site, this.d.clock(siteId), async (start) => {
      const slot = businessSlot(start, site.timeZone, site.businessDayStart);
      return planHour(start, slot, (await forecastOf(slot.date)).hours.find((x) => x.hour === slot.hour)!);
    });
  }

  /** The next payday as a day of money: from its arrival on the payday to the same hour next day. */
  private async paydayOf(site: SiteConfig, now: number, hourAt: (start: number) => Promise<StaffingPlanHour>): Promise<StaffingPlanPayday> {
    const { timeZone, businessDayStart: startHour, paydays } = site;
    const local = localClock(now, timeZone);
    const positionDate = positionDateOf(local.date, Math.floor(local.minute / 60), paydays);
    const payday = daysFromPayday(positionDate, paydays) === 'payday' ? positionDate : nextPayday(positionDate, paydays);
    const moneyHour = paydays?.moneyArrivesHour ?? 0;
    const from = businessDayStart(payday, timeZone, moneyHour);
    const until = businessDayStart(addDays(payday, 1), timeZone, moneyHour);
    const starts: number[] = [];
    for (let t = from; t < until; t += HOUR) starts.push(t);
    const dayHours = await Promise.all(starts.map(hourAt));
    const peak = dayHours.reduce((a, b) => (b.boothsNeeded > a.boothsNeeded || (b.boothsNeeded === a.boothsNeeded && b.expectedIntakes > a.expectedIntakes) ? b : a));
    const gaps = dayHours.flatMap((h) => (h.gap === null ? [] : [h.gap]));
    const rule = alertSettingsOf(site.alerts).rules['payday-ahead'];
    const warnFrom = paydayWindow(payday, timeZone, startHour, rule.hour);
    return {
      date: payday,
      inDays: daysBetween(local.date, payday),
      from: new Date(from).toISOString(),
      until: new Date(until).toISOString(),
      warning: rule.enabled && now >= warnFrom.notifyFrom && now < warnFrom.until,
      expectedIntakes: Math.round(dayHours.reduce((a, h) => a + h.expectedIntakes, 0)),
      peak,
      shortHours: gaps.filter((g) => g > 0).length,
      maxGap: gaps.length ? Math.max(...gaps) : null,
      hours: dayHours,
    };
  }
}
