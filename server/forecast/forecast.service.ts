import { businessSlot } from '../../shared/businessTime';
import { addDays } from '../../shared/calendar';
import { buildForecast, type ForecastReply } from '../../shared/forecast';
import { errors } from '../errors';
import type { SiteRegistry } from '../sites/sites.registry';
import type { ForecastRepository } from './forecast.repository';

/** Forecast and staffing recommendation of a site's business day. No HTTP here. */
export class ForecastService {
  constructor(private readonly d: { repo: ForecastRepository; sites: SiteRegistry; clock: (siteId: string) => number }) {}

  private site(siteId: string) {
    const site = this.d.sites.get(siteId);
    if (!site) throw errors.notFound('Site');
    return site.config;
  }

  /** The business date running now at the site (its own clock). */
  today(siteId: string): string {
    const site = this.site(siteId);
    return businessSlot(this.d.clock(siteId), site.timeZone, site.businessDayStart).date;
  }

  /** The forecast of business day `date`, learnt from complete days only (never today's unfinished one). */
  async forecast(siteId: string, date: string): Promise<ForecastReply> {
    const site = this.site(siteId);
    return buildForecast(site, date, await this.d.repo.history(siteId, date), { today: this.today(siteId) });
  }

  /** Marks the business days of a silent stretch (the no-data alert) as data gaps. */
  async markGap(siteId: string, fromMs: number, toMs: number): Promise<void> {
    const site = this.site(siteId);
    const from = businessSlot(fromMs, site.timeZone, site.businessDayStart).date;
    const to = businessSlot(toMs, site.timeZone, site.businessDayStart).date;
    const dates: string[] = [];
    for (let d = from; d <= to && dates.length < 400; d = addDays(d, 1)) dates.push(d);
    await this.d.repo.markGaps(siteId, dates);
  }
}
