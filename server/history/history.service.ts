import { businessHourOrder } from '../../shared/businessTime';
import { datesBetween, reportTable, toCsv, type HistoryQuery, type HistoryReply, type ReportQuery } from '../../shared/history';
import { errors } from '../errors';
import type { SiteRegistry } from '../sites/sites.registry';
import type { HistoryRepository } from './history.repository';

/** History buckets and the monthly report, from the stored day and hour counters. */
export class HistoryService {
  constructor(private readonly d: { repo: HistoryRepository; sites: SiteRegistry }) {}

  private site(siteId: string) {
    const site = this.d.sites.get(siteId);
    if (!site) throw errors.notFound('Site');
    return site.config;
  }

  async history(siteId: string, q: HistoryQuery): Promise<HistoryReply> {
    const site = this.site(siteId);
    const dates = datesBetween(q.from, q.to);
    let buckets: HistoryReply['buckets'];
    if (q.bucket === 'day') {
      const counters = await this.d.repo.days(siteId, dates);
      buckets = dates.map((date, i) => ({ date, hour: null, counters: counters[i]! }));
    } else {
      // Clock hours in business order; a DST-skipped hour is an empty bucket, a repeated one holds both.
      const order = businessHourOrder(site.businessDayStart);
      const slots = dates.flatMap((date) => order.map((hour) => ({ date, hour })));
      const counters = await this.d.repo.hours(siteId, slots);
      buckets = slots.map((s, i) => ({ ...s, counters: counters[i]! }));
    }
    return { siteId, from: q.from, to: q.to, bucket: q.bucket, timeZone: site.timeZone, businessDayStart: site.businessDayStart, buckets };
  }

  /** The report as CSV text: a row per business day and a total row. */
  async reportCsv(siteId: string, q: ReportQuery): Promise<string> {
    this.site(siteId);
    const dates = datesBetween(q.from, q.to);
    const counters = await this.d.repo.days(siteId, dates);
    return toCsv(reportTable(dates.map((date, i) => ({ date, counters: counters[i]! })), q.suppressBelow));
  }
}
