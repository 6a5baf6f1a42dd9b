import { buildForecast, type ForecastReply } from '../../shared/forecast';
import { errors } from '../errors';
import type { SiteRegistry } from '../sites/sites.registry';
import type { ForecastRepository } from './forecast.repository';

/** Forecast and staffing recommendation of a site's business day. No HTTP here. */
export class ForecastService {
  constructor(private readonly d: { repo: ForecastRepository; sites: SiteRegistry }) {}

  async forecast(siteId: string, date: string): Promise<ForecastReply> {
    const site = this.d.sites.get(siteId);
    if (!site) throw errors.notFound('Site');
    return buildForecast(site.config, date, await this.d.repo.history(siteId, date));
  }
}
