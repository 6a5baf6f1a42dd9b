import { Router } from 'express';
import { paydaysOf, PaydaysQuery, paymentDaysOf, type PaydaysReply } from '../../shared/calendar';
import { ForecastQuery } from '../../shared/forecast';
import { authorize } from '../auth/policy';
import { errors } from '../errors';
import { parseOr400 } from '../http/validate';
import type { SiteRegistry } from '../sites/sites.registry';
import type { ForecastService } from './forecast.service';

/** `GET /api/sites/:siteId/forecast` and `GET /api/calendar/paydays`: parse, authorise, call. */
export function forecastRoutes(forecast: ForecastService, sites: SiteRegistry): Router {
  const r = Router();

  r.get('/sites/:siteId/forecast', async (req, res) => {
    const siteId = String(req.params.siteId);
    authorize(req.principal, 'site:read', siteId);
    if (!sites.get(siteId)) throw errors.notFound('Site');
    const { date } = parseOr400(ForecastQuery, req.query, 'query');
    res.json(await forecast.forecast(siteId, date));
  });

  // The default Danish calendar; with `siteId`, that site's calendar (its extra and moved dates).
  r.get('/calendar/paydays', (req, res) => {
    authorize(req.principal, 'site:read'); // who first, then what they asked for
    const q = parseOr400(PaydaysQuery, req.query, 'query');
    authorize(req.principal, 'site:read', q.siteId);
    const site = q.siteId === undefined ? undefined : sites.get(q.siteId);
    if (q.siteId !== undefined && !site) throw errors.notFound('Site');
    const rules = site?.config.paydays;
    const reply: PaydaysReply = { year: q.year, dates: paydaysOf(q.year, rules), paymentDays: paymentDaysOf(q.year, rules) };
    res.json(reply);
  });

  return r;
}
