import { businessSlot } from '../../shared/businessTime';
import { addDays } from '../../shared/calendar';
import { buildForecast, type ForecastReply } from '../../shared/forecast';
import { errors } from '../errors';
import type { SiteRegistry } from '../sites/sites.registry';
import type { ForecastRepository } from './forecast.repository';

/**
 * How long (real time) a computed forecast is reused. It learns from complete days only, so for
 * one running business day it changes only with the settings (the entry remembers its config)
 * or a data gap (marking one drops the site's entries); a new business day is a new entry.
 */
const CACHE_MS = 5 * 60_000;

/** Forecast and staffing recommendation of a site's business day. No HTTP here. */
export class ForecastService {
  // Keyed by site, date and the running business day; an entry also remembers the config it was
  // made with, so a settings change is seen at once.
  private readonly cache = new Map<string, { at: number; config: object; reply: Promise<ForecastReply> }>();
  /** `site|date` this instance has marked as a data gap already. */
  private readonly gapsMarked = new Set<string>();

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
  forecast(siteId: string, date: string): Promise<ForecastReply> {
    const site = this.site(siteId);
    const now = Date.now();
    const today = this.today(siteId);
    const key = `${siteId}|${date}|${today}`;
    const hit = this.cache.get(key);
    if (hit && hit.config === site && now >= hit.at && now - hit.at < CACHE_MS) return hit.reply;
    const reply = this.d.repo.history(siteId, date).then((history) => buildForecast(site, date, history, { today }));
    reply.catch(() => this.cache.delete(key));
    this.cache.set(key, { at: now, config: site, reply });
    if (this.cache.size > 500) this.cache.delete(this.cache.keys().next().value!);
    return reply;
  }

  /** Marks the business days of a silent stretch (the no-data alert) as data gaps. */
  async markGap(siteId: string, fromMs: number, toMs: number): Promise<void> {
    const site = this.site(siteId);
    const from = businessSlot(fromMs, site.timeZone, site.businessDayStart).date;
    const to = businessSlot(toMs, site.timeZone, site.businessDayStart).date;
    const dates: string[] = [];
    for (let d = from; d <= to && dates.length < 400; d = addDays(d, 1)) if (!this.gapsMarked.has(`${siteId}|${d}`)) dates.push(d);
    if (dates.length === 0) return; // this instance marked them already (the rule fires on every evaluation)
    const added = await this.d.repo.markGaps(siteId, dates);
    for (const d of dates) this.gapsMarked.add(`${siteId}|${d}`);
    if (this.gapsMarked.size > 10_000) this.gapsMarked.clear();
    // Forecasts that learnt from a newly marked day are out of date: drop the site's.
    if (added > 0) for (const key of this.cache.keys()) if (key.startsWith(`${siteId}|`)) this.cache.delete(key);
  }
}
